"""Assertions shared by the recorded and live tests, a real uvicorn server for the app, and probes
of a running server: its resident memory, a chunked body sent to it, its /healthz latency."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import jsonschema

from schemas.contract import ArticleSummary

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "schemas" / "article_summary.schema.json").read_text()
)


def assert_valid_json(payload: dict) -> None:
    jsonschema.validate(payload, SCHEMA)


def quotes(summary: ArticleSummary):
    for group in (summary.casualties, summary.claims, summary.denials):
        for item in group:
            if item.quote is not None:
                yield item.quote


def assert_grounded(summary: ArticleSummary, text: str) -> None:
    """Every quote sits exactly at its offsets; every reference names a listed party."""
    text = summary.article_text if summary.article_text is not None else text
    for quote in quotes(summary):
        assert text[quote.start : quote.end] == quote.text, quote
    names = {p.name for p in summary.parties} | {a for p in summary.parties for a in p.aliases}
    refs = [c.reported_by for c in summary.casualties] + [c.caused_by for c in summary.casualties]
    refs += [c.claimant for c in summary.claims] + [c.target for c in summary.claims]
    refs += [d.denier for d in summary.denials] + [d.responds_to for d in summary.denials]
    refs += [p.affiliation for p in summary.parties]
    for ref in refs:
        assert ref is None or ref in names, f"{ref!r} is not a listed party"
    g = summary.grounding
    assert g.quotes_verified + g.quotes_dropped == g.quotes_total


def figures(summary: ArticleSummary, kind: str) -> list:
    return [c for c in summary.casualties if c.kind == kind]


def assert_seed(summary: ArticleSummary, text: str) -> None:
    """The worked example of CONTRACT.md, in substance."""
    assert_grounded(summary, text)
    assert summary.outlet is not None and summary.outlet.name == "RT"
    killed = [c for c in figures(summary, "killed") if c.count == 12]
    injured = [c for c in figures(summary, "injured") if c.count == 40]
    assert killed and injured, summary.casualties
    for c in killed + injured:
        # Azerbaijan or a name the label accepts for it ("Officials in Baku")
        assert c.reported_by is not None and any(
            n in c.reported_by.lower() for n in ("azerbaijan", "baku")
        ), c
        assert c.caused_by is not None and "armenia" in c.caused_by.lower()
        assert str(c.count) in c.quote.text
    assert any("armenia" in d.denier.lower() and "defen" in d.denier.lower() for d in summary.denials), (
        summary.denials
    )


@contextlib.contextmanager
def serve(app, *, lifespan: str = "on") -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port, in a thread of this process (so cassettes
    still apply); yields its base URL."""
    import uvicorn

    from newsfacts.embedded import free_port

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan)
    )
    thread = threading.Thread(target=server.run, name="review-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def rss(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field} for {pid}")


def send_chunked(
    port: int, path: str, total: int, headers: dict[str, str] | None = None
) -> tuple[int, bytes, int]:
    """POST up to ``total`` bytes of JSON-ish filler as a chunked body, stopping once the server has
    answered or stopped reading. Returns (status, response body, bytes sent)."""
    head = f"POST {path} HTTP/1.1\r\nHost: newsfacts\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items()) + "\r\n"
    chunk = b"a" * 65536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    opening = b'{"text": "'
    sent = 0
    response = bytearray()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:

        def read() -> None:
            with contextlib.suppress(OSError):
                while data := sock.recv(65536):
                    response.extend(data)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        sock.sendall(head.encode() + f"{len(opening):x}\r\n".encode() + opening + b"\r\n")
        with contextlib.suppress(OSError):  # reset, broken pipe, or a server that stopped reading
            while sent < total and b"\r\n\r\n" not in response:
                sock.sendall(frame)
                sent += len(chunk)
        end = time.monotonic() + 10
        while b"\r\n\r\n" not in response or not response.split(b"\r\n\r\n", 1)[1].rstrip().endswith(b"}"):
            if time.monotonic() > end or not reader.is_alive():
                break
            time.sleep(0.01)
    text = bytes(response)
    status_line, _, rest = text.partition(b"\r\n")
    return int(status_line.split()[1]), rest.split(b"\r\n\r\n", 1)[-1], sent


PROBE = """
import http.client, sys, time
host, port = sys.argv[1], int(sys.argv[2])
while True:
    started = time.monotonic()
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", "/healthz")
    status = conn.getresponse().status
    conn.close()
    print(status, time.monotonic() - started, flush=True)
    time.sleep(0.02)
"""


@contextlib.contextmanager
def health_probe(url: str) -> Iterator[list[float]]:
    """``/healthz`` asked every 20 ms by a process of its own (so the time measured is the
    server's, not this process's); yields the list its latencies are put in once it stops."""
    host, port = url.removeprefix("http://").split(":")
    probe = subprocess.Popen([sys.executable, "-c", PROBE, host, port], stdout=subprocess.PIPE, text=True)
    latencies: list[float] = []
    try:
        time.sleep(0.2)  # the probe's interpreter is up and asking
        yield latencies
    finally:
        time.sleep(0.1)
        probe.terminate()
        out, _ = probe.communicate(timeout=10)
        for line in out.splitlines():
            status, seconds = line.split()
            assert status == "200", line
            latencies.append(float(seconds))
        assert latencies, "the probe never got an answer"
