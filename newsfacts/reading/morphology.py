"""Dictionary forms of names in languages that inflect them (Russian, Ukrainian).

An article writes a party in whatever case its sentence needs: "по данным российских властей",
"в повідомленні Сил оборони Таврійського напрямку". The party's name is the phrase in the
nominative ("российские власти", "Сили оборони Таврійського напрямку"): the head of the phrase
(its first noun) and the adjectives before it, and a person's name set beside it in the same case
("губернатора области Вячеслава Гладкова" -> "губернатор области Вячеслав Гладков"). The words
that depend on the head ("оборони", "области") keep their case. A language opts in with a
``morphology`` key in its word list naming the dictionary (pymorphy3's OpenCorpora and
VESUM dictionaries); every other language is left as it is.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from newsfacts.reading.lexicon import Lexicon

MAX_WORDS = 8  # a longer phrase is not one name
MAX_WORD = 40
_OBLIQUE = frozenset({"gent", "datv", "accs", "ablt", "loct", "gen2", "loc2", "acc2"})
_PERSON = frozenset({"Name", "Surn", "Patr"})
_QUOTES = "«»\"“”„'"


@cache
def _analyzer(dictionary: str) -> Any:
    import pymorphy3  # a dictionary of some megabytes: loaded only for a language that needs it

    return pymorphy3.MorphAnalyzer(lang=dictionary)


def _case(parse: Any) -> str | None:
    return parse.tag.case  # type: ignore[no-any-return]


def _form(parse: Any, number: str | None, word: str) -> str | None:
    grammemes = {"nomn", number} if number else {"nomn"}
    inflected = parse.inflect(grammemes)
    if inflected is None:
        return None
    form = str(inflected.word)
    if word[:1].isupper():
        form = form[:1].upper() + form[1:]
    return form


def nominative(phrase: str, lex: Lexicon) -> str | None:
    """``phrase`` with its head in the nominative, or None: no dictionary for the language, the
    phrase too long, its head no noun, already in the nominative, or a word the dictionary cannot
    put there."""
    dictionary = lex.get("morphology")
    words = phrase.split()
    if not isinstance(dictionary, str) or not words or len(words) > MAX_WORDS:
        return None
    if any(len(w) > MAX_WORD for w in words):
        return None
    analyzer = _analyzer(dictionary)
    parses = [analyzer.parse(w.strip(_QUOTES)) for w in words]
    head = None
    for i, (word, found) in enumerate(zip(words, parses, strict=True)):
        if word.isupper() and len(word) > 1:
            return None  # an acronym first ("МВД Грузии"): the name is already its own
        tag = found[0].tag if found else None
        if tag is not None and "NOUN" in tag:
            head = i
            break
        if tag is None or not ({"ADJF", "PRTF"} & set(tag.grammemes)):
            return None
    if head is None:
        return None
    nouns = [p for p in parses[head] if "NOUN" in p.tag]
    if any(_case(p) == "nomn" for p in nouns):
        return None  # "силы" may be the nominative plural: leave it
    chosen = next(
        (
            p
            for p in nouns
            if _case(p) in _OBLIQUE and all(any(_case(q) == _case(p) for q in parses[i]) for i in range(head))
        ),
        None,
    )
    if chosen is None:
        return None
    case, number = _case(chosen), chosen.tag.number
    out = list(words)
    for i in range(head + 1):
        agreeing = [p for p in parses[i] if _case(p) == case and p.tag.number in (number, None)]
        form = _form(agreeing[0], number, words[i]) if agreeing else None
        if form is None:
            return None
        out[i] = form
    for i in range(head + 1, len(words)):
        # a person's name beside the head, in its case: "министра Ивана Петрова"
        if not words[i][:1].isupper():
            continue
        names = [p for p in parses[i] if _case(p) == case and _PERSON & set(p.tag.grammemes)]
        form = _form(names[0], None, words[i]) if names else None
        if form is not None:
            out[i] = form
    result = " ".join(out)
    return result if result != phrase else None
