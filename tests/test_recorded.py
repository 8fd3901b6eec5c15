"""The pipeline, the API and the CLI on answers recorded from the embedded model.

Recorded with the README's "Re-recording cassettes" command; replayed offline.
"""

from __future__ import annotations

import asyncio
import io
import json

import httpx
import pytest

from newsfacts.pipeline import summarize
from schemas.contract import ArticleSummary, SummaryRequest
from tests.conftest import SEED
from tests.helpers import assert_seed, assert_valid_json

pytestmark = [pytest.mark.vcr, pytest.mark.recorded]


def run(runtime, text: str, **meta) -> ArticleSummary:
    return asyncio.run(summarize(SummaryRequest(text=text, **meta), runtime=runtime))


def test_seed_article(recorded_runtime):
    text = SEED.read_text(encoding="utf-8")
    summary = run(recorded_runtime, text)
    assert_seed(summary, text)
    assert summary.model == "openai/qwen2.5-coder-1.5b"
    assert summary.usage.prompt_tokens > 0 and summary.usage.completion_tokens > 0


def test_api_returns_schema_valid_summary(recorded_runtime):
    from api.app import create_app

    text = SEED.read_text(encoding="utf-8")
    app = create_app(recorded_runtime.settings, runtime=recorded_runtime)

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://newsfacts") as client:
            return await client.post("/v1/summaries", json={"text": text})

    response = asyncio.run(post())
    assert response.status_code == 200, response.text
    payload = response.json()
    assert_valid_json(payload)
    assert_seed(ArticleSummary.model_validate(payload), text)


def test_cli_summarizes_files_and_stdin(recorded_env, monkeypatch, capsys):
    from newsfacts.cli import main

    text = SEED.read_text(encoding="utf-8")
    assert main(["summarize", str(SEED)]) == 0
    from_file = capsys.readouterr().out.strip().splitlines()
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["summarize", "-"]) == 0
    from_stdin = capsys.readouterr().out.strip().splitlines()
    assert len(from_file) == len(from_stdin) == 1
    for line in from_file + from_stdin:
        payload = json.loads(line)
        assert_valid_json(payload)
        assert_seed(ArticleSummary.model_validate(payload), text)
