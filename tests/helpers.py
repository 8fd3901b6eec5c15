"""What the test modules share (a test module never imports another): assertions of the recorded and
live tests, the app's settings and runtime on the loopback stub model (tests/stub.py) with the
assertions of the API's answers, a real uvicorn server for the app, ``newsfacts serve`` processes and
batches of articles, and probes of a running server: its resident memory, a chunked body sent to it,
its /healthz latency."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import httpx
import jsonschema

import prompts
from newsfacts.llm import ModelClient
from newsfacts.pipeline import Runtime
from newsfacts.settings import Settings
from schemas.contract import ArticleSummary, ErrorResponse
from tests.forked import Forked
from tests.stub import ARTICLE, CANNED

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
SCHEMA = json.loads((ROOT / "schemas" / "article_summary.schema.json").read_text())


# One client for the tests' calls to loopback services: httpx builds a TLS context for every new
# client (about 50 ms of CPU), which a polling loop would pay many times a second. Like httpx.get, it
# keeps no connection between calls: a service may be killed and another started on its port.
HTTP = httpx.Client(limits=httpx.Limits(max_keepalive_connections=0))


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
import http.client, os, sys, time
host, port = sys.argv[1], int(sys.argv[2])
while True:
    started = time.monotonic()
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", "/healthz")
    status = conn.getresponse().status
    conn.close()
    os.write(1, f"{status} {time.monotonic() - started}\\n".encode())  # one write: whole lines only
    time.sleep(0.02)
"""


def again_if_late(attempt: Callable[[], T], late: Callable[[T], bool]) -> T:
    """``attempt()``, and once more if ``late`` says its result missed a time bound. On a shared
    machine one run can be slowed by the host taking the cores (steal time) or by the suite's other
    workers; a service that breaks a bound breaks it in both runs (a frozen event loop shows as
    seconds, every time). The second run's result is the one the test checks."""
    result = attempt()
    return attempt() if late(result) else result


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


# --- the reading rules over answers a test gives -------------------------------------------------


def read_answers(text: str, lang: str = "en", *, parties: Sequence[str] = (), figures: Sequence[Any] = (),
                 claims: Sequence[Any] = (), denials: Sequence[Any] = ()) -> Any:  # fmt: skip
    """``newsfacts.reading.read`` over ``text`` in ``lang`` with the model's answers a test names
    (parties by name, ``FigureItem``, ``ClaimItem`` and ``DenialItem`` items); the rest is empty."""
    from newsfacts.reading import read
    from newsfacts.reading.lexicon import lexicon
    from newsfacts.reading.sentences import split_sentences
    from schemas.extraction import CasualtiesForm, ClaimsForm, DenialsForm, OverviewForm, PartiesForm

    lex = lexicon(lang)
    return read(
        text=text, sentences=split_sentences(text, lex), lex=lex,
        overview=OverviewForm(outlet=None, section=None, summary="s"),
        parties=PartiesForm(parties=list(parties)), casualties=CasualtiesForm(figures=list(figures)),
        claims=ClaimsForm(claims=list(claims)), denials=DenialsForm(denials=list(denials)),
    )  # fmt: skip


# --- the app on the loopback stub model (tests/stub.py) ---------------------------------------

SCHEMAS = ROOT / "schemas"
ERROR_KEYS = {"code", "message", "request_id", "details"}
MAX_TEXT_BYTES = 1000


def load_schema(name: str, model: type) -> dict:
    """The checked-in schema file; generated from the model if the file is not there yet."""
    path = SCHEMAS / name
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return model.model_json_schema(mode="serialization")


SUMMARY_SCHEMA = load_schema("article_summary.schema.json", ArticleSummary)
ERROR_SCHEMA = load_schema("error.schema.json", ErrorResponse)


# The stub model as settings and as a model client both see it: its name and key, quick retries.
STUB_MODEL: dict[str, Any] = dict(
    model="openai/stub-model", api_key="sk-test", transport_retries=3, validation_retries=2, retry_wait_s=0.01
)


def make_settings(stub, **overrides) -> Settings:
    options = dict(
        STUB_MODEL,
        _env_file=None,
        api_base=stub.url,
        max_text_bytes=MAX_TEXT_BYTES,
        request_timeout_s=60.0,
        sequential_calls=True,
    )
    options.update(overrides)
    return Settings(**options)


def stub_client(api_base: str | None, **overrides) -> ModelClient:
    """A model client for the loopback stub: quick retries, no prices."""
    options = dict(STUB_MODEL, api_base=api_base, priced=False)
    options.update(overrides)
    return ModelClient(**options)


def make_runtime(settings: Settings) -> Runtime:
    client = stub_client(
        settings.api_base,
        transport_retries=settings.transport_retries,
        validation_retries=settings.validation_retries,
        retry_wait_s=settings.retry_wait_s,
    )
    return Runtime(settings, client=client)


def assert_error(response: httpx.Response, status_code: int, code: str) -> dict:
    """The one error shape, with its request id echoed in the x-request-id header."""
    assert response.status_code == status_code, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert body["request_id"] == response.headers["x-request-id"]
    jsonschema.validate(body, ERROR_SCHEMA)
    return body


HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Floods hit northern town | Northern Gazette</title>
<meta property="og:site_name" content="Northern Gazette">
<meta property="article:published_time" content="2024-03-04T08:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a> | Subscribe now</nav>
<article><h1>Floods hit northern town</h1>
<p>The Regional Emergency Service said 12 people were killed when the river burst its banks on Monday.</p>
<p>Mayor Anna Berg said the dam operator Northwater ignored repeated warnings.</p>
<p>Northwater denied that it ignored any warnings.</p></article>
<footer>Cookie settings. Copyright Northern Gazette. Newsletter sign-up.</footer></body></html>"""


def assert_full_summary(summary: ArticleSummary) -> None:
    """The summary the canned answers make of ARTICLE, with every quote at its offsets."""
    assert summary.model == "openai/stub-model"
    assert summary.prompt_version == prompts.PROMPT_VERSION
    assert summary.headline == "Floods hit northern town"
    assert summary.summary == CANNED["overview"]["summary"]
    assert [(p.name, p.type) for p in summary.parties] == [
        ("Regional Emergency Service", "government_body"),
        ("Anna Berg", "official"),
        ("Northwater", "other"),  # the model names parties; their types are the code's
    ]
    [casualty] = summary.casualties
    assert (casualty.kind, casualty.count, casualty.approximate) == ("killed", 12, False)
    assert casualty.reported_by == "Regional Emergency Service"
    # the mayor's claim is the model's; the service's, attributed in the text, is the code's
    added, claim = summary.claims
    assert (added.claimant, added.target) == ("Regional Emergency Service", None)
    assert (claim.claimant, claim.target) == ("Anna Berg", "Northwater")
    [denial] = summary.denials
    assert (denial.denier, denial.responds_to) == ("Northwater", "Anna Berg")
    for quote in (casualty.quote, claim.quote, denial.quote):
        assert quote is not None and ARTICLE[quote.start : quote.end] == quote.text
    assert casualty.quote.text.startswith("The Regional Emergency Service said 12 people were killed")
    assert denial.quote.text == "Northwater denied that it ignored any warnings."
    assert summary.grounding.model_dump() == {"quotes_total": 3, "quotes_verified": 3, "quotes_dropped": 0}


# --- batches, and `newsfacts serve` processes -------------------------------------------------


def articles(n: int) -> list[str]:
    return [f"{ARTICLE}\nUpdate number {i} follows." for i in range(n)]


def stub_process_env(stub_url: str, *, reading_workers: int = 1, **settings: str) -> dict[str, str]:
    """The environment of a real ``newsfacts`` process on the stub model (one article at a time, no
    result cache), with further ``NEWSFACTS_…`` ``settings``. One reading worker unless a test needs the
    shipped pool (each costs its start's CPU, which the suite's other tests wait for)."""
    return os.environ | {
        "NEWSFACTS_MODEL": "openai/stub-model", "NEWSFACTS_API_BASE": stub_url, "NEWSFACTS_API_KEY": "sk-test",
        "NEWSFACTS_MAX_IN_FLIGHT": "1", "NEWSFACTS_CACHE_ENABLED": "false",
        "NEWSFACTS_READING_WORKERS": str(reading_workers),
    } | settings  # fmt: skip


def serve_process(stub_url: str, db: Path, port: int, *, reading_workers: int = 1,
                  extra: dict[str, str] | None = None) -> Forked:  # fmt: skip
    """A real ``newsfacts serve`` process on the stub model, with ``extra`` settings (forked from the
    tests' fork server, tests/forked.py, which has already imported what the command imports)."""
    env = stub_process_env(stub_url, reading_workers=reading_workers, NEWSFACTS_BATCH_DB_PATH=str(db),
                           NEWSFACTS_PORT=str(port), NEWSFACTS_HOST="127.0.0.1", NEWSFACTS_LOG_LEVEL="warning",
                           **(extra or {}))  # fmt: skip
    return Forked(["serve"], env)


def wait_for(url: str, proc: Forked | subprocess.Popen[bytes], timeout: float = 240) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        assert proc.poll() is None, "newsfacts serve exited"
        try:
            if HTTP.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("newsfacts serve did not come up")


def wait_ready(client: Any, url: str = "", timeout: float = 120) -> None:
    """Wait until a service that starts its own model (in the background) says it is ready: a request
    sent before then is refused with ``model_not_ready``, however slow the machine is. ``client`` is an
    in-process app's test client, or ``HTTP`` with the ``url`` of a real service."""
    end = time.monotonic() + timeout
    while client.get(url + "/readyz").status_code != 200:
        assert time.monotonic() < end, "the app's model did not become ready"
        time.sleep(0.05)


def requests_per_article(stub, n: int) -> list[int]:
    counts = [0] * n
    for body in stub.bodies:
        if not isinstance(body, dict):  # a request cut off by the kill: no model call was made
            continue
        user = body["messages"][-1]["content"]
        for i in range(n):
            if f"Update number {i} follows." in user:
                counts[i] += 1
    return counts
