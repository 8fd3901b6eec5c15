"""The persistent result cache: a repeated article answers without a model call. The service keeps
one (NEWSFACTS_CACHE_PATH) and the evals another (``evals/cache.sqlite``, so re-scoring needs no
model call); both are this class.

Keyed by the tenant (the digest of the caller's API key, ``""`` with keys off) × the request (its
text and metadata, hashed) × model (``ModelClient.identity``: the model string and its server) ×
version (``newsfacts.reading.cache_version``: the prompt version, the reading code's version,
whether the reading rules ran, and a forced instructor mode) × schema
version, so a new prompt, reading code, mode or model never serves an old answer, and
``usage.cached`` never tells one key what another key sent. SQLite in WAL mode.

The cache is best-effort: a lookup or a write that fails (a full disk, a read-only file) is logged
and the article is summarised and answered as if there were no cache. Answers older than
``max_age_s`` are deleted, and the oldest ones while the data takes more than ``max_bytes``
(NEWSFACTS_CACHE_MAX_AGE_DAYS, NEWSFACTS_CACHE_MAX_MB).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

from newsfacts.settings import Settings
from newsfacts.storage import used_bytes
from schemas.contract import SCHEMA_VERSION, ArticleSummary, SummaryRequest

log = logging.getLogger("newsfacts.cache")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS summaries (
    request_sha256 TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    summary_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (request_sha256, model, prompt_version, schema_version)
);
CREATE INDEX IF NOT EXISTS summaries_created ON summaries(created_at);
"""
PRUNE_EVERY = 100  # writes between two retention passes


def request_key(request: SummaryRequest, tenant: str = "") -> str:
    canonical = json.dumps(request.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    scoped = f"{tenant}\n{canonical}" if tenant else canonical
    return hashlib.sha256(scoped.encode("utf-8", errors="surrogatepass")).hexdigest()


def default_path() -> Path:
    """The service's cache when NEWSFACTS_CACHE_PATH is not set: in the user cache directory."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("newsfacts")) / "results.sqlite"


def open_cache(
    settings: Settings, path: str | Path | None = None, *, by_age: bool = True
) -> ResultCache | None:
    """The cache at ``path`` (default: NEWSFACTS_CACHE_PATH, else ``default_path()``) with the configured
    retention (``by_age=False``: the size cap only); None, and a warning, when it cannot be opened: the
    caller runs without it."""
    path = path or settings.cache_path or default_path()
    try:
        return ResultCache(
            path,
            max_age_s=settings.cache_max_age_days * 86400 if by_age else 0.0,
            max_bytes=int(settings.cache_max_mb * 1_000_000),
        )
    except (sqlite3.Error, OSError) as exc:  # best-effort: the service runs without it
        log.warning("the result cache %s cannot be opened; answers are not cached: %s", path, exc)
        return None


class ResultCache:
    def __init__(self, path: str | Path, *, max_age_s: float = 0.0, max_bytes: int = 0) -> None:
        self.path = Path(path)
        self.max_age_s = max_age_s
        self.max_bytes = max_bytes
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._writes = 0
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self.prune()

    def get(
        self, request: SummaryRequest, *, model: str, version: str, tenant: str = ""
    ) -> ArticleSummary | None:
        """The answer kept for ``request`` from ``model`` at ``version``; None when there is none (or it
        cannot be read: a warning is logged)."""
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT summary_json FROM summaries WHERE request_sha256 = ? AND model = ? "
                    "AND prompt_version = ? AND schema_version = ?",
                    (request_key(request, tenant), model, version, SCHEMA_VERSION),
                ).fetchone()
        except sqlite3.Error as exc:
            log.warning("the result cache could not be read; the article is summarised: %s", exc)
            return None
        if row is None:
            return None
        try:
            return ArticleSummary.model_validate_json(row[0])
        except ValueError:
            return None  # written by an older contract: a miss

    def put(self, request: SummaryRequest, summary: ArticleSummary, *, model: str | None = None,
            version: str | None = None, tenant: str = "") -> bool:  # fmt: skip
        """Keep the answer, under ``model`` (default: the model that answered, ``summary.model``) and
        ``version`` (default: ``summary.prompt_version``); False (and a warning) when it could not be
        written."""
        try:
            with self._lock:
                self._db.execute(
                    "INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        request_key(request, tenant),
                        model or summary.model,
                        version or summary.prompt_version,
                        summary.schema_version,
                        summary.model_dump_json(),
                        datetime.now(UTC).isoformat(timespec="seconds"),
                    ),
                )
                self._writes += 1
            if self._writes % PRUNE_EVERY == 0:
                self.prune()
        except (sqlite3.Error, ValueError) as exc:
            log.warning("the result cache could not be written; the answer goes out uncached: %s", exc)
            return False
        return True

    def prune(self) -> int:
        """Delete answers older than ``max_age_s``, then the oldest while over ``max_bytes``."""
        deleted = 0
        with self._lock:
            if self.max_age_s > 0:
                cutoff = (datetime.now(UTC) - timedelta(seconds=self.max_age_s)).isoformat(timespec="seconds")
                deleted += self._db.execute("DELETE FROM summaries WHERE created_at < ?", (cutoff,)).rowcount
            while self.max_bytes > 0 and used_bytes(self._db) > self.max_bytes:
                gone = self._db.execute(
                    "DELETE FROM summaries WHERE rowid IN (SELECT rowid FROM summaries ORDER BY created_at LIMIT 10)"
                ).rowcount
                if not gone:
                    break
                deleted += gone
        return deleted

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM summaries").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
