"""Batch jobs: durable in SQLite, and a kill -9 mid-batch loses no article and repeats none that finished.

The crash test runs real ``newsfacts serve`` processes against the loopback stub model server.
"""

# ruff: noqa: F811  (the `stub` fixture is imported by name; tests take it as an argument)
from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from newsfacts.batches import BatchStore
from newsfacts.embedded import free_port
from newsfacts.settings import Settings
from schemas.batch import ItemError
from schemas.contract import ArticleSummary, SummaryRequest
from tests.helpers import HTTP, articles, requests_per_article, serve_process, wait_for
from tests.stub import slow, stub  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


def test_store_moves_each_article_once_and_recovers_the_interrupted(tmp_path: Path) -> None:
    store = BatchStore(tmp_path / "b.sqlite")
    batch = store.create([SummaryRequest(text=t) for t in articles(3)])
    first = store.claim()
    second = store.claim()
    assert first is not None and second is not None and (first[1], second[1]) == (0, 1)
    store.finish(batch, 0, error=ItemError(code="upstream_error", message="x"))
    # The process dies here: article 1 is 'running'. A new store on the same file puts it back.
    store.close()
    store = BatchStore(tmp_path / "b.sqlite")
    assert store.recover() == 1
    status = store.status(batch)
    assert status is not None
    assert (status.pending, status.running, status.failed, status.done) == (2, 0, 1, 0)
    assert [store.claim()[1], store.claim()[1], store.claim()] == [1, 2, None]  # type: ignore[index]
    # A finished article is never finished again, even if a late writer tries.
    store.finish(batch, 0, error=ItemError(code="other", message="late"))
    status = store.status(batch)
    assert status is not None and status.items is not None
    assert status.items[0].error == ItemError(code="upstream_error", message="x")
    assert store.status("nope") is None


def test_batch_api_accepts_validates_and_reports(stub, tmp_path: Path) -> None:
    settings = Settings(_env_file=None, model="openai/stub-model", api_base=stub.url, api_key="sk-test",
                        cache_enabled=False, batch_db_path=tmp_path / "b.sqlite", batch_max_articles=3)  # fmt: skip
    with TestClient(create_app(settings)) as client:
        r = client.post("/v1/batches", json={"articles": [{"text": t} for t in articles(2)]})
        assert r.status_code == 202, r.text
        batch = r.json()
        assert (batch["total"], batch["pending"] + batch["running"] + batch["done"]) == (2, 2)
        end = time.monotonic() + 60  # the app's model starts in the background first
        while (status := client.get(f"/v1/batches/{batch['id']}").json())["status"] != "done":
            assert time.monotonic() < end, status
            time.sleep(0.05)
        assert status["done"] == 2
        for item in status["items"]:
            ArticleSummary.model_validate(item["result"])
        assert client.get(f"/v1/batches/{batch['id']}?items=false").json()["items"] is None
        # Bad input: one error shape, naming the article.
        r = client.post("/v1/batches", json={"articles": [{"text": "ok text"}, {"text": "   "}]})
        assert (
            r.status_code == 422 and r.json()["code"] == "empty_text" and "article 1" in r.json()["message"]
        )
        r = client.post("/v1/batches", json={"articles": [{"text": t} for t in articles(4)]})
        assert r.status_code == 413 and r.json()["code"] == "text_too_large"
        assert client.post("/v1/batches", json={"articles": []}).status_code == 422
        r = client.get("/v1/batches/does-not-exist")
        assert r.status_code == 404 and set(r.json()) >= {"code", "message"}


@pytest.mark.processes
def test_kill_9_mid_batch_loses_no_article_and_repeats_none_that_finished(stub, tmp_path: Path) -> None:
    stub.script([], default=slow(0.15))
    n, db = 6, tmp_path / "batches.sqlite"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = serve_process(stub.url, db, port)
    try:
        wait_for(url, proc)
        r = HTTP.post(url + "/v1/batches", json={"articles": [{"text": t} for t in articles(n)]}, timeout=30)
        assert r.status_code == 202, r.text
        batch_id = r.json()["id"]
        end = time.monotonic() + 90
        while HTTP.get(f"{url}/v1/batches/{batch_id}?items=false", timeout=5).json()["done"] < 2:
            assert time.monotonic() < end, "the batch made no progress"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

    store = BatchStore(db)
    before = store.status(batch_id)
    store.close()
    assert before is not None and before.items is not None
    finished = {item.index for item in before.items if item.status == "done"}
    assert 2 <= len(finished) < n, "kill -9 should land mid-batch"
    calls_before = requests_per_article(stub, n)

    proc = serve_process(stub.url, db, port)
    try:
        wait_for(url, proc)
        end = time.monotonic() + 120
        while (status := HTTP.get(f"{url}/v1/batches/{batch_id}", timeout=5).json())["status"] != "done":
            assert time.monotonic() < end, status
            time.sleep(0.1)
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
