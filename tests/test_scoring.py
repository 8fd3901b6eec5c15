"""The scoring rules of CONTRACT.md ("How outputs are scored"), one hand-made prediction each."""

from __future__ import annotations

from typing import Any

import pytest

from evals.labels import Label
from evals.scoring import (
    aggregate,
    content_overlaps,
    error_score,
    figures_agree,
    max_matching,
    normalize_name,
    score_case,
)
from schemas.contract import (
    ArticleSummary,
    Casualty,
    Claim,
    Denial,
    Grounding,
    Outlet,
    Party,
    Quote,
    Usage,
)

TEXT = (
    "BAKU (Reuters) - An Armenian rocket strike killed 12 civilians and wounded 40, Azerbaijan's "
    "prosecutor general's office said. Armenia's Defence Ministry denied that it had opened fire on "
    "Azerbaijani territory. Officials in Stepanakert said two people were injured."
)


def q(span: str, text: str = TEXT) -> Quote:
    start = text.index(span)
    return Quote(text=span, start=start, end=start + len(span))


def summary(**fields: Any) -> ArticleSummary:
    base: dict[str, Any] = {
        "outlet": None,
        "headline": None,
        "summary": "",
        "parties": [],
        "claims": [],
        "casualties": [],
        "denials": [],
        "grounding": Grounding(quotes_total=0, quotes_verified=0, quotes_dropped=0),
        "model": "test/model",
        "prompt_version": "test",
        "usage": Usage(prompt_tokens=0, completion_tokens=0, latency_ms=0),
    }
    return ArticleSummary(**(base | fields))


def casualty(
    kind: str = "killed",
    count: int | None = 12,
    lo: int | None = 12,
    hi: int | None = 12,
    reported_by: str | None = "prosecutor general's office",
    span: str = "killed 12",
) -> Casualty:
    return Casualty(
        kind=kind,
        count=count,
        min=lo,
        max=hi,
        approximate=count is None,
        victims="civilians",
        reported_by=reported_by,
        caused_by="Armenia",
        quote=q(span),
    )


def label(**fields: Any) -> Label:
    base: dict[str, Any] = {
        "id": "t",
        "outlet": None,
        "parties": [],
        "casualties": [],
        "denials": [],
        "claims": [],
    }
    return Label.model_validate(base | fields)


def lab_casualty(
    kind: str = "killed",
    count: int | None = 12,
    lo: int | None = 12,
    hi: int | None = 12,
    reported_by: list[str] | None = None,
    optional: bool = False,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "count": count,
        "min": lo,
        "max": hi,
        "victims": "civilians",
        "reported_by": ["Azerbaijani prosecutor general's office", "prosecutor general's office"]
        if reported_by is None
        else reported_by,
        "caused_by": ["Armenia"],
        "evidence": "killed 12",
        "optional": optional,
    }


FULL_LABEL = label(
    outlet={"name": "Reuters", "aliases": ["Reuters News"]},
    parties=[
        {"name": "Azerbaijan", "aliases": ["Baku", "Azeri"]},
        {"name": "Armenia", "aliases": ["Yerevan"]},
        {"name": "Armenian Defence Ministry", "aliases": ["Armenia's Defence Ministry"]},
        {"name": "Azerbaijani prosecutor general's office", "aliases": ["prosecutor general's office"]},
        {"name": "Stepanakert officials", "aliases": [], "optional": True},
    ],
    casualties=[
        lab_casualty(),
        lab_casualty(kind="injured", count=40, lo=40, hi=40),
        lab_casualty(kind="injured", count=2, lo=2, hi=2, reported_by=[], optional=True),
    ],
    denials=[
        {
            "denier": ["Armenian Defence Ministry", "Armenia"],
            "denied": "that it opened fire on Azerbaijani territory",
            "keywords": ["fire", "territory"],
            "responds_to": ["Azerbaijan"],
            "evidence": "denied that it had opened fire",
        }
    ],
    claims=[
        {
            "claimant": ["Azerbaijan", "Azerbaijani prosecutor general's office"],
            "statement": "an Armenian rocket strike killed 12 civilians",
            "keywords": ["rocket", "strike"],
            "evidence": "An Armenian rocket strike killed 12 civilians",
        }
    ],
)

PARTIES = [
    Party(name="Azerbaijan", type="state", aliases=["Baku"]),
    Party(name="Armenia", type="state"),
    Party(name="Armenian Defence Ministry", type="government_body", affiliation="Armenia"),
    Party(name="Prosecutor General's Office", type="government_body", affiliation="Azerbaijan"),
]


def perfect() -> ArticleSummary:
    return summary(
        outlet=Outlet(name="Reuters"),
        parties=PARTIES,
        casualties=[
            casualty(),
            casualty(kind="injured", count=40, lo=40, hi=40, span="wounded 40"),
        ],
        denials=[
            Denial(
                denier="Armenian Defence Ministry",
                denied="opening fire on Azerbaijani territory",
                responds_to="Azerbaijan",
                quote=q("denied that it had opened fire"),
            )
        ],
        claims=[
            Claim(
                claimant="Azerbaijan",
                statement="Armenian rocket strike killed 12 civilians",
                target="Armenia",
                quote=q("An Armenian rocket strike killed 12 civilians"),
            )
        ],
        grounding=Grounding(quotes_total=4, quotes_verified=4, quotes_dropped=0),
    )


def test_perfect_prediction_scores_one_everywhere() -> None:
    score = score_case(FULL_LABEL, perfect(), TEXT)
    fields = score.fields()
    for name in (
        "casualties_precision",
        "casualties_recall",
        "casualties_f1",
        "attribution",
        "parties_precision",
        "parties_recall",
        "parties_f1",
        "denials_f1",
        "claims_recall",
        "claims_precision",
        "outlet",
        "grounding_exact",
        "macro",
    ):
        assert fields[name] == pytest.approx(1.0), name
    assert fields["dropped_rate"] == 0.0
    assert score.notes == []


def test_empty_prediction_has_recall_zero() -> None:
    fields = score_case(FULL_LABEL, summary(), TEXT).fields()
    for name in ("casualties", "parties", "denials"):
        assert fields[f"{name}_recall"] == 0.0
        assert fields[f"{name}_f1"] == 0.0
    assert fields["claims_recall"] == 0.0
    assert fields["outlet"] == 0.0
    assert fields["attribution"] is None  # nothing matched: nothing to attribute
    assert fields["grounding_exact"] == 1.0  # no quotes returned, none misplaced


def test_negative_article_answered_with_nothing_is_perfect() -> None:
    fields = score_case(
        label(outlet={"name": "Reuters"}), summary(outlet=Outlet(name="Reuters")), TEXT
    ).fields()
    assert fields["casualties_f1"] == fields["denials_f1"] == fields["parties_f1"] == 1.0
    extra = score_case(label(), summary(casualties=[casualty()]), TEXT)
    assert (extra.casualties.fp, extra.casualties.precision, extra.casualties.f1) == (1, 0.0, 0.0)


def test_optional_entries_count_neither_way() -> None:
    # Predicting the optional "two injured" is not a false positive ...
    with_optional = perfect().model_copy(
        update={
            "casualties": [
                *perfect().casualties,
                casualty(
                    kind="injured", count=2, lo=2, hi=2, reported_by=None, span="two people were injured"
                ),
            ],
            "parties": [*PARTIES, Party(name="Stepanakert officials", type="official")],
        }
    )
    score = score_case(FULL_LABEL, with_optional, TEXT)
    assert (score.casualties.tp, score.casualties.fp, score.casualties.fn) == (2, 0, 0)
    assert (score.parties.tp, score.parties.fp, score.parties.fn) == (4, 0, 0)
    # ... and omitting it (perfect() has no such entry) is not a false negative.
    score = score_case(FULL_LABEL, perfect(), TEXT)
    assert (score.casualties.fn, score.parties.fn) == (0, 0)


def test_required_label_wins_over_optional_one() -> None:
    # One prediction fits both a required and an optional label: it is a true positive.
    lab = label(
        casualties=[
            lab_casualty(kind="injured", count=2, lo=2, hi=2, optional=True),
            lab_casualty(kind="injured", count=None, lo=1, hi=5),
        ]
    )
    score = score_case(lab, summary(casualties=[casualty(kind="injured", count=2, lo=2, hi=2)]), TEXT)
    assert (score.casualties.tp, score.casualties.fp, score.casualties.fn) == (1, 0, 0)


def test_range_overlap() -> None:
    forty = label(casualties=[lab_casualty(kind="injured", count=40, lo=40, hi=40)])
    dozens = casualty(kind="injured", count=None, lo=24, hi=None, span="wounded 40")
    assert score_case(forty, summary(casualties=[dozens]), TEXT).casualties.tp == 1

    three = label(casualties=[lab_casualty(count=3, lo=3, hi=3)])
    at_least_five = casualty(count=5, lo=5, hi=None)
    score = score_case(three, summary(casualties=[at_least_five]), TEXT)
    assert (score.casualties.tp, score.casualties.fp, score.casualties.fn) == (0, 1, 1)


def test_figures_agree_rules() -> None:
    lab = label(casualties=[lab_casualty(count=30, lo=None, hi=30)]).casualties[0]  # "up to 30"
    assert figures_agree(casualty(count=30, lo=30, hi=30), lab)  # equal counts
    assert not figures_agree(casualty(count=31, lo=31, hi=31), lab)
    assert figures_agree(casualty(count=None, lo=24, hi=None), lab)  # [24, inf) meets [30, 30]
    assert not figures_agree(casualty(count=None, lo=None, hi=20), lab)  # [0, 20] misses [30, 30]


def test_kind_must_match() -> None:
    lab = label(casualties=[lab_casualty()])
    assert score_case(lab, summary(casualties=[casualty(kind="injured")]), TEXT).casualties.tp == 0


def test_matching_is_one_to_one() -> None:
    lab = label(casualties=[lab_casualty()])
    score = score_case(lab, summary(casualties=[casualty(), casualty()]), TEXT)
    assert (score.casualties.tp, score.casualties.fp, score.casualties.fn) == (1, 1, 0)


def test_matching_is_maximum_not_greedy() -> None:
    # Label 0 accepts predictions 0 and 1, label 1 only prediction 0: a greedy pass giving
    # prediction 0 to label 0 would leave label 1 unmatched.
    edges = {(0, 0), (0, 1), (1, 0)}
    assert max_matching([False, False], 2, lambda i, j: (i, j) in edges) == {0: 1, 1: 0}


def test_attribution() -> None:
    lab = label(
        casualties=[lab_casualty(), lab_casualty(kind="injured", count=40, lo=40, hi=40, reported_by=[])]
    )
    # The injured label has no stated source: skipped, whatever the prediction says.
    pred = summary(
        parties=PARTIES,
        casualties=[
            casualty(),
            casualty(kind="injured", count=40, lo=40, hi=40, reported_by="Armenia", span="wounded 40"),
        ],
    )
    score = score_case(lab, pred, TEXT)
    assert (score.attribution_correct, score.attribution_total, score.attribution) == (1, 1, 1.0)
    # A wrong source on a sourced label counts against attribution, not against the match.
    wrong = summary(parties=PARTIES, casualties=[casualty(reported_by="Armenia")])
    score = score_case(lab, wrong, TEXT)
    assert score.casualties.tp == 1
    assert (score.attribution_correct, score.attribution_total) == (0, 1)
    # A null source is wrong too.
    assert score_case(lab, summary(casualties=[casualty(reported_by=None)]), TEXT).attribution == 0.0


def test_attribution_accepts_a_predicted_party_alias() -> None:
    lab = label(casualties=[lab_casualty(reported_by=["Azerbaijan"])])
    pred = summary(parties=PARTIES, casualties=[casualty(reported_by="Baku")])
    assert score_case(lab, pred, TEXT).attribution == 1.0


def test_denial_content_overlap() -> None:
    def denial(denier: str, denied: str) -> ArticleSummary:
        return summary(parties=PARTIES, denials=[Denial(denier=denier, denied=denied)])

    # A label keyword appears in the predicted text (word start: "fire" in "fired").
    assert (
        score_case(
            FULL_LABEL, denial("Armenian Defence Ministry", "that it fired at Azerbaijan"), TEXT
        ).denials.tp
        == 1
    )
    # Token overlap with the label's `denied`: 2 of its 4 content words, no keyword.
    assert content_overlaps(
        "it opened on Azerbaijani soil", "that it opened fire on Azerbaijani territory", []
    )
    assert score_case(FULL_LABEL, denial("Armenia", "it opened on Azerbaijani soil"), TEXT).denials.tp == 1
    # Unrelated content, or the wrong denier, does not match.
    assert score_case(FULL_LABEL, denial("Armenia", "planning new elections"), TEXT).denials.tp == 0
    assert score_case(FULL_LABEL, denial("Azerbaijan", "opening fire on its territory"), TEXT).denials.tp == 0


def test_claims_recall_and_precision() -> None:
    pred = summary(
        parties=PARTIES,
        claims=[
            Claim(claimant="Baku", statement="a rocket attack by Armenia killed twelve"),
            Claim(claimant="Armenia", statement="drones crossed its border"),
        ],
    )
    score = score_case(FULL_LABEL, pred, TEXT)
    assert (score.claims.recall, score.claims.precision) == (1.0, 0.5)


def test_outlet() -> None:
    assert score_case(label(), summary(), TEXT).outlet_correct  # null label, null prediction
    assert not score_case(label(), summary(outlet=Outlet(name="RT")), TEXT).outlet_correct
    reuters = label(outlet={"name": "Reuters", "aliases": ["Reuters News"]})
    assert not score_case(reuters, summary(), TEXT).outlet_correct
    assert score_case(reuters, summary(outlet=Outlet(name="reuters news.")), TEXT).outlet_correct
    assert not score_case(reuters, summary(outlet=Outlet(name="AP")), TEXT).outlet_correct


def test_name_normalisation() -> None:
    assert normalize_name("The Kremlin") == normalize_name("kremlin") == "kremlin"
    assert normalize_name("U.N.  Office") == normalize_name("u n office")
    assert normalize_name("Russia’s Defence-Ministry") == normalize_name("russias defence ministry")
    assert normalize_name("Theodore") == "theodore"


def test_parties_match_any_alias() -> None:
    lab = label(parties=[{"name": "Azerbaijan", "aliases": ["Baku"]}, {"name": "Armenia", "aliases": []}])
    pred = summary(
        parties=[
            Party(name="Azerbaijani government", type="government_body", aliases=["Baku"]),
            Party(name="the Armenia", type="state"),
            Party(name="Russia", type="state"),
        ]
    )
    score = score_case(lab, pred, TEXT)
    assert (score.parties.tp, score.parties.fp, score.parties.fn) == (2, 1, 0)


def test_misplaced_quote_breaks_grounding() -> None:
    good = perfect()
    bad_quote = Quote(text="killed 12", start=0, end=9)
    bad = good.model_copy(
        update={
            "casualties": [good.casualties[0].model_copy(update={"quote": bad_quote}), good.casualties[1]]
        }
    )
    score = score_case(FULL_LABEL, bad, TEXT)
    assert score.grounding_exact < 1.0
    assert score.quotes_exact == score.quotes_checked - 1


def test_quotes_are_checked_against_returned_article_text() -> None:
    html = "<p>" + TEXT + "</p>"
    pred = perfect().model_copy(update={"article_text": TEXT})
    assert score_case(FULL_LABEL, pred, html).grounding_exact == 1.0
    assert score_case(FULL_LABEL, perfect(), html).grounding_exact == 0.0


def test_dropped_rate() -> None:
    pred = perfect().model_copy(
        update={"grounding": Grounding(quotes_total=5, quotes_verified=4, quotes_dropped=1)}
    )
    assert score_case(FULL_LABEL, pred, TEXT).dropped_rate == pytest.approx(0.2)


def test_error_scores_zero() -> None:
    score = error_score(FULL_LABEL, "upstream_timeout")
    assert score.macro == 0.0
    assert all(v == 0.0 for v in score.fields().values())
    assert (score.casualties.fn, score.parties.fn, score.denials.fn, score.claims.fn) == (2, 4, 1, 1)


def test_aggregate_is_micro_averaged() -> None:
    a = score_case(FULL_LABEL, perfect(), TEXT)  # casualties 2 tp
    b = score_case(label(outlet={"name": "AP"}, casualties=[lab_casualty()] * 2), summary(), TEXT)  # 2 fn
    run = aggregate([a, b])
    assert (run.n_cases, run.casualties.tp, run.casualties.fn) == (2, 2, 2)
    assert run.casualties.recall == 0.5
    assert run.outlet_accuracy == 0.5
    fields = run.fields()
    expected = (
        fields["casualties_f1"]
        + fields["attribution"]
        + fields["denials_f1"]
        + fields["parties_f1"]
        + fields["outlet"]
    ) / 5
    assert run.macro == pytest.approx(expected)


def test_scores_round_trip_through_json() -> None:
    from evals.scoring import CaseScore

    score = score_case(FULL_LABEL, perfect(), TEXT)
    again = CaseScore.model_validate_json(score.model_dump_json())
    assert again.fields() == score.fields()
