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


def test_seed_article(recorded_runtime, vcr):
    text = SEED.read_text(encoding="utf-8")
    summary = run(recorded_runtime, text)
    assert_seed(summary, text)
    assert summary.model == "openai/qwen2.5-coder-1.5b"
    assert summary.usage.prompt_tokens > 0 and summary.usage.completion_tokens > 0
    assert_constrained_by_json_schema(vcr)


def assert_constrained_by_json_schema(cassette) -> None:
    """The exchange with llama.cpp's server: every request carries the form's JSON Schema in
    ``response_format.json_schema`` (the shape llama-server turns into a grammar), and every
    answer is plain JSON content valid against that schema, with no tool call and no prose. An
    answer cut off at its call's token budget is the start of such JSON, with the form's fields."""
    import jsonschema
    from pydantic_core import from_json

    assert len(cassette.requests) == 5
    names = []
    for request, response in zip(cassette.requests, cassette.responses, strict=True):
        body = json.loads(request.body)
        fmt = body["response_format"]
        assert fmt["type"] == "json_schema" and "tools" not in body
        names.append(fmt["json_schema"]["name"])
        raw = response["body"]["string"]
        answer = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
        choice, schema = answer["choices"][0], fmt["json_schema"]["schema"]
        message = choice["message"]
        assert not message.get("tool_calls")
        if choice["finish_reason"] == "length":
            assert answer["usage"]["completion_tokens"] == body["max_tokens"]
            started = from_json(message["content"], allow_partial="trailing-strings")
            assert isinstance(started, dict) and set(started) <= set(schema["properties"])
        else:
            jsonschema.validate(json.loads(message["content"]), schema)
    # one request per form (the cassette's order is not the calls': a re-recorded task's come last)
    assert sorted(names) == sorted(
        ["PartiesForm", "OverviewForm", "CasualtiesForm", "ClaimsForm", "DenialsForm"]
    )


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
    from cli.main import main

    text = SEED.read_text(encoding="utf-8")
    assert main(["summarize", str(SEED)]) == 0
    from_file = capsys.readouterr().out.strip().splitlines()
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["summarize", "-"]) == 0
    from_stdin = capsys.readouterr().out.strip().splitlines()
    assert len(from_file) == len(from_stdin) == 1
    for line, source in ((from_file[0], str(SEED)), (from_stdin[0], "-")):
        payload = json.loads(line)
        assert payload.pop("source") == source  # the CLI names each line's input; the rest is the contract
        assert_valid_json(payload)
        assert_seed(ArticleSummary.model_validate(payload), text)
