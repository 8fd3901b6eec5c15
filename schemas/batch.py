"""Batch jobs: many articles in one request, processed in the background, polled for results."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from schemas.contract import ArticleSummary, SummaryRequest

ItemStatus = Literal["pending", "running", "done", "failed"]
EventType = Literal["batch.finished", "article.finished"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BatchRequest(_Model):
    articles: list[SummaryRequest] = Field(min_length=1, description="The articles, each as for POST /v1/summaries.")
    callback_url: HttpUrl | None = Field(
        default=None,
        description="An http(s) URL the service POSTs signed events to (see callback_events). Its host must "
        "resolve only to public addresses, unless NEWSFACTS_WEBHOOK_ALLOW_NETWORKS allows it.",
    )
    callback_events: list[EventType] = Field(
        default=["batch.finished"],
        min_length=1,
        max_length=2,
        description="Which events go to callback_url: 'batch.finished' (once, when every article is done or "
        "failed) and/or 'article.finished' (once per article).",
    )

    @model_validator(mode="after")
    def _events_need_a_url(self) -> BatchRequest:
        if "callback_events" in self.model_fields_set and self.callback_url is None:
            raise ValueError("callback_events needs a callback_url")
        return self


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


class WebhookEvent(_Model):
    """What the service POSTs to a batch's ``callback_url`` (signed; see README, "Batch webhooks")."""

    id: str = Field(description="The event's id, the same on every delivery attempt: deduplicate on it.")
    type: EventType
    created_at: datetime = Field(description="When the event happened (the batch or article finished).")
    batch_id: str
    batch: BatchStatus = Field(
        description="The batch at that moment, as GET /v1/batches/{id} answers it; its items only for batch.finished."
    )
    item: BatchItem | None = Field(default=None, description="The article that finished (article.finished only).")
