"""Cases on both engines: numbers without gaps or duplicates (also under concurrency), due
times in business time, the status moves and the paused clock, lists, escalation."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Contact, ServiceCase
from agentdesk.db import migrate
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.enums import CasePriority, CaseStatus
from agentdesk.org.admin import add_team, add_user
from agentdesk.service import models as service_models  # noqa: F401
from agentdesk.service.calendar import import_calendar
from agentdesk.service.case_desk import list_cases
from agentdesk.service.case_work import set_status
from agentdesk.service.cases import CaseSpec, create_case
from agentdesk.service.escalation import escalate_due_cases, notifications_for
from agentdesk.service.models import CaseCounter

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR = """
timezone = "Asia/Shanghai"
mon = "09:00-18:00"
tue = "09:00-18:00"
wed = "09:00-18:00"
thu = "09:00-18:00"
fri = "09:00-18:00"
holidays = ["2026-12-09"]
"""
ZONE = "UTC"  # the default zone, unused once the calendar above is imported


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


def _contact(sessions: sessionmaker[Session]) -> uuid.UUID:
    with unit_of_work(sessions) as s:
        contact = Contact(first_name="Li", last_name="Wei")
        s.add(contact)
        s.flush()
        return contact.id


@pytest.fixture
def desk(sessions: sessionmaker[Session]) -> uuid.UUID:
    add_team(sessions, "Care")
    add_team(sessions, "Billing")
    add_user(sessions, "care.lead", name="Lead", role="supervisor", team="Care")
    add_user(sessions, "care.ann", name="Ann", role="service_agent", team="Care")
    add_user(sessions, "bill.bob", name="Bob", role="service_agent", team="Billing")
    import_calendar(sessions, CALENDAR)
    return _contact(sessions)


def test_numbers_per_year_and_due_times_in_business_time(
    sessions: sessionmaker[Session], desk: uuid.UUID
) -> None:
    monday = local(2026, 12, 7, 16, 0)
    first = create_case(sessions, CaseSpec("Refund", desk), agent="care.ann", default_zone=ZONE,
                        now=monday)  # fmt: skip
    second = create_case(
        sessions, CaseSpec("Broken", desk, priority=CasePriority.URGENT), agent="care.ann",
        default_zone=ZONE, now=monday,
    )  # fmt: skip
    old = create_case(
        sessions, CaseSpec("Migrated", desk, opened_at=local(2025, 6, 2, 10, 0)),
        agent="care.ann", default_zone=ZONE,
    )  # fmt: skip
    assert [first.number, second.number, old.number] == [
        "CS-2026-00001", "CS-2026-00002", "CS-2025-00001",
    ]  # fmt: skip
    # normal: 4 h first response (2 h Monday, 2 h Tuesday), 24 h resolution: Wednesday 9 is a
    # holiday, so Monday 2 + Tue 9 + Thu 9 + Fri 4 -> Friday 13:00
    assert first.first_response_due == local(2026, 12, 8, 11, 0)
    assert first.resolution_due == local(2026, 12, 11, 13, 0)
    assert second.first_response_due == local(2026, 12, 7, 17, 0)
    assert first.owner == "care.ann" and first.team == "Care"
    assert first.status is CaseStatus.ASSIGNED


def test_a_refused_case_gives_its_number_back(
    sessions: sessionmaker[Session], desk: uuid.UUID
) -> None:
    with pytest.raises(RequestError, match="does not exist"):
        create_case(sessions, CaseSpec("Ghost", uuid.uuid4()), agent="care.ann", default_zone=ZONE)
    with pytest.raises(RequestError, match="no team"):
        create_case(sessions, CaseSpec("Lost", desk, team="Nowhere"), agent="care.ann",
                    default_zone=ZONE)  # fmt: skip
    made = create_case(sessions, CaseSpec("Real", desk), agent="care.ann", default_zone=ZONE,
                       now=local(2026, 12, 7, 10, 0))  # fmt: skip
    assert made.number == "CS-2026-00001"


def test_concurrent_creators_get_every_number_once(
    sessions: sessionmaker[Session], desk: uuid.UUID
) -> None:
    per_thread, threads = 6, 5
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def work() -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                create_case(sessions, CaseSpec("Busy day", desk), agent="care.ann",
                            default_zone=ZONE, now=local(2026, 12, 7, 10, 0))  # fmt: skip
        except BaseException as exc:  # collected and raised in the test thread
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    with sessions() as s:
        numbers = sorted(s.scalars(select(ServiceCase.number)))
        last = s.get(CaseCounter, 2026)
    total = per_thread * threads
    assert numbers == [f"CS-2026-{n:05d}" for n in range(1, total + 1)]
    assert last is not None and last.last == total


def test_waiting_on_the_customer_stops_the_clock_and_resolving_late_is_a_breach(
    sessions: sessionmaker[Session], desk: uuid.UUID
) -> None:
    opened = local(2026, 12, 7, 9, 0)  # Monday
    case = create_case(sessions, CaseSpec("Slow", desk, priority=CasePriority.HIGH),
                       agent="care.ann", default_zone=ZONE, now=opened)  # fmt: skip
    assert case.resolution_due == local(2026, 12, 7, 17, 0)  # high: 8 h
    moved = set_status(sessions, case.number, CaseStatus.WAITING, agent="care.ann",
                       default_zone=ZONE, now=local(2026, 12, 7, 15, 0))  # fmt: skip
    assert moved.paused and moved.first_responded_at == local(2026, 12, 7, 15, 0)
    assert moved.first_response_breached  # high: 2 h, answered after 6
    # the customer answers Thursday 10:00 (Wednesday is a holiday): 2 h left -> 12:00
    back = set_status(sessions, case.number, CaseStatus.IN_PROGRESS, agent="care.ann",
                      default_zone=ZONE, now=local(2026, 12, 10, 10, 0))  # fmt: skip
    assert not back.paused and back.resolution_due == local(2026, 12, 10, 12, 0)
    done = set_status(sessions, case.number, CaseStatus.RESOLVED, agent="care.ann",
                      default_zone=ZONE, resolution="replaced",
                      now=local(2026, 12, 10, 13, 0))  # fmt: skip
    assert done.resolution_breached and done.resolved_at == local(2026, 12, 10, 13, 0)
    with pytest.raises(RequestError, match="cannot go from resolved to waiting_on_customer"):
        set_status(sessions, case.number, CaseStatus.WAITING, agent="care.ann", default_zone=ZONE)
    reopened = set_status(sessions, case.number, CaseStatus.IN_PROGRESS, agent="care.ann",
                          default_zone=ZONE, now=local(2026, 12, 11, 9, 0))  # fmt: skip
    assert reopened.status is CaseStatus.IN_PROGRESS and reopened.resolved_at is None


def test_lists_mine_queue_and_breached(sessions: sessionmaker[Session], desk: uuid.UUID) -> None:
    at = local(2026, 12, 7, 9, 0)

    def make(subject: str, agent: str, **kw: object) -> str:
        spec = CaseSpec(subject, desk, **kw)  # type: ignore[arg-type]
        return create_case(sessions, spec, agent=agent, default_zone=ZONE, now=at).number

    mine = make("Mine", "care.ann", priority=CasePriority.URGENT)
    care_queue = make("Care queue", "care.lead", team="Care")
    billing_queue = make("Billing queue", "care.lead", team="Billing")
    bobs = make("Bob's", "bill.bob")

    def numbers(agent: str, **kw: bool) -> list[str]:
        now = local(2026, 12, 7, 11, 0)
        return [c.number for c in list_cases(sessions, agent=agent, now=now, **kw)]

    assert numbers("care.ann") == [mine, care_queue]  # most pressing due first
    assert numbers("care.ann", mine=True) == [mine]
    assert numbers("bill.bob") == [billing_queue, bobs]
    assert numbers("care.ann", breached=True) == [mine]  # urgent: 1 h to respond
    # taking a case from the team queue claims it; another team's queue is not one's to work
    taken = set_status(sessions, care_queue, CaseStatus.IN_PROGRESS, agent="care.ann",
                       default_zone=ZONE, now=at)  # fmt: skip
    assert taken.owner == "care.ann"
    with pytest.raises(RequestError, match="may not update these cases"):
        set_status(sessions, billing_queue, CaseStatus.IN_PROGRESS, agent="care.ann",
                   default_zone=ZONE, now=at)  # fmt: skip


def test_escalation_at_80_percent_raises_reassigns_and_notifies(
    sessions: sessionmaker[Session], desk: uuid.UUID
) -> None:
    at = local(2026, 12, 7, 9, 0)
    urgent = create_case(sessions, CaseSpec("Down", desk, priority=CasePriority.URGENT),
                         agent="care.ann", default_zone=ZONE, now=at)  # fmt: skip
    normal = create_case(sessions, CaseSpec("Question", desk), agent="care.ann",
                         default_zone=ZONE, now=at)  # fmt: skip
    # 09:47: urgent has used 47 of its 60 first-response minutes (78 %): nothing yet
    assert escalate_due_cases(sessions, default_zone=ZONE, now=local(2026, 12, 7, 9, 47)) == []
    done = escalate_due_cases(sessions, default_zone=ZONE, now=local(2026, 12, 7, 9, 48))
    assert [(e.number, e.priority) for e in done] == [(urgent.number, CasePriority.URGENT)]
    with sessions() as s:
        ids = dict(s.execute(text("SELECT username, id FROM users")).all())
    lead, ann = uuid.UUID(str(ids["care.lead"])), uuid.UUID(str(ids["care.ann"]))
    assert done[0].owner_id == lead and set(done[0].notified) == {ann, lead}
    assert [k for k, _ in notifications_for(sessions, ann)] == ["case_escalated"]
    assert urgent.number in notifications_for(sessions, lead)[0][1]
    # the next morning the normal case (4 h to respond) is past its target: escalated once,
    # priority raised, breach flagged; the urgent one is not escalated again
    later = escalate_due_cases(sessions, default_zone=ZONE, now=local(2026, 12, 8, 9, 0))
    assert [(e.number, e.priority) for e in later] == [(normal.number, CasePriority.HIGH)]
    listed = list_cases(sessions, agent="care.lead", breached=True, now=local(2026, 12, 8, 9, 0))
    flags = {c.number: (c.first_response_breached, c.escalated) for c in listed}
    assert flags == {urgent.number: (True, True), normal.number: (True, True)}


def test_cases_from_before_the_service_module_get_numbers(engine: Engine) -> None:
    before = ScriptDirectory.from_config(migrate._config()).get_revision("0015").down_revision
    migrate.downgrade(engine, str(before))
    created = [datetime(2025, 12, 31, 23, tzinfo=UTC) + timedelta(hours=h) for h in (0, 2, 1)]
    with engine.begin() as conn:
        for n, at in enumerate(created):
            conn.execute(
                text(
                    "INSERT INTO service_cases (id, subject, status, priority, created_at, "
                    "updated_at, version) VALUES (:id, :s, :st, 'normal', :at, :at, 1)"
                ),
                {"id": uuid.uuid4().hex if engine.dialect.name == "sqlite" else uuid.uuid4(),
                 "s": f"old {n}", "st": ("open", "pending", "new")[n],
                 "at": at if engine.dialect.name == "postgresql" else at.replace(tzinfo=None)},
            )  # fmt: skip
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT subject, number, status FROM service_cases ORDER BY subject")
        )
        got = [tuple(r) for r in rows]
        counters = dict(conn.execute(text("SELECT year, last FROM service_case_counters")).all())
    assert got == [
        ("old 0", "CS-2025-00001", "in_progress"),
        ("old 1", "CS-2026-00002", "waiting_on_customer"),
        ("old 2", "CS-2026-00001", "new"),
    ]
    assert counters == {2025: 1, 2026: 2}


def test_demo_cases_are_numbered_after_the_ones_there(
    engine: Engine, sessions: sessionmaker[Session], desk: uuid.UUID
) -> None:
    from agentdesk.demo.generate import generate

    first = create_case(sessions, CaseSpec("Before the demo", desk), agent="care.ann",
                        default_zone=ZONE)  # fmt: skip
    generate(engine, 30, seed=5)
    with sessions() as s:
        numbers = list(s.scalars(select(ServiceCase.number)))
        counters = {c.year: c.last for c in s.scalars(select(CaseCounter))}
    assert None not in numbers and len(set(numbers)) == len(numbers) > 1
    assert first.number in numbers
    by_year: dict[int, list[int]] = {}
    for number in numbers:
        assert number is not None
        _, year, seq = number.split("-")
        by_year.setdefault(int(year), []).append(int(seq))
    assert {y: sorted(s) for y, s in by_year.items()} == {
        y: list(range(1, counters[y] + 1)) for y in by_year
    }
