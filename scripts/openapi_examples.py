"""Write api/examples.json: the example request and answer of every operation in /openapi.json.

Every answer is the service's own: the app runs in process on the seed article, its model calls
replayed from the cassette recorded on the embedded model (cassettes/test_seed_article.yaml), so
no example is written by hand. Run after a change to the contract or a new recording:

    uv run --locked python scripts/openapi_examples.py
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CASSETTES, RECORDED_API_BASE, RECORDED_MODEL, SEED, TEST_KEY  # noqa: E402

CASSETTE = "test_seed_article.yaml"
OUT = ROOT / "api" / "examples.json"
# The metrics families shown in the example (the whole page is long).
METRIC_FAMILIES = ("newsfacts_articles_total", "newsfacts_http_requests_total")


def settings() -> Any:
    from newsfacts.settings import Settings

    return Settings(
        _env_file=None, model=RECORDED_MODEL, api_base=RECORDED_API_BASE, api_key=TEST_KEY,
        sequential_calls=True, request_timeout_s=600, retry_wait_s=0.01, cache_enabled=False,
        batch_db_path=Path(tempfile.mkdtemp(prefix="newsfacts-examples-")) / "batches.sqlite",
    )  # fmt: skip


def replay() -> Any:
    """The seed's recorded model answers; a request that is not in the cassette fails."""
    import vcr

    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES), record_mode="none", decode_compressed_response=True,
        match_on=["method", "scheme", "host", "port", "path", "query", "body"],
    )  # fmt: skip
    return recorder.use_cassette(CASSETTE, allow_playback_repeats=True)


def answer(response: Any, status: int) -> Any:
    if response.status_code != status:
        raise SystemExit(f"{response.request.url.path}: {response.status_code} {response.text[:300]}")
    return response.json()


def metrics_sample(page: str) -> str:
    """The families of METRIC_FAMILIES from the metrics page, their help and type lines included."""

    def shown(line: str) -> bool:
        words = line.split()
        name = words[2] if line.startswith("#") and len(words) > 2 else line.split("{")[0].split(" ")[0]
        return name.removesuffix("_total") in {f.removesuffix("_total") for f in METRIC_FAMILIES}

    return "\n".join(line for line in page.splitlines() if shown(line)) + "\n"


def collect() -> dict[str, dict[str, Any]]:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from newsfacts.runtime import Runtime

    runtime = Runtime(settings())
    asyncio.run(runtime.start())
    request = {"text": SEED.read_text(encoding="utf-8")}
    with replay(), TestClient(create_app(runtime.settings, runtime=runtime)) as client:
        summary = answer(client.post("/v1/summaries", json=request), 200)
        created = answer(client.post("/v1/batches", json={"articles": [request]}), 202)
        deadline = time.monotonic() + 600
        while (batch := answer(client.get(f"/v1/batches/{created['id']}"), 200))["status"] != "done":
            if time.monotonic() > deadline:
                raise SystemExit("the batch did not finish")
            time.sleep(0.2)
        return {
            "createSummary": {"request": request, "response": summary},
            "createBatch": {"request": {"articles": [request]}, "response": created},
            "getBatch": {"response": batch},
            "getHealth": {"response": answer(client.get("/healthz"), 200)},
            "getReadiness": {"response": answer(client.get("/readyz"), 200)},
            "getMetrics": {"response": metrics_sample(client.get("/metrics").text)},
        }


def main() -> None:
    examples = collect()
    OUT.write_text(
        json.dumps(examples, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
