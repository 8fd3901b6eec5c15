"""Batch webhooks: events written once in the finishing transaction, signed per key, delivered
once per event id from the outbox across a receiver that is down and a ``kill -9`` of the service,
and never sent to a non-public address unless allowed.

Real parts: SQLite batch stores, the loopback stub model, a receiver process of its own
(tests/webhook_receiver.py, which checks signatures with the README's snippet) and real
``newsfacts serve`` processes.
"""

# ruff: noqa: F811  (the `stub` fixture is imported by name; tests take it as an argument)
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from ipaddress import ip_network
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.guard import key_digest
from newsfacts.batches import BatchStore
from newsfacts.embedded import free_port
from newsfacts.errors import CallbackRefusedError
from newsfacts.settings import Settings
from newsfacts.webhooks import (
    Callback,
    WebhookSender,
    accept_callback,
    checked_address,
    refused_address,
    secret_for,
    signature,
)
from schemas.batch import ItemError, WebhookEvent
from schemas.contract import ArticleSummary, SummaryRequest
from tests.forked import Forked
from tests.helpers import (
    HTTP,
    articles,
    make_runtime,
    make_settings,
    requests_per_article,
    serve_process,
    wait_for,
)
from tests.stub import ARTICLE, slow, stub  # noqa: F401
from tests.webhook_receiver import readme_verify

ROOT = Path(__file__).resolve().parent.parent
RECEIVER = ROOT / "tests" / "webhook_receiver.py"
SERVER_SECRET = "test-server-secret-0123456789abcdef"
KEY = "nf-newsroom-webhooks"
BOTH = ["batch.finished", "article.finished"]


def test_the_readme_snippet_accepts_a_signature_and_refuses_a_changed_body_a_replay_and_another_key() -> None:
    verify = readme_verify()
    secret = secret_for(SERVER_SECRET, key_digest(KEY))
    other = secret_for(SERVER_SECRET, key_digest("nf-another-newsroom"))
    assert secret.startswith("whsec_") and secret != other
    assert secret == secret_for(
        SERVER_SECRET, "sha256:" + key_digest(KEY)
    )  # as `newsfacts hash-key` prints it
    body, now = b'{"id": "evt_1"}', int(time.time())
    assert verify(secret, body, signature(secret, body, now))
    assert not verify(secret, body + b" ", signature(secret, body, now))
    assert not verify(secret, body, signature(secret, body, now - 301))  # outside the replay window
    assert not verify(other, body, signature(secret, body, now))
    assert not verify(secret, body, "t=,v1=") and not verify(secret, body, "")
    mac = hashlib.sha256  # the documented construction, spelled out
    import hmac

    assert signature(secret, body, now) == f"t={now},v1=" + hmac.new(secret.encode(), f"{now}.".encode() + body,
                                                                     mac).hexdigest()  # fmt: skip


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "172.16.3.4", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::1",
                                     "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::"])  # fmt: skip
def test_non_public_addresses_are_refused_unless_their_network_is_allowed(address: str) -> None:
    assert refused_address(address, []) is not None
    allowed = [ip_network("127.0.0.0/8"), ip_network("10.0.0.0/8"), ip_network("172.16.0.0/12"),
               ip_network("192.168.0.0/16"), ip_network("169.254.0.0/16"), ip_network("100.64.0.0/10"),
               ip_network("0.0.0.0/32"), ip_network("224.0.0.0/4"), ip_network("::/0")]  # fmt: skip
    assert refused_address(address, allowed) is None


def test_public_addresses_pass_and_a_name_is_checked_by_every_address_it_resolves_to() -> None:
    assert refused_address("93.184.215.14", []) is None and refused_address("2606:4700::1111", []) is None
    assert asyncio.run(checked_address("https://93.184.215.14/hook", [])) == "93.184.215.14"
    with pytest.raises(CallbackRefusedError, match="not a public address"):
        asyncio.run(checked_address("http://localhost:8080/hook", []))  # a name for loopback
    with pytest.raises(CallbackRefusedError, match="http or https"):
        asyncio.run(checked_address("file:///etc/passwd", []))
    loopback = [ip_network("127.0.0.0/8"), ip_network("::1/128")]
    assert asyncio.run(checked_address("http://localhost:8080/hook", loopback)) in ("127.0.0.1", "::1")


def test_a_callback_is_refused_not_dropped_where_webhooks_are_not_sent() -> None:
    """Without a server secret, or with the Redis queue (which sends no webhooks yet)."""
    url, events = "https://93.184.215.14/hook", ["batch.finished"]
    queue = Settings(_env_file=None, batch_queue="redis://127.0.0.1:1/0", webhook_secret=SERVER_SECRET)
    with pytest.raises(CallbackRefusedError, match="NEWSFACTS_BATCH_QUEUE"):
        asyncio.run(accept_callback(url, events, queue))
    with pytest.raises(CallbackRefusedError, match="NEWSFACTS_WEBHOOK_SECRET"):
        asyncio.run(accept_callback(url, events, Settings(_env_file=None)))
    accepted = asyncio.run(
        accept_callback(url, [*events, *events], Settings(_env_file=None, webhook_secret=SERVER_SECRET))
    )
    assert accepted == Callback(url=url, events=("batch.finished",))
    assert asyncio.run(accept_callback(None, events, queue)) is None


def test_a_callback_on_loopback_or_a_private_address_is_a_422_unless_allowed(stub, tmp_path: Path) -> None:
    refused = make_settings(stub, batch_db_path=tmp_path / "a.sqlite", webhook_secret=SERVER_SECRET)
    with TestClient(create_app(refused, runtime=make_runtime(refused))) as client:
        for url in ("http://127.0.0.1:9/hook", "http://10.0.0.1/hook", "http://[::1]/hook",
                    "http://169.254.169.254/latest/meta-data/"):  # fmt: skip
            r = client.post("/v1/batches", json={"articles": [{"text": ARTICLE}], "callback_url": url})
            assert r.status_code == 422, r.text
            assert set(r.json()) == {"code", "message", "request_id", "details"}
            assert (
                r.json()["code"] == "callback_url_refused" and "not a public address" in r.json()["message"]
            )
        for body in ({"callback_url": "ftp://93.184.215.14/x"}, {"callback_events": ["batch.finished"]},
                     {"callback_url": "https://93.184.215.14/x", "callback_events": ["batch.started"]}):  # fmt: skip
            r = client.post("/v1/batches", json={"articles": [{"text": ARTICLE}], **body})
            assert r.status_code == 422 and r.json()["code"] == "invalid_request", r.text
    # Nothing of a refused batch was stored.
    db = sqlite3.connect(tmp_path / "a.sqlite")
    assert db.execute("SELECT COUNT(*) FROM batches").fetchone()[0] == 0
    db.close()

    unset = make_settings(stub, batch_db_path=tmp_path / "b.sqlite")  # no NEWSFACTS_WEBHOOK_SECRET
    with TestClient(create_app(unset, runtime=make_runtime(unset))) as client:
        r = client.post(
            "/v1/batches", json={"articles": [{"text": ARTICLE}], "callback_url": "https://93.184.215.14/"}
        )
        assert r.status_code == 422 and "NEWSFACTS_WEBHOOK_SECRET" in r.json()["message"]

    allowed = make_settings(stub, batch_db_path=tmp_path / "c.sqlite", webhook_secret=SERVER_SECRET,
                            webhook_allow_networks="127.0.0.0/8,10.0.0.0/8")  # fmt: skip
    with TestClient(create_app(allowed, runtime=make_runtime(allowed))) as client:
        for url in ("http://127.0.0.1:9/hook", "http://10.0.0.1/hook"):
            r = client.post("/v1/batches", json={"articles": [{"text": ARTICLE}], "callback_url": url})
            assert r.status_code == 202, r.text


def test_events_are_written_once_in_the_transaction_that_finishes_the_article(tmp_path: Path) -> None:
    store = BatchStore(tmp_path / "b.sqlite")
    batch = store.create([SummaryRequest(text=t) for t in articles(2)], owner="o",
                         callback=Callback(url="https://93.184.215.14/hook", events=tuple(BOTH)))  # fmt: skip
    quiet = store.create([SummaryRequest(text=ARTICLE)])  # no callback: no events
    assert store.claim()[1] == 0 and store.claim()[1] == 1  # type: ignore[index]
    assert (
        store.finish(batch, 0, error=ItemError(code="upstream_error", message="x")) == 1
    )  # article.finished
    assert store.finish(batch, 0, error=ItemError(code="late", message="a late writer")) == 0
    assert (
        store.finish(batch, 1, error=ItemError(code="upstream_error", message="y")) == 2
    )  # and batch.finished
    assert store.claim()[0] == quiet and store.finish(quiet, 0, error=ItemError(code="e", message="z")) == 0  # type: ignore[index]
    rows = store._db.execute(
        "SELECT event_id, type, idx, body, status FROM webhooks ORDER BY created_at"
    ).fetchall()
    assert [(r[1], r[2], r[4]) for r in rows] == [("article.finished", 0, "pending"), ("article.finished", 1, "pending"),
                                                  ("batch.finished", -1, "pending")]  # fmt: skip
    assert len({r[0] for r in rows}) == 3
    first, last = (WebhookEvent.model_validate_json(rows[i][3]) for i in (0, 2))
    assert first.item is not None and first.item.error == ItemError(code="upstream_error", message="x")
    assert first.batch.items is None and (first.batch.failed, first.batch.running) == (1, 1)
    assert last.batch.model_dump() == store.status(batch, owner="o").model_dump()  # type: ignore[union-attr]
    # A finished batch whose event is still to be delivered is not pruned; the one without a callback is.
    store._db.execute("UPDATE batches SET created_at = '2000-01-01T00:00:00+00:00'")
    assert store.prune(max_age_s=60, max_bytes=0) == 1 and store.status(batch, owner="o") is not None
    store._db.execute("UPDATE webhooks SET status = 'delivered'")
    assert store.prune(max_age_s=60, max_bytes=0) == 1
    assert store._db.execute("SELECT COUNT(*) FROM webhooks").fetchone()[0] == 0


def test_delivery_checks_the_address_again_and_gives_up_after_the_max_age(tmp_path: Path) -> None:
    """The address is checked at every attempt (here: loopback, not allowed, although the batch got
    in); a receiver that never answers is tried with backoff and given up, recorded as expired."""
    store = BatchStore(tmp_path / "b.sqlite")
    closed = f"http://127.0.0.1:{free_port()}/hook"
    for _ in range(2):
        batch = store.create(
            [SummaryRequest(text=ARTICLE)], callback=Callback(url=closed, events=("batch.finished",))
        )
        store.claim()
        store.finish(batch, 0, error=ItemError(code="upstream_error", message="x"))
    refused_id, closed_id = (r[0] for r in store._db.execute("SELECT id FROM batches ORDER BY rowid"))

    async def run(allow: list, batch_id: str) -> list[dict]:
        sender = WebhookSender(store, server_secret=SERVER_SECRET, allow=allow, timeout_s=1, retry_s=0.05,
                               retry_max_s=0.2, max_age_s=1.5)  # fmt: skip
        store._db.execute("UPDATE webhooks SET created_at = ?, next_at = ? WHERE batch_id = ?",
                          (time.time(), time.time(), batch_id))  # fmt: skip
        store._db.execute("UPDATE webhooks SET next_at = 1e12 WHERE batch_id != ?", (batch_id,))
        task = asyncio.create_task(sender.run())
        try:
            for _ in range(100):
                await asyncio.sleep(0.05)
                events = sender.outbox.events(batch_id)
                if events[0]["status"] != "pending":
                    return events
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        raise AssertionError(sender.outbox.events(batch_id))

    [refused] = asyncio.run(run([], refused_id))
    assert refused["status"] == "expired" and refused["attempts"] >= 3, refused
    assert "127.0.0.1 is not a public address" in refused["last_error"]
    [gone] = asyncio.run(run([ip_network("127.0.0.0/8")], closed_id))
    assert gone["status"] == "expired" and gone["attempts"] >= 3 and "ConnectError" in gone["last_error"], (
        gone
    )


def test_a_delivery_that_ends_while_the_sender_plans_its_wait_is_retried_on_time(tmp_path: Path) -> None:
    """The sender works out its next wait while deliveries run. A delivery that fails in that moment
    (its event still counted as being sent) must still be retried when due, not after the 30 s idle
    wait: here reading the outbox's next due time is slowed so that every delivery ends meanwhile."""
    store = BatchStore(tmp_path / "b.sqlite")
    batch = store.create([SummaryRequest(text=ARTICLE)],
                         callback=Callback(url=f"http://127.0.0.1:{free_port()}/hook", events=("batch.finished",)))  # fmt: skip
    store.claim()
    store.finish(batch, 0, error=ItemError(code="upstream_error", message="x"))

    async def run() -> list[dict]:
        sender = WebhookSender(store, server_secret=SERVER_SECRET, allow=[], timeout_s=1, retry_s=0.05,
                               retry_max_s=0.1, max_age_s=60)  # fmt: skip
        planned = sender.outbox.next_at

        def slow_plan(*, skip: set[str]) -> float | None:
            time.sleep(0.2)  # in the sender's worker thread: the refused delivery ends meanwhile
            return planned(skip=skip)

        sender.outbox.next_at = slow_plan  # type: ignore[method-assign]
        task = asyncio.create_task(sender.run())
        try:  # five attempts take about a second; stalled, the sender would wait 30 s
            end = time.monotonic() + 15
            while sender.outbox.events(batch)[0]["attempts"] < 5 and time.monotonic() < end:
                await asyncio.sleep(0.05)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        return sender.outbox.events(batch)

    [event] = asyncio.run(run())
    assert event["status"] == "pending" and event["attempts"] >= 5, event


# --- real processes ------------------------------------------------------------------------------


def serve(stub_url: str, db: Path, port: int) -> Forked:
    return serve_process(stub_url, db, port, extra={
        "NEWSFACTS_API_KEY_HASHES": key_digest(KEY), "NEWSFACTS_WEBHOOK_SECRET": SERVER_SECRET,
        "NEWSFACTS_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8", "NEWSFACTS_WEBHOOK_RETRY_S": "0.2",
        "NEWSFACTS_WEBHOOK_RETRY_MAX_S": "0.5",
    })  # fmt: skip


@contextlib.contextmanager
def receiver(port: int, log: Path, *, refuse: int = 0) -> Iterator[None]:
    secret = secret_for(SERVER_SECRET, key_digest(KEY))
    proc = subprocess.Popen(
        [sys.executable, str(RECEIVER), str(port), secret, str(log), str(refuse)], cwd=ROOT
    )
    try:
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def outbox(db: Path, batch_id: str) -> list[tuple]:
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute("SELECT type, idx, status, attempts FROM webhooks WHERE batch_id = ? ORDER BY idx",
                            (batch_id,)).fetchall()  # fmt: skip
    finally:
        conn.close()


def received(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


@pytest.mark.processes
@pytest.mark.xdist_group("forked_2")  # with tests/test_clients.py: one fork server (tests/forked.py)
def test_kill_9_mid_batch_loses_no_article_repeats_none_and_a_receiver_down_then_up_gets_each_event_once(
    stub, tmp_path: Path
) -> None:
    """A batch with a callback, a real ``newsfacts serve`` killed with SIGKILL mid-batch and started
    again: no article is lost, none that finished is summarised again, and the receiver, down
    until the batch is over, then gets each event once with a valid signature."""
    stub.script([], default=slow(0.15))
    n, db, log = 6, tmp_path / "batches.sqlite", tmp_path / "received.jsonl"
    port, hook_port = free_port(), free_port()
    url, auth = f"http://127.0.0.1:{port}", {"authorization": f"Bearer {KEY}"}
    body = {"articles": [{"text": t} for t in articles(n)], "callback_url": f"http://127.0.0.1:{hook_port}/hook",
            "callback_events": BOTH}  # fmt: skip

    # The receiver is down. The service is killed with SIGKILL mid-batch.
    proc = serve(stub.url, db, port)
    try:
        wait_for(url, proc)
        r = HTTP.post(url + "/v1/batches", json=body, headers=auth, timeout=30)
        assert r.status_code == 202, r.text
        batch_id = r.json()["id"]
        end = time.monotonic() + 90
        while (
            HTTP.get(f"{url}/v1/batches/{batch_id}?items=false", headers=auth, timeout=5).json()["done"] < 2
        ):
            assert time.monotonic() < end, "the batch made no progress"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    store = BatchStore(db)
    items = store.status(batch_id, owner=key_digest(KEY)).items
    store.close()
    finished = {item.index for item in items if item.status == "done"}
    assert 2 <= len(finished) < n, "kill -9 should land mid-batch"
    calls_before = requests_per_article(stub, n)
    before = outbox(db, batch_id)
    assert sorted(row[1] for row in before) == sorted(finished) and all(
        row[0] == "article.finished" and row[2] == "pending" for row in before
    )

    # Restarted, the service finishes the batch and tries the receiver, which is still down.
    proc = serve(stub.url, db, port)
    try:
        wait_for(url, proc)
        end = time.monotonic() + 90
        while (rows := outbox(db, batch_id)) and not (
            len(rows) == n + 1 and all(row[3] >= 1 for row in rows)
        ):
            assert time.monotonic() < end, rows
            time.sleep(0.1)
        assert all(row[2] == "pending" for row in rows), rows
        # The receiver comes up (and answers its first request with a 503): every event arrives once.
        with receiver(hook_port, log, refuse=1):
            end = time.monotonic() + 30
            while len(received(log)) < n + 1:
                assert time.monotonic() < end, received(log)
                time.sleep(0.1)
            time.sleep(1.0)  # time for a second delivery of anything, were there one
        status = HTTP.get(f"{url}/v1/batches/{batch_id}", headers=auth, timeout=5).json()
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    assert status["done"] == n and status["failed"] == 0
    for item in status["items"]:
        ArticleSummary.model_validate(item["result"])
    calls_after = requests_per_article(stub, n)
    for i in range(n):
        if i in finished:
            assert calls_after[i] == calls_before[i], f"article {i} finished before the kill and ran again"
        else:
            assert calls_after[i] >= 5, f"article {i} was never summarised"

    events = received(log)
    assert len(events) == n + 1 and len({e["id"] for e in events}) == n + 1, events
    assert all(e["valid"] for e in events), "a signature did not verify with the README's snippet"
    assert sorted(e["type"] for e in events) == ["article.finished"] * n + ["batch.finished"]
    assert sorted(e["body"]["item"]["index"] for e in events if e["type"] == "article.finished") == list(
        range(n)
    )
    [finished] = [e["body"] for e in events if e["type"] == "batch.finished"]
    assert finished["batch_id"] == batch_id and finished["batch"] == status and status["done"] == n
    assert all(e["id"] == e["body"]["id"] for e in events)
    assert all(row[2] == "delivered" for row in outbox(db, batch_id))


def tls_files(tmp: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a certificate it signs for ``localhost`` (openssl): (CA, cert, key)."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run = lambda *args: subprocess.run(["openssl", *args], cwd=tmp, check=True, capture_output=True)  # noqa: E731
    run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=newsfacts test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")  # fmt: skip
    run("req", *ec, "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=localhost")
    (tmp / "ext").write_text("subjectAltName=DNS:localhost\n")
    run("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "srv.pem",
        "-days", "1", "-extfile", "ext")  # fmt: skip
    return tmp / "ca.pem", tmp / "srv.pem", tmp / "srv.key"


def test_an_https_callback_connects_to_the_checked_address_with_the_url_name_for_tls(tmp_path: Path) -> None:
    """The sender connects to the address it checked, yet TLS is verified for the URL's name (SNI)
    and the Host header is the URL's: a pinned connection that is still a normal HTTPS request."""
    import socketserver
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    ca, cert, key = tls_files(tmp_path)
    seen: dict = {}
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)

    def sni(sock: ssl.SSLObject, name: str | None, ctx: ssl.SSLContext) -> None:
        seen["sni"] = name

    server_ctx.sni_callback = sni

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            seen.update(host=self.headers["host"], signature=self.headers["newsfacts-signature"], body=body)
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

    first = socket.getaddrinfo("localhost", 0, type=socket.SOCK_STREAM)[0]  # where the sender will connect
    family, address = first[0], first[4][0]
    server_class = type("Server", (ThreadingHTTPServer,), {"address_family": family})
    server: socketserver.TCPServer = server_class((address, 0), Handler)
    server.socket = server_ctx.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store = BatchStore(tmp_path / "b.sqlite")
        url = f"https://localhost:{port}/hook"
        batch = store.create([SummaryRequest(text=ARTICLE)], owner="o",
                             callback=Callback(url=url, events=("batch.finished",)))  # fmt: skip
        store.claim()
        store.finish(batch, 0, error=ItemError(code="upstream_error", message="x"))
        sender = WebhookSender(store, server_secret=SERVER_SECRET, allow=[ip_network("127.0.0.0/8"),
                               ip_network("::1/128")], verify=ssl.create_default_context(cafile=ca))  # fmt: skip

        async def attempt(sender: WebhookSender) -> str | None:
            async with sender.client() as client:
                [due] = sender.outbox.due(1, skip=set())
                return await sender._attempt(client, due)

        # A client that trusts only the system's CAs refuses this certificate: TLS is verified.
        untrusting = WebhookSender(store, server_secret=SERVER_SECRET, allow=sender.allow)
        assert "CERTIFICATE_VERIFY_FAILED" in (asyncio.run(attempt(untrusting)) or "")
        assert "sni" in seen and "body" not in seen
        assert asyncio.run(attempt(sender)) is None
    finally:
        server.shutdown()
        server.server_close()
    assert seen["sni"] == "localhost" and seen["host"] == f"localhost:{port}"
    assert readme_verify()(secret_for(SERVER_SECRET, "o"), seen["body"], seen["signature"])
    assert WebhookEvent.model_validate_json(seen["body"]).batch_id == batch
