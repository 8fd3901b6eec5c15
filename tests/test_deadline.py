"""The deadline of one article on the embedded model fits the machine: none for the command line,
and for the service one derived from the speed llama-server measures at start and the article's
length (never below the configured default). NEWSFACTS_REQUEST_TIMEOUT_S, when set, always wins."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsfacts.embedded import MODELS, PROBE_TOKENS, EmbeddedServer, Speed
from newsfacts.pipeline import Runtime, embedded_deadline_s
from newsfacts.settings import Settings
from tests.conftest import SEED

# This machine (README, "How long it takes"): the seed takes about 130 s; llama.cpp read prompts at
# about 46 tokens/s and generated 10-11 tokens/s.
HERE = Speed(prompt_tps=46.0, generation_tps=10.5)
SEED_SECONDS_HERE = 130


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> Settings:
    for key in ("NEWSFACTS_MODEL", "NEWSFACTS_REQUEST_TIMEOUT_S"):
        monkeypatch.delenv(key, raising=False)
    return Settings(_env_file=None)


def test_the_cli_waits_for_the_embedded_model_unless_a_deadline_is_set(embedded, monkeypatch):
    text = SEED.read_text(encoding="utf-8")
    assert Runtime(embedded, wait_for_embedded=True).request_timeout_s(text) is None
    assert (
        Runtime(Settings(_env_file=None, model="openai/x"), wait_for_embedded=True).request_timeout_s(text)
        == 180
    )
    monkeypatch.setenv("NEWSFACTS_REQUEST_TIMEOUT_S", "900")
    assert Runtime(Settings(_env_file=None), wait_for_embedded=True).request_timeout_s(text) == 900


def test_the_service_deadline_on_the_embedded_model_follows_the_measured_speed(embedded, monkeypatch):
    text = SEED.read_text(encoding="utf-8")
    runtime = Runtime(embedded)
    assert runtime.request_timeout_s(text) == 180  # not measured (yet): the default
    runtime.speed = HERE
    here = runtime.request_timeout_s(text)
    assert here == embedded_deadline_s(HERE, text, runtime.context_tokens)
    assert here > 2 * SEED_SECONDS_HERE  # the seed fits with room to spare on a busy day
    runtime.speed = Speed(HERE.prompt_tps / 2, HERE.generation_tps / 2)  # a machine twice as slow
    assert runtime.request_timeout_s(text) == pytest.approx(2 * here)
    assert runtime.request_timeout_s(text * 4) > runtime.request_timeout_s(text)  # a longer article
    runtime.speed = Speed(10_000.0, 5_000.0)  # a fast machine: never below the default
    assert runtime.request_timeout_s(text) == 180
    monkeypatch.setenv("NEWSFACTS_REQUEST_TIMEOUT_S", "30")
    assert Runtime(Settings(_env_file=None)).request_timeout_s(text) == 30


def test_a_long_article_read_in_windows_gets_the_time_of_every_window():
    long_text = "The river burst its banks on Monday, officials said.\n" * 2000  # about 35k tokens
    one_window = embedded_deadline_s(HERE, long_text, context_tokens=1_000_000)
    windows = embedded_deadline_s(HERE, long_text, context_tokens=8192)
    assert windows > one_window  # each window has its own calls and output budget


class _Timings(BaseHTTPRequestHandler):
    answer: bytes = b""
    bodies: list = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        type(self).bodies.append(
            (self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.answer)))
        self.end_headers()
        self.wfile.write(self.answer)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_llama_server() -> Iterator[tuple[ThreadingHTTPServer, type[_Timings]]]:
    handler = type("Handler", (_Timings,), {"bodies": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, handler
    finally:
        server.shutdown()
        server.server_close()


async def test_the_speed_is_read_from_llama_servers_timings(fake_llama_server):
    """llama-server's /completion answer carries `timings` (README of llama.cpp's server)."""
    server, handler = fake_llama_server
    handler.answer = json.dumps({"content": "x", "timings": {
        "prompt_n": 240, "prompt_ms": 5200.0, "prompt_per_second": 46.15, "predicted_n": 24,
        "predicted_ms": 2285.7, "predicted_per_second": 10.5}}).encode()  # fmt: skip
    embedded = EmbeddedServer(MODELS["qwen2.5-coder-1.5b"], port=server.server_address[1])

    assert await embedded.measure_speed() == Speed(46.15, 10.5)

    path, body = handler.bodies[0]
    assert (
        path == "/completion"
        and body["n_predict"] == PROBE_TOKENS
        and body["ignore_eos"]
        and not body["cache_prompt"]
    )


async def test_a_server_that_does_not_time_itself_leaves_the_default(fake_llama_server):
    server, handler = fake_llama_server
    handler.answer = json.dumps({"content": "x"}).encode()
    embedded = EmbeddedServer(MODELS["qwen2.5-coder-1.5b"], port=server.server_address[1])
    assert await embedded.measure_speed() is None
    handler.answer = b"not json"
    assert await embedded.measure_speed() is None
