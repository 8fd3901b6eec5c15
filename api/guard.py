"""What stands between a caller and the model: API keys, per-key rate limits, and admission control.

- API keys are off unless ``NEWSFACTS_API_KEY_HASHES`` lists SHA-256 digests of the accepted keys
  (``newsfacts hash-key`` prints one). Keys are never stored or logged in clear; the digest of the
  presented key is compared with each accepted digest in constant time.
- Each key (or, with keys off, each client address) gets ``rate_limit_per_minute`` requests per
  minute from a token bucket; beyond that: 429 with ``Retry-After``.
- At most ``max_in_flight`` articles are summarised at once; up to ``max_queue`` more wait for a
  slot; beyond that the API answers 429 with ``Retry-After`` instead of piling work up.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import math
import time
from collections.abc import AsyncIterator

from fastapi import Request

from newsfacts import metrics
from newsfacts.errors import NewsfactsError


class UnauthorizedError(NewsfactsError):
    code = "unauthorized"


class ForbiddenError(NewsfactsError):
    code = "forbidden"


class TooManyRequestsError(NewsfactsError):
    """Refused before any model call; ``retry_after`` seconds is when trying again makes sense."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))


class OverloadedError(TooManyRequestsError):
    code = "overloaded"


class ClientDisconnectedError(NewsfactsError):
    code = "client_closed_request"


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def presented_key(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return request.headers.get("x-api-key") or None


class Access:
    """API-key check and per-caller token buckets."""

    def __init__(self, digests: list[str], per_minute: int) -> None:
        self.digests = [d.lower().removeprefix("sha256:") for d in digests]
        self.per_minute = per_minute
        self._buckets: dict[str, tuple[float, float]] = {}

    @property
    def enabled(self) -> bool:
        return bool(self.digests)

    def caller(self, request: Request) -> str:
        """Who is calling: the key's digest (keys on) or the client address (keys off)."""
        if not self.enabled:
            return request.client.host if request.client else "unknown"
        key = presented_key(request)
        if key is None:
            raise UnauthorizedError("this service needs an API key: send 'Authorization: Bearer <key>'")
        digest = key_digest(key)
        matched = False
        for accepted in self.digests:  # no early exit: every digest is compared
            matched |= hmac.compare_digest(digest, accepted)
        if not matched:
            raise ForbiddenError("the API key is not valid for this service")
        return digest

    def take(self, caller: str) -> None:
        """One request from the caller's bucket (capacity: one minute's allowance)."""
        if self.per_minute <= 0:
            return
        now = time.monotonic()
        rate = self.per_minute / 60.0
        tokens, at = self._buckets.get(caller, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - at) * rate)
        if tokens < 1.0:
            self._buckets[caller] = (tokens, now)
            metrics.REJECTED.labels("rate_limit").inc()
            raise TooManyRequestsError(
                f"rate limit of {self.per_minute} requests per minute reached",
                retry_after=(1.0 - tokens) / rate,
            )
        self._buckets[caller] = (tokens - 1.0, now)
        if len(self._buckets) > 10_000:  # forget idle callers
            cutoff = now - 120
            self._buckets = {k: v for k, v in self._buckets.items() if v[1] >= cutoff}


class Admission:
    """A bounded number of articles in flight and a bounded queue in front of them."""

    def __init__(self, in_flight: int, queue: int) -> None:
        self.in_flight = max(1, in_flight)
        self.queue = max(0, queue)
        self._slots = asyncio.Semaphore(self.in_flight)
        self._waiting = 0
        self._seconds = 10.0  # running mean of an article's time, for Retry-After

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._slots.locked() and self._waiting >= self.queue:
            metrics.REJECTED.labels("overloaded").inc()
            wait = self._seconds * (self._waiting + 1) / self.in_flight
            raise OverloadedError(
                f"{self.in_flight} articles are in progress and {self._waiting} are waiting; try again later",
                retry_after=wait,
            )
        self._waiting += 1
        metrics.QUEUED.inc()
        try:
            await self._slots.acquire()
        finally:
            self._waiting -= 1
            metrics.QUEUED.dec()
        metrics.IN_FLIGHT.inc()
        started = time.monotonic()
        try:
            yield
        finally:
            self._seconds = 0.8 * self._seconds + 0.2 * (time.monotonic() - started)
            metrics.IN_FLIGHT.dec()
            self._slots.release()
