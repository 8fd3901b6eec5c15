"""The CPU-bound steps of reading an article, run in worker processes (``newsfacts.workers``).

They are module-level functions, pickled by their module path, and this module is cheap to import
in a fresh worker: the reading rules, the task registry and the windowing, nothing of the model
client (litellm is never imported here).
"""

from __future__ import annotations

from typing import Any

from newsfacts.reading import Reading
from newsfacts.reading import read as read_article
from newsfacts.reading.language import detect
from newsfacts.reading.lexicon import lexicon
from newsfacts.reading.sentences import Sentence, split_sentences
from newsfacts.tasks import BY_NAME
from newsfacts.windows import windows


def prime_reader() -> None:
    """What every reading needs, loaded once in each worker process as it starts."""
    detect("The language identifier loads its model once.")


def prepare(
    text: str, declared: str | None, budget_tokens: int
) -> tuple[str, list[Sentence], list[list[Sentence]]]:
    """The first step of reading an article, run in a worker process: its language, its sentences
    and the windows the model reads them in."""
    language = detect(text, declared)
    sentences = split_sentences(text, lexicon(language))
    return language, sentences, windows(sentences, budget_tokens, text)


def read_in(language: str, answers: dict[str, dict[str, Any]], **article: Any) -> Reading:
    """The reading rules over the model's answers (``newsfacts.reading.read``), run in a worker process
    with the word lists of the article's language. Each answer travels as its fields (the client's
    forms are instructor's copies of the form classes, which a worker cannot import) and is put back
    into its form here as it was, already validated (windows' answers merged past a list's cap)."""
    forms: dict[str, Any] = {
        name: BY_NAME[name].form.model_construct(**fields) for name, fields in answers.items()
    }
    return read_article(lex=lexicon(language), **forms, **article)
