"""The records of an eval run: what the runner produces, the report, the JUnit file, the history and
the README's table read, and ``results.json`` holds.

``RunResults`` is one run (its metadata, scores, latency, usage and one ``CaseRecord`` per article);
``RunResults.to_json()`` is the text of results.json and ``RunResults.load(path)`` reads one back.
A case's ``output`` (the ``ArticleSummary``) and ``answers`` (each model call's filled form) stay the
JSON they were written as: a saved run whose output an older contract wrote still loads, and
re-scoring it records the failure on that article alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, computed_field, model_serializer

from evals.scoring import CaseScore, RunScores


def _without(data: dict[str, Any], *optional: str) -> dict[str, Any]:
    """``data`` without the optional keys that hold nothing (results.json leaves them out)."""
    return {k: v for k, v in data.items() if not (k in optional and v is None)}


class ErrorRecord(BaseModel):
    """Why an article has no score of its own: the error's class, its code and message, and, when the
    pipeline answered but a later step failed, that step."""

    model_config = ConfigDict(extra="allow")

    type: str = ""
    code: str | None = None
    message: str = ""
    stage: str | None = None  # "scoring" or "rescore"; left out when the pipeline itself failed

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _without(handler(self), "stage")

    @property
    def label(self) -> str:
        """The error's code, else its class: what a one-line report names it by."""
        return str(self.code or self.type or "error")


class CaseRecord(BaseModel):
    """One article of a run: where it came from, how it went, what the pipeline returned and its score."""

    model_config = ConfigDict(extra="ignore")

    id: str
    path: str
    is_html: bool = False
    category: str = ""
    style: str = ""
    cached: bool = False
    latency_ms: int | None = None
    error: ErrorRecord | None = None
    output: dict[str, Any] | None = None  # the ArticleSummary as JSON
    answers: list[dict[str, Any]] | None = None  # {"task", "answer"} per model call, in call order
    scores: CaseScore

    @computed_field  # type: ignore[prop-decorator]
    @property
    def macro(self) -> float:
        return self.scores.macro


class RunInfo(BaseModel):
    """A run's metadata. Keys results.json does not know are kept as they were (a re-scored run keeps
    its original's)."""

    model_config = ConfigDict(extra="allow")

    run_id: str
    started_at: str
    finished_at: str | None = None
    model: str | None = None
    prompt_version: str | None = None
    schema_version: str | None = None
    git_commit: str | None = None
    concurrency: int | None = None
    reading_rules: bool = True
    rescored_from: str | None = None  # the run whose outputs were scored again; left out otherwise
    n_cases: int = 0
    n_errors: int = 0
    suite: str | None = None  # the suite's name, or the directory of the cases; set by the CLI

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _without(handler(self), "rescored_from", "suite")


class Latency(BaseModel):
    """Per-article latency over the run, in milliseconds (None: no article has one)."""

    n: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    mean_ms: float | None = None
    max_ms: float | None = None


class TokenUsage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    total_tokens: int = 0


class RunUsage(TokenUsage):
    """Tokens and cost of every article's output, and (``this_run``) of those not served from the cache."""

    cached_cases: int = 0
    this_run: TokenUsage = TokenUsage()


class RunResults(BaseModel):
    """One eval run: the contents of its results.json."""

    run: RunInfo
    aggregate: RunScores
    fields: dict[str, float | None]  # every metric of evals.scoring.FIELDS, flat
    latency: Latency
    usage: RunUsage
    cases: list[CaseRecord]

    def case_ids(self) -> list[str]:
        return [c.id for c in self.cases]

    def to_json(self) -> str:
        """The text of results.json."""
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False)

    @classmethod
    def load(cls, path: str | Path) -> RunResults:
        return cls.model_validate_json(Path(path).read_text(encoding="utf-8"))
