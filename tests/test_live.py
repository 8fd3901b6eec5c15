"""Smoke test on the real embedded model (``-m live``; needs the ``embedded`` extra)."""

from __future__ import annotations

import asyncio

import pytest

from newsfacts.pipeline import Runtime, summarize
from newsfacts.settings import Settings
from schemas.contract import SummaryRequest
from tests.conftest import SEED
from tests.helpers import assert_seed, assert_valid_json

pytestmark = pytest.mark.live


def test_seed_article_on_the_embedded_model():
    text = SEED.read_text(encoding="utf-8")

    async def go():
        async with Runtime(Settings(_env_file=None)) as runtime:
            assert await runtime.healthy()
            return await summarize(SummaryRequest(text=text), runtime=runtime)

    summary = asyncio.run(go())
    assert_valid_json(summary.model_dump(mode="json"))
    assert_seed(summary, text)
    assert summary.model == "openai/qwen2.5-coder-1.5b"
    assert summary.usage.latency_ms > 0
