"""Names in the nominative where a language inflects them (``newsfacts.reading.morphology``)."""

from __future__ import annotations

import pytest

from newsfacts.reading.lexicon import lexicon
from newsfacts.reading.morphology import nominative
from newsfacts.reading.parties import PartyBook, dictionary_forms
from newsfacts.reading.trace import Trace
from schemas.contract import Casualty, Claim, Denial, Party, Quote


@pytest.mark.parametrize(
    ("lang", "phrase", "expected"),
    [
        # the head and the adjectives before it take the nominative, in their number
        ("ru", "российских властей", "российские власти"),
        ("ru", "министра обороны", "министр обороны"),
        ("uk", "Сил оборони Таврійського напрямку", "Сили оборони Таврійського напрямку"),
        ("uk", "Повітряних силах ЗСУ", "Повітряні сили ЗСУ"),
        # a person's name beside the head, in its case, too
        ("ru", "губернатора Белгородской области Вячеслава Гладкова", "губернатор Белгородской области Вячеслав Гладков"),
        # already the nominative, or possibly so ("силы": nominative plural or genitive singular)
        ("ru", "российские власти", None),
        ("ru", "силы ополчения", None),
        # an acronym first, no noun, or a language that does not opt in
        ("ru", "МВД Грузии", None),
        ("ru", "и", None),
        ("en", "Russian authorities", None),
        ("de", "der Polizei", None),
    ],
)  # fmt: skip
def test_the_nominative_of_a_name(lang: str, phrase: str, expected: str | None) -> None:
    assert nominative(phrase, lexicon(lang)) == expected


def test_hostile_phrases_are_left_alone() -> None:
    lex = lexicon("ru")
    assert nominative("властей " * 500, lex) is None  # too many words for a name
    assert nominative("в" * 100_000, lex) is None  # no word of a name is that long
    assert nominative("", lex) is None


def test_a_party_named_in_an_oblique_case_takes_the_nominative_and_its_entries_follow() -> None:
    text = "По данным российских властей, погибли двое. Российские власти обвинили Киев. Киев это отрицает."
    book = PartyBook(
        text=text,
        lex=lexicon("ru"),
        parties=[
            Party(name="российских властей", type="government_body"),
            Party(name="Российские власти", type="government_body"),
            Party(name="Киев", type="state"),
        ],
    )
    start = text.index("погибли двое")
    quote = Quote(text="погибли двое", start=start, end=start + len("погибли двое"))
    casualties = [
        Casualty(kind="killed", count=2, min=2, max=2, approximate=False, victims="unspecified", location=None,
                 reported_by="российских властей", caused_by=None, quote=quote)
    ]  # fmt: skip
    claims = [Claim(claimant="российских властей", statement="s", target="Киев", quote=None)]
    denials = [Denial(denier="Киев", denied="d", responds_to="российских властей", quote=None)]
    dictionary_forms(book, casualties, claims, denials, Trace())
    # the two names of one party are one party, by the name the article writes in the nominative
    assert [(p.name, p.aliases) for p in book.parties] == [
        ("Российские власти", ["российских властей"]),
        ("Киев", []),
    ]
    assert casualties[0].reported_by == claims[0].claimant == denials[0].responds_to == "Российские власти"
