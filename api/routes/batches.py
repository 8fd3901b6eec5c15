"""``POST /v1/batches`` and ``GET /v1/batches/{batch_id}``: many articles, summarised in the
background, polled for results. A batch belongs to the API key that created it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from api import errors as api_errors
from api.deps import BatchesDep, Caller, SettingsDep
from api.media import BATCHES_PATH, media_type, read_json
from newsfacts.errors import NewsfactsError, NotFoundError, TextTooLargeError
from newsfacts.intake import check_request
from newsfacts.webhooks import accept_callback
from schemas.batch import BatchRequest, BatchStatus

router = APIRouter(tags=["batches"])

AUTH_CODES = ("unauthorized", "forbidden", "rate_limited", "overloaded")
CREATE_CODES = (
    *AUTH_CODES, "request_timeout", "text_too_large", "payload_too_large", "unsupported_media_type",
    "empty_text", "invalid_json", "invalid_request", "batch_quota_exceeded", "queue_unavailable",
    "storage_unavailable", "callback_url_refused",
)  # fmt: skip
GET_CODES = (*AUTH_CODES, "not_found", "invalid_request", "queue_unavailable", "storage_unavailable")


ANSWER = {"headers": {"X-Request-ID": api_errors.REQUEST_ID_HEADER}}


@router.post(
    BATCHES_PATH,
    operation_id="createBatch",
    status_code=202,
    response_model=BatchStatus,
    summary="Queue many articles; poll GET /v1/batches/{batch_id} for progress and results",
    description="The articles are stored durably before the answer: a restart loses none, and none that "
    "finished is summarised again. Each article's result or error has the shape of POST /v1/summaries. "
    "The batch belongs to the API key that sent it: no other key can read it. With `callback_url`, "
    "signed events are POSTed there when the batch (and, if asked, each article) finishes.",
    responses={202: ANSWER, **api_errors.error_responses(*CREATE_CODES)},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BatchRequest"}}},
        }
    },  # fmt: skip
)
async def create_batch(
    request: Request, owner: Caller, settings: SettingsDep, batches: BatchesDep
) -> BatchStatus:
    if media_type(request.headers.get("content-type", "")) != "application/json":
        raise api_errors.UnsupportedMediaTypeError()
    body = await read_json(request, BatchRequest)
    if len(body.articles) > settings.batch_max_articles:
        raise TextTooLargeError(
            f"the batch has {len(body.articles)} articles; the limit is {settings.batch_max_articles} "
            "(NEWSFACTS_BATCH_MAX_ARTICLES)"
        )
    for i, article in enumerate(body.articles):
        try:
            check_request(article, settings)
        except NewsfactsError as exc:
            exc.message = f"article {i}: {exc.message}"
            raise
    callback = await accept_callback(body.callback_url, body.callback_events, settings)  # SSRF: 422
    return await batches.create(body.articles, owner=owner, callback=callback)


@router.get(
    BATCHES_PATH + "/{batch_id}",
    operation_id="getBatch",
    response_model=BatchStatus,
    response_model_exclude_none=False,
    summary="A batch's progress, and each article's result or error",
    description="Only the API key that created the batch can read it; any other key gets 404.",
    responses={200: ANSWER, **api_errors.error_responses(*GET_CODES)},
)
async def get_batch(
    owner: Caller,
    batches: BatchesDep,
    batch_id: Annotated[str, Path(description="The id POST /v1/batches answered with.")],
    items: Annotated[
        bool, Query(description="Include each article's result or error; false: counts only.")
    ] = True,
) -> BatchStatus:
    status = await batches.status(batch_id, owner=owner, items=items)
    if status is None:
        raise NotFoundError(f"no batch {batch_id!r}")
    return status
