"""Review finding: a case from before migration 0025 (no stored targets) keeps its due times
when its priority is raised. 0025 now stores every existing case's priority defaults, the
demo stores them, and ``set_details`` reads the old targets before changing anything (both
engines)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Contact, ServiceCase
from agentdesk.db import migrate
from agentdesk.db.engine import unit_of_work
from agentdesk.demo.generate import generate
from agentdesk.domain.business_time import add_business_minutes
from agentdesk.domain.enums import CasePriority
from agentdesk.service.calendar import import_calendar, load_calendar
from agentdesk.service.case_details import set_details
from agentdesk.service.cases import CaseSpec, create_case

ZONE = "Asia/Shanghai"
CALENDAR = 'timezone = "Asia/Shanghai"\n' + "".join(
    f'{d} = "09:00-18:00"\n' for d in ("mon", "tue", "wed", "thu", "fri")
)
OPENED = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai


@pytest.fixture
def contact(sessions: sessionmaker[Session]) -> uuid.UUID:
    import_calendar(sessions, CALENDAR)
    with unit_of_work(sessions) as s:
        person = Contact(first_name="Li", last_name="Wei")
        s.add(person)
        s.flush()
        return person.id


def _case(sessions: sessionmaker[Session], contact: uuid.UUID, priority: CasePriority) -> str:
    spec = CaseSpec("Line down", contact, priority=priority, opened_at=OPENED)
    return create_case(sessions, spec, agent=None, default_zone=ZONE, now=OPENED).number


def test_a_legacy_case_raised_to_urgent_gets_urgent_due_times(
    sessions: sessionmaker[Session], contact: uuid.UUID
) -> None:
    number = _case(sessions, contact, CasePriority.NORMAL)
    with unit_of_work(sessions) as s:  # what 0025 left on every case before this fix
        s.execute(
            update(ServiceCase)
            .where(ServiceCase.number == number)
            .values(sla_policy_id=None, first_response_minutes=None, resolution_minutes=None)
        )
    view = set_details(
        sessions, number, agent=None, default_zone=ZONE, priority=CasePriority.URGENT
    )
    with sessions() as s:
        calendar = load_calendar(s, ZONE)
    assert view.first_response_due == add_business_minutes(calendar, OPENED, 60)
    assert view.resolution_due == add_business_minutes(calendar, OPENED, 240)
    assert (view.first_response_minutes, view.resolution_minutes) == (60, 240)


def test_0025_stores_each_existing_cases_priority_defaults(
    engine: Engine, sessions: sessionmaker[Session], contact: uuid.UUID
) -> None:
    urgent = _case(sessions, contact, CasePriority.URGENT)
    low = _case(sessions, contact, CasePriority.LOW)
    migrate.downgrade(engine, "0027")
    migrate.upgrade(engine)
    with sessions() as s:
        rows = {
            number: (first, resolution)
            for number, first, resolution in s.execute(
                select(ServiceCase.number, ServiceCase.first_response_minutes,
                       ServiceCase.resolution_minutes)
            )
        }  # fmt: skip
    assert rows == {urgent: (60, 240), low: (480, 2400)}


def test_the_demos_cases_store_their_targets(engine: Engine) -> None:
    generate(engine, 40, seed=5, calls_per_contact=1, now=OPENED)
    with engine.connect() as conn:
        cases = conn.execute(select(func.count()).select_from(ServiceCase)).scalar_one()
        missing = conn.execute(
            select(func.count())
            .select_from(ServiceCase)
            .where(
                (ServiceCase.first_response_minutes.is_(None))
                | (ServiceCase.resolution_minutes.is_(None))
            )
        ).scalar_one()
    assert cases > 0
    assert missing == 0
