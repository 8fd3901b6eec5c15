"""Logs at info and warning never carry article or model text: a request whose model answers
quote the article and never match the schema fails with a 502, and nothing logged at info or
above, by any logger (ours, instructor's, litellm's, uvicorn's), holds the article's words."""

# ruff: noqa: F811  (the `stub` fixture is imported by name)
from __future__ import annotations

import logging

import httpx

from api.app import create_app
from tests.helpers import assert_error, make_runtime, make_settings
from tests.stub import ARTICLE, ok, stub  # noqa: F401

WORDS = "The Regional Emergency Service said 12 people were killed"


async def test_a_failing_request_logs_none_of_the_article_or_the_model_answer(stub, caplog):
    # Every answer quotes the article where a list belongs: it never validates.
    quoting = {key: WORDS for key in ("parties", "figures", "claims", "denials")} | {"outlet": WORDS}
    stub.script([], default=ok(content=quoting))
    settings = make_settings(stub)
    caplog.set_level(logging.DEBUG)
    app = create_app(settings, runtime=make_runtime(settings))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://newsfacts.test"
    ) as client:
        response = await client.post("/v1/summaries", json={"text": ARTICLE})
    body = assert_error(response, 502, "upstream_error")
    assert "did not match the schema" in body["message"] and WORDS not in body["message"]
    logged = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert any(r.levelno >= logging.WARNING for r in logged), "the failure was not logged at all"
    text = "\n".join(f"{r.name}: {r.getMessage()} {r.exc_text or ''}" for r in logged)
    for fragment in (
        "Regional Emergency Service",
        "people were killed",
        "river burst its banks",
        "Northwater",
    ):
        assert fragment not in text, text
