"""HTML pages: the article's text and metadata, with the page's boilerplate stripped (trafilatura).

Quote offsets then refer to the extracted text, which the response returns as ``article_text``.
"""

from __future__ import annotations

import asyncio
import atexit
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published_at: datetime | None = None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def extract_page(html: str, url: str | None = None) -> Page:
    """The main text of an HTML page and what its metadata says (title, site name, date, URL)."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
        deduplicate=False,
    )
    if doc is None:
        return Page(text="")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = "\n".join(line.rstrip() for line in (data.get("text") or "").splitlines()).strip()
    return Page(
        text=text,
        title=(data.get("title") or None),
        outlet=(data.get("sitename") or None),
        url=(data.get("url") or url or None),
        published_at=_date(data.get("date")),
    )


# Extraction runs in worker processes that a deadline can abandon: a page that takes trafilatura
# longer than the time left is given up and its worker killed, so it holds neither the event loop
# nor the GIL nor a core after its request has been answered.
_pool: Any = None
_pool_lock = threading.Lock()
EXTRACT_WORKERS = 2


def _extractor() -> Any:
    global _pool
    with _pool_lock:
        if _pool is None or not _pool.active:
            import multiprocessing

            from pebble import ProcessPool

            _pool = ProcessPool(max_workers=EXTRACT_WORKERS, context=multiprocessing.get_context("spawn"))
            atexit.register(_pool.stop)
        return _pool


async def extract_page_within(html: str, url: str | None, *, timeout: float) -> Page:
    """``extract_page`` in a worker process; ``TimeoutError`` when it takes longer than ``timeout``
    seconds (the worker is then killed and replaced)."""
    future = _extractor().schedule(extract_page, args=(html, url), timeout=max(0.01, timeout))
    try:
        return await asyncio.wrap_future(future)
    except asyncio.CancelledError:
        future.cancel()  # pebble stops the worker of a cancelled task
        raise
