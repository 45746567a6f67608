"""The journal's local file: one SQLite database per desk, append-only entries.

The file is written with ``journal_mode=WAL`` and ``synchronous=FULL``: an append that returned
survives a power cut, which is the promise the desk makes to the agent ("saved"). The standard
library's ``sqlite3`` is enough here; one connection shared by the DB worker threads, behind a
lock (appends are a few hundred microseconds, contention is not a concern).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    record_id TEXT,
    base_version INTEGER,
    actor TEXT,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    applied_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    refused INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_entries_waiting ON entries (seq) WHERE applied_at IS NULL;
CREATE INDEX IF NOT EXISTS ix_entries_record ON entries (record_id, kind);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)
"""

COLUMNS = (
    "seq, id, kind, record_id, base_version, actor, payload, created_at, applied_at, attempts, "
    "last_error, refused"
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One change for the shared database, as the desk made it.

    ``record_id`` is the record the change is about and ``base_version`` the version the desk
    based it on (``None``: a record the change creates): the offline mode will compare them.
    """

    seq: int
    id: uuid.UUID
    kind: str
    record_id: uuid.UUID | None
    base_version: int | None
    actor: str | None
    payload: dict[str, Any]
    created_at: datetime
    applied_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None
    refused: bool = False


@dataclass(frozen=True, slots=True)
class StoreCounts:
    pending: int
    refused: int
    oldest: datetime | None
    last_error: str | None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None


def _entry(row: tuple[Any, ...]) -> Entry:
    created = _time(row[7])
    assert created is not None
    return Entry(
        seq=row[0],
        id=uuid.UUID(row[1]),
        kind=row[2],
        record_id=uuid.UUID(row[3]) if row[3] else None,
        base_version=row[4],
        actor=row[5],
        payload=json.loads(row[6]),
        created_at=created,
        applied_at=_time(row[8]),
        attempts=row[9],
        last_error=row[10],
        refused=bool(row[11]),
    )


class JournalStore:
    """The entries of one desk's journal file."""

    def __init__(self, path: Path, database: str | None = None) -> None:
        """``database``: the (password-free) address of the shared database the file is for,
        written once; it names the file's destination if that address changes later."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        if database is not None:
            self._db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('database', ?)", (database,)
            )
        # The marks (applied, failed) need no fsync of their own: a mark lost in a power cut
        # only means the entry is tried again, and the shared side applies it once anyway.
        # WAL with synchronous=NORMAL keeps them consistent; the next append's fsync (or a
        # checkpoint) makes them durable.
        self._marks = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._marks.execute("PRAGMA synchronous=NORMAL")
        self._claim: sqlite3.Connection | None = None

    def claim(self) -> bool:
        """Whether this process is the only desk on the file (held until :meth:`close`).

        A desk that crashed left its calls open; a second desk running on the same file must
        not take the first one's live calls for those. The claim is an exclusive lock on a
        file beside the journal, which the operating system drops when the process dies.
        """
        with self._lock:
            if self._claim is not None:
                return True
            holder = sqlite3.connect(
                self.path.with_suffix(".lock"), timeout=0, isolation_level=None,
                check_same_thread=False,
            )  # fmt: skip
            try:
                holder.execute("PRAGMA locking_mode=EXCLUSIVE")
                holder.execute("BEGIN EXCLUSIVE")
            except sqlite3.OperationalError:  # "database is locked": another desk has it
                holder.close()
                return False
            self._claim = holder
            return True

    def close(self) -> None:
        with self._lock:
            if self._claim is not None:
                self._claim.close()
                self._claim = None
            self._marks.close()
            self._db.close()

    def append(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        record_id: uuid.UUID | None,
        base_version: int | None,
        actor: str | None,
        entry_id: uuid.UUID,
        now: datetime,
    ) -> Entry:
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO entries (id, kind, record_id, base_version, actor, payload, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    str(entry_id),
                    kind,
                    str(record_id) if record_id else None,
                    base_version,
                    actor,
                    text,
                    now.astimezone(UTC).isoformat(),
                ),
            )
            seq = cursor.lastrowid
        assert seq is not None
        return Entry(seq, entry_id, kind, record_id, base_version, actor, payload, now)

    def database(self) -> str | None:
        """The address of the shared database the file was written for (``None``: unknown)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'database'").fetchone()
        return row[0] if row else None

    def waiting(self, limit: int) -> list[Entry]:
        """Entries not applied and not refused, oldest first."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {COLUMNS} FROM entries WHERE applied_at IS NULL AND refused = 0 "
                "ORDER BY seq LIMIT ?",
                (limit,),
            ).fetchall()
        return [_entry(row) for row in rows]

    def entries(self) -> list[Entry]:
        """Every entry, in order (the CLI and the tests)."""
        with self._lock:
            rows = self._db.execute(f"SELECT {COLUMNS} FROM entries ORDER BY seq").fetchall()
        return [_entry(row) for row in rows]

    def open_records(
        self, opening: str, closing: Sequence[str], *, refused_closes: bool = True
    ) -> list[uuid.UUID]:
        """Records with an entry of kind ``opening`` and none of the ``closing`` kinds
        (``refused_closes=False``: a closing entry the database refused does not count)."""
        marks = ", ".join("?" for _ in closing)
        counted = "" if refused_closes else "AND c.refused = 0 "
        with self._lock:
            rows = self._db.execute(
                "SELECT o.record_id FROM entries o WHERE o.kind = ? AND o.record_id IS NOT NULL "
                "AND NOT EXISTS (SELECT 1 FROM entries c WHERE c.record_id = o.record_id "
                f"AND c.kind IN ({marks}) {counted}) ORDER BY o.seq",
                (opening, *closing),
            ).fetchall()
        return [uuid.UUID(row[0]) for row in rows]

    def of_record(self, record_id: uuid.UUID) -> list[Entry]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {COLUMNS} FROM entries WHERE record_id = ? ORDER BY seq",
                (str(record_id),),
            ).fetchall()
        return [_entry(row) for row in rows]

    def is_applied(self, entry_id: uuid.UUID) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT applied_at IS NOT NULL FROM entries WHERE id = ?", (str(entry_id),)
            ).fetchone()
        return bool(row and row[0])

    def mark_applied(self, entry_id: uuid.UUID, now: datetime) -> None:
        with self._lock:
            self._marks.execute(
                "UPDATE entries SET applied_at = ?, attempts = attempts + 1, last_error = NULL "
                "WHERE id = ?",
                (now.astimezone(UTC).isoformat(), str(entry_id)),
            )

    def mark_failed(
        self, entry_id: uuid.UUID, error: str, *, refused: bool, counted: bool = True
    ) -> None:
        """Keep ``error``; ``counted`` adds to the entry's attempts (not for an outage: an
        entry that waited through one must not come out of it nearly refused)."""
        with self._lock:
            self._marks.execute(
                "UPDATE entries SET attempts = attempts + ?, last_error = ?, refused = ? "
                "WHERE id = ?",
                (int(counted), error, int(refused), str(entry_id)),
            )

    def waiting_records(self) -> list[uuid.UUID]:
        """The records with an entry not applied yet (waiting or refused)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT record_id FROM entries "
                "WHERE applied_at IS NULL AND record_id IS NOT NULL"
            ).fetchall()
        return [uuid.UUID(row[0]) for row in rows]

    def prune(self, applied_before: datetime, keep: Sequence[uuid.UUID]) -> int:
        """Delete entries applied before ``applied_before``, except those of the records in
        ``keep``; returns how many. Waiting and refused entries always stay."""
        with self._lock:
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (record_id TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM kept")
            self._db.executemany("INSERT OR IGNORE INTO kept VALUES (?)", [(str(r),) for r in keep])
            cursor = self._db.execute(
                "DELETE FROM entries WHERE applied_at IS NOT NULL AND applied_at < ? "
                "AND (record_id IS NULL OR record_id NOT IN (SELECT record_id FROM kept))",
                (applied_before.astimezone(UTC).isoformat(),),
            )
            return cursor.rowcount

    def counts(self) -> StoreCounts:
        with self._lock:
            pending, oldest = self._db.execute(
                "SELECT count(*), min(created_at) FROM entries "
                "WHERE applied_at IS NULL AND refused = 0"
            ).fetchone()
            refused = self._db.execute("SELECT count(*) FROM entries WHERE refused = 1").fetchone()[
                0
            ]
            error = self._db.execute(
                "SELECT last_error FROM entries WHERE applied_at IS NULL "
                "AND last_error IS NOT NULL ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        return StoreCounts(pending, refused, _time(oldest), error[0] if error else None)
