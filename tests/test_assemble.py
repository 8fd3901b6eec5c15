"""Code-side reading of figures: which kind of harm a figure's own words say."""

from __future__ import annotations

import pytest

from newsfacts.assemble import _kind_near
from newsfacts.quantities import find_quantities


def kind_of(sentence: str, figure: str, proposed: str) -> str | None:
    q = next(q for q in find_quantities(sentence) if figure in sentence[q.start : q.end])
    return _kind_near(sentence, q, proposed)


@pytest.mark.parametrize(
    ("sentence", "figure", "proposed", "kind"),
    [
        # The verb right before the figure governs it, not a cue later in the sentence.
        ("JNIM said its fighters had killed more than 60 soldiers and captured three.", "60", "killed", "killed"),
        ("JNIM said its fighters had killed more than 60 soldiers and captured three.", "60", "captured", "killed"),
        ("JNIM said its fighters had killed more than 60 soldiers and captured three.", "three", "killed", "captured"),
        ("Suicide bomber kills at least 9 at cattle market; hospital says 17 dead", "9", "injured", "killed"),
        # The noun right after the figure wins over the model's kind.
        ("The morgue received 17 bodies on Monday, the hospital said.", "17", "injured", "killed"),
        ("At least 37 people were wounded, including two children, the governor said.", "37", "injured", "injured"),
        ("Nine soldiers were still missing on Tuesday evening.", "Nine", "killed", "missing"),
        # Nothing in the sentence is harm: not a casualty.
        ("The army deployed 1,300 troops to the border.", "1,300", "killed", None),
    ],
)
def test_kind_comes_from_the_figures_own_words(sentence, figure, proposed, kind):
    assert kind_of(sentence, figure, proposed) == kind


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("Infrastructure Minister Viktor Hollis", ("Viktor Hollis", "Infrastructure Minister")),
        ("Kharkiv regional governor Oleksandr Hrytsenko", ("Oleksandr Hrytsenko", "Kharkiv regional governor")),
        ("Dr. Hauwa Musa", ("Hauwa Musa", None)),
        ("Armenian Defense Ministry", None),
        ("Borno state police", None),
        ("President Ilham Aliyev", ("Ilham Aliyev", "President")),
        ("Prime Minister", None),
        ("Director General of the World Health Organization", None),
        ("Chief Inspector of Mines Bwalya Mutale", ("Bwalya Mutale", "Chief Inspector of Mines")),
    ],
)
def test_split_title(name, split):
    from newsfacts.assemble import split_title

    assert split_title(name) == split


def test_a_titled_name_becomes_the_person_with_the_title_as_role():
    from newsfacts.assemble import PartyBook

    text = "Infrastructure Minister Viktor Hollis denied the report. Hollis said it was false."
    book = PartyBook(text=text)
    assert book.resolve("Infrastructure Minister Viktor Hollis") == "Viktor Hollis"
    assert book.resolve("Viktor Hollis") == "Viktor Hollis"
    (party,) = book.parties
    assert party.role == "Infrastructure Minister" and "Infrastructure Minister Viktor Hollis" in party.aliases
