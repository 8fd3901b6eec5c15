"""The HTTP contract of ``api.app``: statuses, the one error shape, the response schema.

The app runs in process (``httpx.ASGITransport``); its model is the loopback stub server
(tests/stub.py), so every model call is a real HTTP request. ASGITransport does not run the
lifespan, which is fine: a Runtime built with a client is ready from the start.
"""

# ruff: noqa: F811  (the `stub` fixture is imported by name; tests take it as an argument)
from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import jsonschema
import pytest

from api.app import create_app
from newsfacts.pipeline import Runtime
from newsfacts.settings import Settings
from schemas.contract import ArticleSummary
from tests.helpers import (
    HTML_PAGE,
    MAX_TEXT_BYTES,
    SUMMARY_SCHEMA,
    assert_error,
    assert_full_summary,
    make_runtime,
    make_settings,
)
from tests.stub import ARTICLE, COMPLETION_TOKENS, PROMPT_TOKENS, slow, status, stub  # noqa: F401


async def open_client(settings: Settings, runtime: Runtime) -> httpx.AsyncClient:
    app = create_app(settings, runtime=runtime)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://newsfacts.test")


@pytest.fixture
async def api(stub) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(stub)
    async with await open_client(settings, make_runtime(settings)) as client:
        yield client


@pytest.fixture
async def slow_api(stub) -> AsyncIterator[httpx.AsyncClient]:
    """A one-second deadline."""
    settings = make_settings(stub, request_timeout_s=1.0)
    async with await open_client(settings, make_runtime(settings)) as client:
        yield client


# --- success ------------------------------------------------------------------------------------


async def test_summary_is_200_and_valid_against_the_schema(api, stub):
    response = await api.post("/v1/summaries", json={"text": ARTICLE})

    assert response.status_code == 200, response.text
    body = response.json()
    jsonschema.validate(body, SUMMARY_SCHEMA)
    summary = ArticleSummary.model_validate(body)
    assert_full_summary(summary)
    assert summary.usage.prompt_tokens == 5 * PROMPT_TOKENS
    assert summary.usage.completion_tokens == 5 * COMPLETION_TOKENS
    assert stub.forms() == ["parties", "overview", "casualties", "claims", "denials"]
    assert len(response.headers["x-request-id"]) == 32


async def test_explain_adds_the_trace_and_plain_requests_have_none(api, stub):
    plain = (await api.post("/v1/summaries", json={"text": ARTICLE})).json()
    assert plain["trace"] is None and plain["language"] == "en"
    response = await api.post("/v1/summaries?explain=true", json={"text": ARTICLE})
    assert response.status_code == 200, response.text
    body = response.json()
    jsonschema.validate(body, SUMMARY_SCHEMA)
    trace = body["trace"]
    assert trace and {t["field"] for t in trace} >= {"outlet", "parties", "casualties"}
    kept = [t for t in trace if t["field"] == "casualties" and t["outcome"] != "dropped"]
    assert sorted(t["index"] for t in kept) == list(range(len(body["casualties"])))


async def test_request_metadata_is_used(api):
    response = await api.post(
        "/v1/summaries",
        json={"text": ARTICLE, "title": "Floods kill 12 - Northern Gazette", "outlet": "Northern Gazette"},
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["outlet"]["name"] == "Northern Gazette"
    assert body["headline"] == "Floods kill 12"


async def test_the_callers_request_id_is_echoed(api):
    response = await api.post("/v1/summaries", json={"text": " "}, headers={"X-Request-ID": "req-42"})

    body = assert_error(response, 422, "empty_text")
    assert body["request_id"] == "req-42"


# --- input errors: no model call is made -------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n"], ids=["empty", "spaces", "whitespace"])
async def test_empty_text_is_422(api, stub, text):
    response = await api.post("/v1/summaries", json={"text": text})

    body = assert_error(response, 422, "empty_text")
    assert "empty" in body["message"]
    assert body["details"] is None
    assert stub.count == 0


async def test_text_over_the_limit_is_413(api, stub):
    response = await api.post("/v1/summaries", json={"text": "a" * (MAX_TEXT_BYTES + 1)})

    body = assert_error(response, 413, "text_too_large")
    assert body["message"].startswith(f"the article text is {MAX_TEXT_BYTES + 1} bytes; the limit is 1000")
    assert stub.count == 0


async def test_text_at_the_limit_is_accepted(api, stub):
    text = ARTICLE + " " * (MAX_TEXT_BYTES - len(ARTICLE.encode()))
    assert len(text.encode()) == MAX_TEXT_BYTES

    response = await api.post("/v1/summaries", json={"text": text})

    assert response.status_code == 200, response.text
    assert stub.count == 5


async def test_the_limit_counts_utf8_bytes_not_characters(api, stub):
    text = "é" * 501  # 501 characters, 1002 bytes

    response = await api.post("/v1/summaries", json={"text": text})

    body = assert_error(response, 413, "text_too_large")
    assert "1002 bytes" in body["message"]
    assert stub.count == 0


async def test_a_body_far_over_the_limit_is_refused_before_parsing(api, stub):
    response = await api.post("/v1/summaries", json={"text": "a" * 80_000})

    assert_error(response, 413, "payload_too_large")
    assert stub.count == 0


@pytest.mark.parametrize("content_type", ["application/xml", "application/x-www-form-urlencoded", None])
async def test_unsupported_content_type_is_415(api, stub, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = await api.post(
        "/v1/summaries", content=json.dumps({"text": ARTICLE}).encode(), headers=headers
    )

    assert_error(response, 415, "unsupported_media_type")
    assert stub.count == 0


async def test_plain_text_body_is_an_article(api, stub):
    response = await api.post(
        "/v1/summaries?outlet=Northern%20Gazette",
        content=ARTICLE.encode(),
        headers={"content-type": "text/plain"},
    )

    assert response.status_code == 200, response.text
    summary = ArticleSummary.model_validate(response.json())
    assert summary.outlet is not None and summary.outlet.name == "Northern Gazette"
    assert summary.article_text is None  # offsets refer to the text as sent
    assert [(c.kind, c.count) for c in summary.casualties] == [("killed", 12)]
    assert stub.count == 5


@pytest.mark.parametrize("as_json", [True, False], ids=["json-format-html", "text-html-body"])
async def test_html_page_is_extracted_and_offsets_refer_to_the_extracted_text(api, stub, as_json):
    if as_json:
        response = await api.post("/v1/summaries", json={"text": HTML_PAGE, "format": "html"})
    else:
        response = await api.post(
            "/v1/summaries", content=HTML_PAGE.encode(), headers={"content-type": "text/html"}
        )

    assert response.status_code == 200, response.text
    payload = response.json()
    jsonschema.validate(payload, SUMMARY_SCHEMA)
    summary = ArticleSummary.model_validate(payload)
    article = summary.article_text
    assert article is not None and "Regional Emergency Service said 12 people" in article
    assert "Cookie settings" not in article and "Subscribe now" not in article and "<p>" not in article
    assert summary.outlet is not None and summary.outlet.name == "Northern Gazette"  # page metadata
    assert summary.casualties and summary.denials
    for item in [*summary.casualties, *summary.denials, *summary.claims]:
        assert item.quote is not None and article[item.quote.start : item.quote.end] == item.quote.text
    # The model saw the extracted text, not the markup.
    prompt = json.dumps(stub.bodies[0]["messages"])
    assert "Regional Emergency Service" in prompt and "og:site_name" not in prompt


async def test_html_page_without_article_text_is_422(api, stub):
    page = (
        "<html><head><title>x</title><style>p{}</style></head><body><script>var a=1;</script></body></html>"
    )
    response = await api.post("/v1/summaries", content=page.encode(), headers={"content-type": "text/html"})

    assert_error(response, 422, "empty_text")
    assert stub.count == 0


async def test_json_with_charset_is_accepted(api):
    response = await api.post(
        "/v1/summaries",
        content=json.dumps({"text": ARTICLE}).encode(),
        headers={"content-type": "application/json; charset=utf-8"},
    )

    assert response.status_code == 200, response.text


async def test_malformed_json_is_422_invalid_json(api, stub):
    response = await api.post(
        "/v1/summaries", content=b'{"text": "unterminated', headers={"content-type": "application/json"}
    )

    body = assert_error(response, 422, "invalid_json")
    assert body["details"] and body["details"][0]["type"] == "json_invalid"
    assert stub.count == 0


async def test_missing_text_is_422(api, stub):
    response = await api.post("/v1/summaries", json={"title": "No text"})

    body = assert_error(response, 422, "invalid_request")
    assert body["details"] == [{"loc": ["body", "text"], "msg": "Field required", "type": "missing"}]
    assert stub.count == 0


@pytest.mark.parametrize(
    "payload",
    [{"text": 42}, {"text": ARTICLE, "colour": "red"}, ["text"]],
    ids=["text-not-a-string", "unknown-field", "not-an-object"],
)
async def test_a_body_not_matching_the_request_schema_is_422(api, stub, payload):
    response = await api.post("/v1/summaries", json=payload)

    body = assert_error(response, 422, "invalid_request")
    assert body["details"]
    assert stub.count == 0


# --- upstream errors ------------------------------------------------------------------------------


async def test_upstream_500s_are_502(api, stub):
    stub.script([], default=status(500))

    response = await api.post("/v1/summaries", json={"text": ARTICLE})

    body = assert_error(response, 502, "upstream_error")
    assert "HTTP 500" in body["message"]
    assert stub.count == 3  # transport_retries, then the article fails


@pytest.mark.parametrize("fault", ["garbage", "reset", "invalid_schema"])
async def test_other_upstream_failures_are_502(api, stub, fault):
    stub.script([], default=fault)

    response = await api.post("/v1/summaries", json={"text": ARTICLE})

    body = assert_error(response, 502, "upstream_error")
    assert "'parties'" in body["message"]
    assert stub.count == (2 if fault == "invalid_schema" else 3)


async def test_a_transient_upstream_error_is_invisible(api, stub):
    stub.script([status(429, retry_after=0), status(503)])

    response = await api.post("/v1/summaries", json={"text": ARTICLE})

    assert response.status_code == 200, response.text
    assert stub.count == 7


async def test_slow_upstream_is_504(slow_api, stub):
    stub.script([], default=slow(3))

    response = await slow_api.post("/v1/summaries", json={"text": ARTICLE})

    body = assert_error(response, 504, "upstream_timeout")
    assert "deadline" in body["message"]
    assert stub.count == 1


# --- other routes ---------------------------------------------------------------------------------


async def test_healthz(api):
    response = await api.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_when_ready(api):
    response = await api.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "model": "openai/stub-model"}


async def test_not_ready_is_503(stub):
    settings = make_settings(stub)
    runtime = Runtime(settings)  # no client and never started: not ready
    async with await open_client(settings, runtime) as client:
        ready = await client.get("/readyz")
        summary = await client.post("/v1/summaries", json={"text": ARTICLE})
        health = await client.get("/healthz")

    assert_error(ready, 503, "model_not_ready")
    assert_error(summary, 503, "model_not_ready")
    assert health.status_code == 200
    assert stub.count == 0


async def test_unknown_route_and_wrong_method_use_the_error_shape(api):
    assert_error(await api.get("/v1/nothing"), 404, "not_found")
    assert_error(await api.get("/v1/summaries"), 405, "method_not_allowed")
