"""Storage faults degrade, never lose: real SQLite failures, produced in the real files.

A full disk is SQLite's own ``database or disk is full``: the database may grow no further
(``PRAGMA max_page_count``) and its free space is taken, as a full data directory leaves it.
An unwritable store is a path SQLite cannot open. The model is the loopback stub."""

# ruff: noqa: F811  (the `stub` fixture is imported by name)
from __future__ import annotations

import logging
import sqlite3
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from newsfacts.batches import BatchStore
from newsfacts.cache import ResultCache
from newsfacts.pipeline import Runtime
from newsfacts.storage import used_bytes
from schemas.batch import ItemError
from schemas.contract import ArticleSummary, SummaryRequest
from tests.helpers import make_runtime, make_settings
from tests.stub import ARTICLE, slow, stub  # noqa: F401


def fill(db: sqlite3.Connection, *inserts: str) -> None:
    """The database can grow no further and the free space left in its pages is taken (by rows with
    random keys, smaller and smaller, so that every page fills): every write that needs room then
    fails with SQLite's own 'database or disk is full', as on a full data directory."""
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
    for size in (4000, 1000, 200, 50, 10, 1):
        for insert in inserts:
            refused = 0
            while refused < 40:  # forty random places in a row without room
                try:
                    db.execute(insert, (uuid.uuid4().hex, "x" * size))
                    refused = 0
                except sqlite3.OperationalError as exc:
                    assert "full" in str(exc), exc
                    refused += 1


FILL_CACHE = "INSERT INTO summaries VALUES (?, 'filler', 'filler', 'filler', ?, '2000-01-01')"
FILL_ITEMS = "INSERT INTO items (batch_id, idx, request, status, updated_at) VALUES (?, 0, ?, 'done', '2000')"
FILL_BATCHES = "INSERT INTO batches (id, created_at, total, owner) VALUES (?, '2000-01-01', 0, ?)"


def cached(cache: ResultCache) -> int:
    return cache._db.execute("SELECT COUNT(*) FROM summaries WHERE model != 'filler'").fetchone()[0]


def make_room(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA max_page_count = 1073741823")


def wait_status(client: TestClient, batch_id: str, until, timeout: float = 30) -> dict:
    end = time.monotonic() + timeout
    while not until(status := client.get(f"/v1/batches/{batch_id}").json()):
        assert time.monotonic() < end, status
        time.sleep(0.05)
    return status


def test_a_full_data_directory_serves_summaries_refuses_batches_and_loses_no_article(stub, tmp_path, caplog):
    stub.script([], default=slow(0.2))
    settings = make_settings(stub, batch_db_path=tmp_path / "batches.sqlite", cache_enabled=True,
                             cache_path=tmp_path / "results.sqlite", batch_retry_s=0.2, batch_sweep_s=0.2)  # fmt: skip
    runtime = Runtime(settings, client=make_runtime(settings).client)
    caplog.set_level(logging.WARNING)
    with TestClient(create_app(settings, runtime=runtime)) as client:
        texts = [f"{ARTICLE}\nUpdate number {i} follows." for i in range(3)]
        r = client.post("/v1/batches", json={"articles": [{"text": t} for t in texts]})
        assert r.status_code == 202, r.text
        batch_id = r.json()["id"]
        store = client.app.state.batches.store
        fill(store._db, FILL_ITEMS, FILL_BATCHES)
        fill(runtime.cache._db, FILL_CACHE)

        # The disk is full: a summary still gets its answer (the cache write is given up) ...
        r = client.post("/v1/summaries", json={"text": ARTICLE})
        assert r.status_code == 200, r.text
        ArticleSummary.model_validate(r.json())
        assert cached(runtime.cache) == 0
        # ... a new batch is refused in the error shape ...
        r = client.post("/v1/batches", json={"articles": [{"text": ARTICLE}]})
        assert r.status_code == 503, r.text
        assert r.json()["code"] == "storage_unavailable" and "full" in r.json()["message"]
        # ... and the accepted articles, whose outcomes cannot be written, wait: none is lost.
        time.sleep(1.5)
        status = client.get(f"/v1/batches/{batch_id}").json()
        assert status["done"] == 0 and status["pending"] + status["running"] == 3, status
        assert any("could not be written" in m for m in caplog.messages)

        # Space returns: every accepted article finishes, without a restart.
        make_room(store._db)
        make_room(runtime.cache._db)
        status = wait_status(client, batch_id, lambda s: s["status"] == "done")
        assert status["done"] == 3 and status["failed"] == 0, status
        assert client.post("/v1/summaries", json={"text": ARTICLE + " Again."}).status_code == 200
        assert cached(runtime.cache) == 4  # the three batch articles and this one


@pytest.mark.parametrize("shape", ["a directory", "under a file"])
def test_an_unwritable_batch_store_leaves_summaries_up_and_batches_503(stub, tmp_path, shape):
    path = tmp_path / "batches.sqlite"
    if shape == "a directory":
        path.mkdir()  # SQLite: unable to open database file
    else:
        (tmp_path / "data").write_text("not a directory")
        path = tmp_path / "data" / "batches.sqlite"  # the data directory cannot be made
    settings = make_settings(stub, batch_db_path=path)
    with TestClient(create_app(settings, runtime=make_runtime(settings))) as client:
        assert client.get("/healthz").status_code == 200
        assert client.post("/v1/summaries", json={"text": ARTICLE}).status_code == 200
        for r in (
            client.post("/v1/batches", json={"articles": [{"text": ARTICLE}]}),
            client.get("/v1/batches/x"),
        ):
            assert r.status_code == 503, r.text
            assert set(r.json()) >= {"code", "message"} and r.json()["code"] == "storage_unavailable"


def test_the_sweeper_puts_back_an_article_left_running_without_a_restart(stub, tmp_path):
    path = tmp_path / "batches.sqlite"
    settings = make_settings(stub, batch_db_path=path, batch_sweep_s=0.2, batch_stale_s=1.0)
    with TestClient(create_app(settings, runtime=make_runtime(settings))) as client:
        # Another worker on this store claimed an article and died (its row is 'running', two minutes old).
        other = BatchStore(path)
        batch_id = other.create([SummaryRequest(text=ARTICLE)])
        old = (datetime.now(UTC) - timedelta(minutes=2)).isoformat()
        other._db.execute(
            "UPDATE items SET status = 'running', updated_at = ? WHERE batch_id = ?", (old, batch_id)
        )
        other.close()
        status = wait_status(client, batch_id, lambda s: s["status"] == "done", timeout=20)
    assert status["done"] == 1 and status["items"][0]["result"] is not None


def test_retention_prunes_finished_batches_and_old_answers_by_age_and_size(tmp_path):
    store = BatchStore(tmp_path / "b.sqlite")
    finished = store.create([SummaryRequest(text=ARTICLE)])
    store.claim()
    store.finish(finished, 0, error=ItemError(code="upstream_error", message="x"))
    waiting = store.create([SummaryRequest(text=ARTICLE)])
    store._db.execute(
        "UPDATE batches SET created_at = ?", ((datetime.now(UTC) - timedelta(days=9)).isoformat(),)
    )
    assert store.prune(max_age_s=7 * 86400, max_bytes=0) == 1
    assert store.status(finished) is None and store.status(waiting) is not None  # unfinished work is kept
    assert store.claim()[0] == waiting  # type: ignore[index]  # running from here on: unfinished
    for _ in range(30):
        batch = store.create([SummaryRequest(text=ARTICLE * 20)])
        assert store.claim()[0] == batch  # type: ignore[index]
        store.finish(batch, 0, error=ItemError(code="upstream_error", message="x"))
    assert store.prune(max_age_s=0, max_bytes=40_000) > 0
    assert used_bytes(store._db) <= 40_000 and store.status(waiting) is not None


def test_result_cache_retention_by_age_and_size(stub, tmp_path):
    settings = make_settings(stub)
    with TestClient(create_app(settings, runtime=make_runtime(settings))) as client:
        summary = ArticleSummary.model_validate(client.post("/v1/summaries", json={"text": ARTICLE}).json())
    cache = ResultCache(tmp_path / "c.sqlite", max_age_s=86400, max_bytes=0)
    cache.put(SummaryRequest(text="old"), summary)
    cache._db.execute("UPDATE summaries SET created_at = '2000-01-01T00:00:00+00:00'")
    cache.put(SummaryRequest(text="new"), summary)
    assert cache.prune() == 1 and len(cache) == 1
    cache.max_age_s, cache.max_bytes = 0, 30_000
    for i in range(60):
        cache.put(SummaryRequest(text=f"article {i}"), summary)
    cache.prune()
    assert 0 < len(cache) < 60 and used_bytes(cache._db) <= 30_000
    assert cache.get(SummaryRequest(text="article 59"), model=summary.model, version=summary.prompt_version)
