"""Access control, rate limits, backpressure, client disconnects, CORS, metrics and logs.

The model is the loopback stub (tests/stub.py); the disconnect test runs the app in a real
uvicorn server so that a client really goes away.
"""

# ruff: noqa: F811  (the `stub` fixture is imported by name)
from __future__ import annotations

import asyncio
import json
import logging
import socket
import time

import httpx

from api.app import create_app
from api.guard import key_digest
from tests.helpers import HTTP, assert_error, make_runtime, make_settings, serve
from tests.stub import ARTICLE, PROMPT_TOKENS, slow, stub  # noqa: F401

KEY = "nf-partner-key-1"


def client_for(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://newsfacts.test")


async def post(client: httpx.AsyncClient, **headers: str) -> httpx.Response:
    return await client.post("/v1/summaries", json={"text": ARTICLE}, headers=headers)


async def test_api_keys_401_without_403_wrong_200_right(stub):
    settings = make_settings(stub, api_key_hashes=[f"sha256:{key_digest(KEY)}"])
    async with client_for(create_app(settings, runtime=make_runtime(settings))) as client:
        assert_error(await post(client), 401, "unauthorized")
        assert_error(await post(client, authorization="Bearer nope"), 403, "forbidden")
        assert_error(await post(client, **{"x-api-key": KEY + "x"}), 403, "forbidden")
        assert stub.count == 0
        assert (await post(client, authorization=f"Bearer {KEY}")).status_code == 200
        assert (await post(client, **{"x-api-key": KEY})).status_code == 200
        # Health and metrics stay open for the orchestrator.
        assert (await client.get("/healthz")).status_code == 200
    assert stub.count == 10


def test_settings_keep_only_digests(monkeypatch):
    from newsfacts.settings import Settings

    monkeypatch.setenv("NEWSFACTS_API_KEY_HASHES", f"sha256:{key_digest('a')}, {key_digest('b')}")
    settings = Settings(_env_file=None)
    assert settings.api_key_hashes == [f"sha256:{key_digest('a')}", key_digest("b")]
    assert "a" not in settings.api_key_hashes and all(
        len(d.split(":")[-1]) == 64 for d in settings.api_key_hashes
    )


async def test_key_is_never_logged(stub, caplog):
    settings = make_settings(stub, api_key_hashes=[key_digest(KEY)])
    caplog.set_level(logging.DEBUG)
    async with client_for(create_app(settings, runtime=make_runtime(settings))) as client:
        await post(client, authorization=f"Bearer {KEY}")
        await post(client, authorization=f"Bearer {KEY}-wrong")
    assert KEY not in caplog.text
    assert "Regional Emergency Service said 12" not in "\n".join(
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.INFO and r.name.startswith(("newsfacts", "api"))
    )


async def test_rate_limit_per_key_is_429_with_retry_after(stub):
    settings = make_settings(stub, rate_limit_per_minute=2)
    async with client_for(create_app(settings, runtime=make_runtime(settings))) as client:
        assert (await post(client)).status_code == 200
        assert (await post(client)).status_code == 200
        response = await post(client)
        body = assert_error(response, 429, "rate_limited")
        assert int(response.headers["retry-after"]) >= 1
        assert "2 requests per minute" in body["message"]
    assert stub.count == 10


async def test_backpressure_beyond_the_queue_is_429_not_a_pile_up(stub):
    stub.script([], default=slow(0.5))
    settings = make_settings(stub, max_in_flight=1, max_queue=1)
    app = create_app(settings, runtime=make_runtime(settings))
    async with client_for(app) as client:
        first = asyncio.create_task(post(client))
        while stub.count == 0:  # the first article holds the only slot
            await asyncio.sleep(0.01)
        second = asyncio.create_task(post(client))
        await asyncio.sleep(0.05)  # the second waits in the queue
        third = await post(client)
        body = assert_error(third, 429, "overloaded")
        assert int(third.headers["retry-after"]) >= 1 and "waiting" in body["message"]
        assert (await first).status_code == 200 and (await second).status_code == 200
        metrics = (await client.get("/metrics")).text
    assert stub.count == 10  # two articles, five calls each; the refused one made none
    assert 'newsfacts_rejected_total{reason="overloaded"}' in metrics


async def test_cors_only_for_configured_origins(stub):
    settings = make_settings(stub, cors_origins=["https://desk.example"])
    async with client_for(create_app(settings, runtime=make_runtime(settings))) as client:
        ok = await client.options("/v1/summaries", headers={
            "origin": "https://desk.example", "access-control-request-method": "POST"})  # fmt: skip
        other = await client.options("/v1/summaries", headers={
            "origin": "https://evil.example", "access-control-request-method": "POST"})  # fmt: skip
    assert ok.headers.get("access-control-allow-origin") == "https://desk.example"
    assert "access-control-allow-origin" not in other.headers


async def test_metrics_count_requests_calls_tokens_and_cache(stub, tmp_path):
    settings = make_settings(stub, cache_enabled=True, cache_path=tmp_path / "c.sqlite")
    from newsfacts.pipeline import Runtime

    runtime = make_runtime(settings)
    runtime_with_cache = Runtime(settings, client=runtime.client)
    async with client_for(create_app(settings, runtime=runtime_with_cache)) as client:
        before = (await client.get("/metrics")).text
        assert (await post(client)).status_code == 200
        assert (await post(client)).json()["usage"]["cached"] is True
        after = (await client.get("/metrics")).text

    def value(text: str, name: str) -> float:
        for line in text.splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{") and line.split(" ")[0] == name:
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    assert (
        value(after, "newsfacts_upstream_calls_total") - value(before, "newsfacts_upstream_calls_total") == 5
    )
    hit = 'newsfacts_cache_lookups_total{result="hit"}'
    assert value(after, hit) - value(before, hit) == 1
    prompt = 'newsfacts_tokens_total{kind="prompt"}'
    assert value(after, prompt) - value(before, prompt) == 5 * PROMPT_TOKENS
    ok = 'newsfacts_http_requests_total{route="/v1/summaries",status="200"}'
    assert value(after, ok) - value(before, ok) == 2


def test_json_log_lines_carry_the_request_id():
    from newsfacts.logs import JsonFormatter

    record = logging.LogRecord(
        "newsfacts.access", logging.INFO, __file__, 1, "%s %s %s", ("POST", "/v1/summaries", 200), None
    )
    record.request_id, record.status, record.ms = "abc123", 200, 12.5
    line = json.loads(JsonFormatter().format(record))
    assert (
        line["request_id"] == "abc123" and line["status"] == 200 and line["msg"] == "POST /v1/summaries 200"
    )


def test_a_client_that_disconnects_cancels_its_model_calls(stub):
    stub.script([slow(1.5)])  # the first call is slow; the other four would follow it
    settings = make_settings(stub)
    app = create_app(settings, runtime=make_runtime(settings))
    with serve(app, lifespan="off") as url:
        body = json.dumps({"text": ARTICLE}).encode()
        head = f"POST /v1/summaries HTTP/1.1\r\nHost: newsfacts\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as client:
            client.sendall(head.encode() + body)
            end = time.monotonic() + 30
            while stub.count < 1:  # the client goes away only once the first model call is in flight
                assert time.monotonic() < end, "the model was never called"
                time.sleep(0.01)
        time.sleep(2.5)  # long enough for the rest of the article, had it gone on
        metrics = HTTP.get(url + "/metrics").text
    assert stub.count == 1
    assert 'newsfacts_rejected_total{reason="client_disconnected"} 1.0' in metrics
    assert "newsfacts_articles_in_flight 0.0" in metrics


def test_the_reading_pool_has_as_many_workers_as_configured():
    """``NEWSFACTS_READING_WORKERS`` sizes the pool the reading runs in (in a process of its own: this
    test process's pool is already started)."""
    import os
    import subprocess
    import sys

    program = (
        "import asyncio, multiprocessing\n"
        "from newsfacts import workers\n"
        "from newsfacts.reader import prime_reader\n"
        "from newsfacts.settings import Settings\n"
        "asyncio.run(workers.start(prime_reader, Settings(_env_file=None).reading_workers))\n"
        "print(len(multiprocessing.active_children()))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120,
                          env=os.environ | {"NEWSFACTS_READING_WORKERS": "1"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1"]  # not the default two


def test_the_warm_up_fills_every_task_form_once_from_a_mock_answer():
    """Before the service says it is ready, each task's form goes through instructor and litellm
    once (litellm's mock response: no model, no network), so the first request's event loop does not
    spend a quarter of a second building their pydantic models while /healthz waits."""
    from newsfacts.llm import _answer_model, _first_answers, litellm_module
    from newsfacts.tasks import TASKS

    filled = _first_answers(litellm_module(), [task.form for task in TASKS])
    assert [type(answer).__name__ for answer in filled] == [task.form.__name__ for task in TASKS]
    # instructor answers in the class made once per form, not in a class it makes again per call
    assert [type(answer) for answer in filled] == [_answer_model(task.form) for task in TASKS]
