"""Sentences with offsets, and verbatim quote location.

The model refers to sentences by number; code turns those numbers into quotes that
sit exactly at their offsets in the submitted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.contract import Quote

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "capt", "sgt", "maj", "rep", "sen", "gov",
    "st", "mt", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "vs", "etc", "inc", "ltd", "co", "corp", "jr", "sr", "u.s", "u.k", "u.n", "e.g", "i.e", "approx",
}  # fmt: skip
# A sentence ends at . ! ? (optionally followed by closing quotes or brackets) before whitespace.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")


@dataclass(frozen=True)
class Sentence:
    index: int  # 1-based, as shown to the model
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Split into sentences; every sentence is ``text[start:end]`` with no surrounding space."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        p_start = para.start()
        chunk = para.group(0)
        cursor = 0
        for end in _END.finditer(chunk):
            stop = end.end()
            before = chunk[cursor : end.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            if last in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last):
                continue
            nxt = chunk[stop:].lstrip()
            if nxt and not (nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in "\"'“‘(["):
                continue
            spans.append((p_start + cursor, p_start + stop))
            cursor = stop
        spans.append((p_start + cursor, p_start + len(chunk)))
    sentences = []
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
                              "’": "'", "‚": "'", "‛": "'", "–": "-", "—": "-", "\u00a0": " "})  # fmt: skip


def _normalise(text: str) -> tuple[str, list[int]]:
    """Fold quote marks, dashes and runs of whitespace; keep a map back to the original offsets."""
    out: list[str] = []
    index: list[int] = []
    prev_space = False
    for i, ch in enumerate(text.translate(_QUOTE_MARKS)):
        if ch.isspace():
            if prev_space:
                continue
            prev_space = True
            out.append(" ")
        else:
            prev_space = False
            out.append(ch.lower())
        index.append(i)
    return "".join(out), index


def locate(needle: str, text: str, *, near: int | None = None) -> Quote | None:
    """Find ``needle`` in ``text`` forgiving whitespace, case and quote-mark differences.

    Returns the article's own characters at the offsets found, or None. With ``near``,
    the occurrence closest to that offset wins.
    """
    needle = needle.strip().strip("\"'“”‘’")
    if not needle:
        return None
    norm_text, index = _normalise(text)
    norm_needle, _ = _normalise(needle)
    norm_needle = norm_needle.strip()
    hits = [m.start() for m in re.finditer(re.escape(norm_needle), norm_text)]
    if not hits:
        return None
    best = min(hits, key=lambda h: abs(index[h] - near)) if near is not None else hits[0]
    start = index[best]
    end = index[best + len(norm_needle) - 1] + 1
    return Quote(text=text[start:end], start=start, end=end)


def sentence_quote(sentence: Sentence) -> Quote:
    return Quote(text=sentence.text, start=sentence.start, end=sentence.end)


def quote_is_exact(quote: Quote, text: str) -> bool:
    return text[quote.start : quote.end] == quote.text
