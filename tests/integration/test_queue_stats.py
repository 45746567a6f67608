"""Queue calls and rollups through the desks' journals, on both engines.

Each desk has its own journal file; the legs of one SIP Call-ID come from several desks in
any order, and the rollups must equal ``domain.contact_metrics.fold`` over the calls as they
happened, replay or not.
"""

from __future__ import annotations

import itertools
import tempfile
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dto import CallFacts, WrapUp
from agentdesk.crm.models import Call
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.contact_metrics import QueueCall as Figures
from agentdesk.domain.contact_metrics import QueueCounts, Thresholds, fold
from agentdesk.domain.enums import CallDirection
from agentdesk.journal.appliers import APPLIERS
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import (
    CALL_END,
    CALL_MISSED,
    CALL_OPEN,
    CALL_UPDATE,
    WRAPUP,
    call_update_payload,
    facts_payload,
    wrapup_payload,
)
from agentdesk.journal.models import AppliedEntry
from agentdesk.journal.store import JournalStore
from agentdesk.org.models import User
from agentdesk.supervision.models import (
    AgentInterval,
    QueueCall,
    QueueInterval,
    QueueLeg,
)
from agentdesk.supervision.queues import (
    QueueError,
    add_queue,
    list_queues,
    queue_name_for,
    remove_queue,
)

T0 = datetime.fromisoformat("2026-12-05T09:00:00+00:00")
AGENTS = ("ada", "bob", "cy")
SALES = "+861088880000"


@pytest.fixture
def desks(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        s.add_all(User(username=name, display_name=name.title()) for name in AGENTS)
    add_queue(sessions, "sales", ["010 8888 0000"], region="CN")
    return sessions


def _journal(path: Path, sessions: sessionmaker[Session]) -> Journal:
    minutes = itertools.count(step=60.0)
    return Journal(JournalStore(path), sessions, APPLIERS, monotonic=lambda: next(minutes))


@dataclass(frozen=True)
class Leg:
    """One desk's part of a call: offered at ``ring`` s, answered at ``answer`` s (or not),
    ended at ``end`` s; ``elsewhere``: cancelled because another desk answered."""

    agent: str
    ring: float
    end: float
    answer: float | None = None
    elsewhere: bool = False
    wrapup: float | None = None


def _append(journal: Journal, sip_call_id: str, leg: Leg, record_id: uuid.UUID) -> None:
    at = T0 + timedelta(seconds=leg.ring)
    facts = CallFacts(
        direction=CallDirection.INBOUND,
        started_at=at,
        remote_e164="+8613800000001",
        agent=leg.agent,
        sip_call_id=sip_call_id,
        queue_number=SALES,
    )
    journal.append(CALL_OPEN, facts_payload(facts), record_id=record_id, actor=leg.agent)
    answered = T0 + timedelta(seconds=leg.answer) if leg.answer is not None else None
    if answered is not None:
        payload = call_update_payload(answered_at=answered)
        journal.append(CALL_UPDATE, payload, record_id=record_id, actor=leg.agent)
    end = call_update_payload(
        answered_at=answered,
        ended_at=T0 + timedelta(seconds=leg.end),
        end_reason="ended",
        answered_elsewhere=leg.elsewhere,
    )
    journal.append(CALL_END if answered else CALL_MISSED, end, record_id=record_id)
    if leg.wrapup is not None:
        payload = call_update_payload(wrapup_seconds=leg.wrapup)
        journal.append(CALL_UPDATE, payload, record_id=record_id)


def _counts(r: QueueInterval) -> QueueCounts:
    return QueueCounts(
        offered=r.offered,
        answered=r.answered,
        abandoned=r.abandoned,
        short_abandoned=r.short_abandoned,
        answered_within=r.answered_within,
        abandoned_after=r.abandoned_after,
        answered_wait_s=r.answered_wait_s,
        longest_wait_s=r.longest_wait_s,
        handled=r.handled,
        handle_s=r.handle_s,
    )


def _intervals(sessions: sessionmaker[Session]) -> dict[datetime, QueueCounts]:
    with sessions() as s:
        rows = s.scalars(select(QueueInterval).where(QueueInterval.queue == "sales")).all()
        return {r.interval_start: _counts(r) for r in rows}


def _expected(calls: list[list[Leg]]) -> dict[datetime, QueueCounts]:
    """What the calls add, folded by the pure rules (the definition the rollups must meet)."""
    figures = []
    for legs in calls:
        answered = [leg for leg in legs if leg.answer is not None]
        start = T0 + timedelta(seconds=min(leg.ring for leg in legs))
        if answered:
            leg = answered[0]
            assert leg.answer is not None
            wrapup_end = None
            if leg.wrapup is not None:
                wrapup_end = T0 + timedelta(seconds=leg.end + leg.wrapup)
            figures.append(
                Figures(
                    offered_at=start,
                    ended_at=T0 + timedelta(seconds=leg.end),
                    answered_at=T0 + timedelta(seconds=leg.answer),
                    talk_seconds=leg.end - leg.answer,
                    wrapup_seconds=leg.wrapup or 0.0,
                    wrapup_ended_at=wrapup_end,
                )
            )
        else:
            end = T0 + timedelta(seconds=max(leg.end for leg in legs))
            figures.append(Figures(offered_at=start, ended_at=end))
    return {k: v for k, v in fold(figures, Thresholds()).items()}


def _same(got: dict[datetime, QueueCounts], want: dict[datetime, QueueCounts]) -> None:
    # An interval whose call moved out of it keeps its row, all zeros: the same as no row.
    got = {k: v for k, v in got.items() if v != QueueCounts()}
    assert set(got) == set(want)
    for start, counts in want.items():
        have = got[start]
        for name in ("offered", "answered", "abandoned", "short_abandoned", "answered_within",
                     "abandoned_after", "handled"):  # fmt: skip
            assert getattr(have, name) == getattr(counts, name), (start, name)
        for name in ("answered_wait_s", "longest_wait_s", "handle_s"):
            # times are stored to the microsecond: each call may differ by one
            assert getattr(have, name) == pytest.approx(getattr(counts, name), abs=1e-4)


def test_queues_are_configured_and_numbers_normalised(sessions: sessionmaker[Session]) -> None:
    add_queue(sessions, "sales", ["010 8888 0000"], region="CN")
    add_queue(sessions, "sales", ["+86 10 8888 0001"], region="CN")  # a number more
    add_queue(sessions, "support", ["8000"], region="CN")
    assert [q.to_json() for q in list_queues(sessions)] == [
        {"name": "sales", "numbers": ["+861088880000", "+861088880001"],
         "service_seconds": 20.0, "short_abandon_seconds": 5.0, "members": [], "teams": []},
        {"name": "support", "numbers": ["8000"], "service_seconds": 20.0,
         "short_abandon_seconds": 5.0, "members": [], "teams": []},
    ]  # fmt: skip
    assert queue_name_for(sessions, "+861088880001") == "sales"
    with pytest.raises(QueueError, match="already reaches the queue 'sales'"):
        add_queue(sessions, "support", ["+861088880000"], region="CN")
    with pytest.raises(QueueError, match="not a phone number"):
        add_queue(sessions, "x", ["call me"], region="CN")
    remove_queue(sessions, "sales", agent=None)
    assert queue_name_for(sessions, "+861088880001") is None
    with sessions() as s:
        logged = s.execute(
            select(AuditEntry.action, AuditEntry.details).where(AuditEntry.entity_kind == "queue")
        ).all()
    assert [(a, d["name"]) for a, d in logged] == [
        ("create", "sales"), ("update", "sales"), ("create", "support"), ("delete", "sales"),
    ]  # fmt: skip
    with pytest.raises(QueueError, match="no queue"):
        remove_queue(sessions, "sales", agent=None)


def test_a_forked_call_is_one_queue_call_whichever_desk_reports_first(
    desks: sessionmaker[Session], tmp_path: Path
) -> None:
    legs = [
        Leg("bob", ring=0.1, end=7.0, elsewhere=True),
        Leg("ada", ring=0.0, answer=7.0, end=67.0, wrapup=12.0),
        Leg("cy", ring=0.2, end=7.1, elsewhere=True),
    ]
    journals = {leg.agent: _journal(tmp_path / f"{leg.agent}.db", desks) for leg in legs}
    for leg in legs:  # bob's and cy's desks report before ada's
        _append(journals[leg.agent], "fork-1", leg, uuid.uuid4())
        journals[leg.agent].drain()
    with desks() as s:
        row = s.get(QueueCall, "fork-1")
        assert row is not None and row.answered_at == T0 + timedelta(seconds=7)
        assert s.scalars(select(Call.queue).distinct()).all() == ["sales"]
        elsewhere = s.scalars(select(Call.answered_elsewhere).order_by(Call.started_at)).all()
        assert elsewhere == [False, True, True]
    _same(_intervals(desks), _expected([legs]))
    counts = _intervals(desks)[T0]
    assert (counts.offered, counts.answered, counts.answered_within) == (1, 1, 1)
    with desks() as s:
        agent = s.scalars(select(AgentInterval)).one()
        assert (agent.handled_in, agent.talk_s, agent.wrapup_s) == (1, 60.0, 12.0)
        applied = len(s.scalars(select(AppliedEntry.entry_id)).all())
    for journal in journals.values():  # a replay applies nothing twice
        assert journal.drain(force=True).applied == 0
    with desks() as s:
        assert len(s.scalars(select(AppliedEntry.entry_id)).all()) == applied
    _same(_intervals(desks), _expected([legs]))


def test_abandons_short_abandons_and_refused_offers(
    desks: sessionmaker[Session], tmp_path: Path
) -> None:
    journal = _journal(tmp_path / "ada.db", desks)
    calls = [
        [Leg("ada", ring=0.0, end=3.0)],  # short abandon
        [Leg("ada", ring=10.0, end=40.0)],  # abandoned after T
        [Leg("ada", ring=50.0, end=50.0), Leg("bob", ring=50.0, end=58.0)],  # one desk refused
    ]
    for n, legs in enumerate(calls):
        for leg in legs:
            other = journal if leg.agent == "ada" else _journal(tmp_path / "bob.db", desks)
            _append(other, f"ab-{n}", leg, uuid.uuid4())
            other.drain()
    got = _intervals(desks)[T0]
    assert (got.offered, got.abandoned, got.short_abandoned, got.abandoned_after) == (3, 2, 1, 1)
    assert got.longest_wait_s == pytest.approx(30.0)
    assert got.abandon_pct() == 100.0


@given(
    st.lists(
        st.tuples(
            st.floats(0, 3000),  # first ring, seconds after T0 (crosses several intervals)
            st.integers(1, 3),  # desks rung
            st.one_of(st.none(), st.floats(0, 60)),  # answered after, or abandoned
            st.floats(0, 900),  # talk (or, abandoned, how long the caller waited)
            st.one_of(st.none(), st.floats(0, 600)),  # wrap-up
            st.randoms(),
        ),
        max_size=6,
    )
)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_rollups_equal_a_recomputation_from_the_calls(
    desks: sessionmaker[Session],
    spec: list[tuple],  # type: ignore[type-arg]
) -> None:
    with unit_of_work(desks) as s:
        for model in (QueueInterval, QueueCall, QueueLeg, AgentInterval, AppliedEntry):
            s.execute(delete(model))
        s.execute(delete(Call))
    calls: list[list[Leg]] = []
    for ring, fan, answer_after, length, wrapup, rnd in spec:
        if answer_after is None:
            # every desk's leg ends when the caller hangs up
            end = ring + (fan - 1) * 0.01 + length
            legs = [Leg(AGENTS[i], ring=ring + i * 0.01, end=end) for i in range(fan)]
        else:
            answer = ring + answer_after
            answer = max(answer, ring + (fan - 1) * 0.01)  # after every desk rang
            legs = [Leg(AGENTS[0], ring=ring, answer=answer, end=answer + length, wrapup=wrapup)]
            legs += [
                Leg(AGENTS[i], ring=ring + i * 0.01, end=answer, elsewhere=True)
                for i in range(1, fan)
            ]
        calls.append(legs)
        rnd.shuffle(legs)
    with tempfile.TemporaryDirectory() as folder:
        journals = {a: _journal(Path(folder) / f"{a}.db", desks) for a in AGENTS}
        for n, legs in enumerate(calls):
            for leg in legs:
                _append(journals[leg.agent], f"p-{n}", leg, uuid.uuid4())
                journals[leg.agent].drain()
        for journal in journals.values():
            journal.drain()  # a second drain: nothing is applied twice
            journal.store.close()
    _same(_intervals(desks), _expected(calls))


def test_desks_of_one_call_booking_at_once(engine: Engine, tmp_path: Path) -> None:
    """Three desks apply their legs of the same calls concurrently (threads, each its own
    connection): every call is booked once."""
    sessions = session_factory(engine)
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        s.add_all(User(username=name, display_name=name.title()) for name in AGENTS)
    add_queue(sessions, "sales", [SALES], region="CN")
    calls = [
        [Leg(a, ring=n * 30.0 + i * 0.01, end=n * 30.0 + 12.0) for i, a in enumerate(AGENTS)]
        for n in range(8)
    ]
    barrier = threading.Barrier(len(AGENTS))
    errors: list[BaseException] = []

    def desk(index: int) -> None:
        journal = _journal(tmp_path / f"{AGENTS[index]}.db", sessions)
        try:
            for n, legs in enumerate(calls):
                _append(journal, f"c-{n}", legs[index], uuid.uuid4())
            barrier.wait()
            for _ in range(50):  # a deadlock or a busy SQLite file is tried again
                journal.drain(force=True)
                if journal.status().pending == 0:
                    break
            assert (journal.status().pending, journal.status().refused) == (0, 0)
        except BaseException as exc:  # reported below: a thread cannot fail the test
            errors.append(exc)
        finally:
            journal.store.close()

    threads = [threading.Thread(target=desk, args=(i,)) for i in range(len(AGENTS))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    _same(_intervals(sessions), _expected(calls))


def test_the_wrapups_seconds_are_booked_for_its_agent_once(
    desks: sessionmaker[Session], tmp_path: Path
) -> None:
    journal = _journal(tmp_path / "ada.db", desks)
    record = uuid.uuid4()
    _append(journal, "w-1", Leg("ada", ring=0.0, answer=4.0, end=64.0), record)
    facts = CallFacts(
        direction=CallDirection.INBOUND, started_at=T0, agent="ada", sip_call_id="w-1",
        answered_at=T0 + timedelta(seconds=4), ended_at=T0 + timedelta(seconds=64),
        queue_number=SALES, wrapup_seconds=12.5,
    )  # fmt: skip
    done = WrapUp(disposition_code="sale", facts=facts, actor="ada", record_id=record)
    journal.append(WRAPUP, wrapup_payload(done), record_id=record, actor="ada")
    assert journal.drain().refused == 0
    assert journal.drain(force=True).applied == 0
    with desks() as s:
        assert s.get_one(Call, record).wrapup_seconds == 12.5
        agent = s.scalars(select(AgentInterval)).one()
        assert (agent.handled_in, agent.talk_s, agent.wrapup_s) == (1, 60.0, 12.5)
    counts = _intervals(desks)[T0]
    assert (counts.handled, counts.handle_s) == (1, pytest.approx(72.5))
