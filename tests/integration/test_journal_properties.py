"""Property: any interleaving of appends, outages, crashes and replays applies each entry once.

A state machine drives one desk's journal against the real shared database (both engines):
entries for a few records are appended while the server is up or refusing connections, the
desk "crashes" (the journal object is dropped and the file reopened), sometimes between the
commit on the shared side and the mark in the file, and drains run at any point. At the end
the server is up and a last replay runs: every entry is applied exactly once, each record's
entries in the order they were appended, and an entry the database refuses is set aside with
its error without holding up the rest.
"""

from __future__ import annotations

import contextlib
import itertools
import tempfile
import uuid
from datetime import datetime
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.audit import AuditEntry
from agentdesk.db.errors import RequestError
from agentdesk.domain.enums import AuditAction
from agentdesk.journal.journal import Journal
from agentdesk.journal.models import AppliedEntry
from agentdesk.journal.store import Entry, JournalStore
from tests.integration.test_journal import Switch

KIND = "test.note"


class Crash(BaseException):
    """The process dies: nothing after this point of the drain runs."""


class Refused(RequestError):
    pass


def apply_note(session: Session, entry: Entry) -> None:
    if entry.payload["refuse"]:
        raise Refused("refused for good")
    # An entry that arrives before an earlier one of its record breaks the order.
    earlier = session.scalars(
        select(AuditEntry.details).where(AuditEntry.entity_id == entry.record_id)
    ).all()
    n = entry.payload["n"]
    session.add(
        AuditEntry(
            action=AuditAction.UPDATE,
            entity_kind="journal-test",
            entity_id=entry.record_id,
            details={"entry": str(entry.id), "n": n, "late": any(d["n"] > n for d in earlier if d)},
        )
    )


class JournalMachine(RuleBasedStateMachine):
    sessions: sessionmaker[Session]

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="journal-prop-"))
        self.switch = Switch(self.sessions)
        self.records = [uuid.uuid4() for _ in range(3)]
        self.appended: list[tuple[uuid.UUID, uuid.UUID, bool]] = []  # entry, record, refused
        self.counter = itertools.count()
        self.journal = self._open()

    def _open(self) -> Journal:
        minutes = itertools.count(step=60.0)
        return Journal(
            JournalStore(self.dir / "journal.db"),
            self.switch,
            {KIND: apply_note},
            monotonic=lambda: next(minutes),
        )

    @rule(record=st.integers(0, 2), refuse=st.sampled_from([False, False, False, True]))
    def append(self, record: int, refuse: bool) -> None:
        n = next(self.counter)
        entry = self.journal.append(
            KIND, {"n": n, "refuse": refuse}, record_id=self.records[record]
        )
        self.appended.append((entry.id, self.records[record], refuse))

    @rule(down=st.booleans())
    def server(self, down: bool) -> None:
        self.switch.down = down

    @rule()
    def drain(self) -> None:
        self.journal.drain()

    @rule()
    def crash(self) -> None:
        self.journal.store.close()
        self.journal = self._open()

    @rule()
    def crash_between_commit_and_mark(self) -> None:
        def die(entry_id: uuid.UUID, now: datetime) -> None:
            raise Crash

        self.journal.store.mark_applied = die  # type: ignore[method-assign]
        with contextlib.suppress(Crash):
            self.journal.drain()
        self.crash()

    @invariant()
    def nothing_applied_twice(self) -> None:
        assert all(count <= 1 for count in self._applied().values())

    def _applied(self) -> dict[str, int]:
        ids = [str(e) for e, _, _ in self.appended]
        counts = dict.fromkeys(ids, 0)
        with self.sessions() as s:
            for details in s.scalars(
                select(AuditEntry.details).where(AuditEntry.entity_id.in_(self.records))
            ):
                assert details is not None
                counts[details["entry"]] += 1
                assert not details["late"], "an entry was applied before an earlier one"
        return counts

    def teardown(self) -> None:
        self.switch.down = False
        self.journal.drain(force=True)
        counts = self._applied()
        for entry_id, _record, refuse in self.appended:
            assert counts[str(entry_id)] == (0 if refuse else 1)
        status = self.journal.status()
        assert status.pending == 0
        assert status.refused == sum(refuse for _, _, refuse in self.appended)
        with self.sessions() as s:
            marked = set(
                s.scalars(
                    select(AppliedEntry.entry_id).where(AppliedEntry.record_id.in_(self.records))
                )
            )
        assert marked == {e for e, _, refuse in self.appended if not refuse}
        self.journal.store.close()
        self.switch.dead_engine.dispose()


def test_every_entry_is_applied_exactly_once_in_order(sessions: sessionmaker[Session]) -> None:
    JournalMachine.sessions = sessions
    run_state_machine_as_test(
        JournalMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
