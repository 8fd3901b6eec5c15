"""Batch jobs: many articles in one request, processed in the background, polled for results."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from schemas.contract import ArticleSummary, SummaryRequest

ItemStatus = Literal["pending", "running", "done", "failed"]
EventType = Literal["batch.finished", "article.finished"]


class _Request(BaseModel):
    """A request shape: strict, an unknown field is an error."""

    model_config = ConfigDict(extra="forbid")


class _Answer(BaseModel):
    """An answer shape: open to fields added within contract v1; every field is always present."""

    model_config = ConfigDict(extra="ignore", json_schema_serialization_defaults_required=True)


class BatchRequest(_Request):
    """Many articles to summarise in the background."""

    articles: list[SummaryRequest] = Field(
        min_length=1, description="The articles, each as for POST /v1/summaries."
    )
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


class ItemError(_Answer):
    """Why an article of a batch failed: the code and message POST /v1/summaries would have answered."""

    code: str = Field(description="Stable machine-readable error code, e.g. 'upstream_timeout'.")
    message: str = Field(description="What went wrong.")


class BatchItem(_Answer):
    """One article of a batch."""

    index: int = Field(description="The article's position in the request, from 0.")
    status: ItemStatus = Field(description="pending, running, done (see result) or failed (see error).")
    result: ArticleSummary | None = Field(default=None, description="The article's facts once it is done.")
    error: ItemError | None = Field(default=None, description="Why it failed, once it has failed.")


class BatchStatus(_Answer):
    """A batch's progress and, unless left out, each article's result or error."""

    id: str = Field(description="The batch's id, for GET /v1/batches/{batch_id}.")
    status: Literal["pending", "running", "done"] = Field(
        description="done once every article is done or failed"
    )
    created_at: datetime = Field(description="When the batch was accepted.")
    total: int = Field(description="Articles in the batch.")
    pending: int = Field(description="Articles waiting for a worker.")
    running: int = Field(description="Articles being summarised now.")
    done: int = Field(description="Articles summarised.")
    failed: int = Field(description="Articles that failed (each item says why).")
    items: list[BatchItem] | None = Field(
        default=None, description="Per article, in request order (null with ?items=false)."
    )


class WebhookEvent(_Answer):
    """What the service POSTs to a batch's ``callback_url`` (signed; see README, "Batch webhooks")."""

    id: str = Field(description="The event's id, the same on every delivery attempt: deduplicate on it.")
    type: EventType
    created_at: datetime = Field(description="When the event happened (the batch or article finished).")
    batch_id: str
    batch: BatchStatus = Field(
        description="The batch at that moment, as GET /v1/batches/{id} answers it; its items only for batch.finished."
    )
    item: BatchItem | None = Field(
        default=None, description="The article that finished (article.finished only)."
    )
