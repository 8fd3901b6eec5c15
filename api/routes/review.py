"""``GET /review``: a page for journalists: paste an article, see its facts and their quotes
highlighted. Not part of the API's schema."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

from newsfacts.errors import NotFoundError

router = APIRouter(include_in_schema=False)

REVIEW_DIR = Path(__file__).resolve().parent.parent / "review"
REVIEW_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "review.js": "text/javascript; charset=utf-8",
    "review.css": "text/css; charset=utf-8",
}
# The page loads nothing but its own files and talks to nothing but this API.
REVIEW_HEADERS = {
    "content-security-policy": "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "cache-control": "no-cache",
}


@router.get("/review")
async def review_page() -> Response:
    return review_file("index.html")


@router.get("/review/{name}")
async def review_asset(name: str) -> Response:
    return review_file(name)


def review_file(name: str) -> Response:
    if name not in REVIEW_TYPES:
        raise NotFoundError(f"no review file {name!r}")
    body = (REVIEW_DIR / name).read_bytes()
    return Response(body, media_type=REVIEW_TYPES[name], headers=REVIEW_HEADERS)
