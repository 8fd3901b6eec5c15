"""Limits that hold before any work: pure ASGI middleware, so they apply to the bytes as they arrive.

- ``BodyLimit``: each route's body cap is enforced while the body streams (chunked bodies too): a
  declared ``Content-Length`` over the cap is refused before a byte is read, and a body that passes
  the cap is refused (413) as soon as it does, so a caller can make the service hold at most the cap.
  A body must arrive within ``timeout_s`` of the request's start (408 after it), so a client sending
  a byte now and then cannot hold a connection open.
- ``RequestLimit``: at most ``limit`` requests are handled at once; beyond it 429 ``overloaded`` at
  once. Health, readiness and metrics are never refused, so the orchestrator always gets its answer.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ERRORS, BodyTooLargeError, RequestTimeoutError, status_for
from newsfacts import metrics
from schemas.contract import ErrorResponse

OPEN_PATHS = ("/healthz", "/readyz", "/metrics")


async def send_error(scope: Scope, send: Send, status: int, code: str, message: str,
                     headers: dict[str, str] | None = None) -> None:  # fmt: skip
    """An error in the one shape, sent by middleware (the app was not reached, or could not answer)."""
    request_id = (scope.get("state") or {}).get("request_id")
    body = json.dumps(ErrorResponse(code=code, message=message, request_id=request_id).model_dump()).encode()
    extra = [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *extra]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Caps every request body while it streams, and bounds the time it may take to arrive."""

    def __init__(self, app: ASGIApp, *, limit_for: Callable[[Scope], int], timeout_s: float) -> None:
        self.app = app
        self.limit_for = limit_for
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            metrics.REJECTED.labels("body_too_large").inc()
            error = BodyTooLargeError(limit)
            await send_error(scope, send, status_for(error), error.code, error.message)
            return
        deadline = time.monotonic() + self.timeout_s
        received = 0
        complete = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, complete
            if complete:  # the body is in; later receives wait for the client to go away
                return await receive()
            try:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    message = await receive()
            except TimeoutError:
                metrics.REJECTED.labels("body_timeout").inc()
                raise RequestTimeoutError(self.timeout_s) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    metrics.REJECTED.labels("body_too_large").inc()
                    raise BodyTooLargeError(limit)
                complete = not message.get("more_body", False)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except (BodyTooLargeError, RequestTimeoutError) as exc:  # raised where no handler answered
            if started:
                raise
            await send_error(scope, send, status_for(exc), exc.code, exc.message)


class RequestLimit:
    """At most ``limit`` requests at once (health, readiness and metrics aside); beyond it, 429."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = max(1, limit)
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        if self.active >= self.limit:
            metrics.REJECTED.labels("too_many_requests").inc()
            await send_error(scope, send, ERRORS["overloaded"].status, "overloaded",
                             f"{self.active} requests are in progress; try again shortly", {"retry-after": "1"})  # fmt: skip
            return
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1
