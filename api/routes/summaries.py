"""``POST /v1/summaries``: one article in, its contract-v1 facts out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError

from api import errors as api_errors
from api.deps import AdmissionDep, Caller, RuntimeDep, SettingsDep
from api.guard import ClientDisconnectedError
from api.media import HTML_TYPES, SUMMARIES_PATH, invalid, media_limit, media_type, read_json
from newsfacts import metrics
from newsfacts.errors import NewsfactsError
from newsfacts.intake import check_request
from newsfacts.pipeline import summarize
from newsfacts.settings import Settings
from schemas.contract import ArticleSummary, SummaryRequest

log = logging.getLogger(__name__)
router = APIRouter(tags=["summaries"])
T = TypeVar("T")

ERROR_CODES = (
    "unauthorized", "forbidden", "request_timeout", "text_too_large", "payload_too_large",
    "article_too_long_for_model", "unsupported_media_type", "empty_text", "invalid_json", "invalid_request",
    "rate_limited", "overloaded", "upstream_error", "model_not_ready", "embedded_model_error", "upstream_timeout",
)  # fmt: skip
TEXT_BODY = {"type": "string", "minLength": 1}
FOR_TEXT_BODIES = " Read only with a `text/html` or `text/plain` body (a JSON body carries it as a field)."


# JSON by reference to SummaryRequest, or the article itself as an HTML page or plain text.
REQUEST_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/SummaryRequest"}},
        "text/html": {"schema": TEXT_BODY},
        "text/plain": {"schema": TEXT_BODY},
    },
}


@router.post(
    SUMMARIES_PATH,
    operation_id="createSummary",
    response_model=ArticleSummary,
    summary="Summarise one article into contract-v1 facts",
    description='Send JSON (a `SummaryRequest`; set `format: "html"` for a whole page), an HTML page as '
    "`text/html`, or plain text as `text/plain` (its metadata then goes in the query string).",
    responses={
        200: {"headers": {"X-Request-ID": api_errors.REQUEST_ID_HEADER}},
        **api_errors.error_responses(*ERROR_CODES),
    },  # fmt: skip
    openapi_extra={"requestBody": REQUEST_BODY},
)
async def create_summary(
    request: Request,
    tenant: Caller,
    settings: SettingsDep,
    runtime: RuntimeDep,
    admission: AdmissionDep,
    explain: Annotated[
        bool, Query(description="Add `trace`: the reading rules that shaped, added or dropped every entry.")
    ] = False,
    title: Annotated[str | None, Query(description="The headline, when known." + FOR_TEXT_BODIES)] = None,
    url: Annotated[
        str | None, Query(description="Where the article was published." + FOR_TEXT_BODIES)
    ] = None,
    outlet: Annotated[str | None, Query(description="The publishing outlet." + FOR_TEXT_BODIES)] = None,
) -> ArticleSummary:
    try:
        article = await read_article(request, settings, title=title, url=url, outlet=outlet)
        check_request(article, settings)
        async with admission.slot():
            work = summarize(article, runtime=runtime, explain=explain, tenant=tenant)
            summary = await until_disconnect(request, work)
    except NewsfactsError as exc:
        metrics.ARTICLES.labels(exc.code).inc()
        raise
    metrics.ARTICLES.labels("ok").inc()
    return summary


async def read_article(
    request: Request, settings: Settings, *, title: str | None, url: str | None, outlet: str | None
) -> SummaryRequest:
    """The request body as a SummaryRequest: JSON, an HTML page or plain text (with its metadata
    from the query string). BodyLimit has capped it while it streamed."""
    media = media_type(request.headers.get("content-type", ""))
    if media_limit(settings, media) is None:
        raise api_errors.UnsupportedMediaTypeError()
    if media == "application/json":
        return await read_json(request, SummaryRequest)
    raw = await request.body()
    try:
        return SummaryRequest(
            text=raw.decode("utf-8", errors="replace"),
            format="html" if media in HTML_TYPES else "text",
            title=title,
            url=url,
            outlet=outlet,
        )
    except ValidationError as exc:
        raise invalid(exc) from None


async def until_disconnect(request: Request, work: Awaitable[T]) -> T:
    """Await ``work``; if the client goes away first, cancel it (and its model calls)."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=0.25)
            if done:
                return task.result()
            if await request.is_disconnected():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
                metrics.REJECTED.labels("client_disconnected").inc()
                log.info("client went away; its article was cancelled")
                raise ClientDisconnectedError("the client closed the connection; the work was cancelled")
    finally:
        if not task.done():
            task.cancel()
