"""Run history in SQLite: every run's aggregate and per-case scores, a pinned baseline, and
``compare`` to find what got worse.

Comparisons are made on the cases both runs share (aggregates are re-computed from the stored
per-case counts), so a ``--only`` run is not compared with the whole dev set.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals.records import RunResults
from evals.scoring import FIELDS, LOWER_IS_BETTER, CaseScore, aggregate

DEFAULT_HISTORY_PATH = Path(__file__).parent / "history.sqlite"
CASE_EPSILON = 1e-9

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    model TEXT,
    prompt_version TEXT,
    schema_version TEXT,
    git_commit TEXT,
    n_cases INTEGER,
    n_errors INTEGER,
    macro REAL,
    fields_json TEXT NOT NULL,
    meta_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS case_scores (
    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
    case_id TEXT NOT NULL,
    macro REAL,
    error TEXT,
    score_json TEXT NOT NULL,
    PRIMARY KEY (run_id, case_id)
);
CREATE TABLE IF NOT EXISTS baseline (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    run_id TEXT NOT NULL,
    pinned_at TEXT NOT NULL
);
"""


@dataclass
class RunRecord:
    """A stored (or just finished) run: its metadata and per-case scores."""

    run_id: str
    started_at: str
    cases: dict[str, CaseScore]
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_results(cls, results: RunResults) -> RunRecord:
        run = results.run
        return cls(
            run_id=run.run_id,
            started_at=run.started_at,
            cases={c.id: c.scores for c in results.cases},
            meta=run.model_dump(mode="json"),
        )

    def fields(self, case_ids: set[str] | None = None) -> dict[str, float | None]:
        ids = self.cases.keys() if case_ids is None else case_ids
        return aggregate(self.cases[c] for c in sorted(ids)).fields()


@dataclass
class FieldDrop:
    field: str
    reference: str  # "previous" or "baseline"
    reference_run_id: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass
class CaseDrop:
    case_id: str
    reference: str
    reference_run_id: str
    before: float
    after: float
    fields: list[str]
    error: str | None = None


@dataclass
class Comparison:
    dropped: list[FieldDrop] = field(default_factory=list)
    worse_cases: list[CaseDrop] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)  # "previous"/"baseline" -> run id
    shared_cases: dict[str, int] = field(default_factory=dict)

    @property
    def regressed(self) -> bool:
        return bool(self.dropped)

    def worse_case_ids(self) -> list[str]:
        return sorted({c.case_id for c in self.worse_cases})


def _worse(name: str, before: float | None, after: float | None, threshold: float) -> bool:
    if before is None or after is None:
        return False
    change = before - after if name not in LOWER_IS_BETTER else after - before
    return change > threshold


def compare(
    current: RunRecord | RunResults,
    previous: RunRecord | RunResults | None,
    baseline: RunRecord | RunResults | None,
    threshold: float = 0.05,
) -> Comparison:
    """Fields that dropped by more than ``threshold`` (absolute) vs the previous run or the
    baseline, and the cases whose macro score or any field got worse (or that newly errored)."""
    current = current if isinstance(current, RunRecord) else RunRecord.from_results(current)
    result = Comparison()
    seen: set[str] = set()
    for name, ref in (("previous", previous), ("baseline", baseline)):
        if ref is None:
            continue
        ref = ref if isinstance(ref, RunRecord) else RunRecord.from_results(ref)
        if ref.run_id == current.run_id or ref.run_id in seen:
            continue
        seen.add(ref.run_id)
        shared = set(current.cases) & set(ref.cases)
        result.references[name] = ref.run_id
        result.shared_cases[name] = len(shared)
        if not shared:
            continue
        now, before = current.fields(shared), ref.fields(shared)
        result.dropped.extend(
            FieldDrop(f, name, ref.run_id, before[f] or 0.0, now[f] or 0.0)
            for f in FIELDS
            if _worse(f, before[f], now[f], threshold)
        )
        for case_id in sorted(shared):
            cur, old = current.cases[case_id], ref.cases[case_id]
            cur_fields, old_fields = cur.fields(), old.fields()
            worse_fields = [f for f in FIELDS if _worse(f, old_fields[f], cur_fields[f], CASE_EPSILON)]
            newly_failed = cur.error is not None and old.error is None
            if worse_fields or newly_failed:
                result.worse_cases.append(
                    CaseDrop(case_id, name, ref.run_id, old.macro, cur.macro, worse_fields, cur.error)
                )
    return result


class History:
    def __init__(self, path: str | Path = DEFAULT_HISTORY_PATH) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, results: RunResults) -> str:
        """Store a run (replacing one with the same id); returns its run id."""
        run = results.run
        fields = results.fields or RunRecord.from_results(results).fields()
        with self._db:
            self._db.execute("DELETE FROM case_scores WHERE run_id = ?", (run.run_id,))
            self._db.execute(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.run_id,
                    run.started_at,
                    run.model,
                    run.prompt_version,
                    run.schema_version,
                    run.git_commit,
                    len(results.cases),
                    sum(1 for c in results.cases if c.error is not None),
                    fields.get("macro"),
                    json.dumps(fields),
                    json.dumps(run.model_dump(mode="json"), default=str),
                ),
            )
            self._db.executemany(
                "INSERT INTO case_scores VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        run.run_id,
                        c.id,
                        c.scores.macro,
                        c.scores.error,
                        json.dumps(c.scores.model_dump(mode="json")),
                    )
                    for c in results.cases
                ],
            )
        return str(run.run_id)

    def get(self, run_id: str) -> RunRecord | None:
        row = self._db.execute(
            "SELECT run_id, started_at, meta_json FROM runs WHERE run_id = ?", (run_id,)
        ).fetchone()
        if row is None:
            return None
        cases = {
            case_id: CaseScore.model_validate_json(score)
            for case_id, score in self._db.execute(
                "SELECT case_id, score_json FROM case_scores WHERE run_id = ?", (run_id,)
            )
        }
        return RunRecord(run_id=row[0], started_at=row[1], cases=cases, meta=json.loads(row[2]))

    def previous(self, before: RunRecord | str | None = None) -> RunRecord | None:
        """The latest stored run other than ``before`` (and started no later than it)."""
        if before is None:
            row = self._db.execute(
                "SELECT run_id FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1"
            ).fetchone()
        else:
            rec = before if isinstance(before, RunRecord) else self.get(before)
            run_id = rec.run_id if rec else str(before)
            started = rec.started_at if rec else "9999"
            row = self._db.execute(
                "SELECT run_id FROM runs WHERE run_id != ? AND started_at <= ? "
                "ORDER BY started_at DESC, rowid DESC LIMIT 1",
                (run_id, started),
            ).fetchone()
        return self.get(row[0]) if row else None

    def pin_baseline(self, run_id: str) -> None:
        if self._db.execute("SELECT 1 FROM runs WHERE run_id = ?", (run_id,)).fetchone() is None:
            raise KeyError(f"no stored run {run_id!r}")
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO baseline VALUES (1, ?, ?)",
                (run_id, datetime.now(UTC).isoformat(timespec="seconds")),
            )

    def baseline_id(self) -> str | None:
        row = self._db.execute("SELECT run_id FROM baseline WHERE id = 1").fetchone()
        return row[0] if row else None

    def baseline(self) -> RunRecord | None:
        run_id = self.baseline_id()
        return self.get(run_id) if run_id else None

    def rows(self, limit: int = 50) -> list[dict[str, Any]]:
        """The latest ``limit`` runs, oldest first, for trend plots."""
        baseline = self.baseline_id()
        rows = self._db.execute(
            "SELECT run_id, started_at, model, prompt_version, n_cases, n_errors, macro, fields_json "
            "FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            {
                "run_id": r[0],
                "started_at": r[1],
                "model": r[2],
                "prompt_version": r[3],
                "n_cases": r[4],
                "n_errors": r[5],
                "macro": r[6],
                "fields": json.loads(r[7]),
                "is_baseline": r[0] == baseline,
            }
            for r in reversed(rows)
        ]


def pin_baseline(run_id: str, path: str | Path = DEFAULT_HISTORY_PATH) -> None:
    """Pin a stored run as the baseline every later run is compared with."""
    with History(path) as history:
        history.pin_baseline(run_id)
