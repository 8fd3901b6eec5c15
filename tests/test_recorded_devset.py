"""Dev-set articles through the eval harness, on answers recorded from the embedded model.

Each test runs ``evals.runner.run_eval`` on one labelled article (so the harness cannot rot) and
checks the output against that article's hand label: the outlet, named figures with the source the
label accepts, denials by the party the label names, and every quote at its offsets.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from evals.labels import Case, LabelCasualty, load_case
from evals.runner import run_eval
from evals.scoring import casualty_matches, content_overlaps, names_match, party_names
from schemas.contract import ArticleSummary
from tests.conftest import DEVSET
from tests.helpers import assert_grounded, assert_valid_json

pytestmark = [pytest.mark.vcr, pytest.mark.recorded]


@dataclass(frozen=True)
class Expect:
    figures: tuple[tuple[str, int], ...] = ()  # (kind, count) of label entries that must be found and sourced
    denials: int = 0  # how many of the label's denials must be found
    no_casualties: bool = False  # a negative: nothing in it is a casualty
    parties: tuple[str, ...] = field(default=())  # label party names that must be listed


# What each recorded answer must keep getting right: the label entries the pipeline gets from these
# answers today. A change that loses one fails here; what the model still misses is the eval's to report.
CASES: dict[str, Expect] = {
    "a01-wire-shelling-kharkiv": Expect(figures=(("killed", 14), ("injured", 37))),
    "a02-ap-market-bombing-borno": Expect(figures=(("killed", 9),)),
    "a09-wire-ambush-burkina": Expect(figures=(("killed", 15), ("missing", 9), ("killed", 60)), denials=1),
    "b01-wire-quake-turkey": Expect(figures=(("killed", 41), ("injured", 1240), ("displaced", 3000))),
    "b05-html-mine-collapse-zambia": Expect(
        figures=(("killed", 7), ("missing", 11), ("injured", 4)), denials=1
    ),
    "b13-neg-sport-derby-rout": Expect(no_casualties=True, denials=1),
    "b16-neg-politics-bribery-denial": Expect(no_casualties=True, denials=2),
}


def label_figure(case: Case, kind: str, count: int) -> LabelCasualty:
    matches = [c for c in case.label.casualties if c.kind == kind and c.count == count]
    assert matches, f"the label of {case.id} has no {kind} {count}"
    return matches[0]


@pytest.mark.parametrize("case_id", list(CASES))
def test_devset_article(case_id: str, recorded_runtime) -> None:
    case = load_case(DEVSET / f"{case_id}.json")
    expect = CASES[case_id]
    results = asyncio.run(run_eval([case], runtime=recorded_runtime, progress=False))
    record = results.cases[0]
    assert record.error is None, record.error
    assert_valid_json(record.output)
    summary = ArticleSummary.model_validate(record.output)
    assert_grounded(summary, case.text)
    scores = record.scores
    assert scores.quotes_exact == scores.quotes_checked

    label = case.label
    if label.outlet is None:
        assert summary.outlet is None, summary.outlet
    else:
        assert summary.outlet is not None
        assert names_match([summary.outlet.name], [label.outlet.name, *label.outlet.aliases]), summary.outlet

    parties = summary.parties
    for kind, count in expect.figures:
        lab = label_figure(case, kind, count)
        found = [p for p in summary.casualties if casualty_matches(p, lab)]
        assert found, f"{kind} {count} missing from {summary.casualties}"
        if lab.reported_by:
            assert any(names_match(party_names(p.reported_by, parties), lab.reported_by) for p in found), (
                f"{kind} {count}: reported_by {[p.reported_by for p in found]}, label accepts {lab.reported_by}"
            )

    if expect.no_casualties:
        assert summary.casualties == []

    found_denials = 0
    for d in label.denials:
        if any(
            names_match(party_names(s.denier, parties), d.denier)
            and content_overlaps(s.denied, d.denied, d.keywords)
            for s in summary.denials
        ):
            found_denials += 1
    assert found_denials >= expect.denials, summary.denials

    for name in expect.parties:
        lab = next(p for p in label.parties if p.name == name)
        assert any(names_match([p.name, *p.aliases], [lab.name, *lab.aliases]) for p in parties), parties
