"""The batch webhook in the OpenAPI document: what a batch's ``callback_url`` receives."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Header

from newsfacts.webhooks import EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER
from schemas.batch import WebhookEvent


def batch_event(
    event: WebhookEvent,
    signature: Annotated[str, Header(alias=SIGNATURE_HEADER, description="t=<unix seconds>,v1=<hex>")],
    event_id: Annotated[str, Header(alias=EVENT_ID_HEADER, description="The event's id, as in the body.")],
    event_type: Annotated[
        str, Header(alias=EVENT_TYPE_HEADER, description="batch.finished or article.finished")
    ],
) -> None:
    """Never called: the receiver is the partner's."""


def document(app: FastAPI) -> None:
    """Declare the event in ``/openapi.json`` (its ``webhooks``), so a generated client has the
    ``WebhookEvent`` model and the headers to check."""
    app.webhooks.post(
        "batch-event",
        status_code=204,
        operation_id="receive_batch_event",
        summary="An event POSTed to a batch's callback_url",
        description="Sent for `batch.finished` and, if the batch asked for it, `article.finished`. Check "
        '`Newsfacts-Signature` (`t=<unix seconds>,v1=<hex HMAC-SHA256 of t + "." + the raw body>`, with the '
        "API key's signing secret) and refuse a `t` more than a few minutes away; deduplicate on "
        "`Newsfacts-Event-Id`. Answer 2xx to acknowledge; anything else is retried with backoff.",
    )(batch_event)
