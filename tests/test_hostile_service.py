"""Every hostile input shape of the kind an attacker sends, through a real ``newsfacts serve`` and the
whole pipeline (the loopback stub model answers): each is answered within 2 s, or refused with its
4xx, and ``/healthz`` answers within 0.2 s while it is in flight. No 5xx. An unauthenticated
50 MB chunked body is refused with the server's memory growing by under 10 MiB. Connections that send
their request head slowly, or nothing at all, are closed by the service itself.

The tests share one server: they run in one xdist group, on one worker."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from typing import Any

import httpx
import pytest

from api.guard import key_digest
from newsfacts.embedded import free_port
from newsfacts.settings import Settings
from tests.helpers import (
    HTTP,
    again_if_late,
    health_probe,
    rss,
    send_chunked,
    serve_process,
    wait_for,
    wait_ready,
)
from tests.stub import ARTICLE, CANNED, ok

SIZE = 95_000  # under the 100 kB limit, as an attacker would stay
SHAPES = {
    "spaces after a subject": lambda n: "The army, " + " " * n + "x said",
    "newlines": lambda n: "\n" * n + "x",
    "dots": lambda n: "." * n,
    "initials": lambda n: "A. " * (n // 3),
    "masthead spaces": lambda n: "Name " + " " * n + "| Section\nText.",
    "inner spaces before a subject": lambda n: "The ministry" + " " * n + "denied the report.",
    "quote marks": lambda n: "“" * (n // 3),
    "a 4,400-digit number": lambda n: "1" * 4400 + " people were killed, police said.",
    "lone surrogate": lambda n: "x \ud800 y",
}
KEY = "nf-hostile-key"
AUTH = {"authorization": f"Bearer {KEY}"}
MIB = 1024 * 1024
HEADER_TIMEOUT_S = 1.0

# The tests share one real service (module-scoped): they run on one worker, whose fork server
# (tests/forked.py) the queue's tests share too.
pytestmark = [pytest.mark.xdist_group("forked_1"), pytest.mark.processes]


PADDED = "The army" + " " * 2000 + "x"  # a model-supplied name padded with spaces


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """A real ``newsfacts serve`` process (its own interpreter: what it spends is its own) with an
    API key configured, once ready."""
    from tests.stub import StubServer

    with StubServer() as model, pytest.MonkeyPatch.context() as env:
        env.setenv("NEWSFACTS_API_KEY_HASHES", key_digest(KEY))
        env.setenv("NEWSFACTS_HEADER_TIMEOUT_S", str(HEADER_TIMEOUT_S))
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = serve_process(
            model.url,
            tmp_path_factory.mktemp("hostile") / "batches.sqlite",
            port,
            reading_workers=Settings(_env_file=None).reading_workers,
        )  # the shipped pool
        try:
            wait_for(url, proc)
            wait_ready(HTTP, url, timeout=240)
            yield url, model, proc
        finally:
            proc.terminate()
            proc.wait(timeout=30)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_hostile_shape_is_answered_within_2_s_and_health_meanwhile(service, shape):
    url, model, _ = service
    # The model, too, supplies a name padded with spaces.
    model.script([ok(content={"parties": [*CANNED["parties"]["parties"], PADDED]})])
    text = ARTICLE + "\n" + SHAPES[shape](SIZE)
    body = json.dumps({"text": text}).encode()  # a lone surrogate goes as its JSON escape

    def post() -> tuple[dict[str, Any], list[float]]:
        with health_probe(url) as health:
            started = time.monotonic()
            r = HTTP.post(url + "/v1/summaries", content=body,
                          headers={"content-type": "application/json", **AUTH}, timeout=60)  # fmt: skip
            answer = {"status": r.status_code, "body": r.json(), "seconds": time.monotonic() - started}
        return answer, health

    answer, health = again_if_late(
        post, lambda run: run[0]["seconds"] >= 2.0 or max(run[1], default=1) >= 0.2
    )
    assert answer["status"] == 200 or 400 <= answer["status"] < 500, answer
    assert answer["seconds"] < 2.0, answer
    assert_health_answered(health)


def assert_health_answered(health: list[float]) -> None:
    """/healthz kept answering, every probe within 0.2 s: the reading runs in worker processes, so it
    holds neither the event loop nor the GIL (a frozen event loop shows as seconds)."""
    assert health and max(health) < 0.2, health


def test_an_unauthenticated_50_mb_chunked_body_is_refused_holding_under_10_mib(service):
    url, _, proc = service
    port = int(url.rsplit(":", 1)[1])
    before = rss(proc.pid)
    peak = [before]
    sending = threading.Event()
    sending.set()

    def sample() -> None:  # the server's resident memory every 5 ms while the bodies are sent
        while sending.is_set():
            peak.append(rss(proc.pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        for path in ("/v1/summaries", "/v1/batches"):
            status, body, sent = send_chunked(port, path, 50 * 1000 * 1000)
            assert status == 401, body
            assert json.loads(body)["code"] == "unauthorized"
            assert sent < 50 * 1000 * 1000  # the server stopped taking the body
    finally:
        sending.clear()
        sampler.join()
    grown = max(peak) - before
    assert grown < 10 * MIB, f"RSS grew by {grown / MIB:.1f} MiB"
    # With the key, the body is refused (413) as soon as it passes the cap, not after it is all in.
    status, body, sent = send_chunked(port, "/v1/summaries", 50 * 1000 * 1000, AUTH)
    assert status == 413 and json.loads(body)["code"] == "payload_too_large", body
    assert sent < 50 * 1000 * 1000
    status, body, _ = send_chunked(port, "/v1/batches", 50 * 1000 * 1000, AUTH)
    assert status == 413 and json.loads(body)["code"] == "payload_too_large", body
    assert HTTP.get(url + "/healthz", timeout=5).status_code == 200


def read_until_closed(sock: socket.socket, timeout: float) -> bytes:
    """Everything the server sends until it closes the connection (AssertionError if it does not)."""
    sock.settimeout(timeout)
    data = bytearray()
    try:
        while chunk := sock.recv(65536):
            data.extend(chunk)
    except TimeoutError:
        raise AssertionError(f"the server kept the connection open; it sent {bytes(data)!r}") from None
    except ConnectionResetError:
        pass
    return bytes(data)


def test_slow_request_heads_are_closed_by_the_service_and_health_meanwhile(service):
    url, _, _ = service
    port = int(url.rsplit(":", 1)[1])
    head = b"GET /healthz HTTP/1.1\r\nHost: newsfacts\r\n" + b"X-Pad: y\r\n" * 50  # never its blank line
    silent = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(150)]
    trickling = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(150)]
    try:
        opened = time.monotonic()
        with health_probe(url) as health:
            sent = 0
            while time.monotonic() - opened < HEADER_TIMEOUT_S + 1.0:  # one byte each every 0.1 s
                for sock in trickling:
                    with contextlib.suppress(OSError):
                        sock.sendall(head[sent : sent + 1])
                sent += 1
                time.sleep(0.1)
            # A head that arrives in parts, but in time, is answered.
            with socket.create_connection(("127.0.0.1", port), timeout=5) as prompt:
                for part in (b"GET /healthz HT", b"TP/1.1\r\nHost: x\r\n", b"Connection: close\r\n\r\n"):
                    prompt.sendall(part)
                    time.sleep(0.2)
                assert read_until_closed(prompt, 5).startswith(b"HTTP/1.1 200"), "a head in time was refused"
        for sock in silent + trickling:
            answer = read_until_closed(sock, HEADER_TIMEOUT_S + 2)
            status, _, rest = answer.partition(b"\r\n")
            assert status == b"HTTP/1.1 408 Request Timeout", answer
            assert json.loads(rest.split(b"\r\n\r\n", 1)[1])["code"] == "request_timeout"
    finally:
        for sock in silent + trickling:
            sock.close()
    assert_health_answered(health)


def test_an_idle_connection_outlives_a_client_pools_idle_expiry(service):
    """A pooled client (httpx's and Node's default: 5 s) reuses a connection up to its own idle expiry.
    If the service closed idle connections at the same moment, a request sent just then would be lost
    without an answer, so the service keeps them longer and the reused connection is answered."""
    url, _, _ = service
    port = int(url.rsplit(":", 1)[1])
    idle_s = httpx.Limits().keepalive_expiry
    assert idle_s is not None
    request = b"GET /healthz HTTP/1.1\r\nHost: newsfacts\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        assert read_response(sock).startswith(b"HTTP/1.1 200")
        time.sleep(idle_s + 0.5)
        sock.sendall(request)
        assert read_response(sock).startswith(b"HTTP/1.1 200"), (
            "the service closed a connection a client still pools"
        )


def read_response(sock: socket.socket) -> bytes:
    """One whole response (its head, then as many body bytes as its Content-Length says); what came
    before the connection closed if it closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        if not (part := sock.recv(65536)):
            return data
        data += part
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))  # fmt: skip
    while len(body) < length and (part := sock.recv(65536)):
        body += part
    return head + b"\r\n\r\n" + body
