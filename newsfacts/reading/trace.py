"""The optional trace: which rules shaped, added or dropped each entry (``explain=true``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from schemas.contract import TraceEntry

Field = Literal["outlet", "parties", "casualties", "claims", "denials"]


@dataclass
class Step:
    """One entry on its way through the rules."""

    field: Field
    proposed: str | None
    rules: list[str] = dataclasses.field(default_factory=list)
    outcome: Literal["kept", "changed", "added", "dropped"] = "kept"
    output: object | None = None  # the entry object that went out, to find its index

    def apply(self, rule: str, *, changed: bool = True) -> None:
        if rule not in self.rules:
            self.rules.append(rule)
        if changed and self.outcome == "kept":
            self.outcome = "changed"

    def drop(self, rule: str) -> None:
        self.apply(rule, changed=False)
        self.outcome = "dropped"
        self.output = None


@dataclass
class Trace:
    steps: list[Step] = dataclasses.field(default_factory=list)

    def step(self, field_: Field, proposed: str | None, *, added: bool = False) -> Step:
        s = Step(field_, proposed)
        if added:
            s.outcome = "added"
        self.steps.append(s)
        return s

    def drop_outputs(self, field_: Field, outputs: Sequence[object], rule: str) -> None:
        """Drop, by ``rule``, the steps of ``field_`` whose entry is one of ``outputs`` (the same object)."""
        for s in self.steps:
            if s.field == field_ and any(s.output is o for o in outputs):
                s.drop(rule)

    def entries(self, outputs: dict[str, list[object]]) -> list[TraceEntry]:
        out = []
        for s in self.steps:
            index = None
            if s.outcome != "dropped" and s.output is not None:
                items = outputs.get(s.field, [])
                index = next((i for i, item in enumerate(items) if item is s.output), None)
                if index is None and s.field != "outlet":
                    s.outcome, s.rules = "dropped", [*s.rules, "merged_or_superseded"]
            out.append(
                TraceEntry(field=s.field, index=index, outcome=s.outcome, rules=s.rules, proposed=s.proposed)
            )
        return out
