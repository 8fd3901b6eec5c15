"""Names: normalising, anonymous and generic references, titled persons. Shared by every field."""

from __future__ import annotations

import re
from collections.abc import Set
from typing import get_args

from newsfacts.reading.lexicon import UPPER, Lexicon, caseless, lexicon
from schemas.contract import PartyType

_NON_WORD = re.compile(r"[^\w' ]++")
_SPACES = re.compile(r"\s++")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s")
_POSSESSIVE = re.compile(r"'s(?!\w)")


def norm(name: str | None) -> str:
    """Case, punctuation, a leading English article and a possessive folded away (a name: its
    first 300 characters; ``norm_text`` folds a whole text the same way)."""
    return norm_text(name[:300]) if name else ""


# Arabic spellings of one name differ in the hamza seat, the final yaa and taa marbuta, the
# elongation mark and the short-vowel marks ("الإسرائيلي", "الاسرائيلى"): one form each.
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None}
    | {chr(c): None for c in range(0x064B, 0x0653)}
)


def norm_text(text: str | None) -> str:
    """``norm`` over a whole text, however long: every pattern here is linear."""
    if not text:
        return ""
    n = text.lower().replace("’", "'").translate(_ARABIC_FOLD)
    n = _NON_WORD.sub(" ", n)
    n = _SPACES.sub(" ", n).strip()
    n = _LEADING_ARTICLE.sub("", n)
    n = _POSSESSIVE.sub("", n)
    return _SPACES.sub(" ", n).strip()


# Universal non-names: a party type or a placeholder given as a name.
_PLACEHOLDERS = {t.replace("_", " ") for t in get_args(PartyType)} | {
    "unknown", "none", "null", "n a", "na", "unspecified", "not stated", "not specified", "not mentioned",
    "government body", "armed group", "media outlet", "outlet", "newspaper", "company", "firm", "party", "group",
    "organisation", "organization", "body", "agency", "officials", "consultancy",
}  # fmt: skip


def is_generic(name: str) -> bool:
    return norm(name).replace("_", " ") in _PLACEHOLDERS


MAX_QUALIFIED_SOURCE_WORDS = 5


def is_anonymous(name: str | None, lex: Lexicon) -> bool:
    """No one in particular: a witness, residents, "sources", a placeholder."""
    if not name or not name.strip():
        return True
    n = norm(name)
    if not n or n in _PLACEHOLDERS:
        return True
    if lex.fullmatch("anonymous.bodies", n) or lexicon("en").fullmatch("anonymous.bodies", n):
        return False
    words = n.split()
    determiners = lex.lowered("anonymous.determiners") | lexicon("en").lowered("anonymous.determiners")
    while len(words) > 1 and (words[0] in determiners or _stem_in(words[0], determiners)):
        words = words[1:]
    rest = " ".join(words)
    if lex.fullmatch("anonymous.terms", rest) or lexicon("en").fullmatch("anonymous.terms", rest):
        return True
    # sources qualified only by lowercase words ("diplomatic sources", "fuentes diplomáticas",
    # "источники в силовых структурах"): no name says whose
    written = name.split()
    while len(written) > 1 and written[0].lower() in determiners:
        written = written[1:]
    return (
        2 <= len(written) <= MAX_QUALIFIED_SOURCE_WORDS
        and (lex.fullmatch("anonymous.sources", words[0]) or lex.fullmatch("anonymous.sources", words[-1]))
        and not any(w[:1].isupper() for w in written[1:])
    )


def _stem_in(word: str, terms: Set[str]) -> bool:
    return any(t.endswith("*") and word.startswith(t[:-1]) for t in terms)


def tokens(name: str, lex: Lexicon, *, whole: bool = False) -> set[str]:
    """The content words of a name (``whole``: of a whole text, not only its first 300 characters)."""
    stop = lex.lowered("parties.stop") | {"s"}
    return {t for t in (norm_text(name) if whole else norm(name)).split() if t not in stop and len(t) > 2}


def in_text(name: str, text_norm: str) -> bool:
    n = norm(name)
    if not n:
        return False
    at = text_norm.find(n)
    while at >= 0:
        before = text_norm[at - 1 : at] if at else ""
        after = text_norm[at + len(n) : at + len(n) + 1]
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        at = text_norm.find(n, at + 1)
    return False


_CAP = rf"[{UPPER}][\w'’-]*+"
CAPITALISED = _CAP
"""A capitalised word, as a pattern to build others with."""
PERSON = re.compile(rf"{_CAP}(?: {_CAP}){{1,2}}")
"""Two or three capitalised words: a person's name."""


# "O.P.Singh": initials written against the surname, one word that is a person's whole name
_INITIALLED = re.compile(rf"(?:[{UPPER}]\.){{1,3}}[{UPPER}][^\W\d_]+")
_ACRONYM = re.compile(rf"(?<!\w)[{UPPER}]{{2,8}}(?!\w)")


def _names_a_body(title: str, lex: Lexicon) -> bool:
    """ "National Civil Defense", "Східного угруповання ЗСУ": the body a person speaks for stands
    in for a title before the name."""
    words = title.split()
    acronym = len(words) >= 2 and _ACRONYM.fullmatch(words[-1]) is not None  # "… угруповання ЗСУ", not "US"
    return lex.matches("parties.org_words", title) or lex.matches("parties.military_words", title) or acronym


def split_title(name: str, lex: Lexicon) -> tuple[str, str | None] | None:
    """A person named with a title, split: "Infrastructure Minister Viktor Hollis" is
    ("Viktor Hollis", "Infrastructure Minister"), "Dr. Hauwa Musa" is ("Hauwa Musa", None)."""
    name = " ".join(name.split())[:200]
    if name and caseless(name):
        return _split_arabic_title(name, lex)
    honorific = lex.pattern("parties.honorifics")
    words = name.split(" ")
    if honorific is not None and len(words) >= 3:
        first = words[0].rstrip(".")
        if honorific.fullmatch(first) and PERSON.fullmatch(" ".join(words[1:])):
            return " ".join(words[1:]), None
    titles = lex.pattern("parties.titles")
    if titles is None:
        return None
    connectors = lex.lowered("parties.connectors")
    for n in (3, 2, 1):  # the person is the last three or two capitalised words, the longer first
        if len(words) <= n:
            continue
        title, person = " ".join(words[:-n]), " ".join(words[-n:])
        if n == 3 and words[-3].isupper() and len(words[-3]) > 1:
            continue  # "… ЗСУ Сергій Череватий": an acronym ends the title, the person is two words
        if (
            (PERSON.fullmatch(person) if n > 1 else _INITIALLED.fullmatch(person))
            and (titles.search(title) or _names_a_body(title, lex))
            and not titles.search(person)
            and not lex.matches("parties.org_words", person)
            and not lex.matches("parties.military_words", person)
            and title.split()[-1].lower() not in connectors
            and not (honorific is not None and honorific.fullmatch(person.split()[0].rstrip(".")))
        ):
            head = title.split()
            if honorific is not None and head and honorific.fullmatch(head[0].rstrip(".")):
                head = head[1:]
            return person, " ".join(head) or None
    return None


_ARABIC_PERSON = (2, 4)  # words


def _split_arabic_title(name: str, lex: Lexicon) -> tuple[str, str | None] | None:
    """In Arabic, which writes no capitals, a title is a construct phrase whose last noun is
    definite ("المتحدث باسم الجيش", "مدير المرصد", "رئيس هيئة الإسعاف") and the person's name
    follows it without the article: "مدير المرصد رامي عبد الرحمن" is ("رامي عبد الرحمن", "مدير
    المرصد"), "الدكتور عبد الإله العزى" is ("عبد الإله العزى", None)."""
    words = name.split(" ")
    titles, honorific = lex.pattern("parties.titles"), lex.pattern("parties.honorifics")
    if len(words) < 3 or titles is None:
        return None
    # the name starts at the last word without the article that follows one with it
    start = max((i for i in range(1, len(words)) if words[i - 1].startswith("ال") and not words[i].startswith("ال")),
                default=0)  # fmt: skip
    person, head = words[start:], words[:start]
    if (
        not start
        or not (_ARABIC_PERSON[0] <= len(person) <= _ARABIC_PERSON[1])
        or any(titles.fullmatch(w) for w in person)
        or person[0] in {w for w in lex.words("parties.connectors")}
        or lex.matches("parties.org_words", " ".join(person))
    ):
        return None
    if honorific is not None and len(head) == 1 and honorific.fullmatch(head[0]):
        return " ".join(person), None
    if not titles.match(head[0]) or not head[-1].startswith("ال"):
        return None
    return " ".join(person), " ".join(head)


_TYPE_MEDIA = re.compile(r"(?i)(?<!\w)(?:news|agency|press|times|post|tv|radio|reuters|associated press|afp|bbc|cnn|"
                         r"al jazeera|efe|dpa|ansa|tass|ria|interfax|lusa|xinhua|anadolu)(?!\w)")  # fmt: skip


def guess_type(name: str, lex: Lexicon) -> PartyType:
    if lex.matches("parties.military_words", name):
        return "military"
    if _TYPE_MEDIA.search(name):
        return "media"
    if lex.matches("parties.org_words", name):
        return "government_body"
    return "other"
