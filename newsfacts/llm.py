"""The one module that talks to models: litellm through instructor.

- litellm is imported lazily (it costs seconds of CPU) and only here.
- Transport failures (429, 5xx, timeouts, connection errors) are retried with tenacity
  backoff around each raw completion call; instructor's validation re-asks are a separate,
  smaller budget, so the two never multiply: a call that keeps failing with 500 makes
  ``transport_retries`` requests, an answer that never validates makes ``validation_retries``.
- Every call works against one deadline (``time.monotonic()`` seconds) set per article.
- What a call works within (the article's ``CallStats``, its deadline, the task) reaches the
  completion function that instructor calls through a context variable (``CallContext``), set by
  ``ModelClient.extract`` around instructor's call: instructor is given only the request's own
  arguments.
- With fallback models, litellm's Router makes every call instead: a model's retries (none on 429),
  then the next model of the chain; the answer records which model produced it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import os
import re
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from newsfacts.errors import ContextOverflowError, UpstreamError, UpstreamTimeoutError

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

TRANSIENT_STATUS = {408, 409, 425, 429, 500, 502, 503, 504, 529}
# Providers whose OpenAI-compatible servers constrain output with response_format json_schema.
JSON_SCHEMA_PROVIDERS = {"hosted_vllm", "ollama", "ollama_chat", "lm_studio", "llamafile", "llamacpp"}

_litellm: Any = None


def _without_input(exc: BaseException) -> str:
    """What was wrong with a model's answer, without the answer itself (it quotes the article)."""
    if isinstance(exc, ValidationError):
        wrong = [f"{'.'.join(map(str, e.get('loc', ()))) or 'answer'}: {e.get('msg', '')}"
                 for e in exc.errors(include_input=False, include_url=False, include_context=False)]  # fmt: skip
        return "; ".join(wrong)[:300]
    return type(exc).__name__


def litellm_module() -> Any:
    """Import litellm once, configured for offline use and for recordable HTTP."""
    global _litellm
    if _litellm is None:
        os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        os.environ.setdefault("DISABLE_AIOHTTP_TRANSPORT", "True")
        import litellm

        for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "litellm"):
            logging.getLogger(name).setLevel(logging.WARNING)
        # instructor logs the model's answers (which quote the article) when its re-asks run out;
        # that failure is ours to report, as an UpstreamError without the answer.
        logging.getLogger("instructor").setLevel(logging.CRITICAL)
        litellm.disable_aiohttp_transport = True
        litellm.suppress_debug_info = True
        litellm.telemetry = False
        litellm.num_retries = 0
        global _bundled_prices
        _bundled_prices = frozenset(litellm.model_cost)
        _litellm = litellm
    return _litellm


_bundled_prices: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=64)
def in_price_table(model: str) -> bool:
    """Whether litellm's bundled price table prices ``model``. litellm's Router writes the models of
    its deployments into that table, for the whole process, as it starts, with a price of 0 for a
    model the table does not know; so the table's keys as litellm was imported decide."""
    litellm = litellm_module()
    try:
        info = litellm.get_model_info(model)
    except Exception:  # litellm raises its own error for a model it does not know
        return False
    return info.get("key") in _bundled_prices


def warm_up(forms: Iterable[type[BaseModel]] = ()) -> None:
    """Import litellm and instructor now (seconds of CPU), so that no request pays for it, nor
    holds the event loop for the modules they import on their first call. Then one answer to each
    of ``forms`` goes through instructor and litellm, from litellm's mock response (no model, no
    network): litellm, the OpenAI SDK and instructor build their pydantic models on first use, about
    a quarter of a second of CPU that would otherwise hold the first request's event loop."""
    import importlib

    import instructor

    litellm = litellm_module()
    instructor.from_litellm(litellm.acompletion, mode=instructor.Mode.JSON_SCHEMA)
    _first_answers(litellm, forms)
    for name in (
        "litellm.llms.openai.openai", "litellm._service_logger", "litellm.integrations.prometheus_services",
        "litellm.integrations.generic_api.generic_api_callback", "litellm.proxy._types",
        "litellm.proxy.spend_tracking.savings", "litellm.proxy.openai_files_endpoints.common_utils",
        "litellm.llms.litellm_proxy.chat", "litellm.llms.openai_like.dynamic_config",
        "litellm.llms.github_copilot.per_user_auth", "litellm.litellm_core_utils.logging_callback_manager",
        "instructor.core.client", "instructor.v2.providers.openai", "instructor.v2.core.handler",
        "instructor.v2.core.function_calls", "anyio._backends._asyncio", "jiter", "docstring_parser",
    ):  # fmt: skip
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def _first_answers(litellm: Any, forms: Iterable[type[BaseModel]]) -> list[BaseModel]:
    """Each form filled once from a mock answer; returns the answers (a form this cannot fill is
    left out: its classes are built all the same)."""
    import instructor
    from openai.types.chat import ChatCompletion

    answer: dict[str, Any] = {
        "id": "warm-up", "object": "chat.completion", "created": 0, "model": "warm-up",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "{}"}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2,
                  "prompt_tokens_details": {"cached_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0}},
    }  # fmt: skip
    ChatCompletion.model_validate(answer)
    ChatCompletion.construct(**answer)  # the OpenAI SDK reads a server's answer so, nested models too
    client = instructor.from_litellm(litellm.completion, mode=instructor.Mode.JSON_SCHEMA)
    filled: list[BaseModel] = []
    for form in forms:
        empty: dict[str, Any] = {name: _empty(field.annotation) for name, field in form.model_fields.items()}
        with contextlib.suppress(Exception):
            filled.append(client.chat.completions.create(
                model="openai/newsfacts-warm-up", messages=[{"role": "user", "content": "warm-up"}],
                response_model=_answer_model(form), max_retries=1, mock_response=json.dumps(empty),
            ))  # fmt: skip
    return filled


@functools.cache
def _answer_model(form: type[T]) -> type[T]:
    """instructor's answer class for ``form`` (``instructor.openai_schema``), made once: handed the
    form itself, instructor creates that class, schema and all, again on every call."""
    import instructor

    return instructor.openai_schema(form)


def _empty(annotation: Any) -> Any:
    if get_origin(annotation) is list:
        return []
    return None if type(None) in get_args(annotation) else ""


def choose_mode(model: str, api_base: str | None, override: str | None) -> Any:
    """The instructor mode whose request the provider really constrains.

    llama.cpp's server, vLLM and Ollama build a grammar from ``response_format.json_schema``
    (JSON_SCHEMA); hosted APIs get tool calling (TOOLS), which litellm translates per provider.
    """
    import instructor

    from newsfacts.settings import INSTRUCTOR_MODES

    if override:
        name = INSTRUCTOR_MODES.get(override.strip().lower())
        if name is None:
            raise ValueError(
                f"{override!r} is not an instructor mode; use one of: {', '.join(INSTRUCTOR_MODES)}"
            )
        return instructor.Mode[name]
    provider = model.split("/", 1)[0] if "/" in model else ""
    if provider in JSON_SCHEMA_PROVIDERS or (provider == "openai" and api_base):
        return instructor.Mode.JSON_SCHEMA
    return instructor.Mode.TOOLS


def force_the_only_tool(kwargs: dict[str, Any]) -> None:
    """Ask for the one tool an OpenAI-shaped request offers with ``tool_choice="required"`` rather
    than by its name.

    instructor's TOOLS mode offers the form as the only tool and names it in ``tool_choice``
    (``{"type": "function", "function": {"name": …}}``). With a single tool, "required" (call one
    of the offered tools) forces exactly that call, and every OpenAI-compatible server reads it
    alike: OpenAI and vLLM accept both forms, but llama.cpp's server parses ``tool_choice`` only as
    a string ("auto", "none", "required"), so a named choice is served there as "auto" (it logs
    "Wrong type supplied for parameter 'tool_choice'"). A request with several tools, or with any
    other choice, is left as it is. (Anthropic's Messages API is not this shape: litellm sends the
    named choice as ``{"type": "tool", "name": …}``, which Anthropic honours and llama.cpp's
    Messages API maps to "required" itself; see ``ModelClient._acompletion``.)
    """
    tools = kwargs.get("tools")
    choice = kwargs.get("tool_choice")
    if not (isinstance(tools, list) and len(tools) == 1 and isinstance(choice, dict)):
        return
    offered = (tools[0].get("function") or {}).get("name") if isinstance(tools[0], dict) else None
    named = (choice.get("function") or {}).get("name") if choice.get("type") == "function" else None
    if offered and named == offered:
        kwargs["tool_choice"] = "required"


def _provider(model: str) -> str:
    """litellm's provider prefix of a model string ("openai" of "openai/gpt-4o-mini")."""
    return model.split("/", 1)[0] if "/" in model else ""


def _group(index: int) -> str:
    """The Router's name for the chain's model at ``index``."""
    return f"m{index}"


def _status(exc: BaseException) -> int | None:
    code = getattr(exc, "status_code", None)
    return code if isinstance(code, int) else None


def is_transient(exc: BaseException) -> bool:
    import httpx

    litellm = litellm_module()
    if isinstance(exc, (litellm.Timeout, litellm.APIConnectionError, httpx.TransportError)):
        return True
    if isinstance(exc, asyncio.TimeoutError):
        return True
    status = _status(exc)
    return status in TRANSIENT_STATUS


def _retry_after(exc: BaseException | None) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    try:
        return float(headers.get("retry-after"))
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Deployment:
    """One model of a fallback chain, as litellm's Router calls it."""

    model: str
    api_base: str | None = None
    api_key: str | None = None
    priced: bool = True


@dataclass
class CallStats:
    """What one article cost upstream. Shared by all its calls."""

    upstream_calls: int = 0
    transport_retries: int = 0
    validation_retries: int = 0
    fallbacks: int = 0  # calls answered by a fallback model
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    truncated: int = 0
    calls: list[dict[str, Any]] = field(default_factory=list)
    answered_by: list[str] = field(default_factory=list)  # the model behind each answered call

    def model(self, default: str, chain: list[str] | None = None) -> str:
        """The model that produced the answers: the one model behind every call, or (when calls
        fell back at different times) each model that answered, in the chain's order."""
        seen = list(dict.fromkeys(self.answered_by))
        if not seen:
            return default
        order = chain or seen
        return ", ".join(sorted(seen, key=lambda m: order.index(m) if m in order else len(order)))

    def add_cost(self, cost: float | None) -> None:
        if cost is None:
            return
        self.cost_usd = (self.cost_usd or 0.0) + cost


@dataclass(frozen=True)
class CallContext:
    """What one model call works within: the article's stats it adds to, the article's deadline
    (``time.monotonic()`` seconds) and the task it is for."""

    stats: CallStats
    deadline: float
    task: str


_CALL: ContextVar[CallContext] = ContextVar("newsfacts_call")
"""The call in progress in this asyncio task (each task of an ``asyncio.gather`` has its own copy)."""


@contextlib.contextmanager
def calling(call: CallContext) -> Iterator[CallContext]:
    """``call`` is the call in progress for the completions made inside the block."""
    token = _CALL.set(call)
    try:
        yield call
    finally:
        _CALL.reset(token)


def current_call() -> CallContext:
    """The call in progress; a completion made outside ``calling`` is a bug of ours."""
    call = _CALL.get(None)
    if call is None:
        raise RuntimeError("a model completion ran outside ModelClient.extract (no CallContext is set)")
    return call


def _content(completion: Any) -> str:
    try:
        return completion.choices[0].message.content or ""
    except (AttributeError, IndexError, TypeError):
        return ""


FENCE = re.compile(r"\A\s*```[\w-]*[ \t]*\n?")


def unfence(content: str) -> str:
    """An answer without the Markdown code fence around it (MD_JSON mode asks for one)."""
    opened = FENCE.match(content)
    if not opened:
        return content
    body = content[opened.end() :]
    closing = body.rfind("```")
    return body[:closing] if closing != -1 else body


def salvage(form: type[T], content: str) -> T | None:
    """What can be kept of an answer cut off at its token limit.

    A list form keeps its complete items only. A form of plain fields (the overview) keeps a
    cut-off last text field up to its last complete sentence; nothing else is ever completed.
    """
    from pydantic_core import from_json

    content = unfence(content)
    try:
        data = from_json(content, allow_partial=True)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if _plain_fields(form):
        return _salvage_fields(form, content)
    lists = [k for k, v in data.items() if isinstance(v, list)]
    for _ in range(3):
        try:
            return form.model_validate(data)
        except ValidationError:
            if not lists or not data[lists[-1]]:
                return None
            data[lists[-1]].pop()
    return None


def _plain_fields(form: type[BaseModel]) -> bool:
    """Whether ``form`` has no list field (the overview): salvage keeps its complete sentences, and
    an answer cut inside its first sentence is asked again with a larger budget."""
    return not any(get_origin(f.annotation) is list for f in form.model_fields.values())


SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?=\s|$)")


def _salvage_fields(form: type[T], content: str) -> T | None:
    from pydantic_core import from_json

    try:
        data = from_json(content, allow_partial="trailing-strings")
    except ValueError:
        return None
    if not isinstance(data, dict) or not data:
        return None
    last = list(data)[-1]
    if isinstance(data[last], str):
        ends = list(SENTENCE_END.finditer(data[last]))
        if not ends:
            return None
        data[last] = data[last][: ends[-1].end()]
    try:
        return form.model_validate(data)
    except ValidationError:
        return None


class ModelClient:
    """A litellm model behind instructor, with retries and a deadline."""

    def __init__(
        self,
        *,
        model: str,
        api_base: str | None = None,
        api_key: str | None = None,
        mode: str | None = None,
        transport_retries: int = 3,
        validation_retries: int = 2,
        retry_wait_s: float = 0.5,
        max_tokens: int = 700,
        temperature: float = 0.0,
        priced: bool = True,
        extra_body: dict[str, Any] | None = None,
        fallbacks: list[Deployment] | None = None,
        identity: str | None = None,
    ) -> None:
        self.model = model
        self.api_base = api_base
        # What answers, for the result cache: the model string at its server, since one model string
        # names different models on different servers ("openai/qwen" on a vLLM and on an Ollama).
        self.identity = identity or (f"{model} at {api_base}" if api_base else model)
        self.api_key = api_key
        self.transport_retries = max(1, transport_retries)
        self.validation_retries = max(1, validation_retries)
        self.retry_wait_s = retry_wait_s
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.priced = priced
        self.extra_body = extra_body
        self._mode_override = mode
        self._client: Any = None
        # With fallbacks, litellm's Router makes every call: it retries a model (not on 429, which
        # moves on at once) and then falls back to the next model of the chain, in order.
        self.chain = [Deployment(model, api_base, api_key, priced), *(fallbacks or [])]
        self._router: Any = None

    @property
    def fallbacks(self) -> list[Deployment]:
        return self.chain[1:]

    def router(self) -> Any:
        if self._router is None:
            from litellm.types.router import RetryPolicy

            litellm = litellm_module()
            model_list = []
            for i, d in enumerate(self.chain):
                params: dict[str, Any] = {"model": d.model}
                if d.api_base:
                    params["api_base"] = d.api_base
                if d.api_key:
                    params["api_key"] = d.api_key
                model_list.append({"model_name": _group(i), "litellm_params": params})
            self._router = litellm.Router(
                model_list=model_list,
                fallbacks=[{_group(0): [_group(i) for i in range(1, len(self.chain))]}],
                num_retries=self.transport_retries - 1,
                retry_policy=RetryPolicy(RateLimitErrorRetries=0),
                max_fallbacks=len(self.chain),
                disable_cooldowns=True,  # every article tries the primary first
            )
        return self._router

    @property
    def mode(self) -> Any:
        """The primary's mode; with fallbacks, one request goes to every model of the chain, so
        JSON_SCHEMA when any model of the chain is a server that constrains only that shape (OpenAI's
        API documents that shape too; litellm turns it into a forced tool call for Anthropic)."""
        import instructor

        modes = [choose_mode(d.model, d.api_base, self._mode_override) for d in self.chain]
        return instructor.Mode.JSON_SCHEMA if instructor.Mode.JSON_SCHEMA in modes else modes[0]

    def _instructor(self) -> Any:
        if self._client is None:
            import instructor

            self._client = instructor.from_litellm(self._acompletion, mode=self.mode)
        return self._client

    async def _acompletion(self, *args: Any, **kwargs: Any) -> Any:
        """One raw completion, retried with backoff on transient failures only. instructor calls it
        with the request's arguments; the call's stats and deadline are its ``CallContext``."""
        call = current_call()
        stats, deadline = call.stats, call.deadline
        if any(_provider(d.model) != "anthropic" for d in self.chain):  # some model gets OpenAI's shape
            force_the_only_tool(kwargs)
        if self.fallbacks:
            return await self._routed(*args, stats=stats, deadline=deadline, **kwargs)
        litellm = litellm_module()

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            # Jitter scales with the first wait: tenacity's default adds up to a whole second.
            backoff = float(
                wait_exponential_jitter(multiplier=self.retry_wait_s, max=8.0, jitter=self.retry_wait_s)(
                    state
                )
            )
            hinted = _retry_after(exc)
            delay = min(max(backoff, hinted or 0.0), 30.0)
            return max(0.0, min(delay, deadline - time.monotonic() - 0.05))

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.transport_retries),
            wait=wait,
            retry=retry_if_exception(is_transient),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise UpstreamTimeoutError("the request's deadline passed before the model answered")
                if attempt.retry_state.attempt_number > 1:
                    stats.transport_retries += 1
                stats.upstream_calls += 1
                kwargs["timeout"] = remaining
                kwargs["num_retries"] = 0  # retries are ours, counted above
                kwargs["max_retries"] = 0
                return await litellm.acompletion(*args, **kwargs)
        raise AssertionError("unreachable")

    async def _routed(self, *args: Any, stats: CallStats, deadline: float, **kwargs: Any) -> Any:
        """One completion through litellm's Router: the primary with its retries, then each fallback."""
        from newsfacts import metrics

        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise UpstreamTimeoutError("the request's deadline passed before the model answered")
        for name in ("model", "api_base", "api_key"):
            kwargs.pop(name, None)  # each deployment carries its own
        kwargs["timeout"] = remaining
        response = await self.router().acompletion(*args, model=_group(0), **kwargs)
        hidden = getattr(response, "_hidden_params", None) or {}
        headers = hidden.get("additional_headers") or {}
        group = headers.get("x-litellm-model-group") or _group(0)
        index = int(group.removeprefix("m")) if group.removeprefix("m").isdigit() else 0
        model = self.chain[index].model
        fell_back = int(headers.get("x-litellm-attempted-fallbacks") or 0)
        retried = int(headers.get("x-litellm-attempted-retries") or 0)
        # The Router reports the fallbacks it tried and the retries of the model that answered, not the
        # retries spent on the models before it: those calls are not in the count.
        stats.upstream_calls += 1 + fell_back + retried
        stats.transport_retries += retried
        if index:
            stats.fallbacks += 1
            metrics.FALLBACKS.labels(model).inc()
        if isinstance(hidden, dict):
            hidden["newsfacts_deployment"] = index
        return response

    async def extract(
        self,
        form: type[T],
        messages: list[dict[str, str]],
        *,
        stats: CallStats,
        deadline: float,
        task: str,
        max_tokens: int | None = None,
    ) -> T:
        """Fill ``form`` from ``messages``; raise UpstreamError / UpstreamTimeoutError on failure."""
        from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

        client = self._instructor()

        def reasked(state: RetryCallState) -> None:
            stats.validation_retries += 1

        reasks = AsyncRetrying(
            stop=stop_after_attempt(self.validation_retries),
            retry=retry_if_exception_type((ValidationError, ValueError)),
            before_sleep=reasked,  # called only when another attempt follows
            reraise=True,  # the last ValidationError, not tenacity's RetryError, is the cause
        )
        kwargs: dict[str, Any] = dict(
            model=self.model,
            messages=messages,
            response_model=_answer_model(form),
            max_retries=reasks,
            temperature=self.temperature,
            max_tokens=min(max_tokens or self.max_tokens, self.max_tokens),
        )
        if self.api_base and not self.fallbacks:
            kwargs["api_base"] = self.api_base
        if self.api_key and not self.fallbacks:
            kwargs["api_key"] = self.api_key
        if self.extra_body:
            kwargs["extra_body"] = self.extra_body
        widened = False
        while True:
            started = time.monotonic()
            result: T | None
            try:
                with calling(CallContext(stats=stats, deadline=deadline, task=task)):
                    result, completion = await client.chat.completions.create_with_completion(**kwargs)
            except IncompleteOutputException as exc:
                # The answer hit its token budget (a small model looping through a list): keep
                # the complete items before the cut, exactly as a list cap would.
                completion = exc.last_completion
                result = salvage(form, _content(completion))
                if (
                    result is None
                    and not widened
                    and _plain_fields(form)
                    and kwargs["max_tokens"] < self.max_tokens
                ):
                    # A form of plain fields cut inside its first sentence: a long sentence, not a
                    # loop. Asked once more with twice the budget; the cut answer's tokens count.
                    self._account(stats, completion, task=task, started=started, attempts=None)
                    kwargs["max_tokens"] = min(2 * kwargs["max_tokens"], self.max_tokens)
                    widened = True
                    continue
                if result is None:
                    raise UpstreamError(
                        f"the model's answer to the '{task}' call was cut off at its token limit and "
                        "holds nothing complete"
                    ) from exc
                stats.truncated += 1
            except InstructorRetryException as exc:
                raise self._upstream_error(exc, task) from exc
            except UpstreamTimeoutError:
                raise
            except Exception as exc:  # raised by the transport before instructor wraps it
                raise self._upstream_error(exc, task) from exc
            break
        attempts = getattr(getattr(result, "_raw_response", None), "n_attempts", None)
        self._account(stats, completion, task=task, started=started, attempts=attempts)
        return result

    def _upstream_error(self, exc: BaseException, task: str) -> Exception:
        cause = exc.__cause__ or exc
        if isinstance(cause, UpstreamTimeoutError):
            return cause
        litellm = litellm_module()
        if isinstance(cause, litellm.ContextWindowExceededError):
            return ContextOverflowError(
                f"the article does not fit the model's context window in the '{task}' call: "
                f"{str(cause)[:200]} (raise NEWSFACTS_CONTEXT_TOKENS only if the model really has more)"
            )
        if isinstance(cause, (litellm.Timeout, asyncio.TimeoutError)):
            return UpstreamTimeoutError(f"the model did not answer the '{task}' call before the deadline")
        attempts = getattr(exc, "n_attempts", 1)
        if isinstance(cause, (ValidationError, ValueError)) and not _status(cause):
            return UpstreamError(
                f"the model's answer to the '{task}' call did not match the schema after {attempts} "
                f"attempts: {_without_input(cause)}",
                attempts=attempts,
            )
        status = _status(cause)
        where = f"HTTP {status}" if status else type(cause).__name__
        return UpstreamError(
            f"the model call '{task}' failed ({where}): {str(cause)[:300]}", attempts=attempts
        )

    def _account(
        self, stats: CallStats, completion: Any, *, task: str, started: float, attempts: int | None
    ) -> None:
        usage = getattr(completion, "usage", None)
        prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
        output = int(getattr(usage, "completion_tokens", 0) or 0)
        stats.prompt_tokens += prompt
        stats.completion_tokens += output
        hidden = getattr(completion, "_hidden_params", None) or {}
        hidden = hidden if isinstance(hidden, dict) else {}
        deployment = self.chain[int(hidden.get("newsfacts_deployment") or 0)]
        stats.answered_by.append(deployment.model)
        if deployment.priced and in_price_table(deployment.model):
            # litellm prices every response as it arrives; computing it again costs ~3 ms of CPU per call.
            cost = hidden.get("response_cost")
            if "response_cost" not in hidden:
                with contextlib.suppress(Exception):  # litellm's price map does not know every model
                    cost = litellm_module().completion_cost(completion_response=completion)
            if cost is not None:
                stats.add_cost(float(cost))
        timings = getattr(completion, "timings", None)
        stats.calls.append(
            {
                "task": task,
                "prompt_tokens": prompt,
                "completion_tokens": output,
                "seconds": round(time.monotonic() - started, 3),
                "cached_prompt_tokens": (timings or {}).get("cache_n") if isinstance(timings, dict) else None,
            }
        )
