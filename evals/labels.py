"""The dev-set label format (``evals/LABELS.md``) and the case loader.

A case is ``<id>.json`` (the label) next to ``<id>.txt`` or ``<id>.html`` (the article,
read byte-exact: no newline translation, so quote offsets mean what they say).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from schemas.contract import CasualtyKind, SummaryRequest, Victims

ARTICLE_SUFFIXES = (".txt", ".html")


class LabelError(ValueError):
    """A label or its article cannot be loaded."""


class _Label(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LabelRequest(_Label):
    """The request metadata a newsroom would send with the text."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None


class LabelOutlet(_Label):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)


class LabelParty(_Label):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    optional: bool = False


class LabelCasualty(_Label):
    kind: CasualtyKind
    count: int | None = Field(default=None, ge=0)
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    victims: Victims = "unspecified"
    reported_by: list[str] = Field(default_factory=list, description="Accepted names; empty: anonymous.")
    caused_by: list[str] = Field(default_factory=list, description="Accepted names; empty: no one blamed.")
    evidence: str = Field(min_length=1)
    optional: bool = False

    @model_validator(mode="after")
    def _figure(self) -> LabelCasualty:
        if self.count is None and self.min is None and self.max is None:
            raise ValueError("a casualty label needs count, min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} > max {self.max}")
        return self


class _Keyworded(_Label):
    keywords: list[str] = Field(default_factory=list)

    @field_validator("keywords")
    @classmethod
    def _lowercase(cls, value: list[str]) -> list[str]:
        bad = [k for k in value if k != k.lower() or not k.strip()]
        if bad:
            raise ValueError(f"keywords must be non-empty lowercase words: {bad}")
        return value


class LabelDenial(_Keyworded):
    denier: list[str] = Field(min_length=1)
    denied: str = Field(min_length=1)
    responds_to: list[str] = Field(default_factory=list)
    evidence: str = Field(min_length=1)
    optional: bool = False


class LabelClaim(_Keyworded):
    claimant: list[str] = Field(min_length=1)
    statement: str = Field(min_length=1)
    evidence: str = Field(min_length=1)


class Label(_Label):
    id: str = Field(min_length=1)
    request: LabelRequest = Field(default_factory=LabelRequest)
    category: str = ""
    style: str = ""
    covers: list[str] = Field(default_factory=list)
    notes: str = ""
    source_url: str | None = Field(default=None, description="Where a real published article was taken from.")
    language: str = Field(default="en", pattern=r"^[a-z]{2}$", description="ISO 639-1 code of the article.")
    outlet: LabelOutlet | None
    parties: list[LabelParty] = Field(default_factory=list)
    casualties: list[LabelCasualty] = Field(default_factory=list)
    denials: list[LabelDenial] = Field(default_factory=list)
    claims: list[LabelClaim] = Field(default_factory=list)
    reviewed: str = ""

    def evidence(self) -> list[str]:
        """Every evidence string of the label (each must occur verbatim in the article)."""
        return [e.evidence for e in [*self.casualties, *self.denials, *self.claims]]


@dataclass(frozen=True)
class Case:
    id: str
    path: Path
    text: str
    request: SummaryRequest
    label: Label
    is_html: bool = False


def read_article(path: Path) -> str:
    """The article exactly as stored (UTF-8, no newline translation)."""
    return path.read_bytes().decode("utf-8")


def article_path(label_path: Path) -> Path | None:
    """The ``.txt`` or ``.html`` file next to a label, or None."""
    found = [p for p in (label_path.with_suffix(s) for s in ARTICLE_SUFFIXES) if p.is_file()]
    if len(found) > 1:
        raise LabelError(f"{label_path.stem}: both .txt and .html exist; keep one")
    return found[0] if found else None


def load_label(path: Path) -> Label:
    try:
        label = Label.model_validate_json(path.read_bytes())
    except ValueError as exc:
        raise LabelError(f"{path}: invalid label: {exc}") from exc
    if label.id != path.stem:
        raise LabelError(f"{path}: id {label.id!r} differs from the file name {path.stem!r}")
    return label


def load_case(label_path: Path) -> Case:
    label = load_label(label_path)
    article = article_path(label_path)
    if article is None:
        raise LabelError(f"{label_path}: no article file ({' or '.join(ARTICLE_SUFFIXES)}) next to it")
    text = read_article(article)
    fmt = "html" if article.suffix == ".html" else "text"
    request = SummaryRequest(text=text, format=fmt, **label.request.model_dump())
    return Case(
        id=label.id,
        path=article,
        text=text,
        request=request,
        label=label,
        is_html=article.suffix == ".html",
    )


def load_cases(directory: str | Path, *, strict: bool = True) -> list[Case]:
    """Every case in ``directory``, sorted by id.

    ``strict=False`` skips labels whose article is missing or invalid instead of raising.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise LabelError(f"{directory}: not a directory")
    cases = []
    for label_path in sorted(directory.glob("*.json")):
        try:
            cases.append(load_case(label_path))
        except LabelError:
            if strict:
                raise
    return cases
