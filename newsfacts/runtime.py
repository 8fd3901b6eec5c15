"""The model a pipeline talks to (``Runtime``): a configured litellm model, or the embedded server,
with the result cache and the reading's worker processes it starts, and the deadline an article gets.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any

from newsfacts import workers
from newsfacts.cache import ResultCache, open_cache
from newsfacts.llm import Deployment, ModelClient
from newsfacts.reader import prime_reader
from newsfacts.settings import Settings
from newsfacts.tasks import LATER_TASKS, TASKS
from newsfacts.windows import OVERLAP_SHARE, PROMPT_TOKENS, article_tokens, budget_tokens

DEFAULT_CONTEXT_TOKENS = 32_768  # a model's context window when nothing tells it

# The deadline on the embedded model, when none is configured: this many times the longest an article
# can take at the speed measured when the model started (every call reads the prompt and its window
# of the article afresh and writes its whole output budget), and never less than the configured default.
DEADLINE_MARGIN = 1.5


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
            self.cache = open_cache(settings)
        if client is not None:
            self.ready.set()

    @property
    def model_name(self) -> str:
        if self.client is not None:
            return self.client.model
        if self.server is not None:
            return str(self.server.model_string)
        return self.settings.model or f"openai/{self.settings.embedded_model}"

    async def start(self) -> None:
        s = self.settings
        try:
            # The model client's imports are slow; take them before the runtime says it is ready.
            from newsfacts.llm import warm_up

            await asyncio.to_thread(warm_up, [task.form for task in TASKS])
            # the reading's worker processes, each primed
            await workers.start(prime_reader, s.reading_workers)
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
                # its port changes with every start; its weights are fixed by their sha256
                self.client = self._client(
                    self.server.model_string,
                    self.server.api_base,
                    "sk-embedded",
                    priced=False,
                    identity=self.server.model_string,
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
    def sequential_calls(self) -> bool:
        """Whether an article's calls on a window go one after another: on the embedded server (its
        slots share no prompt cache) or when NEWSFACTS_SEQUENTIAL_CALLS says so."""
        s = self.settings
        return (self.server is not None and s.uses_embedded) or s.sequential_calls

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

    def _client(
        self,
        model: str,
        api_base: str | None,
        api_key: str | None,
        *,
        priced: bool,
        identity: str | None = None,
    ) -> ModelClient:
        s = self.settings
        return ModelClient(
            identity=identity,
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
    each window of the article gets its calls (every task for the first, ``LATER_TASKS`` for each later
    one), every call reads the prompt and its window afresh (no prompt cache counted) and writes its
    whole output budget. The article is counted at ``newsfacts.windows.BYTES_PER_TOKEN``, which
    over-counts English."""
    tokens = article_tokens(text)
    n_windows = max(1, math.ceil(tokens / budget_tokens(context_tokens)))
    first = sum(t.max_tokens for t in TASKS)
    later = sum(t.max_tokens for t in LATER_TASKS)
    calls = len(TASKS) + (n_windows - 1) * len(LATER_TASKS)
    window_tokens = tokens / n_windows * (1 + 1 / OVERLAP_SHARE if n_windows > 1 else 1)
    prompt_s = calls * (PROMPT_TOKENS + window_tokens) / speed.prompt_tps
    output_s = (first + (n_windows - 1) * later) / speed.generation_tps
    return float(DEADLINE_MARGIN * (prompt_s + output_s))
