"""Where a desk's journal file lives: the user's data directory, one file per database.

The name is a digest of the database's URL (without the password): a desk that works against
two databases (a test server, the real one) keeps two journals, and an entry is never replayed
against a database it was not written for. When the address of the same database changes (the
server moved), the old file's waiting entries are not lost: :func:`kept_elsewhere` finds them,
the desk says so at start, and ``agentdesk journal replay --from FILE`` applies them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from agentdesk.journal.store import JournalStore


def journal_path(data_dir: Path, database: str) -> Path:
    digest = hashlib.sha256(database.encode("utf-8")).hexdigest()[:16]
    return data_dir / "journal" / f"{digest}.sqlite3"


@dataclass(frozen=True, slots=True)
class KeptElsewhere:
    """Another journal file on this computer with changes still waiting."""

    path: Path
    database: str | None
    pending: int


def kept_elsewhere(current: Path) -> list[KeptElsewhere]:
    """The journal files beside ``current`` with waiting entries (blocking: reads each)."""
    found = []
    for path in sorted(current.parent.glob("*.sqlite3")):
        if path == current:
            continue
        store = JournalStore(path)
        try:
            pending = store.counts().pending
            if pending:
                found.append(KeptElsewhere(path, store.database(), pending))
        finally:
            store.close()
    return found
