"""Limits that hold before any work: pure ASGI middleware, so they apply to the bytes as they arrive.

- ``BodyLimit``: each route's body cap is enforced while the body streams (chunked bodies too): a
  declared ``Content-Length`` over the cap is refused before a byte is read, and a body that passes
  the cap is refused (413) as soon as it does, so a caller can make the service hold at most the cap.
  A body must arrive within ``timeout_s`` of the request's start (408 after it), so a client sending
  a byte now and then cannot hold a connection open.
- ``RequestLimit``: at most ``limit`` requests are handled at once; beyond it 429 ``overloaded`` at
  once. Health, readiness and metrics are never refused, so the orchestrator always gets its answer.
- ``head_timeout_protocol``: uvicorn's HTTP/1.1 protocol with a deadline on the request head (request
  line and headers), which the app never sees: a connection that opens and sends nothing, or sends its
  head a byte at a time, gets a 408 and is closed, so slow clients cannot pile up connections.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

import h11
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

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


class HeadTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head is not in within ``head_timeout_s``.

    The clock starts when the connection opens and, on a kept-alive connection, at the first byte of
    the next request (the idle time before it is ``timeout_keep_alive``'s). It stops once h11 has the
    whole head; the body has its own deadline (``BodyLimit``)."""

    head_timeout_s: float = 10.0

    # uvicorn's H11Protocol narrows asyncio's BaseTransport to Transport (and ignores the override itself)
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._waiting_for_head():
            self._arm_head_timer()
        else:
            self._cancel_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def _waiting_for_head(self) -> bool:
        """No request of this connection is being answered and the next one's head is not all in."""
        answering = self.cycle is not None and not self.cycle.response_complete
        return self.conn.their_state is h11.IDLE and not answering

    def _arm_head_timer(self) -> None:
        if self._head_timer is None and not self.transport.is_closing():
            self._head_timer = self.loop.call_later(self.head_timeout_s, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or not self._waiting_for_head():
            return
        metrics.REJECTED.labels("header_timeout").inc()
        message = (f"the request line and headers did not arrive within {self.head_timeout_s:g} s "
                   "(NEWSFACTS_HEADER_TIMEOUT_S)")  # fmt: skip
        body = json.dumps(ErrorResponse(code="request_timeout", message=message).model_dump()).encode()
        head = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
                b"content-length: " + str(len(body)).encode() + b"\r\n\r\n")  # fmt: skip
        self.transport.write(head + body)
        self.transport.close()


def head_timeout_protocol(seconds: float) -> type[HeadTimeoutProtocol]:
    """The protocol class to pass to uvicorn as ``http=``, with its head deadline set."""
    return type("HeadTimeoutProtocol", (HeadTimeoutProtocol,), {"head_timeout_s": seconds})
