"""Escalation that runs by itself: the desk's schedule escalates on a frozen clock, and
passes run at once by several desks escalate each case once and notify once (both
engines)."""

from __future__ import annotations

import random
import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, true
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.case_watch import EscalationSchedule
from agentdesk.crm.models import ServiceCase
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.cases import EscalationReason, Targets
from agentdesk.domain.enums import CasePriority, CaseStatus
from agentdesk.service import escalation
from agentdesk.service.case_work import set_status
from agentdesk.service.cases import CaseSpec, create_case
from agentdesk.service.escalation import Escalation, escalate_due_cases
from agentdesk.service.models import CaseNotification
from agentdesk.service.notices import mark_read, unread_escalations
from agentdesk.service.service_levels import remove_policy, set_policy
from tests.support.care_floor import NEARLY, OPENED, ZONE, care_floor


@pytest.fixture
def floor(sessions: sessionmaker[Session]) -> uuid.UUID:
    return care_floor(sessions)


def _urgent_cases(sessions: sessionmaker[Session], contact: uuid.UUID, count: int) -> list[str]:
    spec = CaseSpec("Line down", contact, priority=CasePriority.URGENT)
    return [
        create_case(sessions, spec, agent="care.ann", default_zone=ZONE, now=OPENED).number
        for _ in range(count)
    ]


def _counts(sessions: sessionmaker[Session]) -> tuple[int, int]:
    """Notices, and audit entries of escalations."""
    with sessions() as s:
        notices = s.scalar(select(func.count()).select_from(CaseNotification))
        audited = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity_kind == "case", AuditEntry.action == "assign")
        )
    return int(notices or 0), int(audited or 0)


def test_the_desks_schedule_escalates_on_a_frozen_clock(
    sessions: sessionmaker[Session], floor: uuid.UUID
) -> None:
    (number,) = _urgent_cases(sessions, floor, 1)
    agents_desk = EscalationSchedule(sessions, "care.ann", ZONE, clock=lambda: NEARLY)
    assert not agents_desk.may_run()  # escalating hands cases over: reassign only
    schedule = EscalationSchedule(sessions, "care.lead", ZONE, every=3600, clock=lambda: NEARLY)
    assert schedule.may_run()
    schedule.start()
    try:
        assert schedule.wait_for_passes(1, timeout=60)
    finally:
        schedule.stop()
    assert [(e.number, e.reason) for e in schedule.escalated] == [
        (number, EscalationReason.FIRST_RESPONSE_NEAR)
    ]
    with sessions() as s:
        case = s.scalar(select(ServiceCase).where(ServiceCase.number == number))
        assert case is not None and case.escalated_at is not None
    # the owner is told on the desk, with why; marked read, it is gone
    (notice,) = unread_escalations(sessions, "care.ann")
    assert (notice.number, notice.reason) == (number, EscalationReason.FIRST_RESPONSE_NEAR)
    assert mark_read(sessions, [notice.id], "care.boss") == 0  # not the lead's notice
    assert mark_read(sessions, [notice.id], "care.ann") == 1
    assert unread_escalations(sessions, "care.ann") == []
    assert len(unread_escalations(sessions, "care.boss")) == 1
    assert unread_escalations(sessions, "care.lead") == []


def test_passes_run_at_once_escalate_each_case_once(
    sessions: sessionmaker[Session], floor: uuid.UUID
) -> None:
    numbers = _urgent_cases(sessions, floor, 12)
    desks = ("care.lead", "care.boss", "care.lead", "care.boss")
    start = threading.Barrier(len(desks))
    results: list[list[Escalation]] = []
    errors: list[BaseException] = []

    def desk(agent: str) -> None:
        try:
            start.wait()
            results.append(escalate_due_cases(sessions, default_zone=ZONE, agent=agent,
                                              now=NEARLY))  # fmt: skip
        except BaseException as exc:  # raised in the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=desk, args=(a,)) for a in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    escalated = sorted(e.number for done in results for e in done)
    assert escalated == sorted(numbers)  # each once, whichever desk did it
    # each case notifies its owner (ann) and the lead (boss) once; one audit entry per case
    assert _counts(sessions) == (2 * len(numbers), len(numbers))


def test_a_pass_that_found_a_case_due_leaves_it_to_the_pass_that_escalated_it_meanwhile(
    sessions: sessionmaker[Session], floor: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    (number,) = _urgent_cases(sessions, floor, 1)
    settle = escalation._settle
    other: list[Escalation] = []

    def another_desk_first(*args: object, **kw: object) -> Escalation | None:
        if not other:  # between this pass's read and its change, another desk's whole pass
            monkeypatch.setattr(escalation, "_settle", settle)
            other.extend(escalate_due_cases(sessions, default_zone=ZONE, agent="care.boss",
                                            now=NEARLY))  # fmt: skip
        return settle(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(escalation, "_settle", another_desk_first)
    mine = escalate_due_cases(sessions, default_zone=ZONE, agent="care.lead", now=NEARLY)
    assert [e.number for e in other] == [number] and mine == []
    assert _counts(sessions) == (2, 1)
    with sessions() as s:
        case = s.scalar(select(ServiceCase).where(ServiceCase.number == number))
        assert case is not None and case.priority == CasePriority.URGENT


def _state(sessions: sessionmaker[Session]) -> list[tuple[object, ...]]:
    with sessions() as s:
        rows = s.execute(
            select(ServiceCase.number, ServiceCase.priority, ServiceCase.escalated_at,
                   ServiceCase.first_response_breached, ServiceCase.resolution_breached)
            .order_by(ServiceCase.number)
        )  # fmt: skip
        return [tuple(r) for r in rows]


@pytest.mark.parametrize("seed", [1, 2])
def test_reading_only_the_cases_a_pass_may_change_changes_the_same_cases(
    sessions: sessionmaker[Session],
    floor: uuid.UUID,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
) -> None:
    """The pass's filter (``_may_change``) against reading every open case: the same
    escalations and flags, over cases of every priority opened from minutes to days ago,
    some answered, some waiting on the customer, one with a long policy since removed."""

    rng = random.Random(seed)
    long = set_policy(sessions, priority=None, category="slow", customer=None,
                      targets=Targets(3000, 9000), agent=None)  # fmt: skip
    for n in range(30):
        opened = NEARLY - timedelta(minutes=rng.choice([5, 30, 55, 90, 200, 500, 1500, 4000]))
        spec = CaseSpec(f"case {n}", floor, priority=rng.choice(list(CasePriority)),
                        category="slow" if n % 7 == 0 else None)  # fmt: skip
        number = create_case(sessions, spec, agent="care.ann", default_zone=ZONE,
                             now=opened).number  # fmt: skip
        move = rng.choice([None, CaseStatus.IN_PROGRESS, CaseStatus.WAITING])
        if move is not None:
            set_status(sessions, number, move, agent="care.ann", default_zone=ZONE,
                       now=opened + timedelta(minutes=3))  # fmt: skip
    remove_policy(sessions, long.id, agent=None)
    columns = ("priority", "owner_id", "escalated_at", "first_response_breached",
               "resolution_breached")  # fmt: skip
    with sessions() as s:
        before = {c.id: {k: getattr(c, k) for k in columns} for c in s.scalars(select(ServiceCase))}
    # the last two: 80 % of the removed policy's 9,000-minute resolution target is used
    later = [NEARLY + timedelta(minutes=m) for m in (0, 40, 600, 3000, 24_000, 27_000)]

    def passes() -> list[list[str]]:
        return [
            sorted(e.number for e in escalate_due_cases(sessions, default_zone=ZONE,
                                                        agent="care.lead", now=at))
            for at in later
        ]  # fmt: skip

    filtered = passes()
    kept = _state(sessions)
    with unit_of_work(sessions) as s:  # back to the cases as they were before the passes
        s.execute(delete(CaseNotification))
        for case in s.scalars(select(ServiceCase)):
            for k, v in before[case.id].items():
                setattr(case, k, v)
    monkeypatch.setattr(escalation, "_may_change", lambda *a: true())
    unfiltered = passes()
    assert unfiltered == filtered and any(filtered)
    assert _state(sessions) == kept
