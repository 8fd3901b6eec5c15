"""Run the pipeline over the dev set and score it.

``run_eval`` summarises each case once on the pipeline (``newsfacts.batchcore.run_item``, whose error
mapping every door shares; bounded concurrency, cached outputs reused), never lets one case crash the
run, and returns its ``RunResults`` (``evals.records``: the run's metadata, aggregate scores, flat
metrics, latency, usage and one ``CaseRecord`` per article; results.json is its JSON).

``rescore_results`` scores a saved run again from its stored outputs (no model call).
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import prompts
from evals.labels import Case
from evals.records import CaseRecord, ErrorRecord, Latency, RunInfo, RunResults, RunUsage, TokenUsage
from evals.scoring import CaseScore, aggregate, error_score, score_case
from newsfacts.batchcore import item_error, run_item
from newsfacts.cache import ResultCache
from newsfacts.reading import cache_version
from newsfacts.runtime import Runtime
from schemas.contract import SCHEMA_VERSION, ArticleSummary

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def git_commit(root: Path = PROJECT_ROOT) -> str | None:
    """The checked-out commit, read from ``.git`` (no git process); None when unknown."""
    git = root / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head or None
        ref = head[5:]
        loose = git / ref
        if loose.is_file():
            return loose.read_text().strip() or None
        packed = git / "packed-refs"
        if packed.is_file():
            for line in packed.read_text().splitlines():
                sha, _, name = line.partition(" ")
                if name == ref:
                    return sha
    except OSError:
        return None
    return None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (``q`` in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def new_run_id(now: datetime) -> str:
    return f"{now.strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:6]}"


class _Progress:
    """A rich progress bar on stderr when rich is importable, else one plain line per case."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.done = total, enabled, 0
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _Progress:
        if not self.enabled:
            return self
        try:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        except ImportError:
            return self
        self._bar = Progress(
            TextColumn("eval"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
            transient=False,
        )
        self._bar.__enter__()
        self._task = self._bar.add_task("", total=self.total)
        return self

    def advance(self, case_id: str, status: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=f"{case_id} {status}")
        else:
            print(f"[{self.done}/{self.total}] {case_id} {status}", file=sys.stderr, flush=True)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


NOT_RECORDED = "answer_not_recorded"


def _replay_miss(exc: BaseException) -> bool:
    """Whether a replayed answers file had no answer for a request (vcrpy's miss, under any wrapping)."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if type(cause).__name__ == "CannotOverwriteExistingCassetteException":
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _error_record(exc: BaseException, *, stage: str | None = None) -> ErrorRecord:
    if _replay_miss(exc):
        return ErrorRecord(
            type=type(exc).__name__,
            code=NOT_RECORDED,
            message="the answers file holds no answer for one of this article's model requests (the article, "
            "the prompt or the request the code builds changed since it was recorded); record it with "
            "--answers FILE on the model, without --replay-only",
            stage=stage,
        )
    error = item_error(exc)
    return ErrorRecord(type=type(exc).__name__, code=error.code, message=error.message, stage=stage)


# The answers of the article being summarised in this task: each model call's filled form.
_ANSWERS: ContextVar[list[dict[str, Any]] | None] = ContextVar("newsfacts_eval_answers", default=None)


def keep_answers(runtime: Any) -> None:
    """Keep every model call's answer (the form the model filled, as parsed, before the reading code
    uses it) with the article it belongs to, for the report. A no-op for a runtime with no client."""
    client = getattr(runtime, "client", None)
    if client is None or not hasattr(client, "extract") or getattr(client, "keeps_eval_answers", False):
        return
    extract = client.extract

    async def extract_and_keep(form: Any, messages: Any, **kwargs: Any) -> Any:
        # The place is taken when the call starts, so calls that run side by side are listed in the
        # order the pipeline made them, not in the order they happened to finish.
        sink = _ANSWERS.get()
        entry: dict[str, Any] = {"task": kwargs.get("task"), "answer": None}
        if sink is not None:
            sink.append(entry)
        try:
            result = await extract(form, messages, **kwargs)
        except BaseException:
            if sink is not None:
                del sink[next(i for i, kept in enumerate(sink) if kept is entry)]
            raise
        entry["answer"] = result.model_dump(mode="json")
        return result

    client.extract = extract_and_keep
    client.keeps_eval_answers = True


def _case_record(
    case: Case,
    summary: ArticleSummary | None,
    error: ErrorRecord | None,
    latency_ms: int | None,
    cached: bool,
    answers: list[dict[str, Any]] | None = None,
) -> CaseRecord:
    scores: CaseScore
    if summary is not None:
        try:
            scores = score_case(case.label, summary, case.text)
        except Exception as exc:  # a scorer bug must not lose the run
            error = _error_record(exc, stage="scoring")
            scores = error_score(case.label, f"scoring failed: {error.message}")
    else:
        message = error.message if error else "no output"
        scores = error_score(case.label, message)
    return CaseRecord(
        id=case.id,
        path=str(case.path),
        is_html=case.is_html,
        category=case.label.category,
        style=case.label.style,
        cached=cached,
        latency_ms=latency_ms,
        error=error,
        output=summary.model_dump(mode="json") if summary is not None else None,
        answers=answers,
        scores=scores,
    )


def _usage(records: Iterable[CaseRecord]) -> RunUsage:
    totals, fresh = TokenUsage(), TokenUsage()
    cached = 0
    for rec in records:
        usage = (rec.output or {}).get("usage")
        if not usage:
            continue
        cached += rec.cached
        for bucket in (totals, fresh) if not rec.cached else (totals,):
            bucket.prompt_tokens += usage["prompt_tokens"]
            bucket.completion_tokens += usage["completion_tokens"]
            if usage.get("cost_usd") is not None:
                bucket.cost_usd = (bucket.cost_usd or 0.0) + usage["cost_usd"]
    for bucket in (totals, fresh):
        bucket.total_tokens = bucket.prompt_tokens + bucket.completion_tokens
    return RunUsage(**totals.model_dump(), cached_cases=cached, this_run=fresh)


def _latency(records: Iterable[CaseRecord]) -> Latency:
    values = [float(r.latency_ms) for r in records if r.latency_ms is not None]
    return Latency(
        n=len(values),
        p50_ms=percentile(values, 50),
        p95_ms=percentile(values, 95),
        mean_ms=sum(values) / len(values) if values else None,
        max_ms=max(values) if values else None,
    )


def build_results(run: RunInfo | dict[str, Any], records: list[CaseRecord]) -> RunResults:
    """A run's results from its metadata and its per-case records."""
    scores = aggregate(r.scores for r in records)
    info = run if isinstance(run, RunInfo) else RunInfo.model_validate(run)
    return RunResults(
        run=info.model_copy(update={"n_cases": len(records), "n_errors": scores.n_errors}),
        aggregate=scores,
        fields=scores.fields(),
        latency=_latency(records),
        usage=_usage(records),
        cases=records,
    )


async def run_eval(
    cases: Sequence[Case],
    *,
    runtime: Runtime,
    concurrency: int = 1,
    cache: ResultCache | None = None,
    progress: bool = True,
) -> RunResults:
    """Summarise and score every case; a failing case is recorded as an error with zero scores."""
    started = datetime.now(UTC)
    model = runtime.model_name
    prompt_version = prompts.PROMPT_VERSION
    settings = getattr(runtime, "settings", None)
    rules = getattr(settings, "reading_rules", True)
    cache_key = cache_version(prompt_version, rules=rules, mode=getattr(settings, "instructor_mode", None))
    semaphore = asyncio.Semaphore(max(1, concurrency))
    keep_answers(runtime)

    async def one(case: Case, bar: _Progress) -> CaseRecord:
        summary: ArticleSummary | None = None
        error: ErrorRecord | None = None
        cached = False
        latency_ms: int | None = None
        answers: list[dict[str, Any]] | None = None
        async with semaphore:
            if cache is not None:
                summary = cache.get(case.request, model=model, version=cache_key)
            if summary is not None:
                cached = True
                latency_ms = summary.usage.latency_ms
            else:
                t0 = time.perf_counter()
                answers = []
                _ANSWERS.set(answers)  # this task's own context: concurrent articles keep theirs apart
                outcome = await run_item(case.request, runtime=runtime)
                summary = outcome.result
                if outcome.exception is not None:
                    error = _error_record(outcome.exception)
                latency_ms = int((time.perf_counter() - t0) * 1000)
                if summary is not None and cache is not None:
                    cache.put(case.request, summary, model=model, version=cache_key)
        record = _case_record(case, summary, error, latency_ms, cached, answers)
        status = "error" if record.error is not None else ("cached" if cached else f"{latency_ms} ms")
        bar.advance(case.id, f"{status} macro={record.macro:.2f}")
        return record

    with _Progress(len(cases), progress) as bar:
        records = await asyncio.gather(*(one(case, bar) for case in cases))

    run = RunInfo(
        run_id=new_run_id(started),
        started_at=started.isoformat(timespec="seconds"),
        finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
        model=model,
        prompt_version=prompt_version,
        schema_version=SCHEMA_VERSION,
        git_commit=git_commit(),
        concurrency=concurrency,
        reading_rules=rules,
    )
    return build_results(run, list(records))


def rescore_results(results: RunResults, cases: Sequence[Case]) -> RunResults:
    """Score a saved run's outputs again against (possibly updated) labels; no model call.

    Cases of the saved run without a label in ``cases`` are left out.
    """
    by_id = {case.id: case for case in cases}
    records = []
    for old in results.cases:
        case = by_id.get(old.id)
        if case is None:
            continue
        summary = None
        error = old.error
        if old.output is not None:
            try:
                summary = ArticleSummary.model_validate(old.output)
            except ValueError as exc:
                error = _error_record(exc, stage="rescore")
        records.append(_case_record(case, summary, error, old.latency_ms, old.cached, old.answers))
    now = datetime.now(UTC)
    run = results.run.model_copy(update={
        "run_id": new_run_id(now),
        "started_at": now.isoformat(timespec="seconds"),
        "finished_at": now.isoformat(timespec="seconds"),
        "rescored_from": results.run.run_id,
        "git_commit": git_commit(),
    })  # fmt: skip
    return build_results(run, records)
