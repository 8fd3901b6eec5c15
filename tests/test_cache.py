"""The result cache: a repeated article answers without a model call, marked cached."""

from __future__ import annotations

import asyncio

import pytest

from newsfacts.cache import open_cache
from newsfacts.llm import ModelClient
from newsfacts.pipeline import Runtime, summarize
from newsfacts.settings import Settings
from schemas.contract import SummaryRequest
from tests.stub import stub  # noqa: F401

ARTICLE = "Storm kills 3 in port town\n\nThree people were killed when the storm hit, the mayor said."


@pytest.fixture
def cached_runtime(stub, tmp_path):  # noqa: F811
    settings = Settings(cache_enabled=True, cache_path=tmp_path / "results.sqlite", retry_wait_s=0.01)
    client = ModelClient(model="openai/stub-model", api_base=stub.url, api_key="sk-test", retry_wait_s=0.01)
    runtime = Runtime(settings, client=client)
    yield runtime
    runtime.stop()


def test_repeated_article_is_answered_from_the_cache(stub, cached_runtime):  # noqa: F811
    first = asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=cached_runtime))
    calls = len(stub.requests)
    assert calls == 5 and first.usage.cached is False
    second = asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=cached_runtime))
    assert len(stub.requests) == calls
    assert second.usage.cached is True
    assert second.model_dump(exclude={"usage"}) == first.model_dump(exclude={"usage"})


def test_metadata_and_prompt_version_are_part_of_the_key(stub, cached_runtime, monkeypatch):  # noqa: F811
    asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=cached_runtime))
    calls = len(stub.requests)
    asyncio.run(summarize(SummaryRequest(text=ARTICLE, outlet="Daily Ledger"), runtime=cached_runtime))
    assert len(stub.requests) == calls + 5
    monkeypatch.setattr("prompts.PROMPT_VERSION", "v-next")
    asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=cached_runtime))
    assert len(stub.requests) == calls + 10


def test_a_forced_instructor_mode_is_part_of_the_key(stub, tmp_path):  # noqa: F811
    """The same model asked in another request shape may answer otherwise: a service restarted with
    NEWSFACTS_INSTRUCTOR_MODE set (or an eval run with it) asks again rather than serving the other
    mode's answer; the same mode again is a hit."""
    path = tmp_path / "results.sqlite"

    def run(mode: str | None) -> bool:
        settings = Settings(_env_file=None, cache_enabled=True, cache_path=path, retry_wait_s=0.01,
                            instructor_mode=mode)  # fmt: skip
        client = ModelClient(model="openai/stub-model", api_base=stub.url, api_key="sk-test",
                             retry_wait_s=0.01, mode=mode)  # fmt: skip
        runtime = Runtime(settings, client=client)
        try:
            return asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=runtime)).usage.cached
        finally:
            runtime.stop()

    assert [run(None), run(None), run("md_json"), run("md_json"), run("tools"), run(None)] == [
        False, True, False, True, False, True,
    ]  # fmt: skip
    assert len(stub.requests) == 3 * 5


def test_one_cache_for_the_service_and_the_evals(tmp_path, caplog):
    settings = Settings(_env_file=None, cache_max_age_days=30, cache_max_mb=2)
    service = open_cache(settings, tmp_path / "service.sqlite")
    evals = open_cache(settings, tmp_path / "evals.sqlite", by_age=False)
    assert service is not None and evals is not None
    assert (service.max_age_s, service.max_bytes) == (30 * 86400, 2_000_000)
    assert (evals.max_age_s, evals.max_bytes) == (
        0.0,
        2_000_000,
    )  # the evals' outputs are capped, not aged out
    service.close()
    evals.close()

    (tmp_path / "file").write_text("not a directory")
    assert open_cache(settings, tmp_path / "file" / "c.sqlite") is None  # best-effort: run without it
    assert "cannot be opened" in caplog.text


def test_the_same_model_string_at_another_server_asks_again(stub, tmp_path):  # noqa: F811
    """One model string names different models on different servers ("openai/qwen" on a vLLM and on
    an Ollama): a service pointed at another NEWSFACTS_API_BASE asks again rather than serving the
    other server's answer; the same server again is a hit."""
    path = tmp_path / "results.sqlite"
    other = stub.url.replace("127.0.0.1", "localhost")
    assert other != stub.url

    def run(api_base: str) -> bool:
        settings = Settings(_env_file=None, cache_enabled=True, cache_path=path, retry_wait_s=0.01)
        client = ModelClient(
            model="openai/stub-model", api_base=api_base, api_key="sk-test", retry_wait_s=0.01
        )
        runtime = Runtime(settings, client=client)
        try:
            return asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=runtime)).usage.cached
        finally:
            runtime.stop()

    hits = [run(stub.url), run(stub.url), run(other), run(other), run(stub.url)]
    assert hits == [False, True, False, True, True]
    assert len(stub.requests) == 2 * 5
