"""Fallback models (NEWSFACTS_FALLBACK_MODELS) through litellm's Router, and the cost of an answer,
against real loopback stub servers (tests/stub.py): one as a failing primary, one as the fallback."""

# ruff: noqa: F811  (the `stub` fixture is imported by name; tests take it as an argument)
from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest

from newsfacts import metrics
from newsfacts.errors import UpstreamError
from newsfacts.pipeline import Runtime, summarize
from newsfacts.settings import FallbackModel, Settings
from schemas.contract import SummaryRequest
from tests.stub import ARTICLE, COMPLETION_TOKENS, PROMPT_TOKENS, StubServer, status, stub  # noqa: F401


@pytest.fixture
def backup():
    server = StubServer().start()
    try:
        yield server
    finally:
        server.stop()


def runtime(
    primary: StubServer, *fallbacks: StubServer, model: str = "openai/stub-primary", **options
) -> Runtime:
    settings = Settings(
        _env_file=None,
        model=model,
        api_base=primary.url,
        api_key="sk-test",
        fallback_models=[
            FallbackModel(model=f"openai/stub-fallback-{i}", api_base=f.url, api_key="sk-test")
            for i, f in enumerate(fallbacks, 1)
        ],
        retry_wait_s=0.01,
        **{"sequential_calls": True, **options},
    )
    rt = Runtime(settings)
    asyncio.run(rt.start())
    return rt


def fallbacks_counted(model: str) -> float:
    return metrics.REGISTRY.get_sample_value("newsfacts_upstream_fallbacks_total", {"model": model}) or 0.0


def test_a_failing_primary_is_retried_then_the_fallback_answers(stub, backup):
    stub.script([], default=status(500))
    # The calls at once, as for any hosted model: the Router's backoff between a model's attempts
    # (about 1-2 s, litellm's own) is then waited once for the article, not once per call.
    rt = runtime(stub, backup, transport_retries=2, sequential_calls=False)
    before = fallbacks_counted("openai/stub-fallback-1")
    summary = asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=rt))
    assert summary.model == "openai/stub-fallback-1"
    assert stub.count == 5 * 2  # every call: the primary with its retries first
    assert backup.count == 5
    assert [b["model"] for b in backup.bodies] == ["stub-fallback-1"] * 5
    assert summary.casualties and summary.casualties[0].count == 12
    assert fallbacks_counted("openai/stub-fallback-1") - before == 5


def test_a_rate_limited_primary_falls_back_at_once(stub, backup):
    stub.script([], default=status(429))
    rt = runtime(stub, backup, transport_retries=3)
    summary = asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=rt))
    assert summary.model == "openai/stub-fallback-1"
    assert stub.count == 5  # no retry of a rate-limited model: the next one answers
    assert backup.count == 5


def test_the_fallbacks_are_tried_in_order(stub, backup):
    third = StubServer().start()
    try:
        stub.script([], default=status(503))
        backup.script([], default=status(429))
        rt = runtime(stub, backup, third, transport_retries=1)
        summary = asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=rt))
        assert summary.model == "openai/stub-fallback-2"
        assert (stub.count, backup.count, third.count) == (5, 5, 5)
    finally:
        third.stop()


def test_a_healthy_primary_is_the_model_that_answers(stub, backup):
    rt = runtime(stub, backup)
    summary = asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=rt))
    assert summary.model == "openai/stub-primary"
    assert (stub.count, backup.count) == (5, 0)


def test_when_every_model_fails_the_article_fails(stub, backup):
    stub.script([], default=status(500))
    backup.script([], default=status(500))
    rt = runtime(stub, backup, transport_retries=1)
    with pytest.raises(UpstreamError, match="HTTP 500"):
        asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=rt))


def test_the_api_answers_200_from_the_fallback(stub, backup):
    from api.app import create_app

    stub.script([], default=status(502))
    rt = runtime(stub, backup, transport_retries=1)
    app = create_app(rt.settings, runtime=rt)

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://newsfacts") as client:
            return await client.post("/v1/summaries", json={"text": ARTICLE})

    response = asyncio.run(post())
    assert response.status_code == 200, response.text
    assert response.json()["model"] == "openai/stub-fallback-1"


def test_fallback_models_setting_reads_strings_objects_and_the_embedded_model(monkeypatch):
    monkeypatch.setenv(
        "NEWSFACTS_FALLBACK_MODELS", "openai/gpt-4o-mini, anthropic/claude-3-5-haiku-latest,embedded"
    )
    assert [f.model for f in Settings(_env_file=None).fallback_models] == [
        "openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest", "embedded",
    ]  # fmt: skip
    monkeypatch.setenv(
        "NEWSFACTS_FALLBACK_MODELS", '[{"model": "hosted_vllm/q", "api_base": "http://gpu:8000/v1"}]'
    )
    [only] = Settings(_env_file=None).fallback_models
    assert (only.model, only.api_base) == ("hosted_vllm/q", "http://gpu:8000/v1")
    monkeypatch.setenv("NEWSFACTS_FALLBACK_MODELS", "embedded,openai/gpt-4o-mini")
    with pytest.raises(ValueError, match="only be the last"):
        Settings(_env_file=None)


# --- usage.cost_usd -------------------------------------------------------------------------------


def test_cost_of_a_priced_model_comes_from_litellms_price_table(stub):
    from newsfacts.llm import litellm_module

    rt = runtime(stub, model="openai/gpt-4o-mini")
    summary = asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=rt))
    price = litellm_module().model_cost["gpt-4o-mini"]
    expected = 5 * (
        PROMPT_TOKENS * price["input_cost_per_token"] + COMPLETION_TOKENS * price["output_cost_per_token"]
    )
    assert summary.usage.prompt_tokens == 5 * PROMPT_TOKENS
    assert summary.usage.cost_usd == pytest.approx(expected, rel=1e-9)
    assert summary.usage.cost_usd > 0


def test_cost_of_an_unpriced_model_is_null(stub):
    rt = runtime(stub, model="openai/stub-model-nobody-prices")
    summary = asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=rt))
    assert summary.usage.prompt_tokens == 5 * PROMPT_TOKENS
    assert summary.usage.cost_usd is None


def test_cost_of_an_unpriced_model_is_null_with_fallbacks_too(stub, backup):
    """litellm's Router writes its models into litellm's price table at 0 as it starts; an unpriced
    model stays unpriced, in this client and in any other of the process."""
    rt = runtime(stub, backup, model="openai/stub-model-nobody-prices")
    summary = asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=rt))
    assert summary.model == "openai/stub-model-nobody-prices"
    assert summary.usage.cost_usd is None
    alone = runtime(stub, model="openai/stub-model-nobody-prices")
    assert asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=alone)).usage.cost_usd is None


def test_cost_of_a_fallback_is_priced_by_the_model_that_answered(stub, backup):
    from newsfacts.llm import litellm_module

    stub.script([], default=status(429))
    settings = Settings(
        _env_file=None, model="openai/stub-primary", api_base=stub.url, api_key="sk-test", sequential_calls=True,
        fallback_models=[FallbackModel(model="openai/gpt-4o-mini", api_base=backup.url, api_key="sk-test")],
    )  # fmt: skip
    rt = Runtime(settings)
    asyncio.run(rt.start())
    summary = asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=rt))
    price = litellm_module().model_cost["gpt-4o-mini"]
    expected = 5 * (
        PROMPT_TOKENS * price["input_cost_per_token"] + COMPLETION_TOKENS * price["output_cost_per_token"]
    )
    assert summary.model == "openai/gpt-4o-mini"
    assert summary.usage.cost_usd == pytest.approx(expected, rel=1e-9)


def test_one_request_shape_serves_the_whole_chain():
    import instructor

    from newsfacts.llm import Deployment, ModelClient

    hosted = ModelClient(model="openai/gpt-4o-mini")
    assert hosted.mode is instructor.Mode.TOOLS
    embedded_last = ModelClient(
        model="openai/gpt-4o-mini",
        fallbacks=[
            Deployment("anthropic/claude-3-5-haiku-latest"),
            Deployment("openai/qwen", "http://127.0.0.1:1/v1"),
        ],
    )
    assert (
        embedded_last.mode is instructor.Mode.JSON_SCHEMA
    )  # the server at the end constrains only that shape
    forced = ModelClient(
        model="openai/gpt-4o-mini", mode="tools", fallbacks=[Deployment("openai/q", "http://h/v1")]
    )
    assert forced.mode is instructor.Mode.TOOLS


def test_embedded_as_the_last_fallback_starts_the_embedded_server(monkeypatch, stub, backup):
    """``embedded`` in the list starts the embedded server with the service and makes it the last
    model of the chain (a stand-in server here: the real one is started by the live tests)."""
    import newsfacts.embedded

    started = []

    class Embedded:
        def __init__(self, spec, **options):
            self.model_string, self.api_base, self.ctx = "openai/qwen2.5-coder-1.5b", backup.url, 8192

        async def start(self):
            started.append(self)

        async def healthy(self):
            return True

        def stop(self):
            pass

    monkeypatch.setattr(newsfacts.embedded, "EmbeddedServer", Embedded)
    stub.script([], default=status(500))
    settings = Settings(_env_file=None, model="openai/stub-primary", api_base=stub.url, api_key="sk-test",
                        fallback_models="embedded", transport_retries=1, sequential_calls=True)  # fmt: skip
    rt = Runtime(settings)
    asyncio.run(rt.start())
    assert len(started) == 1
    assert [d.model for d in rt.client.chain] == ["openai/stub-primary", "openai/qwen2.5-coder-1.5b"]
    assert rt.client.chain[-1].priced is False
    summary = asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=rt))
    assert summary.model == "openai/qwen2.5-coder-1.5b"
    assert summary.usage.cost_usd is None
    assert (stub.count, backup.count) == (5, 5)


def test_a_fallbacks_answer_is_not_cached_and_the_primary_is_tried_again(stub, backup, tmp_path):
    """The result cache keeps the primary's answers only: a stand-in's answer is served once, and the
    next request for the article goes to the primary again (whose answer is then kept)."""
    stub.script([], default=status(500))
    rt = runtime(stub, backup, transport_retries=1, cache_enabled=True, cache_path=tmp_path / "cache.sqlite")
    request = SummaryRequest(text=ARTICLE)
    first = asyncio.run(summarize(request, runtime=rt))
    assert first.model == "openai/stub-fallback-1" and (stub.count, backup.count) == (5, 5)
    assert kept(tmp_path / "cache.sqlite") == 0
    stub.script([])  # the primary is back
    second = asyncio.run(summarize(request, runtime=rt))
    assert second.model == "openai/stub-primary" and not second.usage.cached
    assert (stub.count, backup.count) == (10, 5)
    third = asyncio.run(summarize(request, runtime=rt))
    assert third.model == "openai/stub-primary" and third.usage.cached
    assert (stub.count, backup.count) == (10, 5)
    assert kept(tmp_path / "cache.sqlite") == 1


def kept(path) -> int:
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as db:
        return int(db.execute("SELECT COUNT(*) FROM summaries").fetchone()[0])
