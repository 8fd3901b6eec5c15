"""The HTTP API: ``POST /v1/summaries`` and health endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from api import errors as api_errors
from newsfacts.pipeline import Runtime, summarize
from newsfacts.settings import Settings, get_settings
from schemas.contract import ArticleSummary, ErrorResponse, SummaryRequest

log = logging.getLogger(__name__)

ERROR_RESPONSES = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        413: "Article text over the size limit",
        415: "Body is not JSON, HTML or plain text",
        422: "Empty text, malformed JSON or a body that does not match the schema",
        502: "The model failed after retries",
        503: "The model is not ready yet",
        504: "The deadline passed before the model answered",
    }.items()
}


HTML_TYPES = ("text/html", "application/xhtml+xml")


def _invalid(exc: ValidationError) -> RequestValidationError:
    """A body that fails validation, reported as FastAPI reports it (locations under "body")."""
    errors = [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors(include_url=False)]
    return RequestValidationError(errors)


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    """Build the app. With no runtime given, one is started from settings in the lifespan."""
    settings = settings or get_settings()
    runtime = runtime or Runtime(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = None
        if not runtime.ready.is_set():
            # Start in the background: /healthz answers at once, /readyz once the model is up.
            task = asyncio.create_task(_start(runtime))
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            runtime.stop()

    app = FastAPI(
        title="newsfacts",
        version="1",
        summary="Turn a news article into attributed, verifiable facts (contract v1).",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.settings = settings
    api_errors.install(app)

    @app.middleware("http")
    async def request_id(request: Request, call_next):  # type: ignore[no-untyped-def]
        request.state.request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        response = await call_next(request)
        response.headers["x-request-id"] = request.state.request_id
        return response

    async def read_article(request: Request) -> SummaryRequest:
        """The request body as a SummaryRequest: JSON, an HTML page or plain text."""
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "application/json":
            limit = settings.max_text_bytes * 6 + 65536  # JSON escapes can take six bytes a character
        elif media in HTML_TYPES:
            limit = settings.max_html_bytes + 65536
        elif media == "text/plain":
            limit = settings.max_text_bytes + 65536
        else:
            raise api_errors.UnsupportedMediaTypeError()
        declared = request.headers.get("content-length")
        # A body far over the limit is refused before it is read.
        if declared and declared.isdigit() and int(declared) > limit:
            raise api_errors.BodyTooLargeError(limit)
        raw = await request.body()
        if len(raw) > limit:
            raise api_errors.BodyTooLargeError(limit)
        if media == "application/json":
            try:
                return SummaryRequest.model_validate_json(raw)
            except ValidationError as exc:
                raise _invalid(exc) from None
        query = request.query_params
        try:
            return SummaryRequest(
                text=raw.decode("utf-8", errors="replace"),
                format="html" if media in HTML_TYPES else "text",
                title=query.get("title"),
                url=query.get("url"),
                outlet=query.get("outlet"),
            )
        except ValidationError as exc:
            raise _invalid(exc) from None

    request_schema = SummaryRequest.model_json_schema()
    query_doc = "Metadata may go in the query string: ?url=…&title=…&outlet=…"

    @app.post(
        "/v1/summaries",
        response_model=ArticleSummary,
        responses=ERROR_RESPONSES,  # type: ignore[arg-type]
        summary="Summarise one article into contract-v1 facts",
        description="Send JSON (a SummaryRequest; set `format: \"html\"` for a whole page), an HTML page "
        f"as `text/html`, or plain text as `text/plain`. {query_doc}",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": request_schema},
                    "text/html": {"schema": {"type": "string", "minLength": 1}},
                    "text/plain": {"schema": {"type": "string", "minLength": 1}},
                },
            }
        },
    )
    async def create_summary(request: Request, runtime: RuntimeDep) -> ArticleSummary:
        return await summarize(await read_article(request), runtime=runtime)

    @app.get("/healthz", summary="The process is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="The model is ready to answer", responses={503: {"model": ErrorResponse}})
    async def readyz(request: Request, runtime: RuntimeDep) -> JSONResponse:
        if await runtime.healthy():
            return JSONResponse({"status": "ready", "model": runtime.model_name})
        reason = "the model is starting"
        if runtime.startup_error is not None:
            reason = f"the model failed to start: {runtime.startup_error}"
        return api_errors.error_response(503, "model_not_ready", reason, request)

    return app


async def _start(runtime: Runtime) -> None:
    try:
        await runtime.start()
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("the model failed to start")
