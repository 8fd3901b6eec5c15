"""How much of an article the model reads at once: the token budget of a window and the windows.

An article is counted at BYTES_PER_TOKEN UTF-8 bytes per token; a window's share of the context is
what is left when the prompt around the article and the longest answer are kept free. An article
longer than that is read in windows of whole paragraphs, each after the first repeating the end of
the one before. Pure functions: they run in a worker process (``newsfacts.reader.prepare``).
"""

from __future__ import annotations

from newsfacts.reading.sentences import Sentence
from newsfacts.tasks import LONGEST_ANSWER

# A window's share of the context: the prompt around the article and the longest answer are kept
# free, and the article is counted at 3 UTF-8 bytes per token (English runs nearer 4, so this errs
# on the side of fitting).
PROMPT_TOKENS = 700
BYTES_PER_TOKEN = 3
MIN_WINDOW_TOKENS = 256  # a window is never smaller, however small the context


def budget_tokens(context_tokens: int) -> int:
    """The tokens of article one window holds in a context of ``context_tokens``."""
    return max(context_tokens - PROMPT_TOKENS - LONGEST_ANSWER, MIN_WINDOW_TOKENS)


def article_tokens(text: str) -> float:
    """The tokens ``text`` is counted at (an over-estimate for English)."""
    return len(text.encode("utf-8", errors="surrogatepass")) / BYTES_PER_TOKEN


OVERLAP_SHARE = 5  # up to a fifth of each later window repeats the end of the window before


def _cost(sentence: Sentence) -> int:
    """Tokens of a sentence as numbered for the model (a safe over-estimate)."""
    return (len(sentence.text.encode("utf-8", errors="surrogatepass")) + 8) // BYTES_PER_TOKEN + 1


def paragraphs(sentences: list[Sentence], text: str) -> list[list[Sentence]]:
    """Sentences grouped by paragraph: a line break between two sentences starts a new one."""
    out: list[list[Sentence]] = []
    for sentence in sentences:
        if out and "\n" not in text[out[-1][-1].end : sentence.start]:
            out[-1].append(sentence)
        else:
            out.append([sentence])
    return out


def _cut(sentences: list[Sentence], budget: int) -> list[list[Sentence]]:
    """Consecutive runs of sentences that fit ``budget`` (a run that fits whole stays one run)."""
    runs: list[list[Sentence]] = [[]]
    used = 0
    for sentence in sentences:
        cost = _cost(sentence)
        if runs[-1] and used + cost > budget:
            runs.append([])
            used = 0
        runs[-1].append(sentence)
        used += cost
    return runs


def _tail(window: list[Sentence], text: str, budget: int) -> list[Sentence]:
    """The end of a window to read again at the start of the next: its last whole paragraphs that
    fit ``budget``, or, when the last paragraph alone is longer, its last sentences that fit."""
    paras = paragraphs(window, text)
    carry: list[Sentence] = []
    used = 0
    for para in reversed(paras):
        cost = sum(map(_cost, para))
        if used + cost > budget:
            break
        carry, used = para + carry, used + cost
    if not carry:
        for sentence in reversed(paras[-1]):
            if used + _cost(sentence) > budget:
                break
            carry.insert(0, sentence)
            used += _cost(sentence)
    return carry


def windows(sentences: list[Sentence], budget_tokens: int, text: str) -> list[list[Sentence]]:
    """Runs of whole paragraphs that fit ``budget_tokens`` (a paragraph longer than that is cut
    between sentences); one run when the whole article fits. Each run after the first starts by
    repeating the end of the one before (its last paragraphs, up to a fifth of the budget), so a
    figure or a denial just after a break is read with the lines that lead up to it. Sentence
    numbers stay those of the whole article, and code merges what the repeated part yields twice
    (claims and denials per speaker and sentence, figures per source and event)."""
    units = [run for para in paragraphs(sentences, text) for run in _cut(para, budget_tokens)]
    out: list[list[Sentence]] = [[]]
    used = 0
    for unit in units:
        cost = sum(map(_cost, unit))
        if out[-1] and used + cost > budget_tokens:
            carry = _tail(out[-1], text, budget_tokens // OVERLAP_SHARE)
            carried = sum(map(_cost, carry))
            if carried + cost > budget_tokens:
                carry, carried = [], 0
            out.append(list(carry))
            used = carried
        out[-1].extend(unit)
        used += cost
    return out
