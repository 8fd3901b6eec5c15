"""A SQLite cache of pipeline outputs, so re-scoring needs no model call.

Keyed by (sha256 of the article text, model, prompt version, schema version); the value is
the ``ArticleSummary`` JSON.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from schemas.contract import SCHEMA_VERSION, ArticleSummary

DEFAULT_CACHE_PATH = Path(__file__).parent / "cache.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    text_sha256 TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    summary_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (text_sha256, model, prompt_version, schema_version)
)
"""


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


class ResultCache:
    def __init__(self, path: str | Path = DEFAULT_CACHE_PATH) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute(_SCHEMA)
        self._db.commit()

    def get(
        self, text: str, model: str, prompt_version: str, schema_version: str = SCHEMA_VERSION
    ) -> ArticleSummary | None:
        row = self._db.execute(
            "SELECT summary_json FROM results WHERE text_sha256 = ? AND model = ? "
            "AND prompt_version = ? AND schema_version = ?",
            (text_sha256(text), model, prompt_version, schema_version),
        ).fetchone()
        if row is None:
            return None
        try:
            return ArticleSummary.model_validate_json(row[0])
        except ValueError:
            return None  # written by an older contract: treat as a miss

    def put(
        self,
        text: str,
        summary: ArticleSummary,
        model: str,
        prompt_version: str,
        schema_version: str = SCHEMA_VERSION,
    ) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?)",
            (
                text_sha256(text),
                model,
                prompt_version,
                schema_version,
                summary.model_dump_json(),
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )
        self._db.commit()

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM results").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
