"""Shared fixtures: recorded model calls (pytest-recording / vcrpy), the recording server, and a
``redis-server`` of the test's own (``redis_url``) for the queue tests.

Cassette tests talk to ``RECORDED_API_BASE``. On replay (``--record-mode=none``, as CI runs)
nothing listens there: every answer comes from ``cassettes/``, matched on method, URL *and
body*, so a changed prompt or schema fails loudly. To record, run the documented command
(README, "Re-recording cassettes"): it starts the embedded llama.cpp server on that address.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
DEVSET = ROOT / "evals" / "devset"
SEED = ROOT / "evals" / "devset" / "rt-nagorno-karabakh.txt"
RECORDED_PORT = 8089
RECORDED_API_BASE = f"http://127.0.0.1:{RECORDED_PORT}/v1"
RECORDED_MODEL = "openai/qwen2.5-coder-1.5b"
# Replay needs no secret: the key is filtered from cassettes and a dummy stands in.
TEST_KEY = os.environ.get("NEWSFACTS_TEST_API_KEY", "sk-test-dummy")

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("DISABLE_AIOHTTP_TRANSPORT", "True")
# Tests never read or write the user's result cache; the cache has its own tests.
os.environ["NEWSFACTS_CACHE_ENABLED"] = "false"
# Batch jobs go to a throwaway database, never the user data dir (and each test gets its own below).
os.environ.setdefault(
    "NEWSFACTS_BATCH_DB_PATH", str(Path(tempfile.mkdtemp(prefix="newsfacts-test-")) / "batches.sqlite")
)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto`` (pyproject's addopts): one worker more than the machine has cores, or none where one
    process must hold the machine. Much of the tests' time is waiting (a process's start, a lease
    running out), which the extra worker fills. (Two more than the cores finished sooner still, but
    left the cores so busy that a /healthz probe of tests/test_hostile_service.py came near its 0.2 s.)

    Recording starts the embedded server on the fixed ``RECORDED_PORT`` and live tests run the
    embedded model, so both run in one process. Tests that must share a server or cannot run beside
    each other say so with ``@pytest.mark.xdist_group`` (``--dist loadgroup`` keeps a group on one
    worker)."""
    if _recording(config) or "live" in config.getoption("markexpr", "").replace("not live", ""):
        return 0
    # At most eight: each worker holds litellm (about 300 MiB) and pays its start (about 10 CPU-seconds).
    return int(os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS") or min((os.cpu_count() or 1) + 1, 8))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that start real processes go first: most of their time is waiting (a process's start, a
    lease running out), which the other tests then fill instead of waiting behind them at the end."""
    items.sort(key=lambda item: item.get_closest_marker("processes") is None)


RUNNER_NICENESS = 5


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """An xdist worker lowers its own CPU priority before its first test that starts no real process.
    The services those tests start (``newsfacts serve`` answering ``/healthz`` within 0.2 s while a
    hostile article is read, a queue worker's lease) then come before the suite's own CPU-bound
    tests on busy cores, as a service comes before other work on its own machine. The processes a
    worker starts before that (its fork server, its probes) keep the priority they started with."""
    if item.get_closest_marker("processes") or not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if (niceness := os.nice(0)) < RUNNER_NICENESS:
        with contextlib.suppress(OSError):
            os.nice(RUNNER_NICENESS - niceness)


@pytest.hookimpl(trylast=True, specname="pytest_collection_modifyitems")
def _check_groups(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that share a server are marked with one ``xdist_group``; if the grouping did not take (an
    xdist worker tags each such test's node id with its group), they would be spread over the workers
    and each would start its own server, or run beside a test they must not. Stop instead."""
    if not getattr(config.option, "loadgroup", False):
        return
    untagged = [i.nodeid for i in items if any(i.iter_markers("xdist_group")) and "@" not in i.nodeid]
    if untagged:
        raise pytest.UsageError(f"--dist loadgroup did not tag {untagged[0]} with its xdist_group: "
                                "this pytest and pytest-xdist do not work together")  # fmt: skip


@pytest.fixture(scope="module")
def vcr_config(request: pytest.FixtureRequest) -> dict:
    return {
        "filter_headers": ["authorization", "api-key", "x-api-key", "cookie", "set-cookie"],
        "match_on": ["method", "scheme", "host", "port", "path", "query", "body"],
        "decode_compressed_response": True,
        "allow_playback_repeats": True,
        # Re-recorded with --record-mode=new_episodes, a cassette keeps only the interactions its test
        # asked for: a changed prompt's new requests are recorded, its old ones leave. Only then: a
        # replayed test that is skipped after its cassette opened (no chromium) must not empty it.
        "drop_unused_requests": _recording(request.config),
        # The app under test, called in process: it always runs, never a recorded answer of it.
        "ignore_hosts": ["newsfacts", "newsfacts.test", "testserver"],
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


def _recording(config: pytest.Config) -> bool:
    return config.getoption("--record-mode", default="none") not in ("none", None)


@pytest.fixture(scope="session")
def recording_server(request: pytest.FixtureRequest):
    """While recording, the embedded llama.cpp server listens on RECORDED_API_BASE."""
    if not _recording(request.config):
        yield None
        return
    from newsfacts.embedded import MODELS, EmbeddedServer
    from newsfacts.settings import Settings

    threads = Settings(
        _env_file=None
    ).embedded_threads  # NEWSFACTS_EMBEDDED_THREADS, e.g. 1 on a busy machine
    server = EmbeddedServer(MODELS["qwen2.5-coder-1.5b"], port=RECORDED_PORT, parallel=1, threads=threads)
    asyncio.run(server.start())
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def recorded_settings():
    from newsfacts.settings import Settings

    return Settings(
        model=RECORDED_MODEL,
        api_base=RECORDED_API_BASE,
        api_key=TEST_KEY,
        sequential_calls=True,
        request_timeout_s=600,
        retry_wait_s=0.01,
    )


@pytest.fixture
def recorded_runtime(recording_server, recorded_settings):
    """A ready runtime whose model calls go to RECORDED_API_BASE (a cassette on replay)."""
    from newsfacts.pipeline import Runtime

    runtime = Runtime(recorded_settings)
    asyncio.run(runtime.start())
    return runtime


@pytest.fixture
def recorded_env(monkeypatch: pytest.MonkeyPatch, recording_server) -> None:
    """Environment that points the CLI at RECORDED_API_BASE."""
    from newsfacts.settings import get_settings

    monkeypatch.setenv("NEWSFACTS_MODEL", RECORDED_MODEL)
    monkeypatch.setenv("NEWSFACTS_API_BASE", RECORDED_API_BASE)
    monkeypatch.setenv("NEWSFACTS_API_KEY", TEST_KEY)
    monkeypatch.setenv("NEWSFACTS_SEQUENTIAL_CALLS", "true")
    monkeypatch.setenv("NEWSFACTS_REQUEST_TIMEOUT_S", "600")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


RECORD_COMMAND = "uv run --locked --extra embedded pytest -m recorded --record-mode=rewrite"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failed cassette test says which cassette it replays and how to record it again."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed or item.get_closest_marker("vcr") is None:
        return
    if _recording(item.config):
        return
    path = CASSETTES / f"{item.name}.yaml"
    if not path.exists():
        note = f"cassette {path.relative_to(ROOT)} is missing. Record it with: {RECORD_COMMAND}"
    else:
        note = (
            f"replayed from {path.relative_to(ROOT)}. If a request found no match there (requests match on "
            "method, URL and body), a prompt template, PROMPT_VERSION, a form in schemas/extraction.py or the "
            f"model changed since it was recorded: record it again with: {RECORD_COMMAND}"
        )
    if isinstance(report.longrepr, str):
        report.longrepr += "\n" + note
    elif report.longrepr is not None and hasattr(report.longrepr, "addsection"):
        report.longrepr.addsection("cassette", note)
    else:
        report.sections.append(("cassette", note))


@pytest.fixture(scope="session", autouse=True)
def _reading_workers() -> None:
    """The reading's worker processes, started and primed once per test process, as ``Runtime.start``
    does for the service: a test that builds a ready ``Runtime`` around a stub client would otherwise
    spend its first deadline starting them."""
    from newsfacts import workers
    from newsfacts.reader import prime_reader

    asyncio.run(workers.start(prime_reader))


@pytest.fixture(autouse=True)
def _own_batch_db(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A batch left pending by one test must not be picked up by the next test's worker."""
    monkeypatch.setenv("NEWSFACTS_BATCH_DB_PATH", str(tmp_path_factory.mktemp("batches") / "batches.sqlite"))


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A ``redis-server`` of the test's own on a free loopback port, keeping its data in an append-only
    file under the test's directory; yields its URL."""
    import redis

    from newsfacts.embedded import free_port
    from tests.browser import system_program

    exe = system_program("redis-server", "redis-server")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path), "--save", "",
         "--appendonly", "yes", "--appendfsync", "always"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        end = time.monotonic() + 20
        while True:
            assert proc.poll() is None, "redis-server exited"
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < end, "redis-server did not come up"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=20)
