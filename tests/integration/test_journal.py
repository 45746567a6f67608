"""The journal on both engines: applied in order, once, waiting through an outage."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dto import CallFacts, WrapUp, WrapUpSaved
from agentdesk.crm.models import Call
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import create_db_engine, session_factory, unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.enums import CallDirection
from agentdesk.journal import journal as journal_module
from agentdesk.journal.appliers import APPLIERS
from agentdesk.journal.journal import ATTEMPTS_BEFORE_REFUSED, Journal
from agentdesk.journal.kinds import WRAPUP, wrapup_payload
from agentdesk.journal.models import AppliedEntry
from agentdesk.journal.store import JournalStore
from agentdesk.org.models import User
from tests.support.logins import give_logins, login_engine

T0 = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
# Nothing listens on port 1: a connection is refused at once, like a stopped server.
DEAD_URL = "postgresql+psycopg://nobody@127.0.0.1:1/agentdesk"


class Switch:
    """The shared database's sessions, or a server that refuses connections when down."""

    def __init__(self, live: sessionmaker[Session]) -> None:
        self.live = live
        self.dead_engine = create_db_engine(DEAD_URL)
        self.dead = session_factory(self.dead_engine)
        self.down = False

    def __call__(self) -> Session:
        return (self.dead if self.down else self.live)()


@pytest.fixture
def switch(sessions: sessionmaker[Session]) -> Iterator[Switch]:
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        s.add(User(username="ada", display_name="Ada Agent"))
    sw = Switch(sessions)
    yield sw
    sw.dead_engine.dispose()


def open_journal(path: Path, switch: Switch) -> Journal:
    # Each reading of the clock is a minute later: no backoff is ever still running.
    minutes = itertools.count(step=60.0)
    return Journal(
        JournalStore(path / "journal.db"), switch, APPLIERS, monotonic=lambda: next(minutes)
    )


def wrapup(
    number: int, code: str = "sale", record_id: uuid.UUID | None = None, agent: str = "ada"
) -> WrapUp:
    facts = CallFacts(
        direction=CallDirection.INBOUND,
        started_at=T0 + timedelta(minutes=number),
        answered_at=T0 + timedelta(minutes=number, seconds=5),
        ended_at=T0 + timedelta(minutes=number, seconds=65),
        remote_e164=f"+4420794600{number:02d}",
        agent=agent,
        sip_call_id=f"call-{number}",
    )
    return WrapUp(
        disposition_code=code,
        facts=facts,
        notes=f"call {number}",
        actor=agent,
        record_id=record_id or uuid.uuid4(),
    )


def append(journal: Journal, w: WrapUp, actor: str = "ada") -> uuid.UUID:
    return journal.append(WRAPUP, wrapup_payload(w), record_id=w.record_id, actor=actor).id


def count(sessions: sessionmaker[Session], model: type[Call] | type[AuditEntry]) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_a_wrapup_is_applied_once_with_the_desks_call_id(
    switch: Switch, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    journal = open_journal(tmp_path, switch)
    w = wrapup(1)
    entry_id = append(journal, w)
    report = journal.drain()
    saved = report.results[entry_id]
    assert isinstance(saved, WrapUpSaved)
    assert saved.call.id == w.record_id and saved.call.disposition_code == "sale"
    assert journal.status().pending == 0
    # a second drain (and a second journal on the same file) finds nothing to do
    assert journal.drain().applied == 0
    assert open_journal(tmp_path, switch).drain().applied == 0
    assert count(sessions, Call) == 1


def test_a_crash_after_the_commit_does_not_apply_twice(
    switch: Switch, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    journal = open_journal(tmp_path, switch)
    append(journal, wrapup(1))

    class Crash(BaseException):
        pass

    def die(entry_id: uuid.UUID, now: datetime) -> None:
        raise Crash

    journal.store.mark_applied = die  # type: ignore[method-assign]
    with pytest.raises(Crash):
        journal.drain()
    assert count(sessions, Call) == 1  # on the shared side, not yet marked in the file
    journal.store.close()

    reopened = open_journal(tmp_path, switch)
    assert reopened.status().pending == 1
    report = reopened.drain()
    assert report.applied == 1 and reopened.status().pending == 0
    assert count(sessions, Call) == 1 and count(sessions, AuditEntry) == 1


def test_an_outage_keeps_the_entries_and_a_refused_one_does_not_block(
    switch: Switch, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    journal = open_journal(tmp_path, switch)
    switch.down = True
    first, refused, last = wrapup(1), wrapup(2, code="no-such-code"), wrapup(3)
    for w in (first, refused, last):
        append(journal, w)
    report = journal.drain()
    assert report.unreachable and report.applied == 0
    status = journal.status()
    assert status.pending == 3 and status.unreachable
    assert status.last_error is not None and status.oldest is not None

    switch.down = False
    report = journal.drain()
    assert (report.applied, report.refused, report.unreachable) == (2, 1, False)
    status = journal.status()
    assert (status.pending, status.refused) == (0, 1)
    kept = [e for e in journal.store.entries() if e.refused]
    assert [e.record_id for e in kept] == [refused.record_id]
    assert kept[0].last_error and "no-such-code" in kept[0].last_error
    with sessions() as s:
        ids = set(s.scalars(select(Call.id)))
        applied = s.scalar(select(func.count()).select_from(AppliedEntry))
    assert ids == {first.record_id, last.record_id} and applied == 2


def test_inside_the_backoff_nothing_is_tried(switch: Switch, tmp_path: Path) -> None:
    clock = [0.0]
    journal = Journal(
        JournalStore(tmp_path / "journal.db"), switch, APPLIERS, monotonic=lambda: clock[0]
    )
    switch.down = True
    append(journal, wrapup(1))
    journal.drain()
    switch.down = False
    assert not journal.due()
    assert journal.drain().applied == 0  # still waiting out the backoff
    assert journal.drain(force=True).applied == 1  # the admin's replay does not wait


def test_a_desk_login_appends_and_reads_only_its_own_applied_entries(pg_engine: Engine) -> None:
    pg_sessions = session_factory(pg_engine)
    with unit_of_work(pg_sessions) as s:
        ada = User(username="jr.ada", display_name="Ada")
        bob = User(username="jr.bob", display_name="Bob")
        s.add_all([ada, bob])
        s.flush()
        ids = {"ada": ada.id, "bob": bob.id}
    give_logins(pg_sessions, ["jr.ada", "jr.bob"])
    with unit_of_work(pg_sessions) as s:
        s.add(AppliedEntry(entry_id=uuid.uuid4(), kind=WRAPUP, user_id=ids["bob"]))
    as_ada = login_engine(pg_engine.url.render_as_string(hide_password=False), "jr.ada")
    try:
        mine = uuid.uuid4()
        with as_ada.begin() as conn:
            conn.execute(
                insert(AppliedEntry).values(entry_id=mine, kind=WRAPUP, user_id=ids["ada"])
            )
        with as_ada.connect() as conn:
            assert set(conn.scalars(select(AppliedEntry.entry_id))) == {mine}
        for statement in (
            insert(AppliedEntry).values(entry_id=uuid.uuid4(), kind=WRAPUP, user_id=ids["bob"]),
            update(AppliedEntry).values(kind="x"),
            delete(AppliedEntry),
        ):
            with pytest.raises(ProgrammingError), as_ada.begin() as conn:
                conn.execute(statement)
    finally:
        as_ada.dispose()


def test_waiting_through_an_outage_does_not_use_up_an_entrys_attempts(
    switch: Switch, tmp_path: Path
) -> None:
    """An entry that waited through a long outage must come out of it with all its attempts:
    else the first ordinary error after it (a deadlock) would set it aside for good."""
    journal = open_journal(tmp_path, switch)
    switch.down = True
    append(journal, wrapup(1))
    for _ in range(ATTEMPTS_BEFORE_REFUSED + 2):
        assert journal.drain().unreachable
    (entry,) = journal.store.entries()
    assert entry.attempts == 0 and not entry.refused and entry.last_error
    switch.down = False
    assert journal.drain().applied == 1


def test_a_replay_by_another_login_applies_nothing_twice(
    pg_engine: Engine, pg_database_url: str, tmp_path: Path
) -> None:
    """ada's desk applied an entry, then crashed before marking it. The file is replayed by
    bob's login (the policies hide ada's applied rows from him): nothing is applied twice."""
    owner = session_factory(pg_engine)
    with unit_of_work(owner) as s:
        ensure_default_dispositions(s)
        s.add_all(
            [
                User(username="rp.ada", display_name="Ada"),
                User(username="rp.bob", display_name="Bob"),
            ]
        )
    give_logins(owner, ["rp.ada", "rp.bob"])
    engines = {name: login_engine(pg_database_url, name) for name in ("rp.ada", "rp.bob")}
    try:
        path = tmp_path / "journal.db"
        as_ada = session_factory(engines["rp.ada"])
        ada = Journal(JournalStore(path), as_ada, APPLIERS)
        applied = append(ada, wrapup(1, agent="rp.ada"), actor="rp.ada")

        class Crash(BaseException):
            pass

        def die(entry_id: uuid.UUID, now: datetime) -> None:
            raise Crash

        ada.store.mark_applied = die  # type: ignore[method-assign]
        with pytest.raises(Crash):
            ada.drain()
        ada.store.close()

        bob = Journal(JournalStore(path), session_factory(engines["rp.bob"]), APPLIERS)
        report = bob.drain()
        assert (report.applied, report.refused) == (1, 0) and report.results[applied] is None
        assert count(owner, Call) == 1
        with owner() as s:
            audited = s.scalars(select(AuditEntry.entity_kind)).all()
        assert audited.count("call") == 1
        bob.store.close()

    finally:
        for engine in engines.values():
            engine.dispose()


def test_outcomes_nobody_takes_are_not_kept_for_ever(
    switch: Switch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries kept through an outage are applied by a later drain that nobody waits on: their
    results do not pile up for the rest of the session (only the newest are kept)."""
    monkeypatch.setattr(journal_module, "OUTCOMES_KEPT", 3)
    journal = open_journal(tmp_path, switch)
    ids = [append(journal, wrapup(n)) for n in range(1, 6)]
    assert journal.drain().applied == 5
    kept = [journal.take_outcome(entry_id) is not None for entry_id in ids]
    assert kept == [False, False, True, True, True]
