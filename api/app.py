"""The HTTP API: ``POST /v1/summaries`` and health endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Annotated, TypeVar

from fastapi import Query, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import errors as api_errors
from api.guard import Access, Admission, ClientDisconnectedError
from api.limits import BodyLimit, RequestLimit
from api.webhooks import document as document_webhooks
from newsfacts import metrics
from newsfacts.batches import open_batches
from newsfacts.errors import NewsfactsError, NotFoundError, TextTooLargeError
from newsfacts.pipeline import Runtime, check_request, summarize
from newsfacts.settings import Settings, get_settings
from newsfacts.webhooks import accept_callback
from schemas.batch import BatchRequest, BatchStatus
from schemas.contract import ArticleSummary, ErrorResponse, SummaryRequest

log = logging.getLogger(__name__)
access_log = logging.getLogger("newsfacts.access")
T = TypeVar("T")

ERROR_RESPONSES = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        401: "An API key is required",
        403: "The API key is not valid",
        408: "The request body did not arrive in time",
        413: "Article text or request body over its size limit",
        415: "Body is not JSON, HTML or plain text",
        422: "Empty text, malformed JSON or a body that does not match the schema",
        429: "Rate limit, quota or load limit reached (see Retry-After)",
        502: "The model failed after retries",
        503: "The model is not ready yet, or the batch store or queue is unavailable",
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

    # Opened in the lifespan, so importing the app touches no file and no queue.
    batches = open_batches(settings, runtime)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = []
        started_here = not runtime.ready.is_set()
        if started_here:
            # Start in the background: /healthz answers at once, /readyz once the model is up.
            tasks.append(asyncio.create_task(_start(runtime)))
        await batches.start()
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            await batches.stop()
            if started_here:  # a runtime that came ready belongs to whoever started it
                runtime.stop()

    app = FastAPI(
        title="newsfacts",
        version="1",
        summary="Turn a news article into attributed, verifiable facts (contract v1).",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.batches = batches
    app.state.settings = settings
    api_errors.install(app)
    document_webhooks(app)  # the event a batch's callback_url receives, in /openapi.json

    access = Access(settings.api_key_hashes, settings.rate_limit_per_minute)
    admission = Admission(settings.in_flight_limit, settings.max_queue)
    app.state.admission = admission
    def body_limit(scope: Scope) -> int:
        """The largest body a route takes: an article's limit as its media type encodes it, a batch's."""
        path = scope.get("path", "")
        if path == "/v1/batches":
            return settings.batch_max_bytes
        if path != "/v1/summaries":
            return 65536
        headers = dict(scope.get("headers") or [])
        media = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
        return media_limit(media) or 65536

    app.add_middleware(BodyLimit, limit_for=body_limit, timeout_s=settings.body_timeout_s)
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

    def media_limit(media: str) -> int | None:
        """The body cap of an article sent as ``media`` (None: not a type the API takes)."""
        if media == "application/json":
            return settings.max_text_bytes * 6 + 65536  # JSON escapes can take six bytes a character
        if media in HTML_TYPES:
            return settings.max_html_bytes + 65536
        if media == "text/plain":
            return settings.max_text_bytes + 65536
        return None

    def media_type(request: Request) -> str:
        return request.headers.get("content-type", "").split(";")[0].strip().lower()

    async def read_article(request: Request) -> SummaryRequest:
        """The request body as a SummaryRequest: JSON, an HTML page or plain text. BodyLimit has
        capped it while it streamed."""
        media = media_type(request)
        if media_limit(media) is None:
            raise api_errors.UnsupportedMediaTypeError()
        raw = await request.body()
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

    def caller(request: Request) -> str:
        """Checks the key and takes one request from its allowance; the tenant: the key's digest
        (``""`` with keys off), which owns batches and scopes the result cache."""
        who = access.caller(request)
        access.take(who)
        return who if access.enabled else ""

    request_schema = SummaryRequest.model_json_schema()
    callback_fields = {k: v for k, v in BatchRequest.model_json_schema()["properties"].items() if k != "articles"}
    batch_schema = {
        "type": "object",
        "required": ["articles"],
        "additionalProperties": False,
        "properties": {"articles": {"type": "array", "minItems": 1, "items": request_schema,
                                    "description": "The articles, each as for POST /v1/summaries."},
                       **callback_fields},
    }  # fmt: skip
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
    async def create_summary(
        request: Request,
        runtime: RuntimeDep,
        explain: Annotated[
            bool,
            Query(description="Add `trace`: the reading rules that shaped, added or dropped every entry."),
        ] = False,
    ) -> ArticleSummary:
        try:
            tenant = caller(request)  # before a byte of the body is read
            article = await read_article(request)
            check_request(article, settings)
            async with admission.slot():
                work = summarize(article, runtime=runtime, explain=explain, tenant=tenant)
                summary = await until_disconnect(request, work)
        except NewsfactsError as exc:
            metrics.ARTICLES.labels(exc.code).inc()
            raise
        metrics.ARTICLES.labels("ok").inc()
        return summary

    @app.post(
        "/v1/batches",
        status_code=202,
        response_model=BatchStatus,
        responses={k: v for k, v in ERROR_RESPONSES.items() if k in (401, 403, 408, 413, 415, 422, 429, 503)},  # type: ignore[misc]
        summary="Queue many articles; poll GET /v1/batches/{id} for progress and results",
        description="The articles are stored durably before the answer: a restart loses none, and none "
        "that finished is summarised again. Each article's result or error has the shape of POST /v1/summaries. "
        "The batch belongs to the API key that sent it: no other key can read it. With `callback_url`, "
        "signed events are POSTed there when the batch (and, if asked, each article) finishes.",
        openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": batch_schema}}}},
    )
    async def create_batch(request: Request) -> BatchStatus:
        owner = caller(request)  # before a byte of the body is read
        if media_type(request) != "application/json":
            raise api_errors.UnsupportedMediaTypeError()
        try:
            body = BatchRequest.model_validate_json(await request.body())
        except ValidationError as exc:
            raise _invalid(exc) from None
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

    @app.get(
        "/v1/batches/{batch_id}",
        response_model=BatchStatus,
        response_model_exclude_none=False,
        responses={k: v for k, v in ERROR_RESPONSES.items() if k in (401, 403, 429, 503)} | {404: {"model": ErrorResponse}},  # type: ignore[misc]
        summary="A batch's progress, and each article's result or error",
        description="Only the API key that created the batch can read it; any other key gets 404.",
    )
    async def get_batch(request: Request, batch_id: str, items: bool = True) -> BatchStatus:
        owner = caller(request)
        status = await batches.status(batch_id, owner=owner, items=items)
        if status is None:
            raise NotFoundError(f"no batch {batch_id!r}")
        return status

    @app.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
    async def prometheus_metrics() -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return Response(generate_latest(metrics.REGISTRY), media_type=CONTENT_TYPE_LATEST)

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

    @app.get("/review", include_in_schema=False)
    async def review_page() -> Response:
        """A page for journalists: paste an article, see its facts and their quotes highlighted."""
        return _review_file("index.html")

    @app.get("/review/{name}", include_in_schema=False)
    async def review_asset(name: str) -> Response:
        return _review_file(name)

    return app


REVIEW_DIR = Path(__file__).parent / "review"
REVIEW_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "review.js": "text/javascript; charset=utf-8",
    "review.css": "text/css; charset=utf-8",
}
# The page loads nothing but its own files and talks to nothing but this API.
REVIEW_HEADERS = {
    "content-security-policy": "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "cache-control": "no-cache",
}


def _review_file(name: str) -> Response:
    if name not in REVIEW_TYPES:
        raise NotFoundError(f"no review file {name!r}")
    body = (REVIEW_DIR / name).read_bytes()
    return Response(body, media_type=REVIEW_TYPES[name], headers=REVIEW_HEADERS)


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


class RequestContext:
    """Pure ASGI middleware: a request id on every request and response, metrics, one access log line."""

    ROUTES = ("/v1/summaries", "/v1/batches", "/healthz", "/readyz", "/metrics", "/docs", "/openapi.json")

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
