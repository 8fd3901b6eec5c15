"""Places: a name the article uses only for where something happened is not a party.

"in Kramatorsk", "near the border city of Kobani", "dans le district de Haska Mina", "у Сумській
області", a dateline ("Madrid | 24.11.2017", "Milano, 16 set. (askanews)"), a place in brackets after
another ("Dhaka (Bangladesch)"): every use of the name says where, none says who. A name used even
once in another way ("Ukraine denied", "the government of Colombia") stays a party. Every scan is
bounded: the words before a use are read from at most ``LOOK_BACK`` characters, a name's uses are
counted up to ``MAX_USES``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfacts.reading.lexicon import Lexicon, alternation

LOOK_BACK = 80
MAX_USES = 200
MAX_STEPS = 6  # words walked back over ("in the eastern Ukrainian town of …")
_ARTICLES = ["the", "a", "an", "la", "el", "le", "les", "l'", "l’", "los", "las", "die", "der", "das", "den", "dem",
             "o", "os", "as", "il", "lo", "gli", "i"]  # fmt: skip
_TOKEN_AT_END = re.compile(r"(?:[^\W\d_][\w'’.-]{0,40}+|[,(])\s*+$")
# A dateline with no capitals: the name opens a line, then a separator and a date or an agency in brackets.
_DATELINE_TAIL = re.compile(r"[ \t]{0,3}+(?:[,|–—-][ \t]{0,3}+\d|\([^()\n]{0,40}+\)[ \t]{0,3}+[,|–—-])")


class PlaceReader:
    """The words of one language that put a name in the position of a place."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.inflected = bool(lex.get("places.inflected"))
        before, nouns, of = lex.words("places.before"), lex.words("places.nouns"), lex.words("places.of")
        self.supported = bool(before)
        flags = re.IGNORECASE
        self.before = re.compile(alternation(before) + r"\s*+$", flags) if before else None
        self.noun_at_end = re.compile(alternation(nouns) + r"\s*+$", flags) if nouns else None
        self.of_at_end = re.compile(alternation(of) + r"\s*+$", flags) if of else None
        on, after = lex.words("places.on"), lex.words("places.after")
        events = lex.words("parties.event_words")
        self.event_on = (
            re.compile(alternation(events) + r" " + alternation(on) + r"\s*+$", flags)
            if on and events
            else None
        )  # "the attack on Makiivka": the place it hit
        self.after = (
            re.compile(r"\s?+" + alternation(after), flags) if after else None
        )  # "the Gondar city government"
        self.skip = re.compile(alternation(_ARTICLES + lex.words("parties.articles")) + r"\s*+$", flags)

    def uses(self, name: str, text: str) -> list[tuple[int, int]]:
        """Where the article uses ``name``: its words in order, each word with any ending in a
        language whose names take case endings ("Краматорськ" in "у Краматорську")."""
        parts = []
        for word in name.split()[:12]:
            if self.inflected and len(word) > 5:
                parts.append(re.escape(word[: max(4, len(word) - 2)]) + r"\w*+")
            else:
                parts.append(re.escape(word))
        if not parts:
            return []
        pattern = re.compile(r"(?<!\w)" + r"\s++".join(parts) + r"(?!\w)", re.IGNORECASE)
        out = []
        for m in pattern.finditer(text):
            out.append(m.span())
            if len(out) >= MAX_USES:
                break
        return out

    def where(self, text: str, start: int, end: int) -> bool:
        """The use at ``start`` says where: a locative word before it, possibly across articles,
        capitalised words and place nouns ("in Ethiopia's Amhara region", "near the border city
        of Kobani"), a place noun with its "of" ("the capital of Tigray region, Ethiopia"), a place
        in brackets, or a dateline."""
        if self._in_brackets(text, start, end) or self._dateline(text, start, end):
            return True
        if self.after is not None and self.after.match(text, end):
            return True
        window = text[max(0, start - LOOK_BACK) : start]
        if self.event_on is not None and self.event_on.search(window):
            return True
        for step in range(MAX_STEPS):
            if self.before is not None and self.before.search(window):
                return True
            if self.noun_at_end is not None and (m := self.noun_at_end.search(window)):
                if step == 0:
                    return True  # "the town Makiivka", "район Мариуполя"
                window = window[: m.start()]  # "Tigray region, Ethiopia": walk on over the place before
                continue
            if self.of_at_end is not None and (m := self.of_at_end.search(window)):
                head = window[: m.start()]
                head = self.skip.sub("", head) if self.skip.search(head) else head
                return self.noun_at_end is not None and self.noun_at_end.search(head) is not None
            if (m := self.skip.search(window)) is not None:
                window = window[: m.start()]
                continue
            token = _TOKEN_AT_END.search(window)
            if token is None:
                return False
            word = token.group(0).strip()
            if "\n" in token.group(0) or (
                word.endswith(".") and len(word) > 4 and "." not in word[:-1] and not word.isupper()
            ):
                return False  # a sentence or a line ends before the name ("… au Burkina. Clément Sawadogo")
            if word in (",", "(") or word[:1].isupper():
                window = window[: token.start()]
                continue
            return False
        return False

    @staticmethod
    def _in_brackets(text: str, start: int, end: int) -> bool:
        """ "Puerto Leguízamo (Putumayo)": a place after a place; an abbreviation ("(OZIP)") is not."""
        inside = text[start:end]
        return (
            text[max(0, start - 1) : start] == "("
            and text[end : end + 1] == ")"
            and not inside.isupper()
            and text[max(0, start - 3) : start - 1].strip()[-1:].isalpha()
        )

    @staticmethod
    def _dateline(text: str, start: int, end: int) -> bool:
        line_start = text.rfind("\n", max(0, start - 8), start) + 1
        return not text[line_start:start].strip() and _DATELINE_TAIL.match(text, end) is not None


def only_a_place(name: str, text: str, lex: Lexicon, *, inside: Sequence[tuple[int, int]] = ()) -> bool:
    """Every use of ``name`` in ``text`` says where something happened, or sits inside another
    party's name (``inside``: "Nigeria" in "Nigeria's army"). False when the article never uses
    the name as written (nothing to judge by)."""
    reader = place_reader(lex)
    if not reader.supported:
        return False
    uses = reader.uses(name, text)
    if not uses:
        return False
    return all(any(a <= s and e <= b for a, b in inside) or reader.where(text, s, e) for s, e in uses)


_READERS: dict[str, PlaceReader] = {}


def place_reader(lex: Lexicon) -> PlaceReader:
    if lex.code not in _READERS:
        _READERS[lex.code] = PlaceReader(lex)
    return _READERS[lex.code]
