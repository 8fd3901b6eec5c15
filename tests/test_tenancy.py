"""Tenants: a batch belongs to the key that created it (SQLite store and Redis queue alike), the
result cache never tells one key what another key sent, and a key's waiting batch articles are
capped. Real SQLite, a real redis-server, the loopback stub model."""

# ruff: noqa: F811  (fixtures are imported by name; tests take them as arguments)
from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.guard import key_digest
from tests.helpers import make_runtime, make_settings
from tests.stub import ARTICLE, slow, stub  # noqa: F401

KEY_A, KEY_B = "nf-newsroom-a", "nf-newsroom-b"
A = {"authorization": f"Bearer {KEY_A}"}
B = {"authorization": f"Bearer {KEY_B}"}


def keyed(stub, tmp_path: Path, **overrides):
    return make_settings(stub, api_key_hashes=[key_digest(KEY_A), key_digest(KEY_B)],
                         batch_db_path=tmp_path / "batches.sqlite", **overrides)  # fmt: skip


def wait_done(client: TestClient, batch_id: str, headers: dict, timeout: float = 60) -> dict:
    end = time.monotonic() + timeout
    while (status := client.get(f"/v1/batches/{batch_id}", headers=headers).json())["status"] != "done":
        assert time.monotonic() < end, status
        time.sleep(0.05)
    return status


def assert_not_found(response) -> None:
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "not_found"
    assert "Northwater" not in response.text


def test_key_b_gets_404_for_key_a_batch_in_the_sqlite_store(stub, tmp_path):
    settings = keyed(stub, tmp_path)
    with TestClient(create_app(settings, runtime=make_runtime(settings))) as client:
        r = client.post("/v1/batches", json={"articles": [{"text": ARTICLE}]}, headers=A)
        assert r.status_code == 202, r.text
        batch_id = r.json()["id"]
        done = wait_done(client, batch_id, A)
        assert done["items"][0]["result"]["denials"], done
        assert_not_found(client.get(f"/v1/batches/{batch_id}", headers=B))
        assert_not_found(client.get(f"/v1/batches/{batch_id}?items=false", headers=B))
        assert client.get(f"/v1/batches/{batch_id}").status_code == 401
    # The owner is stored as the key's digest, never the key.
    raw = (tmp_path / "batches.sqlite").read_bytes()
    assert KEY_A.encode() not in raw and key_digest(KEY_A).encode() in raw


def test_key_b_gets_404_for_key_a_batch_in_the_redis_queue(stub, redis_url, tmp_path):
    settings = keyed(stub, tmp_path, batch_queue=redis_url)
    with TestClient(create_app(settings, runtime=make_runtime(settings))) as client:
        r = client.post("/v1/batches", json={"articles": [{"text": ARTICLE}]}, headers=A)
        assert r.status_code == 202, r.text
        batch_id = r.json()["id"]
        assert client.get(f"/v1/batches/{batch_id}", headers=A).json()["total"] == 1
        assert_not_found(client.get(f"/v1/batches/{batch_id}", headers=B))


def test_the_per_key_quota_holds_in_the_redis_queue(stub, redis_url, tmp_path):
    settings = keyed(stub, tmp_path, batch_queue=redis_url, batch_max_pending_per_key=3)
    with TestClient(create_app(settings, runtime=make_runtime(settings))) as client:
        two = {"articles": [{"text": ARTICLE}, {"text": ARTICLE + " More."}]}
        assert client.post("/v1/batches", json=two, headers=A).status_code == 202  # no worker: they wait
        r = client.post("/v1/batches", json=two, headers=A)
        assert r.status_code == 429 and r.json()["code"] == "batch_quota_exceeded", r.text
        assert client.post("/v1/batches", json=two, headers=B).status_code == 202
        one = client.post("/v1/batches", json={"articles": [{"text": ARTICLE}]}, headers=A)
        assert one.status_code == 202, one.text  # the refused batch took nothing of A's quota


def test_cached_never_reveals_another_key_article(stub, tmp_path):
    settings = keyed(stub, tmp_path, cache_enabled=True, cache_path=tmp_path / "results.sqlite")
    runtime = make_runtime(settings)
    with TestClient(create_app(settings, runtime=runtime)) as client:
        first = client.post("/v1/summaries", json={"text": ARTICLE}, headers=A)
        again = client.post("/v1/summaries", json={"text": ARTICLE}, headers=A)
        other = client.post("/v1/summaries", json={"text": ARTICLE}, headers=B)
    assert [r.status_code for r in (first, again, other)] == [200, 200, 200]
    assert first.json()["usage"]["cached"] is False and again.json()["usage"]["cached"] is True
    assert other.json()["usage"]["cached"] is False  # B is not told that A sent this article
    assert stub.count == 10  # A's first and B's first each asked the model; A's second did not


def test_a_key_pending_batch_articles_are_capped(stub, tmp_path):
    stub.script([], default=slow(2))  # nothing finishes while the test runs
    settings = keyed(stub, tmp_path, batch_max_pending_per_key=3, max_in_flight=1)
    with TestClient(create_app(settings, runtime=make_runtime(settings))) as client:
        two = {"articles": [{"text": ARTICLE}, {"text": ARTICLE + " More."}]}
        assert client.post("/v1/batches", json=two, headers=A).status_code == 202
        r = client.post("/v1/batches", json=two, headers=A)
        assert r.status_code == 429, r.text
        assert r.json()["code"] == "batch_quota_exceeded" and int(r.headers["retry-after"]) >= 1
        assert "NEWSFACTS_BATCH_MAX_PENDING_PER_KEY" in r.json()["message"]
        # The quota is per key: B still has its own.
        assert client.post("/v1/batches", json=two, headers=B).status_code == 202


def test_the_redis_quota_is_checked_and_reserved_in_one_step_under_concurrent_batches(redis_url):
    """Batches of one key sent at once: a batch that can never fit must not crowd out, even for a
    moment, the ones that do; the places taken are exactly the quota's."""
    import asyncio

    from arq import create_pool

    from newsfacts.errors import QuotaExceededError
    from newsfacts.queue import BatchKeys, _redis_settings, _unfinished_key
    from schemas.contract import SummaryRequest

    one, five = [SummaryRequest(text=ARTICLE)], [SummaryRequest(text=ARTICLE)] * 5

    async def rounds() -> None:
        pool = await create_pool(_redis_settings(redis_url))
        keys = BatchKeys(pool)
        try:
            for round_ in range(10):
                owner = f"digest-{round_}"
                batches = [
                    five,
                    one,
                    five,
                    five,
                    one,
                    five,
                    one,
                    five,
                    five,
                    one,
                    five,
                ]  # quota 4: the ones fit
                outcomes = await asyncio.gather(*(keys.create(b, owner=owner, quota=4) for b in batches),
                                                return_exceptions=True)  # fmt: skip
                for batch, outcome in zip(batches, outcomes, strict=True):
                    if batch is one:
                        assert isinstance(outcome, str), f"round {round_}: a batch that fits: {outcome!r}"
                    else:
                        assert isinstance(outcome, QuotaExceededError), outcome
                assert int(await pool.get(_unfinished_key(owner))) == 4
                with pytest.raises(QuotaExceededError):
                    await keys.create(one, owner=owner, quota=4)
        finally:
            await pool.aclose()

    asyncio.run(rounds())
