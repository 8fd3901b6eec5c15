"""What the two SQLite stores (batches, result cache) share: their size, for retention."""

from __future__ import annotations

import sqlite3


def used_bytes(db: sqlite3.Connection) -> int:
    """Bytes of the database's pages that hold data (free pages are reused before the file grows)."""
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    free = db.execute("PRAGMA freelist_count").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    return int((pages - free) * size)
