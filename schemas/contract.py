"""Output contract v1: the public request, response and error shapes.

These models are the source of truth for ``schemas/article_summary.schema.json``.
Fields are only ever added, never renamed or removed, within major version 1.
This module imports nothing from the rest of the project.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

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


class _Request(BaseModel):
    """A request shape: strict, an unknown field is an error (a typo never passes silently)."""

    model_config = ConfigDict(extra="forbid")


class _Answer(BaseModel):
    """An answer shape: open to added fields. Within contract v1 answers only ever gain fields, so
    neither this model nor its JSON Schema rejects one it does not know (no ``additionalProperties:
    false``); every field is always present in an answer, so the schema lists them all as required."""

    model_config = ConfigDict(extra="ignore", json_schema_serialization_defaults_required=True)


class SummaryRequest(_Request):
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


class Quote(_Answer):
    """A verbatim span of the article: ``article_text[start:end] == text``."""

    text: str = Field(description="The article's own characters at these offsets.")
    start: int = Field(ge=0, description="Offset of the first character, in Unicode code points.")
    end: int = Field(ge=0, description="Offset one past the last character, in Unicode code points.")


class Outlet(_Answer):
    """The media outlet whose copy this is (never an agency cited as a source, nor a site that reposts)."""

    name: str = Field(description="The outlet's name, e.g. 'RT'.")
    section: str | None = Field(default=None, description="Its section, e.g. 'Russia & Former Soviet Union'.")
    url: str | None = Field(default=None, description="The article's URL, when known.")


class Party(_Answer):
    """An actor that claims, denies, attacks, is attacked or is counted."""

    name: str = Field(description="The name other entries refer to it by.")
    type: PartyType = Field(description="What kind of actor it is.")
    aliases: list[str] = Field(
        default_factory=list, description="Other names the text uses for it, e.g. 'Baku' for Azerbaijan."
    )
    affiliation: str | None = Field(
        default=None, description="The party it speaks for or belongs to, by name; null when none."
    )
    role: str | None = Field(
        default=None,
        description="Its role, e.g. 'assistant to President Ilham Aliyev'; null when not stated.",
    )


class Claim(_Answer):
    """An assertion attributed to a party."""

    claimant: str = Field(description="The party that makes the claim (a party's name or alias).")
    statement: str = Field(description="What it claims, paraphrased briefly.")
    target: str | None = Field(default=None, description="The party accused or concerned; null when none.")
    quote: Quote | None = Field(
        default=None, description="The span of the article that supports it, or null."
    )


class Casualty(_Answer):
    """One reported figure of people harmed, per reporting source per event."""

    kind: CasualtyKind = Field(description="What happened to them.")
    count: int | None = Field(ge=0, description="The figure; null when only vague.")
    min: int | None = Field(
        ge=0, description="The least the figure can be ('at least 5': 5); null when open."
    )
    max: int | None = Field(ge=0, description="The most the figure can be ('up to 30': 30); null when open.")
    approximate: bool = Field(description="False only for an exact figure.")
    victims: Victims = Field(default="unspecified", description="Who was harmed.")
    location: str | None = Field(default=None, description="Where, when the text says; else null.")
    reported_by: str | None = Field(
        default=None, description="The party giving the figure; null for an anonymous source."
    )
    caused_by: str | None = Field(
        default=None, description="The party the reporter blames; null when it blames no one."
    )
    quote: Quote = Field(description="The span of the article that gives the figure.")


class Denial(_Answer):
    """An explicit denial, refutation or rejection of a claim or allegation."""

    denier: str = Field(description="The party that denies.")
    denied: str = Field(description="What is denied, paraphrased.")
    responds_to: str | None = Field(
        default=None, description="The party whose claim is denied; null when the accuser is not named."
    )
    quote: Quote | None = Field(default=None, description="The span of the article that gives it, or null.")


class Grounding(_Answer):
    """How many of the model's quotes were found in the article."""

    quotes_total: int = Field(ge=0, description="Quotes the model proposed.")
    quotes_verified: int = Field(ge=0, description="Quotes found in the article.")
    quotes_dropped: int = Field(ge=0, description="Quotes removed because they are not in the article.")


class Usage(_Answer):
    """What the answer cost."""

    prompt_tokens: int = Field(ge=0, description="Tokens the model read, over all its calls.")
    completion_tokens: int = Field(ge=0, description="Tokens the model wrote, over all its calls.")
    latency_ms: int = Field(ge=0, description="Time the service took to answer, in milliseconds.")
    cost_usd: float | None = Field(
        default=None, description="The model calls' price in US dollars; null when unknown."
    )
    cached: bool = Field(
        default=False, description="True when the answer came from the result cache (no model call)."
    )


class TraceEntry(_Answer):
    """Why one entry looks as it does: the reading rules that shaped, added or dropped it."""

    field: Literal["outlet", "parties", "casualties", "claims", "denials"] = Field(
        description="The answer's field the entry belongs to."
    )
    index: int | None = Field(
        description="Position of the entry in its output list; null when it was dropped."
    )
    outcome: Literal["kept", "changed", "added", "dropped"] = Field(
        description="kept: the model's entry as proposed; changed: a rule rewrote part of it; added: read from the "
        "text by a rule, not proposed by the model; dropped: not passed on."
    )
    rules: list[str] = Field(description="Names of the rules that applied, in order.")
    proposed: str | None = Field(
        default=None, description="The model's proposal, briefly, when there was one."
    )


class ArticleSummary(_Answer):
    """Attributed, verifiable facts extracted from one article (contract v1)."""

    schema_version: Literal["1"] = Field(default=SCHEMA_VERSION, description="The contract's version.")
    outlet: Outlet | None = Field(
        description="The media outlet that published the article; null when none is named."
    )
    headline: str | None = Field(description="The article's headline, when it has one.")
    summary: str = Field(
        description="A neutral summary of one to three sentences; contested facts are attributed."
    )
    parties: list[Party] = Field(
        description="Every actor that claims, denies, attacks, is attacked or is counted."
    )
    claims: list[Claim] = Field(description="Assertions attributed to a party.")
    casualties: list[Casualty] = Field(description="Each reported figure of people harmed.")
    denials: list[Denial] = Field(description="Each denial of a claim or allegation.")
    grounding: Grounding = Field(description="How many of the model's quotes were found in the article.")
    model: str = Field(description="The litellm model string that produced the answer.")
    prompt_version: str = Field(description="The version of the prompt templates.")
    service_version: str = Field(
        default="unknown",
        description="The newsfacts package version that produced the answer (a cached answer keeps the version "
        "that produced it; 'unknown' only for an answer stored by a version that did not record it).",
    )
    usage: Usage = Field(description="Tokens, time and cost of the answer.")
    article_text: str | None = Field(
        default=None,
        description="The text that quote offsets refer to, when it differs from the submitted text "
        "(for example text extracted from HTML).",
    )
    language: str | None = Field(
        default=None,
        description="ISO 639-1 code of the article's language (declared in the request or identified).",
    )
    trace: list[TraceEntry] | None = Field(
        default=None,
        description="Only when asked for (explain=true): the reading rules behind every entry, dropped ones included.",
    )


class ErrorResponse(_Answer):
    """The one shape of every error response."""

    code: str = Field(description="Stable machine-readable error code, e.g. 'text_too_large'.")
    message: str = Field(description="What went wrong and how to fix it.")
    request_id: str | None = Field(
        default=None, description="The request's id, as in the X-Request-ID header."
    )
    details: list[dict[str, Any]] | None = Field(
        default=None,
        description="For a body or parameter that does not match the schema: each problem's "
        "location, message and type; else null.",
    )
