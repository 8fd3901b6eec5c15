"""The reading layer is linear on hostile text: every public reading function, fed the shapes
that made earlier patterns backtrack, takes about ten times as long on 100 kB as on 10 kB.

Ratios, not seconds: the test does not depend on the machine's speed. Linear is 10; the bound
of 40 leaves room for noise and still fails on anything quadratic (100). Each call is timed in CPU
seconds of its own thread, so that the other tests running beside it on the cores do not count.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from newsfacts.reading import read
from newsfacts.reading.lexicon import lexicon
from newsfacts.reading.morphology import nominative
from newsfacts.reading.names import split_title
from newsfacts.reading.numbers import find_quantities
from newsfacts.reading.outlet import find_outlet, headline
from newsfacts.reading.parties import (
    PartyBook,
    bare_name,
    drop_places,
    merge_acronyms,
    named_with_post,
    not_a_name,
)
from newsfacts.reading.places import only_a_place
from newsfacts.reading.sentences import link_lists, split_sentences
from newsfacts.reading.speakers import back_speaker, speaker_in
from newsfacts.reading.trace import Trace
from schemas.contract import Party
from schemas.extraction import (
    CasualtiesForm,
    ClaimItem,
    ClaimsForm,
    DenialItem,
    DenialsForm,
    FigureItem,
    OverviewForm,
    PartiesForm,
)

SHAPES: dict[str, Callable[[int], str]] = {
    "spaces after a subject": lambda n: "The army, " + " " * n + "x said",
    "newlines": lambda n: "\n" * n + "x",
    "dots": lambda n: "." * n,
    "initials": lambda n: "A. " * (n // 3),
    "masthead spaces": lambda n: "Name " + " " * n + "| Section\nText.",
    "inner spaces before denied": lambda n: "The ministry" + " " * n + "denied the report.",
    "quote marks": lambda n: "“" * n,
    "digits and spaces": lambda n: "1 " * (n // 2),
    "number words": lambda n: "twenty " * (n // 7),
    "commas": lambda n: "," * n + " police said",
    "parentheses": lambda n: "KABUL (" * (n // 7),
    "dashes": lambda n: "— " * (n // 2),
    # Arabic: a modifier after the figure's noun, and a denial verb before its subject
    "figures with a modifier after": lambda n: "قتل 12 شخصا على الأقل و" * (n // 24),
    "verbs before their subject": lambda n: "ونفى الجيش " * (n // 11),
    # a speaker's verb running into each figure, passive denials with agents, copyright marks
    "verbs before figures": lambda n: "police say 12 killed, army says " * (n // 32),
    "passive denials": lambda n: "The report was denied by the army " * (n // 34),
    "copyright marks": lambda n: "Text.\n© Copyright " * (n // 18) + "X - All rights reserved",
    # scale words after digits, and a truce where a party belongs
    "scaled numbers": lambda n: "1.5 million de " * (n // 15),
    "one run of digits before a scale word": lambda n: "1" * (n - 8) + " million",
    "truces": lambda n: "the ceasefire war talks " * (n // 24),
    "titles with their of-phrase": lambda n: "the minister of state, " * (n // 23),
    "documents before issuers": lambda n: "according to reports from the " * (n // 30),
    "opening phrases before denials": lambda n: "Meanwhile، the army denied " * (n // 27),
    "acronyms and their words": lambda n: "l'EI Etat islamique " * (n // 20),
    "asides between dashes before denials": lambda n: "the army – which – denied – " * (n // 28),
    "events named first": lambda n: "L'attentato a " * (n // 14),
    "lists of links": lambda n: "Read more\n- 12 killed\n" * (n // 20),
    # sentences pointing back at the one before, and posts around a person's name
    "sentences pointing back": lambda n: "Об этом сообщил Así lo informó " * (n // 31),
    "clefts pointing back": lambda n: "A darne notizia è stato a darne " * (n // 31),
    "posts around names": lambda n: "the minister, Ivan Petrov, " * (n // 27),
    "claim verbs after subjects": lambda n: "Meanwhile the army accused " * (n // 27),
    "Arabic letters under marks": lambda n: "قُـتِـلَ" + "ُ" * n,
}
PLACE_SHAPE: Callable[[int], str] = lambda n: "in the town of A, " * (n // 18)  # noqa: E731
LANGS = ("en", "es", "ru", "ar")


def _read(text: str, lang: str) -> None:
    lex = lexicon(lang)
    pad = " " * 500
    read(
        text=text, sentences=split_sentences(text, lex), lex=lex,
        overview=OverviewForm(outlet="X" + pad + "Y", section=None, summary="s"),
        parties=PartiesForm(parties=["The army" + pad + "x"]),
        casualties=CasualtiesForm(figures=[FigureItem(figure="12" + pad, kind="killed", reported_by="police" + pad, caused_by=None)]),
        claims=ClaimsForm(claims=[ClaimItem(sentence=1, claimant="The army" + pad, target=None)]),
        denials=DenialsForm(denials=[DenialItem(sentence=1, denier="The army" + pad, denied="x", responds_to=None)]),
    )  # fmt: skip


FUNCTIONS: dict[str, Callable[[str, str], object]] = {
    "split_sentences": lambda t, lang: split_sentences(t, lexicon(lang)),
    "find_quantities": lambda t, lang: find_quantities(t, lexicon(lang)),
    "speaker_in": lambda t, lang: speaker_in(t, lexicon(lang)),
    "speaker_in for claims": lambda t, lang: speaker_in(t, lexicon(lang), claims=True),
    "find_outlet": lambda t, lang: find_outlet(
        t,
        requested=None,
        url=None,
        title=None,
        model_name="x",
        model_section=None,
        lex=lexicon(lang),
        trace=Trace(),
    ),  # fmt: skip
    "headline": lambda t, lang: headline(t, None, lexicon(lang)),
    "resolve": lambda t, lang: PartyBook(text=t, lex=lexicon(lang)).resolve("The army" + " " * 2000 + "x"),
    "person_behind": lambda t, lang: PartyBook(text=t, lex=lexicon(lang)).person_behind("minister"),
    "resolve an event named first": lambda t, lang: PartyBook(text=t, lex=lexicon(lang)).resolve(t[:200]),
    "read": _read,
    "back_speaker": lambda t, lang: back_speaker(
        t, PartyBook(text=t, lex=lexicon(lang), parties=[Party(name="ТАСС", type="media")])
    ),
    "split_title": lambda t, lang: split_title(t, lexicon(lang)),
    "nominative": lambda t, lang: nominative(t, lexicon(lang)),
    "nominative of the first words": lambda t, lang: nominative(" ".join(t.split()[:8]), lexicon(lang)),
    "named_with_post": lambda t, lang: named_with_post("Ivan Petrov", PartyBook(text=t, lex=lexicon(lang))),
    "only_a_place": lambda t, lang: only_a_place("A", t, lexicon(lang)),
    "bare_name": lambda t, lang: bare_name(t, lexicon(lang)),
    "not_a_name": lambda t, lang: not_a_name(t, lexicon(lang)),
    "link_lists": lambda t, lang: link_lists(split_sentences(t, lexicon(lang)), lexicon(lang)),
    "merge_acronyms": lambda t, lang: merge_acronyms(
        PartyBook(
            text=t, lex=lexicon(lang), parties=[Party(name="ABC", type="other"), Party(name=t, type="other")]
        ),
        [],
        [],
        [],
        Trace(),
    ),  # fmt: skip
    "drop_places": lambda t, lang: drop_places(
        PartyBook(
            text=t,
            lex=lexicon(lang),
            parties=[Party(name="A", type="other"), Party(name="A A", type="state")],
        ),
        [],
        [],
        [],
        Trace(),
    ),  # fmt: skip
}


def _once(fn: Callable[[str, str], object], text: str, lang: str) -> float:
    """The call's CPU time in this thread: the other processes on a busy machine's cores do not count."""
    t0 = time.thread_time()
    fn(text, lang)
    return time.thread_time() - t0


def _seconds(fn: Callable[[str, str], object], text: str, lang: str) -> float:
    """The best of two runs (the first also warms what a first call loads)."""
    return min(_once(fn, text, lang), _once(fn, text, lang))


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_reading_is_linear_at_the_size_limit(function: str, shape: str) -> None:
    """Each size is timed as the best of its runs, 10 kB first (which also warms what a first call
    loads). A 100 kB call under 0.05 s passes whatever 10 kB takes, so the runs that cannot change
    the verdict are skipped: 10 kB's second, and 100 kB's second unless its first fails. A ratio
    over the bound is timed again, up to four more runs of each size: on a busy machine one run can
    be slowed many times over, but a super-linear call is over the bound in every run."""
    fn, make = FUNCTIONS[function], SHAPES[shape]
    floor = 0.002  # below this, timer noise dominates the ratio
    for lang in LANGS:
        small_text, large_text = make(10_000), make(100_000)
        small = _once(fn, small_text, lang)
        large = _once(fn, large_text, lang)
        if large < 0.05:
            continue
        small = min(small, _once(fn, small_text, lang))
        for _ in range(4):
            if large / max(small, floor) < 40:
                break
            large = min(large, _once(fn, large_text, lang))
            small = min(small, _once(fn, small_text, lang))
        ratio = large / max(small, floor)
        assert ratio < 40 or large < 0.05, (
            f"{function} on {shape!r} ({lang}): {small:.4f}s at 10 kB, {large:.4f}s at 100 kB"
        )


@pytest.mark.parametrize("function", ["only_a_place", "drop_places", "resolve"])
def test_place_reading_is_linear_on_a_name_used_everywhere(function: str) -> None:
    """A name used thousands of times, each time after a locative phrase: the uses counted and the
    words walked back over are bounded."""
    fn = FUNCTIONS[function]
    for lang in LANGS:
        small, large = _seconds(fn, PLACE_SHAPE(10_000), lang), _seconds(fn, PLACE_SHAPE(100_000), lang)
        ratio = large / max(small, 0.002)
        assert ratio < 40 or large < 0.05, (
            f"{function} ({lang}): {small:.4f}s at 10 kB, {large:.4f}s at 100 kB"
        )
