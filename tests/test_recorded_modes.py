"""Replays of the seed's cassette (``cassettes/test_seed_article.yaml``, recorded from the embedded
model) through other doors: the ``json_schema`` mode set by name, and the recorded server answering
as the fallback of a primary that fails (the loopback stub, which vcrpy lets through as
``localhost``). Both send exactly the requests that cassette holds, so they record nothing of their own."""

# ruff: noqa: F811  (the `stub` fixture is imported by name; tests take it as an argument)
from __future__ import annotations

import asyncio

import httpx
import pytest

from newsfacts.pipeline import Runtime, summarize
from newsfacts.settings import FallbackModel, Settings
from schemas.contract import ArticleSummary, SummaryRequest
from tests.conftest import CASSETTES, RECORDED_API_BASE, RECORDED_MODEL, SEED, TEST_KEY
from tests.helpers import assert_seed, assert_valid_json
from tests.stub import status, stub  # noqa: F401

SEED_CASSETTE = str(CASSETTES / "test_seed_article.yaml")


def start(settings: Settings) -> Runtime:
    rt = Runtime(settings)
    asyncio.run(rt.start())
    return rt


@pytest.mark.vcr(SEED_CASSETTE)
def test_json_schema_mode_by_name_replays_the_seed(vcr):
    settings = Settings(_env_file=None, model=RECORDED_MODEL, api_base=RECORDED_API_BASE, api_key=TEST_KEY,
                        sequential_calls=True, instructor_mode="json_schema")  # fmt: skip
    text = SEED.read_text(encoding="utf-8")
    summary = asyncio.run(summarize(SummaryRequest(text=text), runtime=start(settings)))
    assert_seed(summary, text)
    assert vcr.play_count == 5


@pytest.mark.vcr(SEED_CASSETTE, ignore_hosts=["localhost", "newsfacts"])
def test_a_failing_primary_answers_200_from_the_recorded_fallback(stub, vcr):
    from api.app import create_app

    stub.script([], default=status(503))
    primary = stub.url.replace("127.0.0.1", "localhost")
    settings = Settings(
        _env_file=None, model="openai/stub-primary", api_base=primary, api_key=TEST_KEY, sequential_calls=True,
        transport_retries=1,  # the primary's retries before a fallback: tests/test_fallbacks.py
        fallback_models=[FallbackModel(model=RECORDED_MODEL, api_base=RECORDED_API_BASE, api_key=TEST_KEY)],
    )  # fmt: skip
    rt = start(settings)
    app = create_app(settings, runtime=rt)
    text = SEED.read_text(encoding="utf-8")

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://newsfacts") as client:
            return await client.post("/v1/summaries", json={"text": text})

    response = asyncio.run(post())
    assert response.status_code == 200, response.text
    payload = response.json()
    assert_valid_json(payload)
    assert payload["model"] == RECORDED_MODEL
    assert_seed(ArticleSummary.model_validate(payload), text)
    assert stub.count == 5  # each of the five calls: the primary once, then the fallback
    assert vcr.play_count == 5
