"""HTML pages: the article's text and metadata, with the page's boilerplate stripped (trafilatura).

Quote offsets then refer to the extracted text, which the response returns as ``article_text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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


async def extract_page_within(html: str, url: str | None, *, timeout: float) -> Page:
    """``extract_page`` in a worker process (``newsfacts.workers``); ``TimeoutError`` when it takes
    longer than ``timeout`` seconds (the worker is then killed and replaced)."""
    from newsfacts import workers

    return await workers.run(extract_page, html, url, timeout=timeout)
