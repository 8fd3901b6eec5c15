"""Batch webhooks: signed events POSTed to a batch's ``callback_url`` from a durable outbox.

- **Events.** ``batch.finished`` (once, when every article is done or failed) and, if asked for,
  ``article.finished`` (once per article). Each is a row of the ``webhooks`` table of the batch
  store, written in the same SQLite transaction that finishes the article (``BatchStore.finish``), so
  an event is never lost and never created twice. Its body (a ``WebhookEvent``) is fixed then.
- **Delivery.** ``WebhookSender`` POSTs due events, and on anything but a 2xx answer (an error, a
  timeout, a redirect) waits ``webhook_retry_s`` doubling up to ``webhook_retry_max_s`` (with jitter)
  before the next attempt; the time of that attempt is stored, so a restart (even ``kill -9``) keeps
  the schedule. An event still undelivered ``webhook_max_age_s`` after it happened is given up and
  recorded as ``expired`` with its last error. Delivery is at least once on the wire: an event the
  receiver accepted just before the service died is sent again, with the same ``Newsfacts-Event-Id``.
- **Signature.** ``Newsfacts-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>``,
  computed at each attempt with the secret of the API key that created the batch. That secret is
  derived from one server secret (``NEWSFACTS_WEBHOOK_SECRET``) and the key's SHA-256 digest, so the
  key itself is never needed nor stored, a new key needs no new setting, and one setting rotates all.
- **SSRF.** Only http(s); the host must resolve to public addresses only (every address is checked),
  unless a network is allowed by ``NEWSFACTS_WEBHOOK_ALLOW_NETWORKS``. Checked when the batch is
  submitted (422 ``callback_url_refused``) and again at every attempt, and the connection goes to the
  address that was checked (no second lookup a DNS rebinding could answer differently). Redirects are
  not followed and proxies from the environment are not used.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import logging
import random
import socket
import sqlite3
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from newsfacts import metrics
from newsfacts.errors import CallbackRefusedError
from newsfacts.settings import Settings
from schemas.batch import BatchItem, BatchStatus, WebhookEvent

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("newsfacts.webhooks")

SIGNATURE_HEADER = "Newsfacts-Signature"
EVENT_ID_HEADER = "Newsfacts-Event-Id"
EVENT_TYPE_HEADER = "Newsfacts-Event-Type"
BATCH_INDEX = -1  # the ``idx`` of a batch-wide event in the outbox

OUTBOX_SCHEMA = """
CREATE TABLE IF NOT EXISTS webhooks (
    batch_id TEXT NOT NULL,
    type TEXT NOT NULL,
    idx INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    url TEXT NOT NULL,
    owner TEXT NOT NULL,
    body BLOB NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'expired')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    next_at REAL NOT NULL,
    last_error TEXT,
    finished_at REAL,
    PRIMARY KEY (batch_id, type, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS webhooks_due ON webhooks(next_at) WHERE status = 'pending';
"""

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Callback:
    """Where a batch's events go, and which."""

    url: str
    events: tuple[str, ...]


# --- secrets and signatures ---------------------------------------------------------------------


def secret_for(server_secret: str, owner: str) -> str:
    """The signing secret of the API key whose SHA-256 digest is ``owner`` (``""`` with keys off)."""
    digest = owner.lower().removeprefix("sha256:")
    mac = hmac.new(server_secret.encode(), b"newsfacts webhook secret\x00" + digest.encode(), hashlib.sha256)
    return "whsec_" + mac.hexdigest()


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """The ``Newsfacts-Signature`` header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


# --- addresses ----------------------------------------------------------------------------------


def refused_address(address: str, allow: list[Network]) -> str | None:
    """Why a callback may not connect to ``address`` (None: it may): not a public address and not
    in an allowed network. An IPv4 address mapped into IPv6 is judged as the IPv4 address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip.version == net.version and ip in net for net in allow):
        return None
    if not ip.is_global or ip.is_multicast:
        return f"{ip} is not a public address (NEWSFACTS_WEBHOOK_ALLOW_NETWORKS can allow its network)"
    return None


def _target(url: str) -> tuple[str, str, int]:
    """The scheme, host and port of a callback URL; only http and https."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise CallbackRefusedError("callback_url must be an http or https URL with a host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise CallbackRefusedError("callback_url has an invalid port") from None
    return scheme, parts.hostname, port


async def checked_address(url: str, allow: list[Network], *, timeout_s: float = 5.0) -> str:
    """One address of the callback's host, once every address it resolves to has been checked."""
    _, host, port = _target(url)
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout_s)
    except (OSError, TimeoutError, UnicodeError, ValueError) as exc:  # a name IDNA refuses is not a host
        raise CallbackRefusedError(
            f"the callback host {host!r} does not resolve ({type(exc).__name__})"
        ) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise CallbackRefusedError(f"the callback host {host!r} does not resolve")
    for address in addresses:
        if (why := refused_address(address, allow)) is not None:
            raise CallbackRefusedError(f"callback_url {host!r} resolves to {why}")
    return addresses[0]


async def accept_callback(url: Any, events: Sequence[str], settings: Settings) -> Callback | None:
    """The callback of a batch request, checked as it is submitted (``CallbackRefusedError``: 422)."""
    if url is None:
        return None
    if settings.batch_queue:
        raise CallbackRefusedError(
            "callback_url is not supported yet with a batch queue (NEWSFACTS_BATCH_QUEUE)"
        )
    if settings.webhook_secret is None:
        raise CallbackRefusedError("this service sends no webhooks: NEWSFACTS_WEBHOOK_SECRET is not set")
    text = str(url)
    await checked_address(text, settings.webhook_allow_networks, timeout_s=settings.webhook_timeout_s)
    return Callback(url=text, events=tuple(dict.fromkeys(events)))


# --- the outbox ---------------------------------------------------------------------------------


def event_row(*, batch_id: str, kind: str, idx: int, url: str, owner: str, status: BatchStatus,
              item: BatchItem | None = None) -> tuple[Any, ...]:  # fmt: skip
    """An outbox row (for ``INSERT OR IGNORE``: one event per batch, type and article)."""
    now = time.time()
    event = WebhookEvent(id="evt_" + uuid.uuid4().hex, type=kind, created_at=datetime.fromtimestamp(now, UTC),
                         batch_id=batch_id, batch=status, item=item)  # fmt: skip
    body = event.model_dump_json().encode()
    return (event.id, batch_id, kind, idx, url, owner, body, now, now)


INSERT_EVENT = (
    "INSERT OR IGNORE INTO webhooks (event_id, batch_id, type, idx, url, owner, body, created_at, next_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass
class Due:
    """An event to send now; ``key`` names its outbox row (batch, type, article)."""

    batch_id: str
    kind: str
    idx: int
    event_id: str
    url: str
    owner: str
    body: bytes
    attempts: int
    created_at: float

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.batch_id, self.kind, self.idx)


_ROW = "batch_id = ? AND type = ? AND idx = ?"


class Outbox:
    """The ``webhooks`` table of a batch store: what is due, and what became of each attempt."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def due(self, limit: int, *, skip: set[str]) -> list[Due]:
        with self.store._lock:
            rows = self.store._db.execute(
                "SELECT batch_id, type, idx, event_id, url, owner, body, attempts, created_at FROM webhooks "
                "WHERE status = 'pending' AND next_at <= ? ORDER BY next_at LIMIT ?",
                (time.time(), limit + len(skip)),
            ).fetchall()
        return [Due(*row) for row in rows if row[3] not in skip][:limit]

    def next_at(self, *, skip: set[str]) -> float | None:
        """When the next pending event not in ``skip`` (being sent) is due."""
        with self.store._lock:
            rows = self.store._db.execute(
                "SELECT event_id, next_at FROM webhooks WHERE status = 'pending' ORDER BY next_at LIMIT ?",
                (len(skip) + 1,),
            ).fetchall()
        return next((at for event_id, at in rows if event_id not in skip), None)

    def delivered(self, event: Due) -> None:
        with self.store._tx() as db:
            db.execute("UPDATE webhooks SET status = 'delivered', attempts = attempts + 1, last_error = NULL, "
                       f"finished_at = ? WHERE {_ROW}", (time.time(), *event.key))  # fmt: skip

    def failed(self, event: Due, error: str, *, next_at: float | None) -> None:
        """A failed attempt: tried again at ``next_at``, or given up (None)."""
        with self.store._tx() as db:
            if next_at is None:
                db.execute("UPDATE webhooks SET status = 'expired', attempts = attempts + 1, last_error = ?, "
                           f"finished_at = ? WHERE {_ROW}", (error, time.time(), *event.key))  # fmt: skip
            else:
                db.execute(f"UPDATE webhooks SET attempts = attempts + 1, last_error = ?, next_at = ? WHERE {_ROW}",
                           (error, next_at, *event.key))  # fmt: skip

    def events(self, batch_id: str) -> list[dict[str, Any]]:
        """The batch's events and what became of them (for operators and tests)."""
        with self.store._lock:
            cursor = self.store._db.execute(
                "SELECT event_id, type, idx, status, attempts, last_error FROM webhooks WHERE batch_id = ? "
                "ORDER BY created_at, idx", (batch_id,))  # fmt: skip
            names = [c[0] for c in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# --- delivery -----------------------------------------------------------------------------------


class WebhookSender:
    """Delivers due events from the outbox, ``concurrency`` at a time, until cancelled."""

    def __init__(self, store: Any, *, server_secret: str, allow: list[Network], timeout_s: float = 10.0,
                 retry_s: float = 5.0, retry_max_s: float = 300.0, max_age_s: float = 86400.0,
                 concurrency: int = 4, verify: Any = True) -> None:  # fmt: skip
        self.outbox = Outbox(store)
        self.verify = verify  # TLS verification (httpx's ``verify``): the system's CAs
        self.server_secret = server_secret
        self.allow = allow
        self.timeout_s = timeout_s
        self.retry_s = retry_s
        self.retry_max_s = retry_max_s
        self.max_age_s = max_age_s
        self.concurrency = max(1, concurrency)
        self.wake = asyncio.Event()
        self._sending: set[str] = set()

    def client(self) -> httpx.AsyncClient:
        """No redirects (a 3xx could point anywhere) and no proxy from the environment (it would
        connect on our behalf to an address that was never checked)."""
        import httpx

        return httpx.AsyncClient(
            follow_redirects=False, trust_env=False, timeout=self.timeout_s, verify=self.verify
        )

    async def run(self) -> None:
        """Each due event is sent by a task of its own (at most ``concurrency`` at once), so a slow
        receiver holds up no other."""
        running: set[asyncio.Task[None]] = set()
        async with self.client() as client:
            try:
                while True:
                    self.wake.clear()
                    for event in await self._due(self.concurrency - len(running)):
                        self._sending.add(event.event_id)
                        task = asyncio.create_task(self._deliver(client, event))
                        running.add(task)
                        task.add_done_callback(running.discard)
                    await self._next()
            finally:
                for task in running:
                    task.cancel()
                await asyncio.gather(*running, return_exceptions=True)  # unsent events stay due

    async def _due(self, free: int) -> list[Due]:
        if free <= 0:
            return []
        try:
            return await asyncio.to_thread(self.outbox.due, free, skip=set(self._sending))
        except sqlite3.Error as exc:
            log.warning("the webhook outbox could not be read: %s", exc)
            return []

    async def _next(self) -> None:
        """Until a new event is written, a delivery ends (both set ``wake``), or the next retry is due
        (30 s at most)."""
        try:
            next_at = await asyncio.to_thread(self.outbox.next_at, skip=set(self._sending))
        except sqlite3.Error:
            next_at = None
        wait = 30.0 if next_at is None else min(30.0, max(0.01, next_at - time.time()))
        woken = asyncio.ensure_future(self.wake.wait())
        try:  # not wait_for: on Python 3.11 it can swallow a cancellation that lands as the wait ends
            await asyncio.wait([woken], timeout=wait)
        finally:
            woken.cancel()

    def backoff(self, attempts: int) -> float:
        """Seconds before the next attempt after ``attempts`` failed ones: doubling, capped, with jitter."""
        factor: int = 2 ** max(0, attempts - 1)
        wait = min(self.retry_max_s, self.retry_s * factor)
        return wait * random.uniform(0.75, 1.0)

    async def _deliver(self, client: httpx.AsyncClient, event: Due) -> None:
        try:
            error = await self._attempt(client, event)
            if error is None:
                await asyncio.to_thread(self.outbox.delivered, event)
                metrics.WEBHOOKS.labels("delivered").inc()
                log.info("webhook delivered", extra={"event": event.event_id, "type": event.kind})
                return
            metrics.WEBHOOKS.labels("failed").inc()
            attempts = event.attempts + 1
            retry_at = time.time() + self.backoff(attempts)
            next_at: float | None = retry_at
            if retry_at - event.created_at > self.max_age_s:
                next_at = None
                metrics.WEBHOOKS.labels("expired").inc()
                log.warning("a webhook was given up after %d attempts: %s", attempts, error,
                            extra={"event": event.event_id, "type": event.kind})  # fmt: skip
            await asyncio.to_thread(self.outbox.failed, event, error, next_at=next_at)
        except sqlite3.Error as exc:  # the outcome is not stored: the event stays due and is sent again
            log.warning("a webhook's outcome could not be stored: %s", exc)
        finally:
            self._sending.discard(event.event_id)
            # The sender may be computing its next wait right now, with this event still counted as
            # being sent: wake it, or it would sleep past this event's retry (up to 30 s).
            self.wake.set()

    async def _attempt(self, client: httpx.AsyncClient, event: Due) -> str | None:
        """One POST of the event; None if the receiver answered 2xx, else what went wrong."""
        import httpx

        try:
            scheme, host, port = _target(event.url)
            address = await checked_address(event.url, self.allow, timeout_s=self.timeout_s)
        except CallbackRefusedError as exc:
            return exc.message
        default_port = 443 if scheme == "https" else 80
        name = f"[{host}]" if ":" in host else host  # an IPv6 literal
        headers = {
            "host": name if port == default_port else f"{name}:{port}",
            "content-type": "application/json",
            "user-agent": "newsfacts-webhooks/1",
            EVENT_ID_HEADER: event.event_id,
            EVENT_TYPE_HEADER: event.kind,
            SIGNATURE_HEADER: signature(
                secret_for(self.server_secret, event.owner), event.body, int(time.time())
            ),
        }
        extensions = {"sni_hostname": host} if scheme == "https" else {}

        async def post() -> int:
            # Connect to the checked address; the Host header and TLS name stay the URL's host.
            url = httpx.URL(event.url).copy_with(host=address)
            async with client.stream(
                "POST", url, content=event.body, headers=headers, extensions=extensions
            ) as r:
                return r.status_code  # the receiver's body is never read

        try:  # httpx's timeout is per read; a receiver that trickles its answer meets this one
            status = await asyncio.wait_for(post(), self.timeout_s)
        except TimeoutError:
            return f"no answer within {self.timeout_s:g} s (NEWSFACTS_WEBHOOK_TIMEOUT_S)"
        except Exception as exc:  # httpx's errors, and anything else: an attempt that failed, never a crash
            return f"{type(exc).__name__}: {exc}"[:300]
        return None if 200 <= status < 300 else f"the receiver answered {status}"


def main(argv: list[str] | None = None) -> int:
    """``python -m newsfacts.webhooks secret sha256:<digest>``: the signing secret of that API key
    (``secret ""`` with keys off), from NEWSFACTS_WEBHOOK_SECRET."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) != 2 or argv[0] != "secret":
        print("usage: python -m newsfacts.webhooks secret sha256:<key digest>   (from `newsfacts hash-key`)",
              file=sys.stderr)  # fmt: skip
        return 2
    server_secret = Settings().webhook_secret
    if server_secret is None:
        print("newsfacts: NEWSFACTS_WEBHOOK_SECRET is not set", file=sys.stderr)
        return 2
    print(secret_for(server_secret.get_secret_value(), argv[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
