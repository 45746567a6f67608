"""The journal: append a change locally, then apply the waiting changes in order.

Every entry is applied by the applier of its kind (a table: :data:`Appliers`), in one
transaction on the shared database together with its row in ``journal_applied``; the local
file marks it applied afterwards. Three outcomes per try:

- applied (or found already applied: a crash came between the commit and the local mark);
- the database cannot be reached: the entry and everything after it wait, and the next try
  comes after a backoff (0.5 s doubling to 5 s, so a desk notices a returning server fast);
- refused: a :class:`~agentdesk.db.errors.RequestError` (or any other error, five times) will
  not change by retrying, so the entry is set aside with its error (kept in the file, shown by
  ``agentdesk journal status``) and the entries after it go on.

Blocking: call it on the DB worker, never on the loop.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agentdesk.db.errors import RequestError, StaleRecordError
from agentdesk.domain.clock import utcnow
from agentdesk.domain.ids import uuid7
from agentdesk.journal.models import AppliedEntry
from agentdesk.journal.store import Entry, JournalStore
from agentdesk.org.users import user_by_ref

Applier = Callable[[Session, Entry], object]
"""Applies one entry in the given transaction; returns what the waiting caller gets back."""
Appliers = Mapping[str, Applier]

BACKOFF_FIRST = 0.5
BACKOFF_MAX = 5.0
ATTEMPTS_BEFORE_REFUSED = 5
OUTCOMES_KEPT = 1000
"""Outcomes kept for callers that wait (a wrap-up being saved takes its own at once)."""
_AWAY = (sa_exc.InterfaceError, sa_exc.DisconnectionError, sa_exc.TimeoutError)
"""SQLAlchemy's own errors of a connection that went or could not be had (pool timeout)."""


class RetryLater(Exception):
    """An applier met a conflict a fresh transaction resolves (someone changed the record
    between its read and its write): tried again after the backoff, counted like any error."""


class JournalError(RequestError):
    """An entry the journal cannot apply at all (a kind without an applier)."""


class EntryRefused(RequestError):
    """The shared database refused a kept entry: it is set aside, with this error."""


@dataclass(frozen=True, slots=True)
class JournalStatus:
    pending: int
    refused: int
    oldest: datetime | None
    last_error: str | None
    unreachable: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "pending": self.pending,
            "refused": self.refused,
            "oldest": self.oldest.isoformat() if self.oldest else None,
            "last_error": self.last_error,
        }


@dataclass(slots=True)
class DrainReport:
    applied: int = 0
    refused: int = 0
    unreachable: bool = False
    results: dict[uuid.UUID, object] = field(default_factory=dict)
    errors: dict[uuid.UUID, str] = field(default_factory=dict)
    """Why each entry refused in this drain was refused."""


def error_text(error: BaseException) -> str:
    if isinstance(error, sa_exc.DBAPIError) and error.orig is not None:
        lines = str(error.orig).strip().splitlines()
        return lines[0] if lines else type(error.orig).__name__
    return str(error) or type(error).__name__


_SQLITE_PASSING = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL")
"""SQLite errors of a file that is held, gone or full for now, not of the statement."""
_LOST = ("57P01", "57P02", "57P03")
"""SQLSTATEs of a server going away (shutdown, crash, starting up); class 08 is the connection's."""


def unreachable(error: BaseException) -> bool:
    """Whether ``error`` says the shared database could not be reached (worth waiting for).

    PEP 249 drivers raise ``OperationalError`` for a lost or refused connection, but also for
    a deadlock, a serialization failure or a cancelled statement: those are errors of one
    transaction, not an outage (no banner, and an entry that keeps failing so is set aside).
    A PostgreSQL error names itself by SQLSTATE; a connection that failed before the server
    answered has none. SQLite's "busy" (another process held the file past the busy timeout)
    is waited out like an outage: it passes, and must not set a change aside.
    """
    if isinstance(error, _AWAY):
        return True
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return True
        error = error.orig if error.orig is not None else error
    if not _operational(error):
        return False
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate:
        return str(sqlstate).startswith("08") or sqlstate in _LOST
    sqlite = getattr(error, "sqlite_errorname", None)
    if sqlite is not None:  # SQLite's OperationalError also says "no such table"
        return str(sqlite).startswith(_SQLITE_PASSING)
    return True  # a driver's own connection failure: no code


def _operational(error: BaseException) -> bool:
    """A driver's ``OperationalError`` or one of its subclasses (psycopg names them by error)."""
    return any(cls.__name__ == "OperationalError" for cls in type(error).__mro__)


class Journal:
    """One desk's journal over its local file and the shared database's sessions."""

    def __init__(
        self,
        store: JournalStore,
        sessions: Callable[[], Session],
        appliers: Appliers,
        *,
        clock: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self._sessions = sessions
        self._appliers = appliers
        self._clock = clock
        self._monotonic = monotonic
        self._drain_lock = threading.Lock()
        self._failures = 0
        self._retry_at = 0.0
        self.unreachable = False
        # What a drain learnt about entries someone waits for (an applier's result, a
        # refusal), whichever drain applied them; taken once by the waiting caller. Nobody
        # waits for an entry kept through an outage and applied later: the oldest go.
        self._outcomes: OrderedDict[uuid.UUID, tuple[bool, object]] = OrderedDict()
        self._users: dict[str, uuid.UUID | None] = {}

    def append(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        record_id: uuid.UUID | None = None,
        base_version: int | None = None,
        actor: str | None = None,
    ) -> Entry:
        """Keep a change in the local file (durable when this returns); apply it later."""
        if kind not in self._appliers:
            raise JournalError(f"no applier for journal entries of kind {kind!r}")
        return self.store.append(
            kind,
            payload,
            record_id=record_id,
            base_version=base_version,
            actor=actor,
            entry_id=uuid7(),
            now=self._clock(),
        )

    def status(self) -> JournalStatus:
        counts = self.store.counts()
        return JournalStatus(
            counts.pending, counts.refused, counts.oldest, counts.last_error, self.unreachable
        )

    def take_outcome(self, entry_id: uuid.UUID) -> tuple[bool, object] | None:
        """``(True, result)`` once applied (a result other than None), ``(False, error)`` once
        refused, ``None`` while it waits (or when its applier returns nothing)."""
        return self._outcomes.pop(entry_id, None)

    def apply_now(self, entry: Entry) -> object | None:
        """Apply ``entry`` and what waits before it now (blocking: the DB worker).

        Returns its applier's result, or ``None`` while it waits in the file (the database is
        away: kept, which is saved as far as the desk's user is concerned). Raises
        :class:`EntryRefused` when the database refused it.
        """
        # Someone waits for this one: inside a backoff left by a transaction's error (not an
        # outage) the database is tried at once rather than after the backoff.
        self.drain(force=not self.unreachable)
        outcome = self.take_outcome(entry.id)
        if outcome is None:
            return None
        ok, value = outcome
        if not ok:
            raise EntryRefused(str(value))
        return value

    def due(self) -> bool:
        """Whether a drain would try the database now (not inside a backoff)."""
        return self._monotonic() >= self._retry_at

    def drain(self, *, force: bool = False, batch: int = 200) -> DrainReport:
        """Apply the waiting entries in order until none is left or the database is away.

        Inside a backoff nothing is tried (``force`` tries anyway: the admin's replay).
        """
        report = DrainReport()
        with self._drain_lock:
            if not force and not self.due():
                report.unreachable = True
                return report
            while True:
                waiting = self.store.waiting(batch)
                if not waiting:
                    break
                for entry in waiting:
                    if not self._try(entry, report):
                        return report
        return report

    def drain_for(self, seconds: float) -> JournalStatus:
        """Shutdown: keep draining for at most ``seconds``; what is left stays in the file."""
        deadline = self._monotonic() + seconds
        while self.store.counts().pending and self._monotonic() < deadline:
            report = self.drain(force=True)
            if report.unreachable:
                time.sleep(min(BACKOFF_FIRST, max(0.0, deadline - self._monotonic())))
        return self.status()

    def _try(self, entry: Entry, report: DrainReport) -> bool:
        """Apply ``entry``; False when the database is away (stop the drain)."""
        try:
            result = report.results[entry.id] = self._apply(entry)
        except (RequestError, StaleRecordError) as error:
            self.store.mark_failed(entry.id, error_text(error), refused=True)
            report.refused += 1
            report.errors[entry.id] = error_text(error)
            self._keep_outcome(entry.id, (False, error_text(error)))
            return True
        except Exception as error:
            away = unreachable(error)
            # Another error (a deadlock, a serialization failure) may pass; five in a row
            # will not, and must not hold up the entries behind it for good.
            refused = not away and entry.attempts + 1 >= ATTEMPTS_BEFORE_REFUSED
            self.store.mark_failed(entry.id, error_text(error), refused=refused, counted=not away)
            if refused:
                report.refused += 1
                report.errors[entry.id] = error_text(error)
                self._keep_outcome(entry.id, (False, error_text(error)))
                return True
            self._failures += 1
            delay = min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (self._failures - 1))
            self._retry_at = self._monotonic() + delay
            self.unreachable = away
            report.unreachable = away
            return False
        self._failures = 0
        self._retry_at = 0.0
        self.unreachable = False
        self.store.mark_applied(entry.id, self._clock())
        if result is not None:
            self._keep_outcome(entry.id, (True, result))
        report.applied += 1
        return True

    def _keep_outcome(self, entry_id: uuid.UUID, outcome: tuple[bool, object]) -> None:
        self._outcomes[entry_id] = outcome
        while len(self._outcomes) > OUTCOMES_KEPT:
            self._outcomes.popitem(last=False)

    def _user_id(self, session: Session, actor: str | None) -> uuid.UUID | None:
        """Who applies the entry: on PostgreSQL the login when it is a user's (its policies
        accept only that, so an administrator can replay an agent's journal), else the entry's
        actor. Read once per journal: its login and its entries' actors do not change."""
        key = actor or ""
        if key not in self._users:
            user_id = None
            if session.get_bind().dialect.name == "postgresql":
                user_id = session.scalar(select(func.agentdesk_uid()))
            if user_id is None and actor is not None:
                user = user_by_ref(session, actor)
                user_id = user.id if user is not None else None
            self._users[key] = user_id
        return self._users[key]

    def _apply(self, entry: Entry) -> object:
        applier = self._appliers.get(entry.kind)
        if applier is None:
            raise JournalError(f"no applier for journal entries of kind {entry.kind!r}")
        try:
            with self._sessions() as session, session.begin():
                # The id is claimed first: an entry applied before (a crash came before the
                # local mark) conflicts here, also when the row is another login's and its
                # policies hide it, and the transaction then changes nothing.
                session.add(
                    AppliedEntry(
                        entry_id=entry.id,
                        kind=entry.kind,
                        record_id=entry.record_id,
                        user_id=self._user_id(session, entry.actor),
                        applied_at=self._clock(),
                    )
                )
                try:
                    session.flush()
                except sa_exc.IntegrityError as conflict:
                    if not _applied_before(conflict):
                        raise
                    raise _AppliedBefore from conflict
                return applier(session, entry)
        except _AppliedBefore:
            return None


def _applied_before(conflict: sa_exc.IntegrityError) -> bool:
    """The conflict is the entry id's key in ``journal_applied`` (not, say, a foreign key)."""
    orig = conflict.orig
    if getattr(orig, "sqlstate", None) is not None:  # PostgreSQL: unique violation of the key
        diag = getattr(orig, "diag", None)
        name = getattr(diag, "constraint_name", None)
        return getattr(orig, "sqlstate", None) == "23505" and name == "pk_journal_applied"
    return "journal_applied.entry_id" in str(orig)  # SQLite names the column


class _AppliedBefore(Exception):
    """The entry's id is in ``journal_applied`` already."""
