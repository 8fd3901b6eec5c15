"""Sentences with offsets, and verbatim quote location.

The model refers to sentences by number; code turns those numbers into quotes that
sit exactly at their offsets in the submitted text. Splitting is linear in the text:
one pass over each paragraph with possessive quantifiers and a bounded look-back.
"""

from __future__ import annotations

import functools
import re
from array import array
from dataclasses import dataclass
from itertools import takewhile

from newsfacts.reading.lexicon import Lexicon
from schemas.contract import Quote

# A sentence ends at . ! ? … ؟ (then any closing quotes or brackets) before whitespace.
_END = re.compile(r"(?<![.!?…؟])[.!?…؟]++[\"'”’»)\]]*+(?=\s)")
_OPENERS = "\"'“‘«„‚([¿¡"
LOOK_BACK = 24  # the word before a full stop is read from at most this many characters


@dataclass(frozen=True)
class Sentence:
    index: int  # 1-based, as shown to the model
    start: int
    end: int
    text: str


def _continues(chunk: str, cut: int, stop: int, lexicon: Lexicon) -> bool:
    """The full stop at ``cut`` does not end the sentence: an abbreviation or an initial before
    it, or a lower-case word after it."""
    before = chunk[max(0, cut - LOOK_BACK) : cut]
    last = before.rsplit(None, 1)[-1].lower().rstrip(".") if before.strip() else ""
    if last in lexicon.abbreviations or (len(last) == 1 and "a" <= last <= "z"):
        return True
    nxt = chunk[stop : stop + 8].lstrip()
    if not nxt:
        return False
    first = nxt[0]
    # A capital, a digit or an opening mark starts a sentence; so does a letter of a script
    # without case (Arabic). A lower-case letter or a symbol continues the sentence.
    starts = (
        first.isupper() or first.isdigit() or first in _OPENERS or (first.isalpha() and not first.islower())
    )
    return not starts


def split_sentences(text: str, lexicon: Lexicon) -> list[Sentence]:
    """Split into sentences; every sentence is ``text[start:end]`` with no surrounding space.
    Lines are never joined: a headline, a dateline or a list item is its own sentence."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]++", text):
        p_start = para.start()
        chunk = para.group(0)
        cursor = 0
        for mark in _END.finditer(chunk):
            stop = mark.end()
            if _continues(chunk, mark.start(), stop, lexicon):
                continue
            spans.append((p_start + cursor, p_start + stop))
            cursor = stop
        spans.append((p_start + cursor, p_start + len(chunk)))
    sentences: list[Sentence] = []
    for start, end in spans:
        segment = text[start:end]
        stripped = segment.strip()
        if not stripped:
            continue
        lead = len(segment) - len(segment.lstrip())
        s = start + lead
        sentences.append(Sentence(len(sentences) + 1, s, s + len(stripped), stripped))
    return sentences


def number_sentences(sentences: list[Sentence]) -> str:
    return "\n".join(f"[{s.index}] {s.text}" for s in sentences)


_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‘": "'",
                              "’": "'", "‚": "'", "‛": "'", "–": "-", "—": "-", "\u00a0": " ",
                              "\u202f": " "})  # fmt: skip


# What folds to one space: a run of whitespace, or one whitespace character other than a space (\s is
# str.isspace() on str patterns). A single space stays as it is.
_SPACES = re.compile(r"\s{2,}|[^\S ]")


@functools.lru_cache(maxsize=4)
def _normalise(text: str) -> tuple[str, array[int]]:
    """Fold quote marks, dashes, case and runs of whitespace; keep a map back to the original
    offsets. Characters whose lower case is longer (İ) are kept as they are, so the map stays 1:1.
    An article's reading locates many quotes in one text: the last few folded texts are kept (the
    map in 4 bytes an offset: 400 kB for a 100 kB article)."""
    folded = text.translate(_QUOTE_MARKS)
    lowered = folded.lower()
    # One character at a time where the whole string's lower case differs from its characters': a
    # character whose lower case is longer, or Σ (a word-final Σ lowers to ς in a string, σ alone).
    if len(lowered) != len(folded) or "Σ" in folded:
        lowered = "".join(low if len(low := ch.lower()) == 1 else ch for ch in folded)
    out: list[str] = []
    index = array("I")
    at = 0
    for m in _SPACES.finditer(lowered):
        out += (lowered[at : m.start()], " ")
        index.extend(range(at, m.start() + 1))
        at = m.end()
    out.append(lowered[at:])
    index.extend(range(at, len(lowered)))
    return "".join(out), index


_CLOSING = ".,;:!?…،؛。、"
"""Punctuation that closes a phrase, in the scripts with word lists and in Arabic and CJK text."""


def locate(needle: str, text: str, *, near: int | None = None) -> Quote | None:
    """Find ``needle`` in ``text`` forgiving whitespace, case and quote-mark differences.

    Returns the article's own characters at the offsets found, or None. With ``near``,
    the occurrence closest to that offset wins.
    """
    needle = needle.strip().strip("\"'“”‘’«»„")
    if not needle:
        return None
    norm_text, index = _normalise(text)
    norm_needle, _ = _normalise(needle)
    norm_needle = norm_needle.strip()
    if not norm_needle:
        return None
    if norm_text.find(norm_needle) < 0:
        # A copied phrase often ends with a full stop where the article's sentence goes on ("…
        # آخرين." for "… آخرين،"): the closing punctuation is not part of the words.
        norm_needle = norm_needle.rstrip(_CLOSING).rstrip() or norm_needle
    hits: list[int] = []
    at = norm_text.find(norm_needle)
    while at >= 0 and len(hits) < 1000:
        hits.append(at)
        at = norm_text.find(norm_needle, at + 1)
    if not hits:
        return None
    best = min(hits, key=lambda h: abs(index[h] - near)) if near is not None else hits[0]
    start = index[best]
    end = index[best + len(norm_needle) - 1] + 1
    return Quote(text=text[start:end], start=start, end=end)


MAX_TITLE_LINES = 3


def _unterminated(sentence: Sentence) -> bool:
    return not sentence.text.rstrip("\"”’'»").endswith((".", "!", "?"))


def title_lines(sentences: list[Sentence]) -> set[int]:
    """The indexes of the lines before the body with no closing stop (a kicker, the headline; at
    most three): what they say, the body says again."""
    out: set[int] = set()
    for sentence in sentences[:MAX_TITLE_LINES]:
        if not _unterminated(sentence):
            break
        out.add(sentence.index)
    return out


_LIST_ITEM = re.compile(r"^[-–—•·*►▶]\s")
MAX_LINKS = 20


def link_lists(sentences: list[Sentence], lex: Lexicon) -> set[int]:
    """The indexes of a list of links inside the page ("Más información", "Read more" and the
    "- headline" lines under it): other articles' headlines, not this article's facts."""
    out: set[int] = set()
    for i, sentence in enumerate(sentences):
        if not lex.fullmatch("outlet.related", sentence.text.strip(" :.\n\t")):
            continue
        # the items follow the heading without a break
        items = takewhile(lambda s: _LIST_ITEM.match(s.text.strip()), sentences[i + 1 : i + 1 + MAX_LINKS])
        run = [s.index for s in items]
        if run:
            out.update([sentence.index, *run])
    return out


def sentence_quote(sentence: Sentence) -> Quote:
    return Quote(text=sentence.text, start=sentence.start, end=sentence.end)


def sentence_at(sentences: list[Sentence], offset: int) -> Sentence | None:
    """The sentence holding ``offset`` (binary search: sentences are in text order)."""
    lo, hi = 0, len(sentences)
    while lo < hi:
        mid = (lo + hi) // 2
        if sentences[mid].end <= offset:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(sentences) and sentences[lo].start <= offset < sentences[lo].end:
        return sentences[lo]
    return None


def by_index(sentences: list[Sentence], index: int) -> Sentence | None:
    return sentences[index - 1] if 1 <= index <= len(sentences) else None


ANALYSIS_CHARS = 2000
"""Rules read at most this many characters of one sentence (a real sentence is far shorter)."""
LIVE_TIME = re.compile(r"^\d{1,2}[:.]\d{2} ?(?:[-–—] ?)?")
"""A live blog's time stamp opening a line ("17:20 — …", "18:47 - Police said")."""


def analysis_text(text: str) -> str:
    """A sentence as the rules read it: runs of whitespace folded to one space, bounded length."""
    return " ".join(text[:ANALYSIS_CHARS].split())
