"""Batch jobs on the queue engine: a real Redis (Debian's redis-server, started here on loopback),
arq, several real ``newsfacts worker`` processes and the stub model server.

- the articles of one batch are shared out between workers, each summarised exactly once, and a
  ``--burst`` worker stops once the queue is empty;
- ``kill -9`` of a worker mid-article loses no article, and none that finished runs again;
- articles written but never queued (the API died between the two) are queued at the next start;
- with Redis down, batch requests get a 503 in the one error shape.
"""

# ruff: noqa: F811  (fixtures are imported by name; tests take them as arguments)
from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from newsfacts.embedded import free_port
from newsfacts.settings import Settings
from schemas.contract import ArticleSummary, SummaryRequest
from tests.forked import Forked
from tests.helpers import articles, requests_per_article, stub_process_env
from tests.stub import slow, stub  # noqa: F401

# On one worker with tests/test_hostile_service.py: one fork server (tests/forked.py) starts their processes.
pytestmark = [pytest.mark.xdist_group("forked_1"), pytest.mark.processes]


def settings(stub, redis_url: str, **options) -> Settings:
    return Settings(
        _env_file=None, model="openai/stub-model", api_base=stub.url, api_key="sk-test", batch_queue=redis_url,
        sequential_calls=True, retry_wait_s=0.01, cache_enabled=False, **options,
    )  # fmt: skip


class Worker:
    """A ``newsfacts worker`` process (forked from the tests' fork server, tests/forked.py); its log
    (arq names every job it starts) goes to a file."""

    def __init__(self, stub, redis_url: str, log: Path, *, job_timeout_s: float = 5, lease_grace_s: float = 10,
                 burst: bool = False) -> None:  # fmt: skip
        env = stub_process_env(
            stub.url, NEWSFACTS_BATCH_QUEUE=redis_url,
            NEWSFACTS_BATCH_JOB_TIMEOUT_S=str(job_timeout_s), NEWSFACTS_BATCH_LEASE_GRACE_S=str(lease_grace_s),
            NEWSFACTS_SEQUENTIAL_CALLS="true", NEWSFACTS_LOG_LEVEL="info", NEWSFACTS_LOG_JSON="false",
        )  # fmt: skip
        self.log = log
        self.proc = Forked(["worker", *(["--burst"] if burst else [])], env, stderr=log)

    def jobs(self, batch_id: str) -> set[int]:
        """The batch's articles this worker started (arq logs ``→ {batch}:{index}:newsfacts…``)."""
        started = set()
        for line in self.log.read_text(errors="replace").splitlines():
            if "→" in line and f"{batch_id}:" in line:
                started.add(int(line.split(f"{batch_id}:")[1].split(":")[0]))
        return started

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(timeout=60)


def wait_until(client: TestClient, batch_id: str, done: int, timeout: float = 150) -> dict:
    end = time.monotonic() + timeout
    while (status := client.get(f"/v1/batches/{batch_id}").json())["done"] + status["failed"] < done:
        assert time.monotonic() < end, status
        time.sleep(0.1)
    return status


def test_workers_share_the_queue_and_summarise_each_article_once_even_one_never_queued(
    stub, redis_url, tmp_path
):
    """Two batches: one posted, one written but never queued (as if the API died between the two),
    which the API's start queues. Two workers share both; one of them in ``--burst`` mode, which
    stops once the queue is empty."""
    from arq import create_pool

    from newsfacts.queue import BatchKeys, _redis_settings

    stub.script([], default=slow(0.15))  # 0.75 s an article: each worker, up first or not, gets some
    n, texts = 8, articles(10)

    async def write_only() -> str:
        pool = await create_pool(_redis_settings(redis_url))
        try:
            return await BatchKeys(pool).create([SummaryRequest(text=t) for t in texts[n:]])
        finally:
            await pool.aclose()

    unqueued = asyncio.run(write_only())
    workers: list[Worker] = []
    try:
        with TestClient(create_app(settings(stub, redis_url))) as client:  # its start queues `unqueued`
            r = client.post("/v1/batches", json={"articles": [{"text": t} for t in texts[:n]]})
            assert r.status_code == 202, r.text
            batch_id = r.json()["id"]
            assert r.json()["total"] == n
            # Both batches are queued before the workers start, so the burst worker finds work.
            workers = [Worker(stub, redis_url, tmp_path / f"worker{i}.log", burst=i == 1) for i in range(2)]
            status = wait_until(client, batch_id, n)
            assert workers[1].proc.wait(timeout=120) == 0  # --burst: stopped once the queue was empty
            recovered = wait_until(client, unqueued, 2)
    finally:
        for w in workers:
            w.stop()
    assert status["status"] == "done" and status["done"] == n and status["failed"] == 0
    assert [item["index"] for item in status["items"]] == list(range(n))
    for item in status["items"]:
        ArticleSummary.model_validate(item["result"])
    assert recovered["status"] == "done" and recovered["done"] == 2, recovered
    assert requests_per_article(stub, len(texts)) == [5] * len(texts)  # each summarised once
    shares = [w.jobs(batch_id) for w in workers]
    assert all(shares), f"each worker should take articles: {shares}"
    assert shares[0] | shares[1] == set(range(n)) and not shares[0] & shares[1]
    assert workers[0].jobs(unqueued) | workers[1].jobs(unqueued) == {0, 1}


def test_kill_9_of_a_worker_loses_no_article_and_repeats_none_that_finished(stub, redis_url, tmp_path):
    stub.script([], default=slow(0.3))  # 1.5 s an article
    n = 6
    # Both start now: the survivor is up long before the killed worker's lease on its article runs out
    # (the job timeout plus its grace, 1 s here), as it would be in a deployment.
    doomed, survivor = (
        Worker(stub, redis_url, tmp_path / f"{name}.log", job_timeout_s=5, lease_grace_s=1)
        for name in ("doomed", "survivor")
    )
    try:
        with TestClient(create_app(settings(stub, redis_url))) as client:
            r = client.post("/v1/batches", json={"articles": [{"text": t} for t in articles(n)]})
            batch_id = r.json()["id"]
            end = time.monotonic() + 120
            while True:  # the doomed worker finished an article and started the next one
                items = client.get(f"/v1/batches/{batch_id}").json()["items"]
                mine = doomed.jobs(batch_id)
                if {"done", "running"} <= {items[i]["status"] for i in mine}:
                    break
                assert doomed.proc.poll() is None and time.monotonic() < end, items
                time.sleep(0.1)
            doomed.proc.send_signal(signal.SIGKILL)
            doomed.proc.wait(timeout=30)
            before = client.get(f"/v1/batches/{batch_id}").json()
            finished = {item["index"] for item in before["items"] if item["status"] == "done"}
            pending = {item["index"] for item in before["items"] if item["status"] == "pending"}
            interrupted = {i for i in doomed.jobs(batch_id) if before["items"][i]["status"] == "running"}
            assert interrupted and len(finished) < n
            calls_before = requests_per_article(stub, n)
            status = wait_until(client, batch_id, n, timeout=180)
    finally:
        survivor.stop()
    assert status["done"] == n and status["failed"] == 0
    calls_after = requests_per_article(stub, n)
    for i in range(n):
        if i in finished:
            assert calls_after[i] == calls_before[i], f"article {i} finished before the kill and ran again"
        elif i in interrupted or i in pending:
            assert calls_after[i] - calls_before[i] == 5, (
                f"article {i} should be summarised once after the kill"
            )
    assert interrupted <= survivor.jobs(batch_id)


def test_queue_down_is_a_503_in_the_error_shape(stub):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    # No connection retries (NEWSFACTS_BATCH_QUEUE_CONNECT_RETRIES), so each request's 503 comes at once.
    with TestClient(create_app(settings(stub, dead, batch_queue_connect_retries=0))) as client:
        r = client.post("/v1/batches", json={"articles": [{"text": "Some article text."}]})
        assert r.status_code == 503, r.text
        body = r.json()
        assert body["code"] == "queue_unavailable" and "127.0.0.1" in body["message"]
        assert client.get("/v1/batches/abc").json()["code"] == "queue_unavailable"
        assert client.get("/healthz").status_code == 200  # the API itself stays up
    assert stub.requests == []


def test_worker_without_a_queue_says_how_to_configure_one(monkeypatch, capsys):
    from cli.main import main
    from newsfacts.settings import get_settings

    monkeypatch.delenv("NEWSFACTS_BATCH_QUEUE", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["worker"]) == 2
    finally:
        get_settings.cache_clear()
    assert "NEWSFACTS_BATCH_QUEUE" in capsys.readouterr().err
