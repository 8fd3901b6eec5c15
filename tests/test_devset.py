"""The dev set is well formed: every case loads, every label validates, evidence is verbatim."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.labels import ARTICLE_SUFFIXES, Case, load_case, load_cases

EVALS = Path(__file__).resolve().parent.parent / "evals"
DEVSET = EVALS / "devset"
REAL = [EVALS / "real" / "tune", EVALS / "real" / "check"]
LABELS = sorted([*DEVSET.glob("*.json"), *(p for d in REAL for p in d.glob("*.json"))])


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return load_cases(DEVSET)


@pytest.mark.parametrize("label_path", LABELS, ids=[p.stem for p in LABELS])
def test_case_loads_and_evidence_is_verbatim(label_path: Path) -> None:
    case = load_case(label_path)
    assert case.text.strip(), "empty article"
    assert case.request.text == case.text
    assert case.is_html == (case.path.suffix == ".html")
    missing = [e for e in case.label.evidence() if e not in case.text]
    assert not missing, f"evidence not found verbatim: {missing}"


@pytest.mark.parametrize("label_path", LABELS, ids=[p.stem for p in LABELS])
def test_label_is_consistent(label_path: Path) -> None:
    label = load_case(label_path).label
    if label.request.outlet is not None:
        assert label.outlet is not None and label.outlet.name == label.request.outlet
    for c in label.casualties:
        # reported_by / caused_by name parties or are anonymous; keep the lists free of blanks.
        assert all(n.strip() for n in [*c.reported_by, *c.caused_by])
    names = [p.name for p in label.parties]
    assert len(names) == len(set(names)), "duplicate party names"


def test_every_article_has_a_label() -> None:
    articles = [p for d in (DEVSET, *REAL) for p in d.iterdir() if p.suffix in ARTICLE_SUFFIXES]
    orphans = [p.name for p in articles if not p.with_suffix(".json").exists()]
    assert not orphans, f"articles without a label: {orphans}"


def test_devset_size(cases: list[Case]) -> None:
    assert len(cases) >= 41
    assert len({c.id for c in cases}) == len(cases)


def test_devset_has_negative_cases(cases: list[Case]) -> None:
    negatives = [c.id for c in cases if not c.label.casualties]
    assert len(negatives) >= 6, negatives


def test_real_articles_record_their_source_and_language() -> None:
    real = [c for d in REAL for c in load_cases(d)]
    assert len(real) >= 60, len(real)
    assert all(c.label.source_url and c.label.source_url.startswith("http") for c in real)
    other = [c for c in real if c.label.language != "en"]
    assert len(other) >= 20, len(other)
    assert {"es", "fr", "de", "ru", "pt"} <= {c.label.language for c in other}
    assert len([c for c in real if not c.label.casualties]) >= 10


def test_the_splits_do_not_share_an_article() -> None:
    tune, check = ({p.stem for p in d.glob("*.json")} for d in REAL)
    assert tune and check and not tune & check
