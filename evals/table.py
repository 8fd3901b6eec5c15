"""The quality table of the README: suites side by side, rules on and off, per field and per language.

    uv run --locked python -m evals.table RESULTS_JSON ...

Each results.json (from ``newsfacts eval``) is one column; its suite and whether the reading
rules ran are read from the run's metadata, unless the argument names the column itself
(``NAME=RESULTS_JSON``, e.g. one column per instructor mode). Per-language rows group the cases
by the language their label records.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from evals.labels import load_label
from evals.records import CaseRecord, RunResults
from evals.scoring import CaseScore, aggregate

FIELDS = [
    ("casualties_f1", "casualties F1"), ("casualties_precision", "casualties precision"),
    ("casualties_recall", "casualties recall"), ("attribution", "attribution"), ("denials_f1", "denials F1"),
    ("parties_f1", "parties F1"), ("outlet", "outlet"), ("claims_recall", "claims recall"),
    ("grounding_exact", "quotes at their offsets"), ("macro", "macro"),
]  # fmt: skip


def _language(case: CaseRecord) -> str:
    path = Path(case.path).with_suffix(".json")
    try:
        return load_label(path).language
    except Exception:  # a case whose label moved: unknown language
        return "?"


def column(
    results: RunResults, name: str | None = None
) -> tuple[str, dict[str, float | None], dict[str, tuple[int, dict[str, float | None]]]]:
    run = results.run
    name = name or f"{run.suite or '?'}{'' if run.reading_rules else ' (rules off)'}"
    by_lang: dict[str, list[CaseScore]] = defaultdict(list)
    scored = [c for c in results.cases if not _unrecorded(c)]
    for case in scored:
        by_lang[_language(case)].append(case.scores)
    langs = {lang: (len(scores), aggregate(scores).fields()) for lang, scores in by_lang.items()}
    overall = aggregate(c.scores for c in scored).fields()
    return f"{name} ({len(scored)})", overall, langs


def _unrecorded(case: CaseRecord) -> bool:
    """An article whose model answers are not in the answers file yet (a --replay-only run)."""
    if case.error is None:
        return False
    message = case.error.message.lower()
    return case.error.code == "answer_not_recorded" or "cassette" in message or "connection error" in message


def _fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}"


def _named(arg: str) -> tuple[str | None, Path]:
    """``NAME=PATH`` names its column; a bare path takes the run's own name."""
    name, sep, path = arg.partition("=")
    return (name, Path(path)) if sep and name and not Path(arg).exists() else (None, Path(arg))


def render(paths: Sequence[Path | str]) -> str:
    named = [_named(str(p)) for p in paths]
    cols = [column(RunResults.load(path), name) for name, path in named]
    head = "| field | " + " | ".join(c[0] for c in cols) + " |"
    lines = [head, "| --- |" + " --- |" * len(cols)]
    for key, label in FIELDS:
        lines.append(f"| {label} | " + " | ".join(_fmt(c[1].get(key)) for c in cols) + " |")
    lines.append("")
    lines.append(
        "| language (articles): macro / casualties F1 / casualties R | "
        + " | ".join(c[0] for c in cols)
        + " |"
    )
    lines.append("| --- |" + " --- |" * len(cols))
    langs = sorted({lang for c in cols for lang in c[2]})
    for lang in langs:
        cells = []
        for c in cols:
            if lang in c[2]:
                n, f = c[2][lang]
                cells.append(
                    f"({n}) {_fmt(f.get('macro'))} / {_fmt(f.get('casualties_f1'))} / {_fmt(f.get('casualties_recall'))}"
                )
            else:
                cells.append("")
        lines.append(f"| {lang} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.table", description=__doc__.splitlines()[0])
    p.add_argument("results", nargs="+", metavar="[NAME=]RESULTS_JSON")
    args = p.parse_args(argv)
    print(render(args.results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
