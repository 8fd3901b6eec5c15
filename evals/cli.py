"""``newsfacts eval``: run the dev set, score it, store the run, write results.json and report.html.

Exit codes: 0 fine; 1 an article failed (an error instead of a summary, e.g. an answer missing from
a replayed answers file), a field dropped more than ``--threshold`` vs the previous run or the pinned
baseline, or a returned quote is not at its offsets (grounding must be 100 %); 2 bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fnmatch
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr

import prompts
from evals.history import DEFAULT_HISTORY_PATH, Comparison, History, RunRecord, compare
from evals.junit import write_junit
from evals.labels import Case, LabelError, load_cases
from evals.records import RunResults
from evals.report import Verdict, write_html
from evals.runner import rescore_results, run_eval
from evals.scoring import FIELDS
from newsfacts.cache import open_cache
from newsfacts.reading import cache_version
from newsfacts.runtime import Runtime
from newsfacts.settings import Settings

EVALS_DIR = Path(__file__).parent
DEFAULT_DEVSET = EVALS_DIR / "devset"
DEFAULT_CACHE_PATH = EVALS_DIR / "cache.sqlite"  # the eval's outputs, so re-scoring needs no model call
SUITES = {
    "synthetic": DEFAULT_DEVSET,
    "tune": EVALS_DIR / "real" / "tune",
    "check": EVALS_DIR / "real" / "check",
}
DEFAULT_RUNS = EVALS_DIR / "runs"


EXIT_CODES = """\
exit status:
  0  every article summarised, no field dropped, every quote at its offsets
  1  an article failed (listed as ERROR), a field dropped beyond --threshold (DROP), or a quote is not
     at its offsets (DEFECT); results.json, report.html and --junit are written all the same
  2  usage error (bad arguments, no matching case, a label that does not load)
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsfacts eval",
        description="Score the pipeline on the dev set.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--dir", type=Path, default=None, help="dev-set directory (default: the --suite's)")
    p.add_argument(
        "--suite",
        choices=sorted(SUITES),
        default="synthetic",
        help="synthetic: articles written for the project (evals/devset); tune / check: real published "
        "articles (evals/real/…); check is scored only, never read while writing rules",
    )
    p.add_argument(
        "--no-rules",
        action="store_true",
        help="score the model's answers with grounding only (NEWSFACTS_READING_RULES=false)",
    )
    p.add_argument("--only", action="append", default=[], metavar="GLOB", help="case ids to run (repeatable)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="run at most N cases")
    p.add_argument("--concurrency", type=int, default=1, metavar="N", help="articles in flight (default 1)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="default: evals/runs/<timestamp>/")
    p.add_argument("--no-cache", action="store_true", help="always call the model")
    p.add_argument("--cache-db", type=Path, default=DEFAULT_CACHE_PATH, help=argparse.SUPPRESS)
    p.add_argument("--history", type=Path, default=DEFAULT_HISTORY_PATH, help="run-history SQLite file")
    p.add_argument("--threshold", type=float, default=0.05, help="largest tolerated drop per field (0.05)")
    p.add_argument("--pin-baseline", action="store_true", help="pin this run as the baseline")
    p.add_argument(
        "--rescore",
        type=Path,
        default=None,
        metavar="RESULTS_JSON",
        help="score a saved results.json again, without any model call",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "--answers",
        type=Path,
        default=None,
        metavar="YAML",
        help="keep the model's HTTP answers in this file: requests it holds are replayed, new ones are asked "
        "and added; re-scores a code change with no model call (implies --no-cache)",
    )
    p.add_argument(
        "--replay-only",
        action="store_true",
        help="with --answers: never start or ask a model (the embedded extra is not needed); a request the "
        "file does not hold fails its article with 'answer_not_recorded'",
    )
    p.add_argument(
        "--replay", type=Path, default=None, metavar="YAML", help="the same as --answers YAML --replay-only"
    )
    p.add_argument(
        "--junit",
        type=Path,
        default=None,
        metavar="PATH",
        help="also write a JUnit XML file: one test case per article (failed: an error, or worse than "
        "the previous run or the baseline), one per field (failed: dropped beyond --threshold)",
    )
    p.add_argument(
        "--drop-unused-answers",
        action="store_true",
        help="with --answers: afterwards keep, of each article this run asked about, only the answers it "
        "asked for (drops those a changed prompt or window no longer asks); other articles' answers stay",
    )
    return p


def select(cases: list[Case], only: Sequence[str], limit: int | None) -> list[Case]:
    if only:
        cases = [c for c in cases if any(fnmatch.fnmatchcase(c.id, g) for g in only)]
    return cases[:limit] if limit is not None else cases


def _out_dir(out: Path | None) -> Path:
    if out is not None:
        return out
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path, n = DEFAULT_RUNS / stamp, 1
    while path.exists():
        n += 1
        path = DEFAULT_RUNS / f"{stamp}-{n}"
    return path


@contextlib.contextmanager
def recorded_answers(path: Path, *, drop_unused: bool = False, replay_only: bool = False) -> Iterator[None]:
    """Replay the chat completions held in ``path`` and add new ones (vcrpy). Requests match on
    method, path and body, not host or port: the embedded server takes a free port each run.

    ``drop_unused``: afterwards the file keeps, of each article this run asked about, only the
    answers it asked for; answers for articles it did not ask about stay (one file serves two
    suites)."""
    try:
        import vcr
    except ImportError as exc:  # vcrpy is in the dev dependency group
        raise SystemExit("--answers needs vcrpy: uv sync --locked (the dev group installs it)") from exc

    asked: set[str] = set()

    def completions_only(request: Any) -> Any:
        if not request.path.endswith("/chat/completions"):
            return None
        asked.add(_body_text(request.body))
        return request

    recorder = vcr.VCR(
        record_mode="none" if replay_only else "new_episodes",
        match_on=["method", "path", "body"],
        filter_headers=["authorization", "api-key", "x-api-key"],
        before_record_request=completions_only,
        decode_compressed_response=True,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with recorder.use_cassette(str(path), allow_playback_repeats=True):
        asked.clear()  # vcrpy filtered the file's own requests as it loaded them
        yield
    if drop_unused and path.exists():
        drop_unasked(path, asked)


def _body_text(body: bytes | str | None) -> str:
    return body.decode("utf-8") if isinstance(body, bytes) else (body or "")


def _article_key(body: str) -> str | None:
    import json

    try:
        return prompts.article_of(json.loads(body)["messages"])
    except (ValueError, KeyError, TypeError):
        return None


def drop_unasked(path: Path, asked: set[str]) -> int:
    """Drop from the answers file at ``path`` the answers, for an article some request in ``asked``
    is about, that no request in ``asked`` matches (a changed prompt's old answers); returns how
    many. The file is read and written with vcrpy's own YAML serializer."""
    from vcr.serializers import yamlserializer

    data = yamlserializer.deserialize(path.read_text(encoding="utf-8"))
    articles = {_article_key(body) for body in asked} - {None}
    keep = [
        i for i in data["interactions"]
        if _body_text(i["request"]["body"]) in asked or _article_key(_body_text(i["request"]["body"])) not in articles
    ]  # fmt: skip
    dropped = len(data["interactions"]) - len(keep)
    if dropped:
        data["interactions"] = keep
        path.write_text(yamlserializer.serialize(data), encoding="utf-8")
    return dropped


# Where a replay "sends" its requests: nothing listens there, and answers match on method, path and body.
REPLAY_API_BASE = "http://127.0.0.1:9/v1"


def replay_settings(settings: Settings) -> Settings:
    """Settings for a replay that never starts a model: the configured model, or else the embedded
    model's litellm string and context window (what the committed answers were recorded from),
    addressed at a port nothing listens on; one attempt per call, since a miss is final."""
    return settings.model_copy(update={
        "model": settings.model or f"openai/{settings.embedded_model}",
        "api_base": settings.api_base or REPLAY_API_BASE,
        "api_key": settings.api_key or SecretStr("replay"),
        "context_tokens": settings.context_tokens or (settings.embedded_ctx if settings.uses_embedded else None),
        "fallback_models": [],
        "transport_retries": 1,
    })  # fmt: skip


async def _run(cases: list[Case], args: argparse.Namespace) -> RunResults:
    # The eval keeps its own output cache (--no-cache turns it off); the service cache stays out of it.
    settings = Settings(cache_enabled=False, reading_rules=not args.no_rules)
    if args.replay_only:
        settings = replay_settings(settings)
    runtime = Runtime(settings)
    # Kept by the service's cache class, under NEWSFACTS_CACHE_MAX_MB but not aged out: every key
    # carries the prompt, reading-code and schema versions, so an old output is never served anyway.
    cache = None if args.no_cache else open_cache(settings, args.cache_db, by_age=False)
    try:
        # Start the model only when some output is not cached.
        model = runtime.model_name
        missing = cache is None or any(
            cache.get(
                c.request,
                model=model,
                version=cache_version(
                    prompts.PROMPT_VERSION, rules=not args.no_rules, mode=settings.instructor_mode
                ),
            )
            is None
            for c in cases
        )
        kwargs = {"concurrency": args.concurrency, "cache": cache, "progress": not args.no_progress}
        if not missing:
            return await run_eval(cases, runtime=runtime, **kwargs)
        async with runtime as rt:
            return await run_eval(cases, runtime=rt, **kwargs)
    finally:
        if cache is not None:
            cache.close()


def _print_summary(results: RunResults, comparison: Comparison, refs: dict[str, RunRecord]) -> None:
    run, fields, latency, usage = results.run, results.fields, results.latency, results.usage
    print(
        f"run {run.run_id}  model {run.model}  prompt {run.prompt_version}  "
        f"cases {run.n_cases}  errors {run.n_errors}"
    )
    names = [n for n in ("previous", "baseline") if n in refs]
    print(f"{'field':<22}{'this run':>10}" + "".join(f"{n:>10}" for n in names))
    for f in FIELDS:
        row = f"{f:<22}{_num(fields.get(f)):>10}"
        for n in names:
            row += f"{_num(refs[n].fields(set(results.case_ids()) & set(refs[n].cases)).get(f)):>10}"
        print(row)
    print(
        f"latency p50 {_num(latency.p50_ms, 0)} ms, p95 {_num(latency.p95_ms, 0)} ms; "
        f"tokens {usage.total_tokens} ({usage.cached_cases} cached cases); cost {_num(usage.cost_usd, 4)}"
    )
    for ref, run_id in comparison.references.items():
        print(f"compared with {ref} run {run_id} on {comparison.shared_cases.get(ref, 0)} shared cases")


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.dir is None:
        args.dir = SUITES[args.suite]
    try:
        cases = select(load_cases(args.dir), args.only, args.limit)
    except LabelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not cases:
        print(f"error: no cases in {args.dir} match", file=sys.stderr)
        return 2

    if args.replay is not None:
        if args.answers is not None and args.answers != args.replay:
            print("error: --replay FILE is --answers FILE --replay-only: give one of them", file=sys.stderr)
            return 2
        args.answers, args.replay_only = args.replay, True
    if args.replay_only and args.answers is None:
        print("error: --replay-only goes with --answers FILE", file=sys.stderr)
        return 2
    if args.replay_only and not args.answers.is_file():
        print(f"error: no answers file {args.answers} to replay", file=sys.stderr)
        return 2
    if args.drop_unused_answers and args.answers is None:
        print("error: --drop-unused-answers goes with --answers FILE", file=sys.stderr)
        return 2
    if args.rescore is not None:
        results = rescore_results(RunResults.load(args.rescore), cases)
    elif args.answers is not None:
        args.no_cache = True
        with recorded_answers(
            args.answers, drop_unused=args.drop_unused_answers, replay_only=args.replay_only
        ):
            results = asyncio.run(_run(cases, args))
    else:
        results = asyncio.run(_run(cases, args))

    results.run.suite = args.suite if args.dir == SUITES.get(args.suite) else str(args.dir)
    out = _out_dir(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(results.to_json(), encoding="utf-8")

    with History(args.history) as history:
        refs = {"previous": history.previous(), "baseline": history.baseline()}
        refs = {k: v for k, v in refs.items() if v is not None}
        run_id = history.record(results)
        comparison = compare(
            RunRecord.from_results(results),
            refs.get("previous"),
            refs.get("baseline"),
            threshold=args.threshold,
        )
        if args.pin_baseline:
            history.pin_baseline(run_id)
        rows = history.rows()
    report = write_html(results, rows, out / "report.html", comparison=comparison, threshold=args.threshold)
    if args.junit is not None:
        write_junit(results, comparison, args.junit, threshold=args.threshold)

    _print_summary(results, comparison, refs)
    print(f"wrote {out / 'results.json'} and {report}" + (f" and {args.junit}" if args.junit else ""))
    if args.pin_baseline:
        print(f"pinned run {run_id} as the baseline")

    verdict = Verdict.of(results, comparison)
    for case_id, code, message in verdict.errors:
        print(f"ERROR {case_id}: {code}: {message}")
    for d in comparison.dropped:
        print(f"DROP {d.field}: {d.before:.3f} -> {d.after:.3f} vs {d.reference} run {d.reference_run_id}")
    if comparison.worse_cases:
        print("worse articles:")
        for c in comparison.worse_cases:
            why = f"error: {c.error}" if c.error else ", ".join(c.fields)
            print(f"  {c.case_id}: macro {c.before:.2f} -> {c.after:.2f} vs {c.reference} ({why})")
    if verdict.grounding_defect:
        print(
            f"DEFECT grounding_exact {verdict.grounding:.3f} < 1.000: a returned quote is not at its offsets"
        )
    print(f"verdict: {verdict.line()}")
    return 0 if verdict.passed else 1


if __name__ == "__main__":
    sys.exit(main())
