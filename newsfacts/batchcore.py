"""What a batch is, whichever backend keeps it: the SQLite store run in the service's own process
(newsfacts/batches.py) or the Redis queue read by separate workers (newsfacts/queue.py).

- **The status model.** Each article moves ``pending -> running -> done | failed``; a batch is
  ``done`` once every article is finished, ``running`` once one has started, else ``pending``.
  ``build_status`` makes the one ``BatchStatus`` shape from what a backend stores.
- **Ownership.** A batch belongs to the caller that created it (the digest of its API key, ``""``
  with keys off); ``same_owner`` compares owners in constant time.
"""

from __future__ import annotations

import hmac
from datetime import datetime

from newsfacts.errors import InputError
from schemas.batch import BatchItem, BatchStatus, ItemError, ItemStatus
from schemas.contract import ArticleSummary, SummaryRequest

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
        status=overall,  # type: ignore[arg-type]
        created_at=datetime.fromisoformat(created_at),
        total=total,
        **n,
        items=None if rows is None else [build_item(*row) for row in rows],
    )


def build_item(idx: int, status: str, result: str | None, error: str | None) -> BatchItem:
    """One article of a batch from its stored ``(index, status, result JSON, error JSON)``."""
    return BatchItem(
        index=idx,
        status=status,  # type: ignore[arg-type]
        result=ArticleSummary.model_validate_json(result) if result else None,
        error=ItemError.model_validate_json(error) if error else None,
    )
