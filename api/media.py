"""The media types the API reads and the body cap of each (enforced while the body streams, by
api/limits.py), and the bodies read by hand: an article as JSON, HTML or plain text, a batch."""

from __future__ import annotations

from typing import TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.types import Scope

from newsfacts.settings import Settings

HTML_TYPES = ("text/html", "application/xhtml+xml")
SUMMARIES_PATH = "/v1/summaries"
BATCHES_PATH = "/v1/batches"
SMALL_BODY = 65536
M = TypeVar("M", bound=BaseModel)


def media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def media_limit(settings: Settings, media: str) -> int | None:
    """The body cap of an article sent as ``media`` (None: not a type the API takes)."""
    if media == "application/json":
        return settings.max_text_bytes * 6 + SMALL_BODY  # JSON escapes can take six bytes a character
    if media in HTML_TYPES:
        return settings.max_html_bytes + SMALL_BODY
    if media == "text/plain":
        return settings.max_text_bytes + SMALL_BODY
    return None


def body_limit(settings: Settings, scope: Scope) -> int:
    """The largest body a route takes: an article's limit as its media type encodes it, a batch's."""
    path = scope.get("path", "")
    if path == BATCHES_PATH:
        return settings.batch_max_bytes
    if path != SUMMARIES_PATH:
        return SMALL_BODY
    headers = dict(scope.get("headers") or [])
    media = media_type(headers.get(b"content-type", b"").decode("latin-1"))
    return media_limit(settings, media) or SMALL_BODY


def invalid(exc: ValidationError) -> RequestValidationError:
    """A body that fails validation, reported as FastAPI reports it (locations under "body")."""
    errors = [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors(include_url=False)]
    return RequestValidationError(errors)


async def read_json(request: Request, model: type[M]) -> M:
    """The request body parsed as ``model``; BodyLimit has capped it while it streamed."""
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as exc:
        raise invalid(exc) from None
