"""Output contract v1: the public request, response and error shapes.

These models are the source of truth for ``schemas/article_summary.schema.json``.
Fields are only ever added, never renamed or removed, within major version 1.
This module imports nothing from the rest of the project.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal["1"] = "1"

PartyType = Literal[
    "state",
    "government_body",
    "military",
    "armed_group",
    "official",
    "organization",
    "population",
    "media",
    "other",
]
CasualtyKind = Literal["killed", "injured", "missing", "captured", "displaced"]
Victims = Literal["civilians", "combatants", "mixed", "unspecified"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SummaryRequest(_Model):
    """An article to summarise. Only ``text`` is required."""

    text: str = Field(description="The article text, as published.")
    title: str | None = Field(default=None, description="The headline, when known.")
    url: str | None = Field(default=None, description="Where the article was published.")
    outlet: str | None = Field(
        default=None, description="The publishing outlet; when given it is the response's outlet."
    )
    published_at: datetime | None = Field(default=None, description="Publication time, ISO 8601.")
    language: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z]{2}$",
        description="ISO 639-1 code of the article's language, when known; otherwise it is identified from the text.",
    )
    format: Literal["text", "html"] = Field(
        default="text",
        description="'html': ``text`` is a whole HTML page; the article is extracted from it, its metadata "
        "fills title, outlet, url and published_at when they are not given, and quote offsets refer to the "
        "extracted text, returned as ``article_text``.",
    )


class Quote(_Model):
    """A verbatim span of the article: ``article_text[start:end] == text``."""

    text: str
    start: int = Field(ge=0, description="Offset of the first character, in Unicode code points.")
    end: int = Field(ge=0, description="Offset one past the last character, in Unicode code points.")


class Outlet(_Model):
    name: str
    section: str | None = None
    url: str | None = None


class Party(_Model):
    name: str
    type: PartyType
    aliases: list[str] = Field(default_factory=list)
    affiliation: str | None = None
    role: str | None = None


class Claim(_Model):
    claimant: str
    statement: str
    target: str | None = None
    quote: Quote | None = None


class Casualty(_Model):
    kind: CasualtyKind
    count: int | None = Field(ge=0, description="The figure; null when only vague.")
    min: int | None = Field(ge=0)
    max: int | None = Field(ge=0)
    approximate: bool
    victims: Victims = "unspecified"
    location: str | None = None
    reported_by: str | None = None
    caused_by: str | None = None
    quote: Quote


class Denial(_Model):
    denier: str
    denied: str
    responds_to: str | None = None
    quote: Quote | None = None


class Grounding(_Model):
    quotes_total: int = Field(ge=0, description="Quotes the model proposed.")
    quotes_verified: int = Field(ge=0, description="Quotes found in the article.")
    quotes_dropped: int = Field(ge=0, description="Quotes removed because they are not in the article.")


class Usage(_Model):
    prompt_tokens: int = Field(ge=0)
    completion_tokens: int = Field(ge=0)
    latency_ms: int = Field(ge=0)
    cost_usd: float | None = None
    cached: bool = False


class TraceEntry(_Model):
    """Why one entry looks as it does: the reading rules that shaped, added or dropped it."""

    field: Literal["outlet", "parties", "casualties", "claims", "denials"]
    index: int | None = Field(description="Position of the entry in its output list; null when it was dropped.")
    outcome: Literal["kept", "changed", "added", "dropped"] = Field(
        description="kept: the model's entry as proposed; changed: a rule rewrote part of it; added: read from the "
        "text by a rule, not proposed by the model; dropped: not passed on."
    )
    rules: list[str] = Field(description="Names of the rules that applied, in order.")
    proposed: str | None = Field(default=None, description="The model's proposal, briefly, when there was one.")


class ArticleSummary(_Model):
    """Attributed, verifiable facts extracted from one article (contract v1)."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    outlet: Outlet | None
    headline: str | None
    summary: str
    parties: list[Party]
    claims: list[Claim]
    casualties: list[Casualty]
    denials: list[Denial]
    grounding: Grounding
    model: str
    prompt_version: str
    usage: Usage
    article_text: str | None = Field(
        default=None,
        description="The text that quote offsets refer to, when it differs from the submitted text "
        "(for example text extracted from HTML).",
    )
    language: str | None = Field(
        default=None, description="ISO 639-1 code of the article's language (declared in the request or identified)."
    )
    trace: list[TraceEntry] | None = Field(
        default=None,
        description="Only when asked for (explain=true): the reading rules behind every entry, dropped ones included.",
    )


class ErrorResponse(_Model):
    """The one shape of every error response."""

    code: str = Field(description="Stable machine-readable error code, e.g. 'text_too_large'.")
    message: str = Field(description="What went wrong and how to fix it.")
    request_id: str | None = None
    details: list[dict] | None = None
