"""Where a desk's journal file lives: the user's data directory, one file per database.

The name is a digest of the database's URL (without the password): a desk that works against
two databases (a test server, the real one) keeps two journals, and an entry is never replayed
against a database it was not written for.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def journal_path(data_dir: Path, database: str) -> Path:
    digest = hashlib.sha256(database.encode("utf-8")).hexdigest()[:16]
    return data_dir / "journal" / f"{digest}.sqlite3"
