"""``summarize(request) -> ArticleSummary``: the one pipeline the API, the CLI and the evals call.

The article is split into numbered sentences and sent with the same system prompt to
five focused calls (overview, parties, casualties, claims, denials). The system prompt
and the article come first in every call, so a llama.cpp server's prompt cache processes
them once. Code then grounds every quote, parses every figure and resolves every name.
"""

from __future__ import annotations

import asyncio
import logging
import math
import sqlite3
import time
from pathlib import Path
from typing import Any

import prompts
from newsfacts import metrics, workers
from newsfacts.cache import ResultCache
from newsfacts.errors import EmptyTextError, ModelNotReadyError, TextTooLargeError, UpstreamTimeoutError
from newsfacts.llm import CallStats, Deployment, ModelClient
from newsfacts.reading import Reading, cache_version
from newsfacts.reading import read as read_article
from newsfacts.reading.language import detect, language_name
from newsfacts.reading.lexicon import lexicon
from newsfacts.reading.sentences import Sentence, number_sentences, split_sentences
from newsfacts.settings import Settings
from newsfacts.tasks import BY_NAME, LATER_TASKS, LONGEST_ANSWER, OVERVIEW, TASKS, Task
from newsfacts.version import VERSION
from schemas.contract import ArticleSummary, SummaryRequest, Usage

log = logging.getLogger("newsfacts.pipeline")

# A window's share of the context: the prompt around the article and the longest answer are kept
# free, and the article is counted at 3 UTF-8 bytes per token (English runs nearer 4, so this errs
# on the side of fitting).
PROMPT_TOKENS = 700
BYTES_PER_TOKEN = 3
DEFAULT_CONTEXT_TOKENS = 32_768

# The deadline on the embedded model, when none is configured: this many times the longest an article
# can take at the speed measured when the model started (every call reads the prompt and its window
# of the article afresh and writes its whole output budget), and never less than the configured default.
DEADLINE_MARGIN = 1.5

# With no deadline (the CLI on the embedded model) an article still gets one this far away, so every
# wait below stays a finite number: a day is far beyond any article's capped answers.
NO_DEADLINE_S = 86_400.0


class Runtime:
    """The model a pipeline talks to: a configured litellm model, or the embedded server.

    ``async with Runtime(settings) as rt`` starts (and later stops) the embedded server
    when no model is configured. ``wait_for_embedded``: a caller that waits for its answer (the
    CLI) gets no deadline on the embedded model unless NEWSFACTS_REQUEST_TIMEOUT_S is set, because
    how long a local model takes depends on the machine, not on the service.
    """

    def __init__(
        self, settings: Settings, *, client: ModelClient | None = None, wait_for_embedded: bool = False
    ) -> None:
        self.settings = settings
        self.wait_for_embedded = wait_for_embedded
        self.speed: Any = None  # newsfacts.embedded.Speed, measured when the embedded model starts
        self.server: Any = None
        self.client = client
        self.ready = asyncio.Event()
        self.startup_error: BaseException | None = None
        self.cache: ResultCache | None = None
        self._context_tokens: int | None = None
        if settings.cache_enabled:
            path = settings.cache_path or default_cache_path()
            try:
                self.cache = ResultCache(path, max_age_s=settings.cache_max_age_days * 86400,
                                         max_bytes=int(settings.cache_max_mb * 1_000_000))  # fmt: skip
            except (sqlite3.Error, OSError) as exc:  # best-effort: the service runs without it
                log.warning("the result cache %s cannot be opened; answers are not cached: %s", path, exc)
        if client is not None:
            self.ready.set()

    @property
    def model_name(self) -> str:
        if self.client is not None:
            return self.client.model
        if self.server is not None:
            return self.server.model_string
        return self.settings.model or f"openai/{self.settings.embedded_model}"

    async def start(self) -> None:
        s = self.settings
        try:
            # The model client's imports are slow; take them before the runtime says it is ready.
            from newsfacts.llm import warm_up

            await asyncio.to_thread(warm_up)
            await workers.start(prime_reader)  # the reading's worker processes, each primed
            wants_embedded = s.uses_embedded or any(f.is_embedded for f in s.fallback_models)
            if self.client is None and wants_embedded:
                from newsfacts.embedded import MODELS, EmbeddedServer

                self.server = EmbeddedServer(
                    MODELS[s.embedded_model],
                    cache_dir=s.cache_dir,
                    threads=s.embedded_threads,
                    ctx=s.embedded_ctx,
                    parallel=s.embedded_parallel,
                    port=s.embedded_port,
                    start_timeout_s=s.embedded_start_timeout_s,
                )
                await self.server.start()
                if (
                    s.uses_embedded
                    and not self.wait_for_embedded
                    and "request_timeout_s" not in s.model_fields_set
                ):
                    self.speed = await self.server.measure_speed()
            if self.client is None and s.uses_embedded:
                self.client = self._client(
                    self.server.model_string, self.server.api_base, "sk-embedded", priced=False
                )
            elif self.client is None:
                key = s.api_key.get_secret_value() if s.api_key else None
                self.client = self._client(s.model or "", s.api_base, key, priced=True)
        except BaseException as exc:
            self.startup_error = exc
            raise
        self.ready.set()

    def request_timeout_s(self, text: str = "") -> float | None:
        """The deadline for one article, in seconds; None: none. NEWSFACTS_REQUEST_TIMEOUT_S when it
        is set. Else, on the embedded model: none for a waiting caller (the CLI), and for the service
        one that fits this machine (``embedded_deadline_s`` at the speed measured at start, at least
        the default). Else the default (180 s)."""
        s = self.settings
        if "request_timeout_s" in s.model_fields_set or not s.uses_embedded:
            return s.request_timeout_s
        if self.wait_for_embedded:
            return None
        if self.speed is None:
            return s.request_timeout_s
        return max(s.request_timeout_s, embedded_deadline_s(self.speed, text, self.context_tokens))

    @property
    def context_tokens(self) -> int:
        """The model's context window: configured, the embedded server's, litellm's model info, or 32768."""
        if self.settings.context_tokens:
            return self.settings.context_tokens
        if self.server is not None:
            return int(self.server.ctx)
        if self._context_tokens is None:
            self._context_tokens = DEFAULT_CONTEXT_TOKENS
            if self.client is not None:
                from newsfacts.llm import litellm_module

                try:
                    info = litellm_module().get_model_info(self.client.model)
                    self._context_tokens = int(info.get("max_input_tokens") or DEFAULT_CONTEXT_TOKENS)
                except Exception:  # litellm does not know every model
                    pass
        return self._context_tokens

    def _fallbacks(self) -> list[Deployment]:
        chain = []
        for f in self.settings.fallback_models:
            if f.is_embedded:
                if self.server is not None and not self.settings.uses_embedded:
                    chain.append(
                        Deployment(self.server.model_string, self.server.api_base, "sk-embedded", False)
                    )
                continue
            key = f.api_key.get_secret_value() if f.api_key else None
            chain.append(Deployment(f.model, f.api_base, key, True))
        return chain

    def _client(self, model: str, api_base: str | None, api_key: str | None, *, priced: bool) -> ModelClient:
        s = self.settings
        return ModelClient(
            fallbacks=self._fallbacks(),
            model=model,
            api_base=api_base,
            api_key=api_key,
            mode=s.instructor_mode,
            transport_retries=s.transport_retries,
            validation_retries=s.validation_retries,
            retry_wait_s=s.retry_wait_s,
            max_tokens=s.max_tokens,
            temperature=s.temperature,
            priced=priced,
        )

    async def healthy(self) -> bool:
        if not self.ready.is_set():
            return False
        if self.server is not None:
            return bool(await self.server.healthy())
        return True

    def stop(self) -> None:
        self.ready.clear()
        if self.server is not None:
            self.server.stop()
        if self.cache is not None:
            self.cache.close()
            self.cache = None

    async def __aenter__(self) -> Runtime:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop()


def embedded_deadline_s(speed: Any, text: str, context_tokens: int = DEFAULT_CONTEXT_TOKENS) -> float:
    """The longest ``text`` can take at ``speed`` (a ``newsfacts.embedded.Speed``), times DEADLINE_MARGIN:
    each window of the article gets its calls (every task for the first, ``LATER_TASKS`` for each later one), every
    call reads the prompt and its window afresh (no prompt cache counted) and writes its whole output
    budget. The article is counted at BYTES_PER_TOKEN, which over-counts English."""
    article_tokens = len(text.encode("utf-8", errors="surrogatepass")) / BYTES_PER_TOKEN
    budget = max(context_tokens - PROMPT_TOKENS - LONGEST_ANSWER, 256)
    n_windows = max(1, math.ceil(article_tokens / budget))
    first = sum(t.max_tokens for t in TASKS)
    later = sum(t.max_tokens for t in LATER_TASKS)
    calls = len(TASKS) + (n_windows - 1) * len(LATER_TASKS)
    window_tokens = article_tokens / n_windows * (1 + 1 / OVERLAP_SHARE if n_windows > 1 else 1)
    prompt_s = calls * (PROMPT_TOKENS + window_tokens) / speed.prompt_tps
    output_s = (first + (n_windows - 1) * later) / speed.generation_tps
    return DEADLINE_MARGIN * (prompt_s + output_s)


def default_cache_path() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("newsfacts")) / "results.sqlite"


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


def check_request(request: SummaryRequest, settings: Settings) -> None:
    if not request.text or not request.text.strip():
        raise EmptyTextError("the article text is empty: send the article in the 'text' field")
    size = len(request.text.encode("utf-8", errors="surrogatepass"))
    limit, setting = settings.max_text_bytes, "NEWSFACTS_MAX_TEXT_BYTES"
    if request.format == "html":
        limit, setting = settings.max_html_bytes, "NEWSFACTS_MAX_HTML_BYTES"
    if size > limit:
        raise TextTooLargeError(
            f"the article {request.format} is {size} bytes; the limit is {limit} ({setting})"
        )


async def from_html(request: SummaryRequest, settings: Settings, *, deadline: float) -> SummaryRequest:
    """The article inside an HTML page, with the page's metadata where the request gives none.
    Extracted in a worker process that is abandoned (``TimeoutError``) when the deadline passes."""
    from newsfacts.html import extract_page_within

    page = await extract_page_within(request.text, request.url, timeout=deadline - time.monotonic())
    if not page.text.strip():
        raise EmptyTextError("no article text was found in the HTML page")
    extracted = request.model_copy(
        update={
            "text": page.text,
            "format": "text",
            "title": request.title or page.title,
            "outlet": request.outlet or page.outlet,
            "url": request.url or page.url,
            "published_at": request.published_at or page.published_at,
        }
    )
    check_request(extracted, settings)
    return extracted


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
    if cache is not None and not explain:
        hit = cache.get(
            request,
            model=runtime.client.model,
            tenant=tenant,
            prompt_version=cache_version(prompts.PROMPT_VERSION, rules=settings.reading_rules),
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
            summary = await _summarize(
                article,
                runtime.client,
                context_tokens=runtime.context_tokens,
                deadline=deadline,
                started=started,
                sequential=(runtime.server is not None and settings.uses_embedded)
                or settings.sequential_calls,
                explain=explain,
                rules=settings.reading_rules,
            )
    except TimeoutError as exc:
        raise UpstreamTimeoutError(
            f"no answer within the deadline of {NO_DEADLINE_S if limit is None else limit:g} s "
            "(NEWSFACTS_REQUEST_TIMEOUT_S)"
        ) from exc
    if article is not request:
        summary = summary.model_copy(update={"article_text": article.text})
    if cache is not None and not explain:
        cache.put(request, summary, version=cache_version(prompts.PROMPT_VERSION, rules=settings.reading_rules),
                  tenant=tenant)  # fmt: skip
    return summary


async def _summarize(
    request: SummaryRequest,
    client: ModelClient,
    *,
    context_tokens: int = DEFAULT_CONTEXT_TOKENS,
    deadline: float,
    started: float,
    sequential: bool,
    explain: bool = False,
    rules: bool = True,
) -> ArticleSummary:
    stats = CallStats()
    try:
        return await _extract(
            request, client, stats, context_tokens=context_tokens, deadline=deadline, started=started,
            sequential=sequential, explain=explain, rules=rules,
        )  # fmt: skip
    finally:
        metrics.record_call_stats(stats)


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
    forms = {name: BY_NAME[name].form.model_construct(**fields) for name, fields in answers.items()}
    return read_article(lex=lexicon(language), **forms, **article)


async def _extract(
    request: SummaryRequest,
    client: ModelClient,
    stats: CallStats,
    *,
    context_tokens: int,
    deadline: float,
    started: float,
    sequential: bool,
    explain: bool = False,
    rules: bool = True,
) -> ArticleSummary:
    text = request.text
    budget = context_tokens - PROMPT_TOKENS - LONGEST_ANSWER
    language, sentences, parts = await workers.run(
        prepare, text, request.language, max(budget, 256), timeout=deadline - time.monotonic()
    )

    async def run(task: Task, numbered: str) -> Any:
        return await client.extract(
            task.form,
            task.messages(numbered, language_name=language_name(language)),
            stats=stats,
            deadline=deadline,
            task=task.name,
            max_tokens=task.max_tokens,
        )

    async def read(part: list[Sentence], tasks: tuple[Task, ...]) -> dict[str, Any]:
        numbered = number_sentences(part)
        # The first call fills the server's prompt cache with the system prompt and the article.
        # A local server runs the others one after another on that cache (its slots do not share
        # a cache); a hosted model takes them side by side.
        first, *rest = tasks
        answers = {first.name: await run(first, numbered)}
        if sequential:
            for task in rest:
                answers[task.name] = await run(task, numbered)
        else:
            for task, answer in zip(
                rest, await asyncio.gather(*(run(t, numbered) for t in rest)), strict=True
            ):
                answers[task.name] = answer
        return answers

    # A long article is read window by window; the overview comes from the first (headline, lede).
    answers = await read(parts[0], TASKS)
    for part in parts[1:]:
        more = await read(part, LATER_TASKS)
        for name, form in more.items():
            answers[name] = merge_forms(answers[name], form)
    overview = answers[OVERVIEW.name]
    reading = await workers.run(
        read_in,
        language,
        {task: dict(form) for task, form in answers.items()},
        text=text, sentences=sentences, requested_outlet=request.outlet, url=request.url, title=request.title,
        rules=rules, timeout=deadline - time.monotonic(),
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
        trace=reading.trace if explain else None,
        model=stats.model(client.model, [d.model for d in client.chain]),
        prompt_version=prompts.PROMPT_VERSION,
        service_version=VERSION,
        usage=Usage(
            prompt_tokens=stats.prompt_tokens,
            completion_tokens=stats.completion_tokens,
            latency_ms=int((time.monotonic() - started) * 1000),
            cost_usd=stats.cost_usd,
            cached=False,
        ),
    )
