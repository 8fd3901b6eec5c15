"""Casualty quantities, parsed by code exactly as CONTRACT.md's table says.

The model names a figure as written ("12", "dozens", "at least five"); code finds that
figure in the sentence and reads its value and modifiers from the article itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# Vague quantities: the lower bound CONTRACT.md gives them (count is null).
VAGUE = {
    "several": 3, "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000,
    "a few": 2, "a handful": 2, "tens of thousands": 20000,
}  # fmt: skip

AT_LEAST = ("at least", "no fewer than", "no less than", "a minimum of", "at a minimum")
MORE_THAN = ("more than", "over", "upwards of", "in excess of", "above")
UP_TO = ("up to", "as many as", "no more than", "at most", "fewer than", "less than")
ABOUT = (
    "about", "around", "roughly", "nearly", "almost", "approximately", "some", "an estimated",
    "close to", "estimated", "nearly all", "approx.", "about a", "around a", "some of the",
)  # fmt: skip

_WORD = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))
_NUM_TOKEN = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?:{_WORD})(?:[- ](?:{_WORD}))?)"
_NUMBER = rf"{_NUM_TOKEN}(?:\s+(?:hundred|thousand|million))?(?:\s+(?:and\s+)?{_NUM_TOKEN})?"
_MODS = "|".join(re.escape(m) for m in sorted(AT_LEAST + MORE_THAN + UP_TO + ABOUT, key=len, reverse=True))
_VAGUE = "|".join(re.escape(v) for v in sorted(VAGUE, key=len, reverse=True))

# Order matters: ranges, then vague words, then modified or bare numbers.
PATTERN = re.compile(
    rf"""\b(?:
        between\s+(?P<lo>{_NUMBER})\s+and\s+(?P<hi>{_NUMBER})
      | (?P<lo2>\d+)\s*(?:-|–|—|to)\s*(?P<hi2>\d+)(?!\s*(?:year|month|week|day|hour|km|mile|%))
      | (?P<zero>no[- ]one|nobody|none|zero|no)
      | (?P<vague>{_VAGUE})
      | (?:(?P<mod>{_MODS})\s+)?(?P<dozen>(?:(?:a|one|two|three|four|five|half\s+a)\s+)?dozen)(?!s)
      | (?:(?P<mod2>{_MODS})\s+)?(?P<num>{_NUMBER})
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class Quantity:
    count: int | None
    min: int | None
    max: int | None
    approximate: bool
    start: int = 0
    end: int = 0
    text: str = ""

    def overlaps(self, other: Quantity) -> bool:
        lo1, hi1 = self.bounds()
        lo2, hi2 = other.bounds()
        return lo1 <= hi2 and lo2 <= hi1

    def bounds(self) -> tuple[float, float]:
        lo = self.min if self.min is not None else (self.count if self.count is not None else 0)
        hi = self.max if self.max is not None else (self.count if self.min is None else float("inf"))
        if hi is None:
            hi = float("inf")
        return float(lo), float(hi)

    @property
    def exact(self) -> bool:
        return not self.approximate


def words_to_int(text: str) -> int | None:
    """'1,300' -> 1300, 'twenty-one' -> 21, 'two hundred and five' -> 205, 'a' -> 1."""
    t = text.lower().replace(",", "").strip()
    if re.fullmatch(r"\d+", t):
        return int(t)
    if re.fullmatch(r"\d+\.\d+", t):
        return None
    if t in ("no", "none", "zero", "nobody", "no one", "no-one"):
        return 0
    total, current, seen = 0, 0, False
    for tok in re.split(r"[\s-]+", t):
        if tok == "and":
            continue
        if tok.isdigit():
            current += int(tok)
        elif tok in UNITS:
            current += UNITS[tok]
        elif tok in TENS:
            current += TENS[tok]
        elif tok in SCALES:
            current = max(current, 1) * SCALES[tok]
            if SCALES[tok] >= 1000:
                total, current = total + current, 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _dozen_value(text: str) -> int:
    t = text.lower().split()
    if t[0] == "half":
        return 6
    return 12 * (words_to_int(t[0]) or 1) if len(t) > 1 else 12


def _quantity(match: re.Match[str]) -> Quantity | None:
    g = match.groupdict()
    span = dict(start=match.start(), end=match.end(), text=match.group(0))
    if g["lo"] or g["lo2"]:
        lo, hi = words_to_int(g["lo"] or g["lo2"]), words_to_int(g["hi"] or g["hi2"])
        if lo is None or hi is None or hi < lo:
            return None
        return Quantity(None, lo, hi, True, **span)
    if g["zero"]:
        return Quantity(0, 0, 0, False, **span)
    if g["vague"]:
        return Quantity(None, VAGUE[g["vague"].lower()], None, True, **span)
    mod = (g["mod"] or g["mod2"] or "").lower()
    if g["dozen"]:
        n = _dozen_value(g["dozen"])
    else:
        n = words_to_int(g["num"])
        if n is None:
            return None
    if mod in AT_LEAST:
        return Quantity(n, n, None, True, **span)
    if mod in MORE_THAN:
        return Quantity(n, n + 1, None, True, **span)
    if mod in UP_TO:
        return Quantity(n, None, n, True, **span)
    if mod:
        return Quantity(n, n, n, True, **span)
    return Quantity(n, n, n, False, **span)


def find_quantities(text: str) -> list[Quantity]:
    """Every number expression in ``text`` with its modifiers, in order."""
    found = []
    for match in PATTERN.finditer(text):
        q = _quantity(match)
        if q is not None:
            found.append(q)
    return found


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in a short phrase such as 'at least 5' or 'dozens'."""
    found = find_quantities(text)
    return found[0] if found else None


def locate_figure(figure: str, sentence: str) -> Quantity | None:
    """Find in ``sentence`` the expression the model wrote as ``figure``.

    The value and modifiers come from the sentence, not from the model: "12" in the
    model's answer finds "twelve" or "at least 12" in the article.
    """
    wanted = parse_quantity(figure)
    candidates = find_quantities(sentence)
    if not candidates:
        return None
    norm = figure.strip().lower()
    for q in candidates:  # the very words the model wrote
        if q.text.lower() == norm:
            return q
    if wanted is None:
        return None
    for q in candidates:  # same value, whatever the wording
        if wanted.count is not None and q.count == wanted.count:
            return q
        if wanted.count is None and (q.min, q.max) == (wanted.min, wanted.max):
            return q
    for q in candidates:
        if wanted.count is None and q.count is None and q.overlaps(wanted):
            return q
    return None
