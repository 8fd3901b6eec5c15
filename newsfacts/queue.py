"""Batch jobs on a queue engine: Redis holds the batches, arq hands their articles to any number
of ``newsfacts worker`` processes, on one machine or many (``NEWSFACTS_BATCH_QUEUE=redis://…``).

Redis keys (all under ``newsfacts:``):

- ``batch:{id}``           hash: ``created_at``, ``total``, ``owner`` (the API key's digest; ``""`` with keys off)
- ``batch:{id}:requests``  hash: index -> the article (SummaryRequest JSON)
- ``batch:{id}:state``     hash: index -> pending | running | done | failed
- ``batch:{id}:outcome``   hash: index -> ``{"result": …}`` or ``{"error": …}`` JSON
- ``batches:open``         set of batches with an article not yet finished
- ``owner:{owner}:unfinished``  count of the owner's articles not yet finished (the per-key quota,
                               checked and reserved by one script, ``RESERVE``)

A batch is shown only to its owner; another key is told there is no such batch.

Every article is one arq job whose id is ``{batch}:{index}``, so enqueueing it again is a no-op
while it is queued or running. The API writes a batch's articles and queues their jobs before its
202; on start it queues again every unfinished article of every open batch, so a crash between
the two loses nothing. A worker that dies mid-article (``kill -9``) leaves the job to arq, which
gives it to another worker once the dead one's lease (the job timeout plus
``NEWSFACTS_BATCH_LEASE_GRACE_S``) runs out. A
worker writes an article's outcome and its ``done`` state in one transaction and skips an article
that is already finished, so an article that finished is never summarised again.

Redis must keep its data for the batches to survive a Redis restart (``appendonly yes``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import uuid
from collections.abc import Awaitable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from newsfacts.batchcore import FINISHED, UNFINISHED, build_status, run_item, same_owner, serialised
from newsfacts.errors import CallbackRefusedError, QueueUnavailableError, QuotaExceededError
from newsfacts.runtime import Runtime
from newsfacts.settings import Settings
from newsfacts.webhooks import Callback
from schemas.batch import BatchStatus, ItemError
from schemas.contract import ArticleSummary, SummaryRequest

if TYPE_CHECKING:
    from arq.connections import ArqRedis, RedisSettings  # arq is the optional 'queue' extra
    from arq.worker import Worker

log = logging.getLogger("newsfacts.queue")

T = TypeVar("T")

QUEUE_NAME = "newsfacts:queue"
JOB_FUNCTION = "newsfacts.summarize_article"
PREFIX = "newsfacts:"
OPEN = PREFIX + "batches:open"
# A queued article waits for a worker this long (arq's default is a day; a backlog can be longer).
JOB_EXPIRES_S = 30 * 24 * 3600


# The per-key quota's check and reservation, in one step: Redis runs a script atomically, so two
# batches sent at once can neither both take the last places nor push each other over the quota.
# KEYS[1]: the owner's unfinished count; ARGV[1]: the batch's articles; ARGV[2]: the quota (0: none).
# Returns {1, the new count} when reserved, {0, the count as it was} when they do not fit.
RESERVE = """
local waiting = tonumber(redis.call('GET', KEYS[1]) or '0')
local adding = tonumber(ARGV[1])
local quota = tonumber(ARGV[2])
if quota > 0 and waiting + adding > quota then
  return {0, waiting}
end
return {1, redis.call('INCRBY', KEYS[1], adding)}
"""


def _key(batch_id: str, part: str = "") -> str:
    return f"{PREFIX}batch:{batch_id}" + (f":{part}" if part else "")


def _unfinished_key(owner: str) -> str:
    return f"{PREFIX}owner:{owner}:unfinished"


def _redis_settings(url: str, connect_retries: int = 2) -> RedisSettings:
    from arq.connections import RedisSettings

    settings = RedisSettings.from_dsn(url)
    settings.conn_retries = connect_retries
    settings.conn_timeout = 5
    return settings


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def _reply(command: Awaitable[T] | T) -> T:
    """The reply to a command of redis-py's asyncio client. redis-py types its commands once for
    both clients (``Awaitable[T] | T``); the asyncio client's always return an awaitable."""
    return await cast("Awaitable[T]", command)


class BatchKeys:
    """Reading and writing batches in Redis (used by the API and by workers)."""

    def __init__(self, redis: ArqRedis) -> None:
        self.redis = redis

    async def create(self, articles: list[SummaryRequest], *, owner: str = "", quota: int = 0) -> str:
        rows = serialised(articles)
        counter = _unfinished_key(owner)
        reply = await _reply(self.redis.eval(RESERVE, 1, counter, str(len(rows)), str(max(0, quota))))
        # redis-py types a script's reply as str; RESERVE's is a pair of integers
        reserved, waiting = cast("list[int]", reply)
        if not reserved:
            raise QuotaExceededError(
                f"this key has {waiting} batch articles waiting or running and may have {quota} "
                f"(NEWSFACTS_BATCH_MAX_PENDING_PER_KEY); {len(rows)} more do not fit: try again once some have finished"
            )
        batch_id = uuid.uuid4().hex
        try:
            async with self.redis.pipeline(transaction=True) as tx:
                tx.hset(_key(batch_id), mapping={"created_at": datetime.now(UTC).isoformat(), "total": len(rows),
                                                 "owner": owner})  # fmt: skip
                tx.hset(_key(batch_id, "requests"), mapping=dict(enumerate(rows)))
                tx.hset(_key(batch_id, "state"), mapping={i: "pending" for i in range(len(rows))})
                tx.sadd(OPEN, batch_id)
                await tx.execute()
        except BaseException:
            await self.redis.decrby(counter, len(rows))
            raise
        return batch_id

    async def owner(self, batch_id: str) -> str:
        return _text(await _reply(self.redis.hget(_key(batch_id), "owner")) or b"")

    async def unfinished(self, batch_id: str) -> list[int]:
        states = await _reply(self.redis.hgetall(_key(batch_id, "state")))
        return sorted(int(i) for i, s in states.items() if _text(s) in UNFINISHED)

    async def request(self, batch_id: str, idx: int) -> SummaryRequest | None:
        raw = await _reply(self.redis.hget(_key(batch_id, "requests"), str(idx)))
        return None if raw is None else SummaryRequest.model_validate_json(raw)

    async def state(self, batch_id: str, idx: int) -> str | None:
        raw = await _reply(self.redis.hget(_key(batch_id, "state"), str(idx)))
        return None if raw is None else _text(raw)

    async def mark_running(self, batch_id: str, idx: int) -> None:
        await _reply(self.redis.hset(_key(batch_id, "state"), str(idx), "running"))

    async def finish(self, batch_id: str, idx: int, *, result: ArticleSummary | None = None,
                     error: ItemError | None = None) -> None:  # fmt: skip
        if result is not None:
            outcome = {"result": result.model_dump(mode="json")}
        elif error is not None:
            outcome = {"error": error.model_dump()}
        else:
            raise TypeError("an article finishes with a result or an error")
        owner = await self.owner(batch_id)
        async with self.redis.pipeline(transaction=True) as tx:
            tx.hset(_key(batch_id, "outcome"), str(idx), json.dumps(outcome))
            tx.hset(_key(batch_id, "state"), str(idx), "done" if result is not None else "failed")
            tx.decr(_unfinished_key(owner))
            await tx.execute()
        if not await self.unfinished(batch_id):
            await _reply(self.redis.srem(OPEN, batch_id))

    async def status(self, batch_id: str, *, owner: str = "", items: bool = True) -> BatchStatus | None:
        """The batch, if it is ``owner``'s; None for a batch that is not there or not theirs."""
        async with self.redis.pipeline(transaction=True) as tx:
            tx.hgetall(_key(batch_id))
            tx.hgetall(_key(batch_id, "state"))
            if items:
                tx.hgetall(_key(batch_id, "outcome"))
            meta, states, *rest = await tx.execute()
        if not meta:
            return None
        meta = {_text(k): _text(v) for k, v in meta.items()}
        if not same_owner(meta.get("owner", ""), owner):
            return None
        states = {int(k): _text(v) for k, v in states.items()}
        counts: dict[str, int] = {}
        for s in states.values():
            counts[s] = counts.get(s, 0) + 1
        rows = None
        if items:
            outcomes = {int(k): json.loads(v) for k, v in rest[0].items()}
            rows = []
            for idx in sorted(states):
                outcome = outcomes.get(idx, {})
                result = json.dumps(outcome["result"]) if "result" in outcome else None
                error = json.dumps(outcome["error"]) if "error" in outcome else None
                rows.append((idx, states[idx], result, error))
        return build_status(batch_id, meta["created_at"], int(meta["total"]), counts, rows)


class QueueBatches:
    """The API's side: batches written to Redis, their articles queued for ``newsfacts worker``."""

    def __init__(self, url: str, *, quota: int = 0, connect_retries: int = 2) -> None:
        self.url = url
        self.quota = quota
        self.connect_retries = connect_retries
        self.pool: ArqRedis | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> QueueBatches:
        """The queue the settings name (NEWSFACTS_BATCH_QUEUE), with their per-key quota."""
        if not settings.batch_queue:
            raise ValueError("no batch queue is configured (NEWSFACTS_BATCH_QUEUE=redis://host:6379/0)")
        return cls(
            settings.batch_queue,
            quota=settings.batch_max_pending_per_key,
            connect_retries=settings.batch_queue_connect_retries,
        )

    async def start(self) -> None:
        try:
            requeued = await self._requeue_open(await self._connect())
        except QueueUnavailableError as exc:
            # The API still answers; batch requests get a 503 until Redis is back.
            log.error("the batch queue is unavailable: %s", exc.message)
            return
        if requeued:
            log.info("unfinished batch articles queued again", extra={"count": requeued})

    async def _connect(self) -> ArqRedis:
        if self.pool is None:
            from arq import create_pool

            try:
                self.pool = await create_pool(
                    _redis_settings(self.url, self.connect_retries), default_queue_name=QUEUE_NAME
                )
            except Exception as exc:
                raise QueueUnavailableError(
                    f"cannot reach the batch queue at {_safe(self.url)}: {exc}"
                ) from None
        return self.pool

    @staticmethod
    async def _enqueue(pool: ArqRedis, batch_id: str, indices: list[int]) -> None:
        for idx in indices:
            await pool.enqueue_job(
                JOB_FUNCTION, batch_id, idx, _job_id=f"{batch_id}:{idx}", _expires=JOB_EXPIRES_S
            )

    async def _requeue_open(self, pool: ArqRedis) -> int:
        keys = BatchKeys(pool)
        count = 0
        for raw in await _reply(pool.smembers(OPEN)):
            batch_id = _text(raw)
            indices = await keys.unfinished(batch_id)
            await self._enqueue(pool, batch_id, indices)
            count += len(indices)
        return count

    async def stop(self) -> None:
        if self.pool is not None:
            await self.pool.aclose()
            self.pool = None

    async def create(
        self, articles: list[SummaryRequest], *, owner: str = "", callback: Callback | None = None
    ) -> BatchStatus:
        if (
            callback is not None
        ):  # refused earlier (newsfacts.webhooks.accept_callback); never dropped silently
            raise CallbackRefusedError(
                "callback_url is not supported yet with a batch queue (NEWSFACTS_BATCH_QUEUE)"
            )
        pool = await self._connect()
        with _queue_errors():
            keys = BatchKeys(pool)
            batch_id = await keys.create(articles, owner=owner, quota=self.quota)
            await self._enqueue(pool, batch_id, list(range(len(articles))))
            status = await keys.status(batch_id, owner=owner, items=False)
        assert status is not None
        return status

    async def status(self, batch_id: str, *, owner: str = "", items: bool = True) -> BatchStatus | None:
        pool = await self._connect()
        with _queue_errors():
            return await BatchKeys(pool).status(batch_id, owner=owner, items=items)


@contextlib.contextmanager
def _queue_errors() -> Iterator[None]:
    """A Redis failure mid-request is the queue being unavailable (503), not an internal error."""
    from redis.exceptions import RedisError

    try:
        yield
    except RedisError as exc:
        raise QueueUnavailableError(f"the batch queue failed: {exc}") from None


def _safe(url: str) -> str:
    """The URL without its password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


# --- the worker ---------------------------------------------------------------------------------


async def summarize_article(ctx: dict[str, Any], batch_id: str, idx: int) -> str:
    """One batch article: skipped if already finished, else summarised and its outcome stored."""
    keys: BatchKeys = ctx["keys"]
    state = await keys.state(batch_id, idx)
    if state in FINISHED:
        return "already finished"
    request = await keys.request(batch_id, idx)
    if request is None:
        return "no such article"
    tries = ctx.get("job_try", 1)
    if tries > ctx["max_tries"]:
        # Each earlier try ended with its worker gone (a finished try records its outcome).
        message = f"the workers summarising this article stopped {tries - 1} times; it was not tried again"
        await keys.finish(batch_id, idx, error=ItemError(code="worker_lost", message=message))
        return "worker_lost"
    if tries > 1:
        log.warning("a batch article is tried again", extra={"batch": batch_id, "index": idx, "try": tries})
    await keys.mark_running(batch_id, idx)
    outcome = await run_item(request, runtime=ctx["runtime"], tenant=await keys.owner(batch_id), log=log,
                             what="a batch article")  # fmt: skip
    await keys.finish(batch_id, idx, result=outcome.result, error=outcome.error)
    return "done" if outcome.error is None else outcome.error.code


def worker(settings: Settings, *, burst: bool = False) -> Worker:
    """An arq worker for the settings' queue; ``run()`` it. Its model is the settings' model."""
    from arq.worker import Worker, func

    queue_url = settings.batch_queue
    if not queue_url:
        raise ValueError("no batch queue is configured (NEWSFACTS_BATCH_QUEUE=redis://host:6379/0)")

    async def startup(ctx: dict[str, Any]) -> None:
        runtime = Runtime(settings)
        await runtime.start()
        ctx["runtime"] = runtime
        ctx["keys"] = BatchKeys(ctx["redis"])
        ctx["max_tries"] = settings.batch_max_tries
        log.info("worker ready", extra={"model": runtime.model_name, "queue": _safe(queue_url)})

    async def shutdown(ctx: dict[str, Any]) -> None:
        if "runtime" in ctx:
            ctx["runtime"].stop()

    arq_worker = Worker(
        functions=[
            func(
                summarize_article,
                name=JOB_FUNCTION,
                timeout=settings.batch_job_timeout_s,
                max_tries=settings.batch_max_tries + 1,  # the last call only records the article as failed
                keep_result=0,  # outcomes live in the batch's own keys
            )
        ],
        queue_name=QUEUE_NAME,
        redis_settings=_redis_settings(queue_url, settings.batch_queue_connect_retries),
        on_startup=startup,
        on_shutdown=shutdown,
        max_jobs=settings.in_flight_limit,
        burst=burst,
        handle_signals=True,
    )
    # arq holds a started job for its timeout plus a fixed 10 s; the grace is a setting here.
    arq_worker.in_progress_timeout_s = settings.batch_job_timeout_s + settings.batch_lease_grace_s
    return arq_worker
