"""HTTP status codes for every error, chosen in this one module, and the one error shape.

``ERRORS`` is the one table of error codes: each code's HTTP status and when it is answered. The
exception handlers map an error to its status through it, the middleware in api/limits.py too,
and the OpenAPI document's error responses are generated from it (``error_responses``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import guard
from newsfacts import errors
from schemas.contract import ErrorResponse

log = logging.getLogger(__name__)


class UnsupportedMediaTypeError(errors.NewsfactsError):
    code = "unsupported_media_type"

    def __init__(self) -> None:
        super().__init__(
            "send the article as JSON ('Content-Type: application/json'), as an HTML page ('text/html') "
            "or as plain text ('text/plain')"
        )


class BodyTooLargeError(errors.NewsfactsError):
    code = "payload_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is over its limit of {limit} bytes")


class RequestTimeoutError(errors.NewsfactsError):
    code = "request_timeout"

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the request body did not arrive within {seconds:.0f} s (NEWSFACTS_BODY_TIMEOUT_S)")


@dataclass(frozen=True)
class ErrorCode:
    """One error code: its HTTP status and when it is answered (the text the API docs show)."""

    status: int
    when: str


ERRORS: dict[str, ErrorCode] = {
    guard.UnauthorizedError.code: ErrorCode(401, "API keys are configured and the request has none"),
    guard.ForbiddenError.code: ErrorCode(403, "the API key is not one of the configured keys"),
    errors.NotFoundError.code: ErrorCode(404, "no such route, or no batch with that id that belongs to the calling key"),
    "method_not_allowed": ErrorCode(405, "the route does not take that method"),
    RequestTimeoutError.code: ErrorCode(408, "the request body did not arrive within NEWSFACTS_BODY_TIMEOUT_S"),
    errors.TextTooLargeError.code: ErrorCode(
        413, "the text is over NEWSFACTS_MAX_TEXT_BYTES, an HTML page over NEWSFACTS_MAX_HTML_BYTES, or a batch "
        "has more than NEWSFACTS_BATCH_MAX_ARTICLES articles"),
    BodyTooLargeError.code: ErrorCode(413, "the request body is over its cap (refused as soon as it passes it)"),
    errors.ContextOverflowError.code: ErrorCode(
        413, "the model's server refused a prompt as longer than its context window"),
    UnsupportedMediaTypeError.code: ErrorCode(
        415, "the body is not application/json, text/html or text/plain (a batch: not application/json)"),
    errors.EmptyTextError.code: ErrorCode(422, "the text is empty or blank, or a page has no article text"),
    errors.InputError.code: ErrorCode(422, "the article cannot be summarised as sent"),
    errors.CallbackRefusedError.code: ErrorCode(
        422, "a batch's callback_url is not http(s), does not resolve, resolves to a non-public address that "
        "NEWSFACTS_WEBHOOK_ALLOW_NETWORKS does not allow, or webhooks are not set up"),
    "invalid_json": ErrorCode(422, "the body is not valid JSON"),
    "invalid_request": ErrorCode(422, "the body, a query parameter or a path parameter does not match the schema"),
    guard.TooManyRequestsError.code: ErrorCode(429, "the key's rate limit is reached; Retry-After says when to come back"),
    guard.OverloadedError.code: ErrorCode(
        429, "the queue of waiting articles is full, or NEWSFACTS_MAX_REQUESTS requests are in progress; "
        "Retry-After says when to come back"),
    errors.QuotaExceededError.code: ErrorCode(
        429, "the key has NEWSFACTS_BATCH_MAX_PENDING_PER_KEY batch articles waiting; Retry-After says when to "
        "come back"),
    guard.ClientDisconnectedError.code: ErrorCode(499, "the client closed the connection; the work was cancelled"),
    errors.NewsfactsError.code: ErrorCode(500, "an unexpected error; it has been logged"),
    errors.UpstreamError.code: ErrorCode(502, "the model failed after retries, or never gave an answer that matched the schema"),
    errors.ModelNotReadyError.code: ErrorCode(503, "the model is still starting (GET /readyz tells when it is ready)"),
    errors.EmbeddedModelError.code: ErrorCode(503, "the embedded model's server failed"),
    errors.QueueUnavailableError.code: ErrorCode(503, "the batch queue's Redis cannot be reached"),
    errors.StorageUnavailableError.code: ErrorCode(
        503, "the batch store cannot be opened or written (a full disk, an unwritable file)"),
    errors.UpstreamTimeoutError.code: ErrorCode(504, "the per-article deadline passed before the model answered"),
}  # fmt: skip
# Codes of errors raised by Starlette itself (an unknown route, a wrong method), by status.
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 500: "internal_error"}

REQUEST_ID_HEADER = {
    "description": "The request's id: the caller's X-Request-ID when it sent a usable one, else a new one. "
    "Error bodies carry it as request_id.",
    "schema": {"type": "string"},
}
RETRY_AFTER_HEADER = {
    "description": "Seconds after which trying again makes sense.",
    "schema": {"type": "integer", "minimum": 1},
}


def status_for(exc: errors.NewsfactsError) -> int:
    """The HTTP status of an error: its code's, else the nearest base class's (500 at the root)."""
    for cls in type(exc).__mro__:
        code = getattr(cls, "code", None)
        if code in ERRORS:
            return ERRORS[code].status
    return 500


def error_responses(*codes: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI responses of a route that can answer ``codes``: one entry per status, listing its
    codes, with the error schema and the headers every such answer carries."""
    by_status: dict[int, list[str]] = {}
    for code in codes:
        by_status.setdefault(ERRORS[code].status, []).append(code)
    responses: dict[int | str, dict[str, Any]] = {}
    for status, group in sorted(by_status.items()):
        headers: dict[str, Any] = {"X-Request-ID": REQUEST_ID_HEADER}
        if status == 429:
            headers["Retry-After"] = RETRY_AFTER_HEADER
        responses[status] = {
            "model": ErrorResponse,
            "description": _describe(group),
            "headers": headers,
        }
    return responses


def _describe(codes: Iterable[str]) -> str:
    return "\n".join(f"- `{code}`: {ERRORS[code].when}" for code in codes)


def error_response(
    status: int,
    code: str,
    message: str,
    request: Request | None = None,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None) if request is not None else None
    body = ErrorResponse(code=code, message=message, request_id=request_id, details=details)
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details: list[dict[str, Any]] = []
    for err in exc.errors():
        details.append({"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg", "")),
                        "type": str(err.get("type", ""))})  # fmt: skip
    return details


# What a validation error's location (the first part of its ``loc``) is called in its message.
PLACES = {"body": "the request body", "query": "the query string", "path": "the path", "header": "a header"}


def validation_message(details: list[dict[str, Any]]) -> str:
    """Names the part of the request that is wrong: the body, a query or path parameter, a header."""
    where = details[0]["loc"][0] if details and details[0]["loc"] else "body"
    if where == "body":
        return "the request body does not match the request schema (see /docs)"
    names = sorted({d["loc"][1] for d in details if len(d["loc"]) > 1 and d["loc"][0] == where})
    named = ", ".join(repr(n) for n in names) or "a parameter"
    return f"{PLACES.get(where, where)} has an invalid value for {named}: {details[0]['msg']} (see /docs)"


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.NewsfactsError)
    async def _newsfacts(request: Request, exc: errors.NewsfactsError) -> JSONResponse:
        status = status_for(exc)
        if status >= 500:  # the code only: a message can quote the model's answer, and so the article
            log.warning("request failed: %s", exc.code, extra={"code": exc.code, "status": status})
        retry_after = getattr(exc, "retry_after", None)
        headers = {"retry-after": str(retry_after)} if retry_after is not None else None
        return error_response(status, exc.code, exc.message, request, exc.details, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        if any(d["type"] == "json_invalid" for d in details):
            return error_response(422, "invalid_json", "the request body is not valid JSON", request, details)
        return error_response(422, "invalid_request", validation_message(details), request, details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code
        return error_response(exc.status_code, code, message, request, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(
            500, "internal_error", "an unexpected error occurred; it has been logged", request
        )
