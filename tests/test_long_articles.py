"""Articles longer than the model's context window are read in windows of sentences.

Against the loopback stub server: the requests themselves show how the article was split.
"""

# ruff: noqa: F811  (the `stub` fixture is imported by name; tests take it as an argument)
from __future__ import annotations

import asyncio
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from newsfacts.errors import ContextOverflowError
from newsfacts.pipeline import BYTES_PER_TOKEN, PROMPT_TOKENS, TASK_MAX_TOKENS, Runtime, summarize, windows
from newsfacts.settings import Settings
from newsfacts.text import split_sentences
from schemas.contract import SummaryRequest
from tests.stub import ARTICLE, overflow, stub  # noqa: F401

CONTEXT = 2048
BUDGET = CONTEXT - PROMPT_TOKENS - max(TASK_MAX_TOKENS.values())


def long_article(paragraphs: int = 12) -> str:
    body = ARTICLE.split("\n", 1)[1]
    return ARTICLE.split("\n", 1)[0] + "\n" + "\n".join(body for _ in range(paragraphs))


def runtime(stub, **overrides) -> Runtime:
    settings = Settings(
        _env_file=None, model="openai/stub-model", api_base=stub.url, api_key="sk-test", cache_enabled=False,
        sequential_calls=True, retry_wait_s=0.01, **overrides,
    )  # fmt: skip
    return Runtime(settings)


def numbers_in(body: dict) -> list[int]:
    user = body["messages"][-1]["content"]
    return [int(n) for n in re.findall(r"^\[(\d+)\] ", user, re.MULTILINE)]


def test_windows_keep_order_cover_every_sentence_and_fit_the_budget() -> None:
    sentences = split_sentences(long_article())
    parts = windows(sentences, BUDGET)
    assert len(parts) > 1
    assert [s.index for part in parts for s in part] == [s.index for s in sentences]
    for part in parts:
        assert sum(len(s.text.encode()) + 8 for s in part) // BYTES_PER_TOKEN <= BUDGET + len(part)
    assert windows(sentences, 10**9) == [sentences]


def test_a_long_article_is_read_window_by_window(stub) -> None:
    text = long_article()
    expected = windows(split_sentences(text), BUDGET)

    async def go():
        async with runtime(stub, context_tokens=CONTEXT) as rt:
            return await summarize(SummaryRequest(text=text), runtime=rt)

    summary = asyncio.run(go())
    forms = stub.forms()
    # The whole set of calls on the first window; no second overview on the later ones.
    assert forms[:5] == ["parties", "overview", "casualties", "claims", "denials"]
    assert forms[5:] == ["parties", "casualties", "claims", "denials"] * (len(expected) - 1)
    seen = [numbers_in(body) for body in stub.bodies]
    firsts = [numbers[0] for numbers in seen]
    assert sorted(set(firsts)) == [part[0].index for part in expected]
    # Sentence numbers are the whole article's, so quotes keep their offsets in the whole text.
    for casualty in summary.casualties:
        assert text[casualty.quote.start : casualty.quote.end] == casualty.quote.text


def test_an_article_that_fits_is_one_window(stub) -> None:
    async def go():
        async with runtime(stub) as rt:
            return await summarize(SummaryRequest(text=ARTICLE), runtime=rt)

    asyncio.run(go())
    assert stub.forms() == ["parties", "overview", "casualties", "claims", "denials"]


def test_context_overflow_is_a_clear_413_and_not_retried(stub) -> None:
    stub.script([overflow()])

    async def go():
        async with runtime(stub, context_tokens=10**6) as rt:
            await summarize(SummaryRequest(text=ARTICLE), runtime=rt)

    with pytest.raises(ContextOverflowError, match="context window"):
        asyncio.run(go())
    assert stub.count == 1

    stub.script([overflow()])
    settings = Settings(_env_file=None, model="openai/stub-model", api_base=stub.url, api_key="sk-test",
                        cache_enabled=False, context_tokens=10**6)  # fmt: skip
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/summaries", json={"text": ARTICLE})
    assert response.status_code == 413
    assert response.json()["code"] == "article_too_long_for_model"
    assert set(response.json()) >= {"code", "message"}
