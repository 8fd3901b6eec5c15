"""A persistent result cache: a repeated article answers without a model call.

Keyed by the request (its text and metadata, hashed) × model × prompt version × schema
version, so a new prompt or model never serves an old answer. SQLite in WAL mode.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from schemas.contract import SCHEMA_VERSION, ArticleSummary, SummaryRequest

_SCHEMA = """
CREATE TABLE IF NOT EXISTS summaries (
    request_sha256 TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    summary_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (request_sha256, model, prompt_version, schema_version)
)
"""


def request_key(request: SummaryRequest) -> str:
    canonical = json.dumps(request.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", errors="surrogatepass")).hexdigest()


class ResultCache:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def get(self, request: SummaryRequest, *, model: str, prompt_version: str) -> ArticleSummary | None:
        with self._lock:
            row = self._db.execute(
                "SELECT summary_json FROM summaries WHERE request_sha256 = ? AND model = ? "
                "AND prompt_version = ? AND schema_version = ?",
                (request_key(request), model, prompt_version, SCHEMA_VERSION),
            ).fetchone()
        if row is None:
            return None
        try:
            return ArticleSummary.model_validate_json(row[0])
        except ValueError:
            return None

    def put(self, request: SummaryRequest, summary: ArticleSummary, *, version: str | None = None) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?, ?, ?)",
                (
                    request_key(request),
                    summary.model,
                    version or summary.prompt_version,
                    summary.schema_version,
                    summary.model_dump_json(),
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ),
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM summaries").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
