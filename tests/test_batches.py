"""Batch jobs: durable in SQLite, validated like single articles, reported per article.

The crash test (a real ``newsfacts serve`` killed with SIGKILL mid-batch, which loses no article and
repeats none that finished) is in ``tests/test_webhooks.py``, where the same batch also carries a
callback whose events must each arrive once.
"""

# ruff: noqa: F811  (the `stub` fixture is imported by name; tests take it as an argument)
from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from newsfacts.batches import BatchStore
from newsfacts.settings import Settings
from schemas.batch import ItemError
from schemas.contract import ArticleSummary, SummaryRequest
from tests.helpers import articles
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
