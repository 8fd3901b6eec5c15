"""What a request brings in: the article checked against the size limits, and the article inside an
HTML page (with the page's metadata where the request gives none).
"""

from __future__ import annotations

import time

from newsfacts.errors import EmptyTextError, TextTooLargeError
from newsfacts.settings import Settings
from schemas.contract import SummaryRequest


def check_request(request: SummaryRequest, settings: Settings) -> None:
    if not request.text or not request.text.strip():
        raise EmptyTextError("the article text is empty: send the article in the 'text' field")
    size = len(request.text.encode("utf-8", errors="surrogatepass"))
    limit, setting = settings.max_text_bytes, "NEWSFACTS_MAX_TEXT_BYTES"
    if request.format == "html":
        limit, setting = settings.max_html_bytes, "NEWSFACTS_MAX_HTML_BYTES"
    if size > limit:
        raise TextTooLargeError(
            f"the article {request.format} is {size} bytes; the limit is {limit} ({setting})"
        )


async def from_html(request: SummaryRequest, settings: Settings, *, deadline: float) -> SummaryRequest:
    """The article inside an HTML page, with the page's metadata where the request gives none.
    Extracted in a worker process that is abandoned (``TimeoutError``) when the deadline passes."""
    from newsfacts.html import extract_page_within

    page = await extract_page_within(request.text, request.url, timeout=deadline - time.monotonic())
    if not page.text.strip():
        raise EmptyTextError("no article text was found in the HTML page")
    extracted = request.model_copy(
        update={
            "text": page.text,
            "format": "text",
            "title": request.title or page.title,
            "outlet": request.outlet or page.outlet,
            "url": request.url or page.url,
            "published_at": request.published_at or page.published_at,
        }
    )
    check_request(extracted, settings)
    return extracted
