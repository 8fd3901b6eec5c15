"""What a batch is, whichever backend keeps it: the SQLite store run in the service's own process
(newsfacts/batches.py) or the Redis queue read by separate workers (newsfacts/queue.py).

- **The status model.** Each article moves ``pending -> running -> done | failed``; a batch is
  ``done`` once every article is finished, ``running`` once one has started, else ``pending``.
  ``build_status`` makes the one ``BatchStatus`` shape from what a backend stores.
- **Ownership.** A batch belongs to the caller that created it (the digest of its API key, ``""``
  with keys off); ``same_owner`` compares owners in constant time.
- **The backend.** ``BatchBackend`` is what the API needs of either backend. Webhooks exist on the
  SQLite backend; the Redis backend refuses a callback (422 ``callback_url_refused``).
- **One article.** ``run_item`` summarises one article on the pipeline and maps a failure to an
  ``ItemError`` the one way every door uses (a batch worker, a queue worker, the command line, the
  evals): a ``NewsfactsError`` is its code and message, anything else is ``internal_error``.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from newsfacts.errors import InputError, NewsfactsError
from newsfacts.pipeline import summarize
from newsfacts.webhooks import Callback
from schemas.batch import BatchItem, BatchStatus, ItemError, ItemStatus
from schemas.contract import ArticleSummary, SummaryRequest

if TYPE_CHECKING:
    from newsfacts.runtime import Runtime

ITEM_STATES: tuple[ItemStatus, ...] = ("pending", "running", "done", "failed")
FINISHED: tuple[ItemStatus, ...] = ("done", "failed")
UNFINISHED: tuple[ItemStatus, ...] = ("pending", "running")


def same_owner(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def serialised(articles: list[SummaryRequest]) -> list[str]:
    """The articles as stored; one that cannot be stored (a lone surrogate) is the caller's error."""
    out = []
    for i, article in enumerate(articles):
        try:
            out.append(article.model_dump_json())
        except ValueError as exc:
            raise InputError(
                f"article {i}: the text cannot be stored as UTF-8 ({type(exc).__name__})"
            ) from None
    return out


def build_status(batch_id: str, created_at: str, total: int, counts: dict[str, int],
                 rows: list[tuple[int, str, str | None, str | None]] | None) -> BatchStatus:  # fmt: skip
    """A batch's status from its per-state counts and, when asked for, its items
    ``(index, status, result JSON, error JSON)``: the one shape whichever backend keeps the batch."""
    n = {s: counts.get(s, 0) for s in ITEM_STATES}
    finished = n["done"] + n["failed"]
    overall = "done" if finished == total else "running" if finished + n["running"] else "pending"
    return BatchStatus(
        id=batch_id,
        status=overall,
        created_at=datetime.fromisoformat(created_at),
        total=total,
        **n,
        items=None if rows is None else [build_item(*row) for row in rows],
    )


def build_item(idx: int, status: str, result: str | None, error: str | None) -> BatchItem:
    """One article of a batch from its stored ``(index, status, result JSON, error JSON)``."""
    return BatchItem(
        index=idx,
        status=status,
        result=ArticleSummary.model_validate_json(result) if result else None,
        error=ItemError.model_validate_json(error) if error else None,
    )


class BatchBackend(Protocol):
    """A batch backend: the SQLite store run in this process (``newsfacts.batches.LocalBatches``) or
    the Redis queue (``newsfacts.queue.QueueBatches``). The API starts it, creates batches and reads
    them; a batch belongs to ``owner`` and is shown to no one else."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def create(self, articles: list[SummaryRequest], *, owner: str = "",
                     callback: Callback | None = None) -> BatchStatus: ...  # fmt: skip

    async def status(self, batch_id: str, *, owner: str = "", items: bool = True) -> BatchStatus | None: ...


# --- one article ----------------------------------------------------------------------------------

INTERNAL_ERROR = "internal_error"
_MESSAGE_CHARS = 300


@dataclass(frozen=True)
class ItemOutcome:
    """An article's outcome: its summary, or the error its door reports in its place (exactly one
    of ``result`` and ``error`` is set). ``exception`` is what failed, for a door that says more."""

    result: ArticleSummary | None = None
    error: ItemError | None = None
    exception: BaseException | None = field(default=None, repr=False, compare=False)


def item_error(exc: BaseException) -> ItemError:
    """The one error mapping: a ``NewsfactsError`` is its code and message; anything else is a
    defect, ``internal_error``, with what the exception says (its type when it says nothing)."""
    if isinstance(exc, NewsfactsError):
        return ItemError(code=exc.code, message=exc.message)
    return ItemError(code=INTERNAL_ERROR, message=str(exc)[:_MESSAGE_CHARS] or type(exc).__name__)


async def run_item(request: SummaryRequest, *, runtime: Runtime, tenant: str = "", explain: bool = False,
                   log: logging.Logger | None = None, what: str = "an article") -> ItemOutcome:  # fmt: skip
    """One article summarised on the pipeline; a failure is its ``ItemError``, never a made-up result
    and never the end of the door's run. A defect is logged with its traceback on ``log`` (when
    given) as "``what`` failed". Cancellation is not a failure: it propagates."""
    try:
        summary = await summarize(request, runtime=runtime, tenant=tenant, explain=explain)
    except Exception as exc:
        if not isinstance(exc, NewsfactsError) and log is not None:
            log.exception("%s failed", what)
        return ItemOutcome(error=item_error(exc), exception=exc)
    return ItemOutcome(result=summary)
