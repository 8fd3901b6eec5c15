"""Batch jobs: many articles in one request, processed in the background, polled for results."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.contract import ArticleSummary, SummaryRequest

ItemStatus = Literal["pending", "running", "done", "failed"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BatchRequest(_Model):
    articles: list[SummaryRequest] = Field(min_length=1, description="The articles, each as for POST /v1/summaries.")


class ItemError(_Model):
    code: str
    message: str


class BatchItem(_Model):
    index: int = Field(description="The article's position in the request, from 0.")
    status: ItemStatus
    result: ArticleSummary | None = None
    error: ItemError | None = None


class BatchStatus(_Model):
    id: str
    status: Literal["pending", "running", "done"] = Field(
        description="done once every article is done or failed"
    )
    created_at: datetime
    total: int
    pending: int
    running: int
    done: int
    failed: int
    items: list[BatchItem] | None = Field(
        default=None, description="Per article, in request order (left out with ?items=false)."
    )
