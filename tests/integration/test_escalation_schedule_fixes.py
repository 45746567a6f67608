"""Review findings on the desk's escalation schedule (both engines): a pass takes "now" from
the database, not the desk's clock; a refused pass does not end the schedule, a lost
permission does; ``escalated`` holds the last pass's escalations only."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, tzinfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app import case_watch
from agentdesk.app.case_watch import EscalationSchedule
from agentdesk.crm.models import ServiceCase
from agentdesk.db.clock import database_now
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain import clock
from agentdesk.domain.enums import CasePriority
from agentdesk.org.admin import set_user
from agentdesk.service.cases import CaseSpec, create_case
from agentdesk.service.escalation import Escalation, escalate_due_cases
from tests.support.care_floor import NEARLY, OPENED, ZONE, care_floor


@pytest.fixture
def contact(sessions: sessionmaker[Session]) -> uuid.UUID:
    return care_floor(sessions)


def _urgent_case(sessions: sessionmaker[Session], contact: uuid.UUID, opened: datetime) -> str:
    spec = CaseSpec("Line down", contact, priority=CasePriority.URGENT)
    return create_case(sessions, spec, agent="care.ann", default_zone=ZONE, now=opened).number


class _FastClock(datetime):
    """The desk's wall clock, ten days ahead of the database's."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _FastClock:
        value = datetime.now(tz) + timedelta(days=10)
        return cls.fromtimestamp(value.timestamp(), value.tzinfo)


def test_a_desk_whose_clock_runs_fast_flags_no_breach(
    sessions: sessionmaker[Session], contact: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    with unit_of_work(sessions) as s:
        db_now = database_now(s)
    number = _urgent_case(sessions, contact, db_now)
    with unit_of_work(sessions) as s:  # due in five days and a month by the database's clock
        s.execute(
            update(ServiceCase)
            .where(ServiceCase.number == number)
            .values(first_response_due=db_now + timedelta(days=5),
                    due_at=db_now + timedelta(days=30))
        )  # fmt: skip
    monkeypatch.setattr(clock, "datetime", _FastClock)
    assert clock.utcnow() > db_now + timedelta(days=9)
    EscalationSchedule(sessions, "care.lead", ZONE).run_once()
    with sessions() as s:
        case = s.scalar(select(ServiceCase).where(ServiceCase.number == number))
        assert case is not None
        assert (case.first_response_breached, case.resolution_breached) == (False, False)


def test_a_refused_pass_does_not_end_the_schedule(
    sessions: sessionmaker[Session], contact: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    _urgent_case(sessions, contact, OPENED)
    calls: list[int] = []

    def refused_once(sessions: sessionmaker[Session], **kw: object) -> list[Escalation]:
        calls.append(1)
        if len(calls) == 1:
            raise RequestError("case CS-1 was changed meanwhile")
        return escalate_due_cases(sessions, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(case_watch, "escalate_due_cases", refused_once)
    schedule = EscalationSchedule(sessions, "care.lead", ZONE, every=0.01, clock=lambda: NEARLY)
    schedule.start()
    try:
        assert schedule.wait_for_passes(1, timeout=30)
    finally:
        schedule.stop()
    assert len(calls) >= 2


def test_a_lost_permission_ends_the_schedule(
    sessions: sessionmaker[Session], contact: uuid.UUID
) -> None:
    _urgent_case(sessions, contact, OPENED)
    schedule = EscalationSchedule(sessions, "care.lead", ZONE, every=0.01, clock=lambda: NEARLY)
    assert schedule.may_run()
    set_user(sessions, "care.lead", role="service_agent")
    schedule.start()
    try:
        assert schedule.wait_ended(timeout=60)
    finally:
        schedule.stop()
    assert schedule.passes == 0


def test_escalated_holds_the_last_pass_only(
    sessions: sessionmaker[Session], contact: uuid.UUID
) -> None:
    number = _urgent_case(sessions, contact, OPENED)
    schedule = EscalationSchedule(sessions, "care.lead", ZONE, clock=lambda: NEARLY)
    assert [e.number for e in schedule.run_once()] == [number]
    assert [e.number for e in schedule.escalated] == [number]
    assert schedule.run_once() == []
    assert schedule.escalated == []
