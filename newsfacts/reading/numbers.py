"""Casualty quantities, read by code exactly as CONTRACT.md's table says, in each supported language.

The model names a figure as written ("12", "dozens", "au moins cinq"); code finds that figure in
the sentence and reads its value and modifiers from the article itself. Numbers are never
merged across a date, a year or a comma: digits group only by the language's own thousands
separator followed by exactly three digits ("2.300" in Spanish, "1,300" in English, "12 000" in
French), and number words go through text2num where it knows the language (en, es, fr, de,
pt, it) or through the lexicon's own table of number forms (ru, uk).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from newsfacts.reading.lexicon import Lexicon, alternation

MAX_DIGITS = 9  # a figure of people has at most nine digits; longer runs are not quantities
MAX_RUN = 8  # number words in one numeral ("two hundred and twenty-five")


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
        hi: float | int | None = (
            self.max if self.max is not None else (self.count if self.min is None else None)
        )
        return float(lo), float("inf") if hi is None else float(hi)

    def same_value(self, other: Quantity) -> bool:
        return (self.count, self.min, self.max) == (other.count, other.min, other.max)


_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₹₽]|(?<![^\W\d_])(?:Rs|USD|EUR|INR|US\$)\.?) ?$")
_WORD = re.compile(r"[^\W\d_]++(?:[-'’][^\W\d_]++)*+")


class _Reader:
    """The number grammar of one language, compiled once."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        seps = "".join(re.escape(s) for s in {*lex.words("thousands"), "\u00a0", "\u202f"})
        decimal = "".join(re.escape(s) for s in lex.words("decimal")) or r"\."
        self.digits = re.compile(
            rf"(?<![\d.,])(?:(?P<grouped>\d{{1,3}}(?:[{seps}]\d{{3}})++)(?!\d)"
            rf"|(?P<decimal>\d++[{decimal}]\d++)|(?P<plain>\d++))"
        )
        self.seps = set(seps.replace("\\", ""))
        self.decimal_sep = re.compile(rf"[{decimal}]")
        joiners = lex.words("quantities.scale_joiners")
        self.scale_joiner = re.compile(rf"{alternation(joiners)} ?", re.IGNORECASE) if joiners else None
        self.scales = {str(k).lower(): int(v) for k, v in (lex.get("quantities.scales", {}) or {}).items()}
        self.scale_after = (
            re.compile(rf"[ \u00a0]?({alternation(list(self.scales))})", re.IGNORECASE)
            if self.scales
            else None
        )
        # written onto the digits ("5mila", "10mil"): the scale word itself, ending at a word's end
        glued = sorted((re.escape(s) for s in self.scales if s[:1].isalpha()), key=len, reverse=True)
        self.scale_glued = re.compile(rf"({'|'.join(glued)})(?![^\W\d_])", re.IGNORECASE) if glued else None
        self.lang = lex.get("text2num")
        self.values = {
            str(k).lower(): int(v) for k, v in (lex.get("quantities.number_values", {}) or {}).items()
        }
        self.ones = lex.lowered("quantities.one")
        self.vocab = lex.lowered("quantities.number_words") | set(self.values) | self.ones
        self.joiners = lex.lowered("quantities.number_joiners")
        self.compound = bool(lex.get("compound_numbers") or lex.get("quantities.compound_numbers"))
        self.mods = {
            key: lex.words(f"quantities.{key}") for key in ("at_least", "more_than", "up_to", "about")
        }
        all_mods = [m for ms in self.mods.values() for m in ms]
        self.mod_tail = re.compile(rf"{alternation(all_mods)} ?$", re.IGNORECASE) if all_mods else None
        self.mod_kind = {m.lower(): key for key, ms in self.mods.items() for m in ms}
        # Modifiers that follow the figure and its noun ("12 شخصا على الأقل": at least 12 people).
        after = {key: lex.words(f"quantities.{key}_after") for key in ("at_least", "about")}
        after_mods = [m for ms in after.values() for m in ms]
        self.mod_after = (
            re.compile(rf"\s*+(?:[^\W\d_]++\s++)?({alternation(after_mods)})", re.IGNORECASE)
            if after_mods
            else None
        )
        self.mod_after_kind = {m.lower(): key for key, ms in after.items() for m in ms}
        self.vague = lex.vague
        self.vague_re = lex.pattern("quantities.vague")
        self.approx = {
            str(k).lower(): int(v) for k, v in (lex.get("quantities.approx_numbers", {}) or {}).items()
        }
        self.approx_re = lex.pattern("quantities.approx_numbers")
        self.zero_re = lex.pattern("quantities.zero")
        self.dozen_re = lex.pattern("quantities.dozen")
        self.dozen_mult = {
            str(k).lower(): float(v) for k, v in (lex.get("quantities.dozen_multipliers", {}) or {}).items()
        }
        self.not_units = lex.pattern("quantities.not_units")
        self.between = [(a.lower(), b.lower()) for a, b in lex.get("quantities.between", []) or []]
        self.range_words = lex.lowered("quantities.range_words")

    # -- number words ------------------------------------------------------------------------
    def _is_number_word(self, token: str) -> bool:
        low = token.lower()
        if low in self.vocab:
            return True
        if "-" in low and all(part in self.vocab for part in low.split("-")):
            return True
        if self.compound and len(low) <= 40 and self.lang:
            return any(len(w) >= 4 and w in low for w in self.vocab) and _text2num(low, self.lang) is not None
        return False

    def _value(self, words: list[str]) -> int | None:
        if len(words) == 1 and words[0].lower() in self.ones:
            return 1
        if self.lang:
            return _text2num(" ".join(w.lower() for w in words), self.lang)
        total, current = 0, 0
        for w in words:
            v = self.values.get(w.lower())
            if v is None:
                return None
            if v >= 1000:
                total, current = total + max(current, 1) * v, 0
            elif v == 100 and 0 < current < 10:
                current *= 100
            else:
                current += v
        return total + current

    def word_numbers(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, value) of every run of number words."""
        out: list[tuple[int, int, int]] = []
        run: list[re.Match[str]] = []

        def flush() -> None:
            while run and run[-1].group(0).lower() in self.joiners:
                run.pop()
            while run:
                value = self._value([m.group(0) for m in run])
                if value is not None:
                    out.append((run[0].start(), run[-1].end(), value))
                    break
                run.pop()  # "twenty people and one": try the shorter run
            run.clear()

        for m in _WORD.finditer(text):
            token = m.group(0)
            low = token.lower()
            number = self._is_number_word(token)
            gap = text[run[-1].end() : m.start()] if run else ""
            if (
                run
                and gap == " "
                and len(run) < MAX_RUN
                and low not in self.ones
                and (number or low in self.joiners)
            ):
                run.append(m)
                continue
            flush()
            if number:
                run.append(m)
        flush()
        return out

    # -- quantities ---------------------------------------------------------------------------
    def _modifier(self, text: str, start: int) -> tuple[str | None, int]:
        """The modifier right before ``start`` ("at least") and where it begins."""
        m = self.mod_tail.search(text[max(0, start - 32) : start]) if self.mod_tail is not None else None
        if m is None:
            return None, start
        return self.mod_kind.get(m.group(0).strip().lower()), start - len(m.group(0))

    def _modifier_after(self, text: str, end: int) -> str | None:
        """The modifier right after the figure or its noun, where the language puts it there."""
        if self.mod_after is None:
            return None
        m = self.mod_after.match(text[end : end + 48])
        return self.mod_after_kind.get(m.group(1).lower()) if m else None

    def _with_mod(self, text: str, start: int, end: int, n: int, *, exact: bool = True) -> Quantity:
        mod, mod_start = self._modifier(text, start)
        if mod is None:
            mod_start = start
            mod = self._modifier_after(text, end)
        span = text[mod_start:end]
        if mod == "at_least":
            return Quantity(n, n, None, True, mod_start, end, span)
        if mod == "more_than":
            return Quantity(n, n + 1, None, True, mod_start, end, span)
        if mod == "up_to":
            return Quantity(n, None, n, True, mod_start, end, span)
        if mod == "about":
            return Quantity(n, n, n, True, mod_start, end, span)
        return Quantity(n, n, n, not exact, mod_start, end, span)

    def find(self, text: str) -> list[Quantity]:
        mask = bytearray(len(text) + 1)  # 1 where a quantity already took the character

        class _Taken:
            @staticmethod
            def append(span: tuple[int, int]) -> None:
                mask[span[0] : span[1]] = b"\x01" * (span[1] - span[0])

        taken = _Taken()

        def free(a: int, b: int) -> bool:
            return not any(mask[a:b])

        found: list[Quantity] = []
        # Approximate round numbers ("une dizaine"), vague words ("dozens"), dozens, zeros.
        if self.approx_re is not None:
            for m in self.approx_re.finditer(text):
                n = self.approx.get(m.group(0).lower())
                if n is not None:
                    found.append(self._with_mod(text, m.start(), m.end(), n, exact=False))
                    taken.append((m.start(), m.end()))
        if self.zero_re is not None:
            for m in self.zero_re.finditer(text):
                if free(*m.span()):
                    taken.append(m.span())
                    found.append(Quantity(0, 0, 0, False, m.start(), m.end(), m.group(0)))
        numbers: list[tuple[int, int, int]] = []
        scaled_mask = bytearray(len(text) + 1)  # digits and the scale word after them
        for m in self.digits.finditer(text):
            if (scale := self._scale_after(text, m)) is not None:
                end, n = scale
                scaled_mask[m.start() : end] = b"\x01" * (end - m.start())
                if n < 10**MAX_DIGITS:
                    numbers.append((m.start(), end, n))
                else:
                    taken.append((m.start(), end))
                continue
            if m.group("decimal"):
                taken.append(m.span())
                continue
            raw = m.group(0)
            digits = "".join(ch for ch in raw if ch.isdigit())
            if len(digits) > MAX_DIGITS:
                taken.append(m.span())
                continue
            numbers.append((m.start(), m.end(), int(digits)))
        numbers += [
            w for w in self.word_numbers(text) if free(w[0], w[1]) and not any(scaled_mask[w[0] : w[1]])
        ]
        numbers.sort()
        number_mask = bytearray(len(text) + 1)
        for a, b, _ in numbers:
            number_mask[a:b] = b"\x01" * (b - a)
        if self.vague_re is not None:
            for m in self.vague_re.finditer(text):
                if free(*m.span()) and not any(number_mask[m.start() : m.end()]):
                    lo = self.vague.get(m.group(0).lower())
                    if lo is not None:
                        found.append(Quantity(None, lo, None, True, m.start(), m.end(), m.group(0)))
                        taken.append(m.span())
        if self.dozen_re is not None:
            for m in self.dozen_re.finditer(text):
                if not free(*m.span()):
                    continue
                before = text[max(0, m.start() - 12) : m.start()].lower()
                mult, mstart = 1.0, m.start()
                for word, k in sorted(self.dozen_mult.items(), key=lambda kv: -len(kv[0])):
                    if before.endswith(word + " "):
                        mult, mstart = k, m.start() - len(word) - 1
                        break
                mask[mstart : m.start()] = b"\x01" * (m.start() - mstart)  # the multiplier is part of it
                found.append(self._with_mod(text, mstart, m.end(), int(12 * mult)))
                taken.append((mstart, m.end()))
        # Digits and number words, with a scale word after digits ("2 million") and ranges.
        i = 0
        while i < len(numbers):
            start, end, n = numbers[i]
            if not free(start, end):
                i += 1
                continue
            nxt = numbers[i + 1] if i + 1 < len(numbers) else None
            rng = self._range(text, numbers[i], nxt) if nxt else None
            if rng is not None:
                found.append(rng)
                taken.append((rng.start, rng.end))
                i += 2
                continue
            taken.append((start, end))
            i += 1
            if not self._measures(text, start, end):
                found.append(self._with_mod(text, start, end, n))
        found.sort(key=lambda q: q.start)
        return found

    def _scale_after(self, text: str, m: re.Match[str]) -> tuple[int, int] | None:
        """(end, value) of digits with a scale word right after them ("2.5 million", "1,2 millones")."""
        s = self.scale_after.match(text, m.end()) if self.scale_after is not None else None
        if s is None and self.scale_glued is not None:
            s = self.scale_glued.match(text, m.end())
        if s is None:
            return None
        raw = m.group(0)
        if m.group("decimal"):
            value = float(self.decimal_sep.sub(".", raw))
        else:
            value = float("".join(ch for ch in raw if ch.isdigit()))
        # a run of digits too long for a float is held at the cap: whatever it counts, it is no one
        return s.end(), round(min(value * self.scales[s.group(1).lower()], 10**MAX_DIGITS))

    def _measures(self, text: str, start: int, end: int) -> bool:
        """Whether a unit follows the number ("a 62-year-old woman", "12 years", "3 km", "40%") or a
        currency precedes it ("Rs 50,000", "$5"): it measures an age, a time, a distance or money
        and counts no one."""
        if _CURRENCY_BEFORE.search(text[max(0, start - 6) : start]) is not None:
            return True  # "Rs 50,000", "$5", "€ 300"
        if self.not_units is None:
            return False
        after = text[end : end + 24].lstrip(" -‐‑\u00a0")
        if self.scale_joiner is not None and not text[start:end].strip()[-1:].isdigit():
            # a scale word ends the number: "3,5 millones de euros"
            after = after[j.end() :] if (j := self.scale_joiner.match(after)) else after
        return self.not_units.match(after) is not None

    def _range(self, text: str, a: tuple[int, int, int], b: tuple[int, int, int]) -> Quantity | None:
        between = text[a[1] : b[0]].strip().lower()
        lo, hi = a[2], b[2]
        if hi < lo:
            return None
        head = text[max(0, a[0] - 16) : a[0]].lower()
        for first, second in self.between:
            if between == second and head.endswith(first + " "):
                s = a[0] - len(first) - 1
                return Quantity(None, lo, hi, True, s, b[1], text[s : b[1]])
        digits = text[a[0] : a[1]].isdigit() and text[b[0] : b[1]].isdigit()
        if digits and (between in ("-", "–", "—") or between in self.range_words):
            after = text[b[1] : b[1] + 16].lstrip()
            if self.not_units is not None and self.not_units.match(after):
                return None
            if lo >= 1900 and hi >= 1900:
                return None  # years
            return Quantity(None, lo, hi, True, a[0], b[1], text[a[0] : b[1]])
        return None


@cache
def _text2num(phrase: str, lang: str) -> int | None:
    from text_to_num import text2num

    try:
        return int(text2num(phrase, lang))
    except (ValueError, TypeError, OverflowError):
        return None


@cache
def _reader(lex: Lexicon) -> _Reader:
    return _Reader(lex)


def zero_numeral(text: str, lex: Lexicon) -> bool:
    """Whether ``text`` is the numeral zero ("0", "zero", "zéro", "null"), not a word that says
    none ("no one", "aucun", "ningún"): "zero casualties" is more often a goal than a count."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text) == 0
    lang = lex.get("text2num")
    return bool(lang) and _text2num(text, lang) == 0


def find_quantities(text: str, lex: Lexicon) -> list[Quantity]:
    """Every number expression in ``text`` with its modifiers, in order."""
    if not lex.supported:
        return _digits_only(text)
    return _reader(lex).find(text)


_PLAIN_DIGITS = re.compile(r"(?<![\d.,])\d{1,9}(?![\d.,]\d)")


def _digits_only(text: str) -> list[Quantity]:
    """For a language without word lists: bare digits, exact, nothing else."""
    out = []
    for m in _PLAIN_DIGITS.finditer(text):
        n = int(m.group(0))
        out.append(Quantity(n, n, n, False, m.start(), m.end(), m.group(0)))
    return out


def parse_quantity(text: str, lex: Lexicon) -> Quantity | None:
    """The first quantity in a short phrase such as 'at least 5' or 'dozens'."""
    found = find_quantities(text, lex)
    return found[0] if found else None


def locate_figure(figure: str, sentence: str, lex: Lexicon) -> Quantity | None:
    """Find in ``sentence`` the expression the model wrote as ``figure``.

    The value and modifiers come from the sentence, not from the model: "12" in the
    model's answer finds "twelve" or "at least 12" in the article.
    """
    wanted = parse_quantity(figure, lex)
    candidates = find_quantities(sentence, lex)
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
