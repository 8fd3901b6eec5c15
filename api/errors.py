"""HTTP status codes for every error, chosen in this one module, and the one error shape."""

from __future__ import annotations

import logging

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


STATUS: dict[type[errors.NewsfactsError], int] = {
    guard.UnauthorizedError: 401,
    guard.ForbiddenError: 403,
    guard.TooManyRequestsError: 429,
    guard.ClientDisconnectedError: 499,
    UnsupportedMediaTypeError: 415,
    BodyTooLargeError: 413,
    RequestTimeoutError: 408,
    errors.QuotaExceededError: 429,
    errors.StorageUnavailableError: 503,
    errors.EmptyTextError: 422,
    errors.TextTooLargeError: 413,
    errors.ContextOverflowError: 413,
    errors.InputError: 422,
    errors.UpstreamError: 502,
    errors.UpstreamTimeoutError: 504,
    errors.ModelNotReadyError: 503,
    errors.NotFoundError: 404,
    errors.EmbeddedModelError: 503,
    errors.QueueUnavailableError: 503,
}
HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 408: "request_timeout", 413: "payload_too_large", 415: "unsupported_media_type", 422: "invalid_request",
    429: "rate_limited", 500: "internal_error", 503: "unavailable",
}  # fmt: skip


def status_for(exc: errors.NewsfactsError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def error_response(
    status: int, code: str, message: str, request: Request | None = None, details: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None) if request is not None else None
    body = ErrorResponse(code=code, message=message, request_id=request_id, details=details)
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict]:
    details = []
    for err in exc.errors():
        details.append({"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg", "")),
                        "type": str(err.get("type", ""))})  # fmt: skip
    return details


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
        return error_response(
            422, "invalid_request", "the request body does not match the ArticleSummary request schema "
            "(see /docs)", request, details,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code
        return error_response(exc.status_code, code, message, request, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(500, "internal_error", "an unexpected error occurred; it has been logged", request)
