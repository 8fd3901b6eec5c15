"""``summarize(request) -> ArticleSummary``: the one pipeline the API, the CLI and the evals call.

The article is split into numbered sentences and sent with the same system prompt to
five focused calls (overview, parties, casualties, claims, denials). The system prompt
and the article come first in every call, so a llama.cpp server's prompt cache processes
them once. Code then grounds every quote, parses every figure and resolves every name.

This module answers from the result cache or runs the article within its deadline; each step
lives in a module of its own:

- the request's checks and an HTML page's article: ``newsfacts.intake``;
- the model, the result cache and an article's deadline: ``newsfacts.runtime``;
- the calls, window by window (``newsfacts.windows``), one per task (``newsfacts.tasks``), and the
  reading rules over their answers: ``newsfacts.extraction``, whose CPU-bound steps run in worker
  processes (``newsfacts.reader``).
"""

from __future__ import annotations

import asyncio
import time

import prompts
from newsfacts import metrics
from newsfacts.errors import ModelNotReadyError, UpstreamTimeoutError
from newsfacts.extraction import ArticleJob, extract
from newsfacts.intake import check_request, from_html
from newsfacts.reading import cache_version
from newsfacts.runtime import Runtime, embedded_deadline_s
from schemas.contract import ArticleSummary, SummaryRequest

__all__ = ["NO_DEADLINE_S", "Runtime", "check_request", "embedded_deadline_s", "summarize"]

# With no deadline (the CLI on the embedded model) an article still gets one this far away, so every
# wait below stays a finite number: a day is far beyond any article's capped answers.
NO_DEADLINE_S = 86_400.0


async def summarize(
    request: SummaryRequest, *, runtime: Runtime, explain: bool = False, tenant: str = ""
) -> ArticleSummary:
    """Extract contract-v1 facts from one article, within the configured deadline (an HTML page's
    extraction included). ``explain`` adds the trace of the reading rules behind every entry (never
    served from the cache). ``tenant`` scopes the result cache: one key never gets another's hit."""
    settings = runtime.settings
    check_request(request, settings)
    if not runtime.ready.is_set() or runtime.client is None:
        raise ModelNotReadyError("the model is still starting; retry shortly (GET /readyz tells when ready)")
    started = time.monotonic()
    cache = runtime.cache
    version = cache_version(
        prompts.PROMPT_VERSION, rules=settings.reading_rules, mode=settings.instructor_mode
    )
    if cache is not None and not explain:
        hit = cache.get(
            request,
            model=runtime.client.identity,
            tenant=tenant,
            version=version,
        )
        metrics.CACHE.labels("hit" if hit is not None else "miss").inc()
        if hit is not None:
            latency = int((time.monotonic() - started) * 1000)
            return hit.model_copy(
                update={"usage": hit.usage.model_copy(update={"cached": True, "latency_ms": latency})}
            )
    limit = runtime.request_timeout_s(request.text)
    deadline = started + (NO_DEADLINE_S if limit is None else limit)
    try:
        async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
            article = (
                await from_html(request, settings, deadline=deadline) if request.format == "html" else request
            )
            job = ArticleJob(
                request=article,
                client=runtime.client,
                context_tokens=runtime.context_tokens,
                deadline=deadline,
                started=started,
                sequential=runtime.sequential_calls,
                explain=explain,
                rules=settings.reading_rules,
            )
            summary = await extract(job)
    except TimeoutError as exc:
        raise UpstreamTimeoutError(
            f"no answer within the deadline of {NO_DEADLINE_S if limit is None else limit:g} s "
            "(NEWSFACTS_REQUEST_TIMEOUT_S)"
        ) from exc
    if article is not request:
        summary = summary.model_copy(update={"article_text": article.text})
    # Only the primary's answers are kept: a fallback's is served once, and the next request for the
    # article tries the primary again rather than being pinned to the stand-in's answer.
    if cache is not None and not explain and summary.model == runtime.client.model:
        cache.put(request, summary, version=version, model=runtime.client.identity, tenant=tenant)
    return summary
