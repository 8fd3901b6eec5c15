"""One article through the model: the task calls window by window, then the reading rules.

``extract(job)`` reads the article's language, sentences and windows in a worker process, makes the
calls of every task (``newsfacts.tasks``) on each window, merges the windows' answers, reads them
with the reading rules in a worker process and builds the ``ArticleSummary``. The system prompt and
the article come first in every call, so a llama.cpp server's prompt cache processes them once.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import prompts
from newsfacts import metrics, workers
from newsfacts.llm import CallStats, ModelClient
from newsfacts.reader import prepare, read_in
from newsfacts.reading.language import language_name
from newsfacts.reading.lexicon import lexicon
from newsfacts.reading.sentences import Sentence, number_sentences, split_sentences
from newsfacts.tasks import LATER_TASKS, OVERVIEW, TASKS, Task
from newsfacts.version import VERSION
from newsfacts.windows import budget_tokens
from schemas.contract import ArticleSummary, SummaryRequest, Usage


@dataclass(frozen=True)
class ArticleJob:
    """One article on its way through the model, and what every step of it works within."""

    request: SummaryRequest  # the article as text (an HTML page's already extracted)
    client: ModelClient
    context_tokens: int  # the model's context window, which sizes the windows
    deadline: float  # time.monotonic() seconds by which the answer is due
    started: float  # time.monotonic() seconds when the request came in (for usage.latency_ms)
    sequential: bool  # a window's calls one after another (a local server) rather than side by side
    explain: bool = False  # add the trace of the reading rules
    rules: bool = True  # NEWSFACTS_READING_RULES

    def remaining_s(self) -> float:
        return self.deadline - time.monotonic()


async def extract(job: ArticleJob) -> ArticleSummary:
    """The article's summary; what its calls cost is recorded in the metrics, whatever happens."""
    stats = CallStats()
    try:
        return await _extract(job, stats)
    finally:
        metrics.record_call_stats(stats)


def merge_forms(a: Any, b: Any) -> Any:
    """Two windows' answers to one form: their lists one after the other (code dedups later)."""
    update = {
        name: getattr(a, name) + getattr(b, name)
        for name in type(a).model_fields
        if isinstance(getattr(a, name), list)
    }
    return a.model_copy(update=update)


def first_sentences(text: str, n: int) -> str:
    sentences = split_sentences(" ".join(text.split()), lexicon("en"))
    return " ".join(s.text for s in sentences[:n])


async def _call(job: ArticleJob, stats: CallStats, task: Task, numbered: str, language: str) -> Any:
    """One task's call on one window."""
    return await job.client.extract(
        task.form,
        task.messages(numbered, language_name=language_name(language)),
        stats=stats,
        deadline=job.deadline,
        task=task.name,
        max_tokens=task.max_tokens,
    )


async def _read_window(
    job: ArticleJob, stats: CallStats, part: list[Sentence], tasks: tuple[Task, ...], language: str
) -> dict[str, Any]:
    """The answers of ``tasks`` on one window, by task name."""
    numbered = number_sentences(part)
    # The first call fills the server's prompt cache with the system prompt and the article.
    # A local server runs the others one after another on that cache (its slots do not share
    # a cache); a hosted model takes them side by side.
    first, *rest = tasks
    answers = {first.name: await _call(job, stats, first, numbered, language)}
    if job.sequential:
        for task in rest:
            answers[task.name] = await _call(job, stats, task, numbered, language)
    else:
        results = await asyncio.gather(*(_call(job, stats, t, numbered, language) for t in rest))
        for task, answer in zip(rest, results, strict=True):
            answers[task.name] = answer
    return answers


async def _extract(job: ArticleJob, stats: CallStats) -> ArticleSummary:
    request, client = job.request, job.client
    text = request.text
    language, sentences, parts = await workers.run(
        prepare, text, request.language, budget_tokens(job.context_tokens), timeout=job.remaining_s()
    )

    # A long article is read window by window; the overview comes from the first (headline, lede).
    answers = await _read_window(job, stats, parts[0], TASKS, language)
    for part in parts[1:]:
        more = await _read_window(job, stats, part, LATER_TASKS, language)
        for name, form in more.items():
            answers[name] = merge_forms(answers[name], form)
    overview = answers[OVERVIEW.name]
    reading = await workers.run(
        read_in,
        language,
        {name: dict(form) for name, form in answers.items()},
        text=text, sentences=sentences, requested_outlet=request.outlet, url=request.url, title=request.title,
        rules=job.rules, timeout=job.remaining_s(),
    )  # fmt: skip

    return ArticleSummary(
        outlet=reading.outlet,
        headline=reading.headline,
        summary=first_sentences(overview.summary, 3),
        parties=reading.parties,
        claims=reading.claims,
        casualties=reading.casualties,
        denials=reading.denials,
        grounding=reading.grounding,
        language=language,
        trace=reading.trace if job.explain else None,
        model=stats.model(client.model, [d.model for d in client.chain]),
        prompt_version=prompts.PROMPT_VERSION,
        service_version=VERSION,
        usage=Usage(
            prompt_tokens=stats.prompt_tokens,
            completion_tokens=stats.completion_tokens,
            latency_ms=int((time.monotonic() - job.started) * 1000),
            cost_usd=stats.cost_usd,
            cached=False,
        ),
    )
