"""A single self-contained HTML report of one run: inline CSS and SVG, no scripts, no network."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from evals.history import CaseDrop, Comparison, FieldDrop
from evals.labels import Label, load_label
from evals.records import CaseRecord, RunResults
from evals.scoring import CASE_FIELDS, FIELDS, CaseScore

CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5em 0; }
td, th { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bad { color: #b00020; font-weight: 600; } .muted { color: #777; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
details { margin: .2em 0; } summary { cursor: pointer; }
code { font-size: 12px; }
.verdict { padding: .6em 1em; border-radius: 4px; margin: 1em 0; }
.verdict.fail { background: #fde8ec; border: 1px solid #b00020; }
.verdict.pass { background: #e6f4ea; border: 1px solid #2e7d32; }
.verdict h2 { margin: 0 0 .3em; border: 0; }
.article { white-space: pre-wrap; background: #fafafa; border: 1px solid #eee; padding: .6em; max-height: 30em; overflow: auto; }
mark { background: #fff0a0; } mark.casualty { background: #ffd6a0; } mark.denial { background: #c8e6ff; }
pre.answer { background: #f6f6f6; padding: .5em; overflow: auto; max-height: 20em; font-size: 12px; }
.case > summary { font-weight: 600; } .case { border-bottom: 1px solid #eee; padding: .2em 0; }
"""


@dataclass
class Verdict:
    """Whether a run passes, and why not: failed articles, dropped fields and misplaced quotes fail
    it; articles that got worse are named but do not fail it on their own. The CLI, the report and
    the JUnit file say the same thing."""

    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (article, code, message)
    new_errors: set[str] = field(default_factory=set)  # failed here, not in the run compared with
    dropped: list[FieldDrop] = field(default_factory=list)
    worse: list[CaseDrop] = field(default_factory=list)
    grounding: float | None = None

    @classmethod
    def of(cls, results: RunResults, comparison: Comparison | None) -> Verdict:
        comparison = comparison or Comparison()
        errors = [(c.id, c.error.label, c.error.message) for c in results.cases if c.error is not None]
        if comparison.references:
            new = {c.case_id for c in comparison.worse_cases if c.error}
        else:
            new = {e[0] for e in errors}
        return cls(errors, new, list(comparison.dropped), list(comparison.worse_cases),
                   results.fields.get("grounding_exact"))  # fmt: skip

    @property
    def grounding_defect(self) -> bool:
        return self.grounding is not None and self.grounding < 1.0

    @property
    def passed(self) -> bool:
        return not (self.errors or self.dropped or self.grounding_defect)

    def line(self) -> str:
        parts = []
        if self.errors:
            parts.append(f"{len(self.errors)} article(s) failed, {len(self.new_errors)} of them new")
        if self.dropped:
            parts.append(f"{len({d.field for d in self.dropped})} field(s) dropped")
        if self.grounding_defect:
            parts.append("a quote is not at its offsets")
        worse = len({c.case_id for c in self.worse})
        tail = f"; {worse} article(s) got worse" if worse else ""
        return ("FAIL: " + ", ".join(parts) if parts else "PASS") + tail


def _anchor(case_id: str) -> str:
    return "case-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in case_id)


def verdict_html(verdict: Verdict, threshold: float) -> str:
    """The report's opening: pass or fail, and every reason, each article linked to its details."""

    def link(case_id: str) -> str:
        return f"<a href='#{_anchor(case_id)}'>{escape(case_id)}</a>"

    items = []
    if verdict.errors:
        rows = "".join(
            f"<li>{link(cid)}{' <b>new</b>' if cid in verdict.new_errors else ''}: <code>{escape(code)}</code> "
            f"{escape(message)}</li>"
            for cid, code, message in verdict.errors
        )
        items.append(f"<h3>Articles that failed ({len(verdict.errors)})</h3><ul>{rows}</ul>")
    if verdict.dropped:
        rows = "".join(
            f"<li><b>{escape(d.field)}</b> {d.before:.3f} → {d.after:.3f} vs the {escape(d.reference)} run "
            f"<code>{escape(d.reference_run_id)}</code></li>"
            for d in verdict.dropped
        )
        items.append(f"<h3>Fields that dropped by more than {threshold:g}</h3><ul>{rows}</ul>")
    if verdict.worse:
        rows = "".join(
            f"<li>{link(c.case_id)}: macro {c.before:.2f} → {c.after:.2f} vs the {escape(c.reference)} run "
            f"({escape('error: ' + c.error if c.error else ', '.join(c.fields))})</li>"
            for c in verdict.worse
        )
        items.append(f"<h3>Articles that got worse</h3><ul>{rows}</ul>")
    if verdict.grounding_defect:
        items.append(
            f"<h3>Defect</h3><p>grounding {_fmt(verdict.grounding)} &lt; 1.000: a returned quote is not "
            "at its offsets</p>"
        )
    if not items:
        items.append("<p>No article failed, no field dropped, every quote is at its offsets.</p>")
    cls = "pass" if verdict.passed else "fail"
    return f"<section class='verdict {cls}'><h2>{escape(verdict.line())}</h2>{''.join(items)}</section>"


def _label(case: CaseRecord) -> Label | None:
    try:
        return load_label(Path(case.path).with_suffix(".json"))
    except Exception:  # a case whose label moved or no longer loads: shown without it
        return None


def _article_text(case: CaseRecord) -> str | None:
    output = case.output or {}
    if output.get("article_text") is not None:
        return str(output["article_text"])
    if case.is_html:
        return None
    try:
        return Path(case.path).read_text(encoding="utf-8")
    except OSError:
        return None


def highlighted(text: str, output: dict[str, Any] | None) -> str:
    """The article with every returned quote marked (casualty, claim or denial; hover for which)."""
    spans = []
    for group, kind in (("casualties", "casualty"), ("claims", "claim"), ("denials", "denial")):
        for item in (output or {}).get(group) or []:
            quote = item.get("quote")
            if quote and 0 <= quote["start"] < quote["end"] <= len(text):
                spans.append((quote["start"], quote["end"], kind))
    out, pos = [], 0
    for start, end, kind in sorted(spans):
        start = max(start, pos)  # an overlapping quote is marked from where the one before ends
        if start >= end:
            continue
        out.append(escape(text[pos:start]))
        out.append(f"<mark class='{kind}' title='{kind}'>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return f"<div class='article'>{''.join(out)}</div>"


def _names(values: Sequence[str]) -> str:
    """A label's accepted names for one party: the first, and how many others are accepted."""
    if not values:
        return "no one"
    return values[0] + (f" (or {len(values) - 1} other names)" if len(values) > 1 else "")


def _figure(c: Any) -> str:
    count = c.count if not isinstance(c, dict) else c.get("count")
    low = c.min if not isinstance(c, dict) else c.get("min")
    high = c.max if not isinstance(c, dict) else c.get("max")
    kind = c.kind if not isinstance(c, dict) else c.get("kind")
    return f"{kind} {count if count is not None else '?'} [{low if low is not None else ''}–{high if high is not None else ''}]"


def expected_found(label: Label | None, output: dict[str, Any] | None) -> str:
    """Side by side, per field: what the label expects and what the pipeline returned."""
    output = output or {}
    rows: list[tuple[str, list[str], list[str]]] = []
    if label is not None:
        rows.append(("outlet", [label.outlet.name if label.outlet else "none"],
                     [(output.get("outlet") or {}).get("name") or "none"]))  # fmt: skip
        rows.append(("casualties",
                     [f"{_figure(c)} by {_names(c.reported_by)}{' (optional)' if c.optional else ''}" for c in label.casualties],
                     [f"{_figure(c)} by {c.get('reported_by') or 'no one'}, blamed on {c.get('caused_by') or 'no one'}"
                      for c in output.get("casualties") or []]))  # fmt: skip
        rows.append(("parties", [f"{p.name}{' (optional)' if p.optional else ''}" for p in label.parties],
                     [p.get("name", "") for p in output.get("parties") or []]))  # fmt: skip
        rows.append(("denials", [f"{_names(d.denier)}: {d.denied}" for d in label.denials],
                     [f"{d.get('denier')}: {d.get('denied')}" for d in output.get("denials") or []]))  # fmt: skip
        rows.append(("claims", [f"{_names(c.claimant)}: {c.statement}" for c in label.claims],
                     [f"{c.get('claimant')}: {c.get('statement')}" for c in output.get("claims") or []]))  # fmt: skip
    body = "".join(
        f"<tr><th>{escape(name)}</th><td><ul>{''.join(f'<li>{escape(x)}</li>' for x in want) or '<li>–</li>'}</ul></td>"
        f"<td><ul>{''.join(f'<li>{escape(x)}</li>' for x in got) or '<li>–</li>'}</ul></td></tr>"
        for name, want, got in rows
    )
    return f"<table><tr><th></th><th>expected (label)</th><th>found</th></tr>{body}</table>" if body else ""


def answers_html(answers: list[dict[str, Any]] | None, cached: bool) -> str:
    if not answers:
        why = "served from the eval cache" if cached else "not kept for this run"
        return f"<p class='muted'>The model's answers: {why}.</p>"
    calls = "".join(
        f"<h4>{escape(str(a.get('task')))}</h4><pre class='answer'>"
        f"{escape(json.dumps(a.get('answer'), ensure_ascii=False, indent=2))}</pre>"
        for a in answers
    )
    return f"<details><summary>the model's answers ({len(answers)} calls, before the reading code)</summary>{calls}</details>"


def article_html(case: CaseRecord, score: CaseScore) -> str:
    """One article, folded: its error, expected vs found, what the scorer noted, the article with its
    quotes highlighted, and the model's answers."""
    error = case.error
    head = f"{escape(case.id)} — macro {_fmt(score.macro, 2)}"
    if error is not None:
        head += f" — <span class='bad'>{escape(str(error.code or error.type))}</span>"
    parts = [f"<details class='case' id='{_anchor(case.id)}'><summary>{head}</summary>"]
    if error is not None:
        parts.append(f"<p class='bad'>{escape(error.message)}</p>")
    parts.append(expected_found(_label(case), case.output))
    if score.notes:
        parts.append("<ul>" + "".join(f"<li><code>{escape(n)}</code></li>" for n in score.notes) + "</ul>")
    text = _article_text(case)
    parts.append(highlighted(text, case.output) if text is not None
                 else "<p class='muted'>article text not available (an HTML page that was not extracted)</p>")  # fmt: skip
    parts.append(answers_html(case.answers, case.cached))
    parts.append("</details>")
    return "".join(parts)


SHORT_NAMES = {
    "casualties_f1": "casualties F1",
    "attribution": "attribution",
    "denials_f1": "denials F1",
    "parties_f1": "parties F1",
    "outlet": "outlet",
    "claims_recall": "claims R",
    "grounding_exact": "grounding",
}


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _color(value: float | None) -> str:
    """Red (0) through yellow to green (1); grey when there is nothing to score."""
    if value is None:
        return "#e4e4e4"
    v = min(max(value, 0.0), 1.0)
    return f"hsl({int(120 * v)}, 60%, {78 - 10 * v:.0f}%)"


def _svg(width: int, height: int, body: list[str]) -> str:
    return (
        f'<svg width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">' + "".join(body) + "</svg>"
    )


def bar_chart(items: Sequence[tuple[str, float | None]]) -> str:
    """Horizontal bars on a 0..1 scale, one per field."""
    label_w, bar_w, row_h = 170, 420, 20
    body = []
    for k, (name, value) in enumerate(items):
        y = k * row_h
        width = 0 if value is None else bar_w * min(max(value, 0.0), 1.0)
        body.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(name)}</text>')
        body.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 6}" fill="#f2f2f2"/>')
        body.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 6}" fill="{_color(value)}">'
            f"<title>{escape(name)}: {_fmt(value)}</title></rect>"
        )
        body.append(f'<text x="{label_w + bar_w + 6}" y="{y + 14}">{_fmt(value)}</text>')
    return _svg(label_w + bar_w + 50, row_h * len(items) + 4, body)


def heat_map(rows: Sequence[tuple[str, dict[str, float | None], bool]], fields: Sequence[str]) -> str:
    """Articles (rows) x fields (columns); errored articles are labelled in red."""
    label_w, cell_w, cell_h, head_h = 290, 78, 18, 40
    body = []
    for c, name in enumerate(fields):
        x = label_w + c * cell_w + cell_w / 2
        short = SHORT_NAMES.get(name, name)
        body.append(
            f'<text x="{x:.0f}" y="{head_h - 8}" text-anchor="middle">{escape(short)}<title>{escape(name)}</title></text>'
        )
    for r, (case_id, values, errored) in enumerate(rows):
        y = head_h + r * cell_h
        cls = ' style="fill:#b00020;font-weight:600"' if errored else ""
        body.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end"{cls}>{escape(case_id)}</text>')
        for c, name in enumerate(fields):
            value = values.get(name)
            x = label_w + c * cell_w
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{_color(value)}">'
                f"<title>{escape(case_id)} · {escape(name)}: {_fmt(value)}</title></rect>"
            )
            body.append(
                f'<text x="{x + cell_w / 2 - 1:.0f}" y="{y + 12}" text-anchor="middle">{_fmt(value, 2)}</text>'
            )
    return _svg(label_w + cell_w * len(fields) + 10, head_h + cell_h * len(rows) + 4, body)


def histogram(
    values_ms: Sequence[float], bins: int | None = None, marks: dict[str, float | None] | None = None
) -> str:
    """Latency distribution, in seconds; ``marks`` (e.g. p50/p95, in ms) are drawn as dashed lines."""
    width, height, pad = 640, 220, 36
    if not values_ms:
        return _svg(width, 40, ['<text x="10" y="24">no latencies recorded</text>'])
    secs = [v / 1000 for v in values_ms]
    lo, hi = min(secs), max(secs)
    bins = bins or max(1, min(20, math.ceil(math.sqrt(len(secs)))))
    span = (hi - lo) or 1.0
    counts = [0] * bins
    for s in secs:
        counts[min(bins - 1, int((s - lo) / span * bins))] += 1
    top = max(counts)
    plot_w, plot_h = width - 2 * pad, height - 2 * pad
    bw = plot_w / bins
    body = [f'<line x1="{pad}" y1="{pad + plot_h}" x2="{pad + plot_w}" y2="{pad + plot_h}" stroke="#999"/>']
    for b, n in enumerate(counts):
        h = plot_h * n / top
        x = pad + b * bw
        left, right = lo + span * b / bins, lo + span * (b + 1) / bins
        body.append(
            f'<rect x="{x + 1:.1f}" y="{pad + plot_h - h:.1f}" width="{bw - 2:.1f}" height="{h:.1f}" fill="#5b8bd0">'
            f"<title>{left:.1f}–{right:.1f} s: {n}</title></rect>"
        )
        if n:
            body.append(
                f'<text x="{x + bw / 2:.1f}" y="{pad + plot_h - h - 3:.1f}" text-anchor="middle">{n}</text>'
            )
    for name, ms in (marks or {}).items():
        if ms is None:
            continue
        x = pad + plot_w * (ms / 1000 - lo) / span
        body.append(
            f'<line x1="{x:.1f}" y1="{pad - 14}" x2="{x:.1f}" y2="{pad + plot_h}" stroke="#b00020" '
            'stroke-dasharray="4 3"/>'
        )
        anchor = ' text-anchor="end"' if x > width - 110 else ""
        tx = x - 3 if anchor else x + 3
        body.append(f'<text x="{tx:.1f}" y="{pad - 16}"{anchor}>{escape(name)} {ms / 1000:.1f} s</text>')
    body.append(f'<text x="{pad}" y="{height - 10}">{lo:.1f} s</text>')
    body.append(f'<text x="{pad + plot_w}" y="{height - 10}" text-anchor="end">{lo + span:.1f} s</text>')
    body.append(
        f'<text x="{pad + plot_w / 2}" y="{height - 10}" text-anchor="middle">seconds per article</text>'
    )
    return _svg(width, height, body)


def trend(history_rows: Sequence[dict[str, Any]], current_run_id: str | None = None) -> str:
    """Macro score across past runs (oldest left); the baseline is a square, this run is red."""
    width, height, pad = 640, 220, 36
    points = [r for r in history_rows if r.get("macro") is not None]
    if not points:
        return _svg(width, 40, ['<text x="10" y="24">no past runs recorded</text>'])
    plot_w, plot_h = width - 2 * pad, height - 2 * pad
    step = plot_w / max(1, len(points) - 1)

    def xy(k: int, v: float) -> tuple[float, float]:
        return pad + (k * step if len(points) > 1 else plot_w / 2), pad + plot_h * (1 - v)

    body = []
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = pad + plot_h * (1 - tick)
        body.append(f'<line x1="{pad}" y1="{y:.1f}" x2="{pad + plot_w}" y2="{y:.1f}" stroke="#eee"/>')
        body.append(f'<text x="{pad - 4}" y="{y + 4:.1f}" text-anchor="end">{tick:.2f}</text>')
    coords = [xy(k, float(r["macro"])) for k, r in enumerate(points)]
    body.append(
        '<polyline fill="none" stroke="#5b8bd0" stroke-width="2" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        + '"/>'
    )
    for (x, y), r in zip(coords, points, strict=True):
        color = "#b00020" if r["run_id"] == current_run_id else "#5b8bd0"
        tip = f"<title>{escape(str(r['run_id']))} · {escape(str(r.get('model')))} · macro {_fmt(r['macro'])}</title>"
        if r.get("is_baseline"):
            body.append(
                f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{color}">{tip}</rect>'
            )
        else:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{color}">{tip}</circle>')
    return _svg(width, height, body)


def _table(rows: Sequence[Sequence[str]], head: Sequence[str]) -> str:
    out = ["<table><tr>", *(f"<th>{escape(h)}</th>" for h in head), "</tr>"]
    for row in rows:
        out.append("<tr>" + "".join(row) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _td(value: Any, num: bool = False, bad: bool = False) -> str:
    cls = " ".join(c for c, on in (("num", num), ("bad", bad)) if on)
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{escape(str(value))}</td>"


def render(
    results: RunResults,
    history_rows: Sequence[dict[str, Any]],
    comparison: Comparison | None = None,
    threshold: float = 0.05,
) -> str:
    run, fields, latency, usage = results.run, results.fields, results.latency, results.usage
    cases = results.cases
    scores = {c.id: c.scores for c in cases}
    meta_rows = [
        [_td(k), _td(getattr(run, k))]
        for k in (
            "run_id",
            "started_at",
            "model",
            "prompt_version",
            "schema_version",
            "git_commit",
            "n_cases",
            "n_errors",
            "rescored_from",
        )
        if getattr(run, k) is not None
    ]
    meta_rows += [
        [
            _td("latency p50 / p95"),
            _td(f"{_fmt(latency.p50_ms, 0)} / {_fmt(latency.p95_ms, 0)} ms"),
        ],
        [
            _td("tokens (prompt + completion)"),
            _td(f"{usage.prompt_tokens} + {usage.completion_tokens}"),
        ],
        [_td("cost (USD)"), _td(_fmt(usage.cost_usd, 4))],
        [_td("cached cases"), _td(usage.cached_cases)],
    ]
    agg = results.aggregate
    prf_rows = []
    for name in ("casualties", "parties", "denials", "claims"):
        p = getattr(agg, name)
        prf_rows.append(
            [
                _td(name),
                *(_td(_fmt(getattr(p, k)), num=True) for k in ("precision", "recall", "f1")),
                *(_td(getattr(p, k), num=True) for k in ("tp", "fp", "fn")),
            ]
        )
    bars = [(f, fields.get(f)) for f in FIELDS if f != "dropped_rate"]
    grounding_bad = (fields.get("grounding_exact") or 0.0) < 1.0
    heat_rows = [(c.id, scores[c.id].fields(), c.error is not None) for c in cases]
    latencies = [float(c.latency_ms) for c in cases if c.latency_ms is not None]

    verdict = Verdict.of(results, comparison)
    detail = [article_html(c, scores[c.id]) for c in cases]

    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>newsfacts eval {escape(run.run_id)}</title><style>{CSS}</style></head><body>",
        f"<h1>newsfacts eval — macro {_fmt(fields.get('macro'))}</h1>",
        verdict_html(verdict, threshold),
        _table(meta_rows, ["", ""]),
        "<h2>Scores per field</h2>",
        bar_chart(bars),
        f"<p class='{'bad' if grounding_bad else 'muted'}'>grounding: {_fmt(fields.get('grounding_exact'))} of "
        f"returned quotes sit exactly at their offsets (must be 1.000); invented-quote rate "
        f"(dropped / proposed): {_fmt(fields.get('dropped_rate'))}</p>",
        _table(prf_rows, ["field", "precision", "recall", "F1", "tp", "fp", "fn"]),
        "<h2>Per article</h2>",
        heat_map(heat_rows, CASE_FIELDS),
        "<h2>Latency per article</h2>",
        histogram(latencies, marks={"p50": latency.p50_ms, "p95": latency.p95_ms}),
        "<h2>Macro score across runs</h2>",
        trend(history_rows, run.run_id),
        "<p class='muted'>oldest run on the left; red: this run; square: the pinned baseline.</p>",
        "<h2>Each article</h2>",
        "<p class='muted'>Open one: expected vs found, what the scorer noted, the article with the returned quotes "
        "highlighted (orange: casualty, yellow: claim, blue: denial), and the model's answers.</p>",
        "".join(detail),
        "</body></html>",
    ]
    return "\n".join(parts)


def write_html(
    results: RunResults,
    history_rows: Sequence[dict[str, Any]],
    path: str | Path,
    *,
    comparison: Comparison | None = None,
    threshold: float = 0.05,
) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(results, history_rows, comparison, threshold), encoding="utf-8")
    return path
