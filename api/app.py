"""The HTTP API: ``POST /v1/summaries`` and health endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from api import errors as api_errors
from newsfacts.pipeline import Runtime, summarize
from newsfacts.settings import Settings, get_settings
from schemas.contract import ArticleSummary, ErrorResponse, SummaryRequest

log = logging.getLogger(__name__)

ERROR_RESPONSES = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        413: "Article text over the size limit",
        415: "Body is not application/json",
        422: "Empty text, malformed JSON or a body that does not match the schema",
        502: "The model failed after retries",
        503: "The model is not ready yet",
        504: "The deadline passed before the model answered",
    }.items()
}


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

    async def require_json(request: Request) -> None:
        content_type = request.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise api_errors.UnsupportedMediaTypeError()
        declared = request.headers.get("content-length")
        # A body far over the text limit is refused before it is parsed.
        if declared and declared.isdigit() and int(declared) > settings.max_text_bytes * 6 + 65536:
            raise api_errors.BodyTooLargeError(settings.max_text_bytes)

    @app.post(
        "/v1/summaries",
        response_model=ArticleSummary,
        responses=ERROR_RESPONSES,  # type: ignore[arg-type]
        dependencies=[Depends(require_json)],
        summary="Summarise one article into contract-v1 facts",
    )
    async def create_summary(body: SummaryRequest, runtime: RuntimeDep) -> ArticleSummary:
        return await summarize(body, runtime=runtime)

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
