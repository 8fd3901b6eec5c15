"""Durable batch jobs: articles are stored in SQLite (WAL) before they are accepted, and a
background worker summarises them one by one.

Each article moves ``pending -> running -> done | failed`` in its own committed transaction, and
its result is written in the same transaction that marks it done. After a crash (even ``kill -9``)
the next start puts the articles that were ``running`` back to ``pending``: none is lost, and none
that finished is summarised again.

Every batch belongs to the caller that created it (the digest of its API key, or ``""`` with keys
off); another caller is told there is no such batch. Storage faults degrade, never lose: an article
whose outcome cannot be written (a full disk) goes back to ``pending``, and a sweeper puts back any
``running`` article that no worker holds, without a restart. Finished batches are pruned by age and
by the store's size (a batch with a webhook event still to deliver is kept).

A batch may have a callback (newsfacts/webhooks.py): its events are written to the ``webhooks``
outbox in the transaction that finishes an article, and a sender delivers them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newsfacts.batchcore import ItemOutcome, build_item, build_status, run_item, same_owner, serialised
from newsfacts.errors import QuotaExceededError, StorageUnavailableError
from newsfacts.runtime import Runtime
from newsfacts.settings import Settings
from newsfacts.storage import used_bytes
from newsfacts.webhooks import BATCH_INDEX, INSERT_EVENT, OUTBOX_SCHEMA, Callback, WebhookSender, event_row
from schemas.batch import BatchStatus, ItemError
from schemas.contract import ArticleSummary, SummaryRequest

log = logging.getLogger("newsfacts.batches")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    total INTEGER NOT NULL,
    owner TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS items (
    batch_id TEXT NOT NULL REFERENCES batches(id),
    idx INTEGER NOT NULL,
    request TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
    result TEXT,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (batch_id, idx)
);
CREATE INDEX IF NOT EXISTS items_pending ON items(status, batch_id, idx);
"""
_OWNER_INDEX = "CREATE INDEX IF NOT EXISTS batches_owner ON batches(owner, created_at)"
_UNFINISHED = "i.status IN ('pending', 'running')"


def default_batch_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("newsfacts")) / "batches.sqlite"


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _ago(seconds: float) -> str:
    return (datetime.now(UTC) - timedelta(seconds=seconds)).isoformat()


class BatchStore:
    """The batch tables in one SQLite file (WAL mode; every change its own transaction)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a done article survives a power cut, not just kill -9
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(batches)")}
        if "owner" not in columns:  # a store written before batches had owners
            self._db.execute("ALTER TABLE batches ADD COLUMN owner TEXT NOT NULL DEFAULT ''")
        for column in ("callback_url", "callback_events"):  # a store written before batch webhooks
            if column not in columns:
                self._db.execute(f"ALTER TABLE batches ADD COLUMN {column} TEXT")
        self._db.executescript(OUTBOX_SCHEMA)
        self._db.execute(_OWNER_INDEX)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                if self._db.in_transaction:  # SQLite has rolled back already after some errors (a full disk)
                    self._db.execute("ROLLBACK")
                raise
            try:
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def create(self, articles: list[SummaryRequest], *, owner: str = "", quota: int = 0,
               callback: Callback | None = None) -> str:  # fmt: skip
        """A new batch of ``owner``'s; refused when the owner would have more than ``quota``
        articles waiting or running (0: no quota). ``callback``: where its events go."""
        rows = serialised(articles)
        batch_id = uuid.uuid4().hex
        now = _now()
        with self._tx() as db:
            if quota > 0:
                waiting = self._unfinished(db, owner)
                if waiting + len(rows) > quota:
                    raise QuotaExceededError(
                        f"this key has {waiting} batch articles waiting or running and may have {quota} "
                        f"(NEWSFACTS_BATCH_MAX_PENDING_PER_KEY); {len(rows)} more do not fit: try again once "
                        "some have finished"
                    )
            db.execute(
                "INSERT INTO batches (id, created_at, total, owner, callback_url, callback_events) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (batch_id, now, len(rows), owner, callback.url if callback else None,
                 json.dumps(list(callback.events)) if callback else None),
            )  # fmt: skip
            db.executemany(
                "INSERT INTO items (batch_id, idx, request, status, updated_at) VALUES (?, ?, ?, 'pending', ?)",
                [(batch_id, i, row, now) for i, row in enumerate(rows)],
            )
        return batch_id

    @staticmethod
    def _unfinished(db: sqlite3.Connection, owner: str) -> int:
        return int(db.execute(
            f"SELECT COUNT(*) FROM items i JOIN batches b ON b.id = i.batch_id WHERE b.owner = ? AND {_UNFINISHED}",
            (owner,),
        ).fetchone()[0])  # fmt: skip

    def recover(self) -> int:
        """Articles left ``running`` by a process that died go back to ``pending``."""
        with self._tx() as db:
            return db.execute("UPDATE items SET status = 'pending', updated_at = ? WHERE status = 'running'",
                              (_now(),)).rowcount  # fmt: skip

    def release(self, batch_id: str, idx: int) -> None:
        """A running article back to ``pending`` (its outcome could not be written)."""
        with self._tx() as db:
            db.execute("UPDATE items SET status = 'pending', updated_at = ? WHERE batch_id = ? AND idx = ? "
                       "AND status = 'running'", (_now(), batch_id, idx))  # fmt: skip

    def requeue_stale(self, older_than_s: float, *, held: set[tuple[str, int]]) -> int:
        """Articles ``running`` for longer than ``older_than_s`` that no worker here holds go back
        to ``pending`` (their worker died, or could not write their outcome)."""
        with self._tx() as db:
            rows = db.execute("SELECT batch_id, idx FROM items WHERE status = 'running' AND updated_at < ?",
                              (_ago(older_than_s),)).fetchall()  # fmt: skip
            stale = [(b, i) for b, i in rows if (b, i) not in held]
            db.executemany("UPDATE items SET status = 'pending', updated_at = ? WHERE batch_id = ? AND idx = ? "
                           "AND status = 'running'", [(_now(), b, i) for b, i in stale])  # fmt: skip
        return len(stale)

    def prune(self, *, max_age_s: float, max_bytes: int) -> int:
        """Finished batches older than ``max_age_s`` are deleted, then the oldest finished ones
        until the data takes at most ``max_bytes`` (0: no limit). Unfinished batches are kept."""
        finished = (
            f"NOT EXISTS (SELECT 1 FROM items i WHERE i.batch_id = b.id AND {_UNFINISHED}) "
            "AND NOT EXISTS (SELECT 1 FROM webhooks w WHERE w.batch_id = b.id AND w.status = 'pending')"
        )
        deleted = 0
        with self._tx() as db:
            if max_age_s > 0:
                old = [r[0] for r in db.execute(f"SELECT id FROM batches b WHERE created_at < ? AND {finished}",
                                                (_ago(max_age_s),))]  # fmt: skip
                deleted += self._delete(db, old)
            while max_bytes > 0 and used_bytes(db) > max_bytes:
                oldest = [r[0] for r in db.execute(
                    f"SELECT id FROM batches b WHERE {finished} ORDER BY created_at LIMIT 20")]  # fmt: skip
                if not oldest:
                    break
                deleted += self._delete(db, oldest)
        return deleted

    @staticmethod
    def _delete(db: sqlite3.Connection, ids: list[str]) -> int:
        for batch_id in ids:
            db.execute("DELETE FROM items WHERE batch_id = ?", (batch_id,))
            db.execute("DELETE FROM webhooks WHERE batch_id = ?", (batch_id,))
            db.execute("DELETE FROM batches WHERE id = ?", (batch_id,))
        return len(ids)

    def claim(self) -> tuple[str, int, SummaryRequest, str] | None:
        """The oldest pending article, now marked running, with its batch's owner."""
        with self._tx() as db:
            row = db.execute(
                "SELECT i.batch_id, i.idx, i.request, b.owner FROM items i JOIN batches b ON b.id = i.batch_id "
                "WHERE i.status = 'pending' ORDER BY b.created_at, i.batch_id, i.idx LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE items SET status = 'running', attempts = attempts + 1, updated_at = ? "
                "WHERE batch_id = ? AND idx = ?",
                (_now(), row[0], row[1]),
            )
        return row[0], row[1], SummaryRequest.model_validate_json(row[2]), row[3]

    def finish(self, batch_id: str, idx: int, *, result: ArticleSummary | None = None,
               error: ItemError | None = None) -> int:  # fmt: skip
        """The article's outcome, and in the same transaction the webhook events it causes (an
        article that is not ``running`` any more changes nothing and causes none). Returns the
        number of events written."""
        status = "done" if result is not None else "failed"
        with self._tx() as db:
            changed = db.execute(
                "UPDATE items SET status = ?, result = ?, error = ?, updated_at = ? "
                "WHERE batch_id = ? AND idx = ? AND status = 'running'",
                (status, result.model_dump_json() if result else None, error.model_dump_json() if error else None,
                 _now(), batch_id, idx),
            ).rowcount  # fmt: skip
            return self._record_events(db, batch_id, idx) if changed else 0

    def _record_events(self, db: sqlite3.Connection, batch_id: str, idx: int) -> int:
        """The outbox rows for an article that just finished: ``article.finished`` if the batch asked
        for it, ``batch.finished`` if it was the batch's last. At most one of each kind (UNIQUE)."""
        row = db.execute("SELECT callback_url, callback_events, owner FROM batches WHERE id = ?",
                         (batch_id,)).fetchone()  # fmt: skip
        if row is None or not row[0]:
            return 0
        url, events, owner = row[0], set(json.loads(row[1] or "[]")), row[2]
        rows = []
        if "article.finished" in events:
            item = db.execute("SELECT idx, status, result, error FROM items WHERE batch_id = ? AND idx = ?",
                              (batch_id, idx)).fetchone()  # fmt: skip
            batch = self._status(db, batch_id, items=False)
            assert batch is not None  # its row was read above, in this transaction
            rows.append(event_row(batch_id=batch_id, kind="article.finished", idx=idx, url=url, owner=owner,
                                  status=batch, item=build_item(*item)))  # fmt: skip
        unfinished = db.execute(f"SELECT COUNT(*) FROM items i WHERE i.batch_id = ? AND {_UNFINISHED}",
                                (batch_id,)).fetchone()[0]  # fmt: skip
        if "batch.finished" in events and unfinished == 0:
            batch = self._status(db, batch_id, items=True)
            assert batch is not None  # its row was read above, in this transaction
            rows.append(event_row(batch_id=batch_id, kind="batch.finished", idx=BATCH_INDEX, url=url, owner=owner,
                                  status=batch))  # fmt: skip
        written = 0
        for event in rows:
            written += db.execute(INSERT_EVENT, event).rowcount
        return written

    def status(self, batch_id: str, *, owner: str = "", items: bool = True) -> BatchStatus | None:
        """The batch, if it is ``owner``'s; None for a batch that is not there or not theirs."""
        with self._lock:
            row = self._db.execute("SELECT owner FROM batches WHERE id = ?", (batch_id,)).fetchone()
            if row is None or not same_owner(row[0], owner):
                return None
            return self._status(self._db, batch_id, items=items)

    @staticmethod
    def _status(db: sqlite3.Connection, batch_id: str, *, items: bool) -> BatchStatus | None:
        row = db.execute("SELECT created_at, total FROM batches WHERE id = ?", (batch_id,)).fetchone()
        if row is None:
            return None
        counts = dict(
            db.execute("SELECT status, COUNT(*) FROM items WHERE batch_id = ? GROUP BY status", (batch_id,))
        )
        rows = (
            db.execute(
                "SELECT idx, status, result, error FROM items WHERE batch_id = ? ORDER BY idx", (batch_id,)
            ).fetchall()  # fmt: skip
            if items
            else None
        )
        return build_status(batch_id, row[0], row[1], counts, rows)


class BatchWorker:
    """Summarises pending batch articles in the background, ``concurrency`` at a time.

    A store that cannot be written (a full disk) never loses an article: one whose outcome cannot be
    written goes back to ``pending`` (or, if even that fails, is put back by the next sweep), and
    claiming pauses for ``retry_s`` so a full disk is not met with a loop of model calls. Every
    ``sweep_s`` the sweeper puts back ``running`` articles that no worker here holds and that have
    not moved for ``stale_s``, and prunes finished batches by age and size.
    """

    def __init__(self, store: BatchStore, runtime: Runtime, *, concurrency: int = 1, idle_s: float = 0.5,
                 retry_s: float = 5.0, sweep_s: float = 30.0, stale_s: float = 600.0,
                 max_age_s: float = 0.0, max_bytes: int = 0, on_event: Callable[[], None] | None = None) -> None:  # fmt: skip
        self.store = store
        self.on_event = on_event  # called when a finished article wrote webhook events
        self.runtime = runtime
        self.concurrency = max(1, concurrency)
        self.idle_s = idle_s
        self.retry_s = retry_s
        self.sweep_s = sweep_s
        self.stale_s = stale_s
        self.max_age_s = max_age_s
        self.max_bytes = max_bytes
        self.wake = asyncio.Event()
        self.held: set[tuple[str, int]] = set()  # articles a task of this worker is summarising
        self._unreleased: set[tuple[str, int]] = set()  # outcome not written, and not put back yet
        self._paused_until = 0.0
        self._swept_at = 0.0

    async def run(self) -> None:
        try:
            recovered = self.store.recover()
        except sqlite3.Error as exc:
            recovered = 0
            log.warning("interrupted batch articles could not be put back yet: %s", exc)
        if recovered:
            log.info("batch articles interrupted by a restart are pending again", extra={"count": recovered})
        await self.runtime.ready.wait()
        running: set[asyncio.Task[None]] = set()
        try:
            while True:
                self._sweep()
                while len(running) < self.concurrency and (item := self._claim()) is not None:
                    task = asyncio.create_task(self._process(*item))
                    running.add(task)
                    task.add_done_callback(running.discard)
                self.wake.clear()
                await self._next(running)
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            # Cancelled articles stay 'running' in the store; the next start puts them back.

    def _claim(self) -> tuple[str, int, SummaryRequest, str] | None:
        if time.monotonic() < self._paused_until:
            return None
        try:
            item = self.store.claim()
        except sqlite3.Error as exc:
            self._pause(f"no batch article could be claimed: {exc}")
            return None
        if item is not None:
            self.held.add((item[0], item[1]))
        return item

    def _pause(self, why: str) -> None:
        log.warning("%s; the batch worker waits %.1f s", why, self.retry_s)
        self._paused_until = time.monotonic() + self.retry_s

    def _sweep(self) -> None:
        for key in list(self._unreleased):
            try:
                self.store.release(*key)
            except sqlite3.Error:
                return
            self._unreleased.discard(key)
        now = time.monotonic()
        if now - self._swept_at < self.sweep_s:
            return
        self._swept_at = now
        try:
            stale = self.store.requeue_stale(self.stale_s, held=self.held)
            pruned = self.store.prune(max_age_s=self.max_age_s, max_bytes=self.max_bytes)
        except sqlite3.Error as exc:
            log.warning("the batch sweep failed: %s", exc)
            return
        if stale:
            log.warning("batch articles left running by a worker that stopped are pending again",
                        extra={"count": stale})  # fmt: skip
        if pruned:
            log.info("finished batches pruned", extra={"count": pruned})

    async def _next(self, running: set[asyncio.Task[None]]) -> None:
        """Until new work is announced, an article finishes, or ``idle_s`` passes.

        ``asyncio.wait`` rather than ``wait_for``: on Python 3.11 ``wait_for`` can swallow a
        cancellation that arrives as its inner wait completes, and the worker would never stop.
        """
        woken = asyncio.ensure_future(self.wake.wait())
        try:
            await asyncio.wait([woken, *running], timeout=self.idle_s, return_when=asyncio.FIRST_COMPLETED)
        finally:
            woken.cancel()

    async def _process(self, batch_id: str, idx: int, request: SummaryRequest, owner: str) -> None:
        try:
            outcome = await run_item(
                request, runtime=self.runtime, tenant=owner, log=log, what="a batch article"
            )
            await self._finish(batch_id, idx, outcome)
        finally:
            self.held.discard((batch_id, idx))

    async def _finish(self, batch_id: str, idx: int, outcome: ItemOutcome) -> None:
        """The outcome written off the event loop (the last article of a batch also writes its
        ``batch.finished`` event, which carries every result)."""
        try:
            events = await asyncio.to_thread(
                self.store.finish, batch_id, idx, result=outcome.result, error=outcome.error
            )
        except sqlite3.Error as exc:
            self._pause(f"a batch article's outcome could not be written ({exc}); it goes back to the queue")
        else:
            if events and self.on_event is not None:
                self.on_event()
            return
        try:
            self.store.release(batch_id, idx)
        except sqlite3.Error:
            self._unreleased.add((batch_id, idx))


class LocalBatches:
    """Batches kept in a SQLite file and summarised by a worker in this process (the default).

    A store that cannot be opened does not stop the service: summaries go on, batch requests get
    503 ``storage_unavailable``, and each batch request tries to open the store again."""

    REOPEN_S = 1.0

    def __init__(self, path: Path, runtime: Runtime, *, concurrency: int, quota: int = 0,
                 worker: dict[str, Any] | None = None, webhooks: dict[str, Any] | None = None) -> None:  # fmt: skip
        self.path = path
        self.runtime = runtime
        self.concurrency = concurrency
        self.quota = quota
        self.worker_options = worker or {}
        self.webhook_options = webhooks  # None: no webhook secret, so no sender
        self.store: BatchStore | None = None
        self.worker: BatchWorker | None = None
        self.sender: WebhookSender | None = None
        self._task: asyncio.Task[None] | None = None
        self._sender_task: asyncio.Task[None] | None = None
        self._tried_at = -self.REOPEN_S

    @classmethod
    def from_settings(cls, settings: Settings, runtime: Runtime) -> LocalBatches:
        """The store and worker the settings describe (NEWSFACTS_BATCH_*, NEWSFACTS_WEBHOOK_*)."""
        return cls(
            settings.batch_db_path or default_batch_path(), runtime, concurrency=settings.in_flight_limit,
            quota=settings.batch_max_pending_per_key,
            worker={"retry_s": settings.batch_retry_s, "sweep_s": settings.batch_sweep_s,
                    "stale_s": settings.batch_stale_s, "max_age_s": settings.batch_retention_days * 86400,
                    "max_bytes": int(settings.batch_max_mb * 1_000_000)},
            webhooks=webhook_options(settings),
        )  # fmt: skip

    async def start(self) -> None:
        with contextlib.suppress(StorageUnavailableError):
            self._open()

    def _open(self) -> BatchStore:
        if self.store is not None:
            return self.store
        now = time.monotonic()
        if now - self._tried_at < self.REOPEN_S:
            raise StorageUnavailableError(f"the batch store {self.path} cannot be opened; try again later")
        self._tried_at = now
        try:
            store = BatchStore(self.path)
        except (sqlite3.Error, OSError) as exc:
            log.error("the batch store cannot be opened; batch requests get 503 until it can: %s", exc)
            raise StorageUnavailableError(
                f"the batch store cannot be opened ({type(exc).__name__}: {exc}); try again later"
            ) from None
        self.store = store
        if self.webhook_options is not None:
            self.sender = WebhookSender(store, **self.webhook_options)
            self._sender_task = asyncio.create_task(self.sender.run())
        on_event = self.sender.wake.set if self.sender is not None else None
        self.worker = BatchWorker(store, self.runtime, concurrency=self.concurrency, on_event=on_event,
                                  **self.worker_options)  # fmt: skip
        self._task = asyncio.create_task(self.worker.run())
        return store

    async def stop(self) -> None:
        for task in (self._task, self._sender_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self.store is not None:
            self.store.close()

    async def create(self, articles: list[SummaryRequest], *, owner: str = "",
                     callback: Callback | None = None) -> BatchStatus:  # fmt: skip
        store = self._open()
        with _storage_errors("written"):
            batch_id = await asyncio.to_thread(
                store.create, articles, owner=owner, quota=self.quota, callback=callback
            )
            status = await asyncio.to_thread(store.status, batch_id, owner=owner, items=False)
        assert self.worker is not None and status is not None
        self.worker.wake.set()
        return status

    async def status(self, batch_id: str, *, owner: str = "", items: bool = True) -> BatchStatus | None:
        store = self._open()
        with _storage_errors("read"):
            return await asyncio.to_thread(store.status, batch_id, owner=owner, items=items)


@contextlib.contextmanager
def _storage_errors(verb: str) -> Iterator[None]:
    """A SQLite failure on the batch path is the store being unavailable (503), not an internal error."""
    try:
        yield
    except sqlite3.Error as exc:
        log.warning("the batch store could not be %s: %s", verb, exc)
        raise StorageUnavailableError(
            f"the batch store could not be {verb} ({exc}); try again later"
        ) from None


def webhook_options(settings: Settings) -> dict[str, Any] | None:
    """The webhook sender's options from the settings; None when no webhook secret is set."""
    if settings.webhook_secret is None:
        return None
    return {"server_secret": settings.webhook_secret.get_secret_value(), "allow": settings.webhook_allow_networks,
            "timeout_s": settings.webhook_timeout_s, "retry_s": settings.webhook_retry_s,
            "retry_max_s": settings.webhook_retry_max_s, "max_age_s": settings.webhook_max_age_s}  # fmt: skip
