"""The HTTP API, wired: settings, runtime and batch backend on ``app.state``, the routers of
``api/routes``, the middleware, the error handlers, and the OpenAPI document with Swagger UI and
ReDoc served from the service's own files (api/routes/docs.py: no CDN)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import errors as api_errors
from api import openapi
from api.guard import Access, Admission
from api.limits import BodyLimit, RequestLimit
from api.media import body_limit
from api.routes import batches, docs, ops, review, summaries
from api.webhooks import document as document_webhooks
from newsfacts import metrics
from newsfacts.batchcore import BatchBackend
from newsfacts.batches import LocalBatches
from newsfacts.queue import QueueBatches
from newsfacts.runtime import Runtime
from newsfacts.settings import Settings, get_settings
from newsfacts.version import VERSION

log = logging.getLogger(__name__)
access_log = logging.getLogger("newsfacts.access")


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    """Build the app. With no runtime given, one is started from settings in the lifespan."""
    settings = settings or get_settings()
    runtime = runtime or Runtime(settings)
    store = open_batches(settings, runtime)  # opened in the lifespan: importing the app touches no file

    app = FastAPI(
        title="newsfacts",
        version=VERSION,
        summary="Turn a news article into attributed, verifiable facts (contract v1).",
        lifespan=lifespan(runtime, store),
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.runtime = runtime
    app.state.batches = store
    app.state.access = Access(settings.api_key_hashes, settings.rate_limit_per_minute)
    app.state.admission = Admission(settings.in_flight_limit, settings.max_queue)
    for router in (summaries.router, batches.router, ops.router, review.router):
        app.include_router(router)
    docs.install(app)
    api_errors.install(app)
    document_webhooks(app)  # the event a batch's callback_url receives, in /openapi.json
    openapi.install(app)
    add_middleware(app, settings)
    return app


def open_batches(settings: Settings, runtime: Runtime) -> BatchBackend:
    """The batch backend the settings choose: a Redis queue for separate workers, or SQLite here."""
    if settings.batch_queue:
        return QueueBatches.from_settings(settings)
    return LocalBatches.from_settings(settings, runtime)


def add_middleware(app: FastAPI, settings: Settings) -> None:
    """Outermost last: the request id first, then the request bound, then the body cap."""
    app.add_middleware(
        BodyLimit, limit_for=functools.partial(body_limit, settings), timeout_s=settings.body_timeout_s
    )
    app.add_middleware(RequestLimit, limit=settings.max_requests)
    app.add_middleware(RequestContext)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["authorization", "content-type", "x-api-key", "x-request-id"],
            expose_headers=["x-request-id", "retry-after"],
        )


def lifespan(
    runtime: Runtime, store: BatchBackend
) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    """Starts the model in the background (``/healthz`` answers at once, ``/readyz`` once the model
    is up) and the batch backend; stops what it started."""

    @contextlib.asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        started_here = not runtime.ready.is_set()
        task = asyncio.create_task(_start(runtime)) if started_here else None
        await store.start()
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            await store.stop()
            if started_here:  # a runtime that came ready belongs to whoever started it
                runtime.stop()

    return run


class RequestContext:
    """Pure ASGI middleware: a request id on every request and response, metrics, one access log line."""

    ROUTES = (
        "/v1/summaries",
        "/v1/batches",
        "/healthz",
        "/readyz",
        "/metrics",
        "/docs",
        "/redoc",
        "/openapi.json",
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if given and len(given) <= 128 and given.isprintable() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        path = scope.get("path", "")
        route = path if path in self.ROUTES else "other"
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            metrics.HTTP_REQUESTS.labels(route, str(status)).inc()
            metrics.HTTP_LATENCY.labels(route).observe(seconds)
            access_log.info(
                "%s %s %s", scope.get("method"), route, status,
                extra={"request_id": request_id, "method": scope.get("method"), "route": route,
                       "status": status, "ms": round(seconds * 1000, 1)},
            )  # fmt: skip


async def _start(runtime: Runtime) -> None:
    try:
        await runtime.start()
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("the model failed to start")
