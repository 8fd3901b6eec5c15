"""Word lists per language, as data (``lexicons/<code>.toml``), compiled into linear patterns.

A term is a word or a phrase with single spaces; a trailing ``*`` matches any ending
("kill*": kill, kills, killed). Every pattern built here is an alternation of literal
terms between word boundaries (a stem ends in a possessive ``\\w*+``), so matching is linear
in the text. Rules look terms up by a dotted key ("kinds.killed"); where the article's
language has no list, ``Lexicon.supported`` is False and the rules that need words step aside.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache, cached_property
from pathlib import Path
from typing import Any

LEXICON_DIR = Path(__file__).parent / "lexicons"
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽА-ЯЁЄІЇҐ"
"""Capital letters of the Latin and Cyrillic scripts (Python's ``re`` has no \\p{Lu})."""


def caseless(text: str) -> bool:
    """Whether ``text`` has no letter with a case: written in a script without capitals (Arabic),
    where nothing in the writing marks a name."""
    return not any(ch.isupper() or ch.islower() for ch in text)


# Arabic's short vowels and other marks, and the tatweel: written over some words and not others
# ("قُتلوا", "أُصيب"), they may follow any letter of a term and do not change the word.
_MARKS = "\u064b-\u065f\u0670\u0640"
_ARABIC_MARKS = f"[{_MARKS}]*+"
_WORD_END = rf"(?:\w|[{_MARKS}])*+"


def _char(c: str) -> str:
    """One character of a term as a regex: a space as itself, an Arabic letter with the marks
    that may follow it."""
    if c == " ":
        return " "
    return re.escape(c) + (_ARABIC_MARKS if "\u0621" <= c <= "\u064a" else "")


def term_regex(term: str) -> str:
    """One term as a regex fragment with word boundaries where its edges are word characters."""
    stem = term.endswith("*")
    body = term[:-1] if stem else term
    core = "".join(_char(c) for c in body)
    if stem:
        core += _WORD_END
    head = r"(?<!\w)" if body[:1].isalnum() or body[:1] == "_" else ""
    tail = r"(?!\w)" if stem or body[-1:].isalnum() else ""
    return head + core + tail


def alternation(terms: list[str] | tuple[str, ...]) -> str:
    """Any of ``terms``, the longest where several match at one place, as a prefix tree: the terms
    that start with a word character share one word-boundary check and their common prefixes
    (``d(?:ied|ies|eath…)``), so a search tries a handful of branches at each position of the text,
    not every term. The others (starting with punctuation) follow, longest first; they cannot match
    where a word-led term does."""
    tree: dict[str, Any] = {}
    others = []
    for term in set(terms):
        stem = term.endswith("*")
        body = term[:-1] if stem else term
        if not body:
            continue
        if not (body[:1].isalnum() or body[:1] == "_"):
            others.append(term)
            continue
        node = tree
        for char in body:
            node = node.setdefault(char, {})
        node.setdefault("", set()).add(
            _WORD_END + r"(?!\w)" if stem else (r"(?!\w)" if body[-1:].isalnum() else "")
        )
    branches = [r"(?<!\w)" + _branches(tree)] if tree else []
    branches += [term_regex(t) for t in sorted(others, key=len, reverse=True)]
    return "(?:" + "|".join(branches) + ")"


def _branches(node: dict[str, Any]) -> str:
    """One node of the prefix tree: its continuations first (the longer terms), then its ends (a
    stem's open ending before a whole word's)."""
    alts = [_char(c) + _branches(child) for c, child in sorted(node.items()) if c]
    alts += sorted(node.get("", ()), key=len, reverse=True)
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


class Lexicon:
    """The word lists of one language (``supported`` False: none, the rules step aside)."""

    def __init__(self, code: str, data: dict[str, Any]) -> None:
        self.code = code
        self.data = data
        self.supported = bool(data)
        self._patterns: dict[str, re.Pattern[str] | None] = {}
        self._lowered: dict[tuple[str, ...], frozenset[str]] = {}

    @property
    def name(self) -> str:
        return str(self.data.get("name", self.code))

    def get(self, key: str, default: Any = None) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def words(self, key: str) -> list[str]:
        value = self.get(key, [])
        if isinstance(value, dict):
            return [str(k) for k in value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def lowered(self, *keys: str) -> frozenset[str]:
        """The terms of all ``keys``' lists, lower-cased, as one set (built once per lexicon)."""
        if keys not in self._lowered:
            self._lowered[keys] = frozenset(w.lower() for key in keys for w in self.words(key))
        return self._lowered[keys]

    def last(self, key: str, text: str) -> re.Match[str] | None:
        """The last place in ``text`` where a term of the list matches, or None."""
        p = self.pattern(key)
        return None if p is None else next(reversed(list(p.finditer(text))), None)

    def has(self, key: str) -> bool:
        return bool(self.words(key))

    def pattern(self, key: str) -> re.Pattern[str] | None:
        """A case-insensitive pattern matching any term of the list, or None without a list."""
        if key not in self._patterns:
            terms = self.words(key)
            self._patterns[key] = re.compile(alternation(terms), re.IGNORECASE) if terms else None
        return self._patterns[key]

    def search(self, key: str, text: str) -> re.Match[str] | None:
        p = self.pattern(key)
        return p.search(text) if p is not None else None

    def matches(self, key: str, text: str) -> bool:
        return self.search(key, text) is not None

    def fullmatch(self, key: str, text: str) -> bool:
        p = self.pattern(key)
        return p is not None and p.fullmatch(text) is not None

    @cached_property
    def kinds(self) -> dict[str, re.Pattern[str]]:
        out = {}
        for kind in ("killed", "injured", "missing", "captured", "displaced"):
            p = self.pattern(f"kinds.{kind}")
            if p is not None:
                out[kind] = p
        return out

    @cached_property
    def vague(self) -> dict[str, int]:
        return {str(k).lower(): int(v) for k, v in (self.get("quantities.vague", {}) or {}).items()}

    @cached_property
    def abbreviations(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.words("abbreviations"))


@cache
def lexicon(code: str | None) -> Lexicon:
    """The lexicon for an ISO 639-1 code; an empty (unsupported) one when there is no file."""
    if code and re.fullmatch(r"[a-z]{2}", code):
        path = LEXICON_DIR / f"{code}.toml"
        if path.is_file():
            return Lexicon(code, tomllib.loads(path.read_text(encoding="utf-8")))
    return Lexicon(code or "und", {})


def supported_languages() -> list[str]:
    return sorted(p.stem for p in LEXICON_DIR.glob("*.toml") if re.fullmatch(r"[a-z]{2}", p.stem))
