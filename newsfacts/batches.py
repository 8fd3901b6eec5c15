"""Durable batch jobs: articles are stored in SQLite (WAL) before they are accepted, and a
background worker summarises them one by one.

Each article moves ``pending -> running -> done | failed`` in its own committed transaction, and
its result is written in the same transaction that marks it done. After a crash (even ``kill -9``)
the next start puts the articles that were ``running`` back to ``pending``: none is lost, and none
that finished is summarised again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsfacts.errors import NewsfactsError
from schemas.batch import BatchItem, BatchStatus, ItemError
from schemas.contract import ArticleSummary, SummaryRequest

log = logging.getLogger("newsfacts.batches")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    total INTEGER NOT NULL
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


def default_batch_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("newsfacts")) / "batches.sqlite"


def _now() -> str:
    return datetime.now(UTC).isoformat()


def build_status(batch_id: str, created_at: str, total: int, counts: dict[str, int],
                 rows: list[tuple[int, str, str | None, str | None]] | None) -> BatchStatus:  # fmt: skip
    """A batch's status from its per-state counts and, when asked for, its items
    ``(index, status, result JSON, error JSON)``: the one shape whichever backend keeps the batch."""
    n = {s: counts.get(s, 0) for s in ("pending", "running", "done", "failed")}
    finished = n["done"] + n["failed"]
    overall = "done" if finished == total else "running" if finished + n["running"] else "pending"
    return BatchStatus(
        id=batch_id,
        status=overall,  # type: ignore[arg-type]
        created_at=datetime.fromisoformat(created_at),
        total=total,
        **n,
        items=None
        if rows is None
        else [
            BatchItem(
                index=idx,
                status=status,  # type: ignore[arg-type]
                result=ArticleSummary.model_validate_json(result) if result else None,
                error=ItemError.model_validate_json(error) if error else None,
            )
            for idx, status, result, error in rows
        ],
    )


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

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def _tx(self) -> Any:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def create(self, articles: list[SummaryRequest]) -> str:
        batch_id = uuid.uuid4().hex
        now = _now()
        with self._tx() as db:
            db.execute("INSERT INTO batches (id, created_at, total) VALUES (?, ?, ?)", (batch_id, now, len(articles)))
            db.executemany(
                "INSERT INTO items (batch_id, idx, request, status, updated_at) VALUES (?, ?, ?, 'pending', ?)",
                [(batch_id, i, a.model_dump_json(), now) for i, a in enumerate(articles)],
            )
        return batch_id

    def recover(self) -> int:
        """Articles left ``running`` by a process that died go back to ``pending``."""
        with self._tx() as db:
            return db.execute("UPDATE items SET status = 'pending', updated_at = ? WHERE status = 'running'",
                              (_now(),)).rowcount  # fmt: skip

    def claim(self) -> tuple[str, int, SummaryRequest] | None:
        """The oldest pending article, now marked running."""
        with self._tx() as db:
            row = db.execute(
                "SELECT i.batch_id, i.idx, i.request FROM items i JOIN batches b ON b.id = i.batch_id "
                "WHERE i.status = 'pending' ORDER BY b.created_at, i.batch_id, i.idx LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE items SET status = 'running', attempts = attempts + 1, updated_at = ? "
                "WHERE batch_id = ? AND idx = ?",
                (_now(), row[0], row[1]),
            )
        return row[0], row[1], SummaryRequest.model_validate_json(row[2])

    def finish(self, batch_id: str, idx: int, *, result: ArticleSummary | None = None,
               error: ItemError | None = None) -> None:  # fmt: skip
        status = "done" if result is not None else "failed"
        with self._tx() as db:
            db.execute(
                "UPDATE items SET status = ?, result = ?, error = ?, updated_at = ? "
                "WHERE batch_id = ? AND idx = ? AND status = 'running'",
                (status, result.model_dump_json() if result else None, error.model_dump_json() if error else None,
                 _now(), batch_id, idx),
            )  # fmt: skip

    def status(self, batch_id: str, *, items: bool = True) -> BatchStatus | None:
        with self._lock:
            row = self._db.execute("SELECT created_at, total FROM batches WHERE id = ?", (batch_id,)).fetchone()
            if row is None:
                return None
            counts = dict(
                self._db.execute("SELECT status, COUNT(*) FROM items WHERE batch_id = ? GROUP BY status", (batch_id,))
            )
            rows = (
                self._db.execute(
                    "SELECT idx, status, result, error FROM items WHERE batch_id = ? ORDER BY idx", (batch_id,)
                ).fetchall()
                if items
                else None
            )
        return build_status(batch_id, row[0], row[1], counts, rows)


class BatchWorker:
    """Summarises pending batch articles in the background, ``concurrency`` at a time."""

    def __init__(self, store: BatchStore, runtime: Any, *, concurrency: int = 1, idle_s: float = 0.5) -> None:
        self.store = store
        self.runtime = runtime
        self.concurrency = max(1, concurrency)
        self.idle_s = idle_s
        self.wake = asyncio.Event()

    async def run(self) -> None:
        recovered = self.store.recover()
        if recovered:
            log.info("batch articles interrupted by a restart are pending again", extra={"count": recovered})
        await self.runtime.ready.wait()
        running: set[asyncio.Task[None]] = set()
        try:
            while True:
                while len(running) < self.concurrency and (item := self.store.claim()) is not None:
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

    async def _process(self, batch_id: str, idx: int, request: SummaryRequest) -> None:
        from newsfacts.pipeline import summarize

        try:
            summary = await summarize(request, runtime=self.runtime)
        except NewsfactsError as exc:
            self.store.finish(batch_id, idx, error=ItemError(code=exc.code, message=exc.message))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # recorded, never a made-up result
            log.exception("a batch article failed")
            self.store.finish(batch_id, idx, error=ItemError(code="internal_error", message=str(exc)[:300]))
        else:
            self.store.finish(batch_id, idx, result=summary)


class LocalBatches:
    """Batches kept in a SQLite file and summarised by a worker in this process (the default)."""

    def __init__(self, path: Path, runtime: Any, *, concurrency: int) -> None:
        self.path = path
        self.runtime = runtime
        self.concurrency = concurrency
        self.store: BatchStore | None = None
        self.worker: BatchWorker | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.store = BatchStore(self.path)
        self.worker = BatchWorker(self.store, self.runtime, concurrency=self.concurrency)
        self._task = asyncio.create_task(self.worker.run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self.store is not None:
            self.store.close()

    async def create(self, articles: list[SummaryRequest]) -> BatchStatus:
        assert self.store is not None and self.worker is not None, "start() first"
        batch_id = self.store.create(articles)
        self.worker.wake.set()
        status = self.store.status(batch_id, items=False)
        assert status is not None
        return status

    async def status(self, batch_id: str, *, items: bool = True) -> BatchStatus | None:
        assert self.store is not None, "start() first"
        return self.store.status(batch_id, items=items)


def open_batches(settings: Any, runtime: Any) -> Any:
    """The batch backend the settings choose: a Redis queue for separate workers, or SQLite here."""
    if settings.batch_queue:
        from newsfacts.queue import QueueBatches

        return QueueBatches(settings.batch_queue)
    return LocalBatches(settings.batch_db_path or default_batch_path(), runtime, concurrency=settings.in_flight_limit)
