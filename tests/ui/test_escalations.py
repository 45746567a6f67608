"""Escalations on the desk, both engines: an escalation written by another session appears
on the owner's status-bar button without a restart; marked read, it disappears. On
PostgreSQL the desk works through the agent's own login (the ``mark_read`` policy). The
main window runs the escalation pass by itself on a supervisor's desk."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.case_watch import EscalationNotices
from agentdesk.crm.models import Contact, ServiceCase
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.domain.enums import CasePriority
from agentdesk.org.admin import add_team, add_user, set_user
from agentdesk.org.models import User
from agentdesk.service import models as service_models  # noqa: F401
from agentdesk.service.calendar import import_calendar
from agentdesk.service.cases import CaseSpec, create_case
from agentdesk.service.escalation import escalate_due_cases
from agentdesk.ui.service.escalations import EscalationsButton
from agentdesk.ui.shell.main_window import MainWindow
from tests.support.logins import give_logins, login_engine
from tests.ui.conftest import Desk, close_desk
from tests.ui.desk_support import make_desk

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR = 'timezone = "Asia/Shanghai"\n' + "".join(
    f'{d} = "09:00-18:00"\n' for d in ("mon", "tue", "wed", "thu", "fri")
)
OPENED = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
NEARLY = datetime(2026, 12, 7, 9, 50, tzinfo=SHANGHAI)
USERS = {"care.ann": ("service_agent", "Care"), "care.lead": ("supervisor", "Care")}


@pytest.fixture
def executor() -> Iterator[ThreadPoolExecutor]:
    pool = ThreadPoolExecutor(2, thread_name_prefix="db")
    yield pool
    pool.shutdown(wait=True)


def _floor(sessions: sessionmaker[Session]) -> str:
    """Ann's urgent case, opened at 09:00: at 09:50 it has used 50 of its 60 minutes."""
    add_team(sessions, "Care")
    for name, (role, team) in USERS.items():
        add_user(sessions, name, name=name, role=role, team=team)
    import_calendar(sessions, CALENDAR)
    with unit_of_work(sessions) as s:
        contact = Contact(first_name="Li", last_name="Wei")
        s.add(contact)
        s.flush()
    spec = CaseSpec("Line down", contact.id, priority=CasePriority.URGENT)
    return create_case(sessions, spec, agent="care.ann", default_zone="UTC", now=OPENED).number


def _button(
    qtbot: QtBot, service: EscalationNotices, executor: ThreadPoolExecutor
) -> EscalationsButton:
    button = EscalationsButton(service, executor)
    qtbot.addWidget(button)
    button.start()
    qtbot.waitUntil(lambda: button.busy == 0, timeout=10_000)
    return button


def _escalated_elsewhere_then_read(
    qtbot: QtBot, button: EscalationsButton, sessions: sessionmaker[Session], number: str
) -> None:
    assert button.isHidden() and button.notices == []
    # another desk (the lead's pass, its own session) escalates: ann's button shows it
    done = escalate_due_cases(sessions, default_zone="UTC", agent="care.lead", now=NEARLY)
    assert [e.number for e in done] == [number]
    qtbot.waitUntil(lambda: not button.isHidden() and button.text() == "1 escalation",
                    timeout=10_000)  # fmt: skip
    button.open_list()
    dialog = button.dialog
    assert dialog.table.rowCount() == 1
    cells = [dialog.table.item(0, c).text() for c in range(3)]  # type: ignore[union-attr]
    assert cells == [number, "Line down", "First response nearly due"]
    dialog.table.selectRow(0)
    with qtbot.waitSignal(button.caseRequested, timeout=5000) as opened:
        dialog.openButton.click()
    assert opened.args == [number]
    qtbot.waitUntil(lambda: button.busy == 0 and button.notices == [], timeout=10_000)
    assert button.isHidden() and dialog.table.rowCount() == 0
    button.stop()


def test_an_escalation_from_another_desk_appears_and_goes_when_read(
    qtbot: QtBot, sessions: sessionmaker[Session], executor: ThreadPoolExecutor
) -> None:
    number = _floor(sessions)
    button = _button(qtbot, EscalationNotices(sessions, "care.ann"), executor)
    _escalated_elsewhere_then_read(qtbot, button, sessions, number)


def test_a_change_told_after_the_desk_stopped_reads_nothing(
    qtbot: QtBot, sessions: sessionmaker[Session], executor: ThreadPoolExecutor
) -> None:
    """The feed stops on the executor, so a change it told just before can arrive after the
    desk shut its executor down: the button reads nothing (it raised in the Qt loop)."""
    _floor(sessions)
    button = _button(qtbot, EscalationNotices(sessions, "care.ann"), executor)
    button.stop()
    executor.shutdown(wait=True)
    button.changed.emit()
    qtbot.wait(0)
    assert button.busy == 0


def test_through_a_postgres_login_the_agent_reads_and_marks_only_their_own(
    qtbot: QtBot, pg_engine: Engine, pg_database_url: str, executor: ThreadPoolExecutor
) -> None:
    sessions = session_factory(pg_engine)
    number = _floor(sessions)
    give_logins(sessions, USERS)
    ann_engine = login_engine(pg_database_url, "care.ann")
    try:
        button = _button(qtbot, EscalationNotices(session_factory(ann_engine), "care.ann"),
                         executor)  # fmt: skip
        _escalated_elsewhere_then_read(qtbot, button, sessions, number)
        with ann_engine.begin() as conn:
            # the lead's notice is not hers: the database neither shows nor changes it
            assert (
                conn.execute(text("SELECT count(*) FROM service_notifications")).scalar_one() == 1
            )
            changed = conn.execute(text("UPDATE service_notifications SET read_at = NULL"))
            assert changed.rowcount == 1  # her own, read a moment ago
    finally:
        ann_engine.dispose()
    with sessions() as s:
        unread = s.execute(text("SELECT count(*) FROM service_notifications "
                                "WHERE read_at IS NULL")).scalar_one()  # fmt: skip
    assert unread == 2


def test_a_supervisors_desk_escalates_by_itself(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    context, phones = make_desk(tmp_path)
    sessions = context.database.sessions
    add_team(sessions, "Care")
    set_user(sessions, context.agent, role="supervisor", team="Care")  # the team's lead
    add_user(sessions, "care.ann", name="Ann", role="service_agent", team="Care")
    with unit_of_work(sessions) as s:
        contact = Contact(first_name="Li", last_name="Wei")
        s.add(contact)
        s.flush()
    # opened a month ago: every target long missed, and nobody has run an escalation
    spec = CaseSpec("Line down", contact.id, priority=CasePriority.URGENT,
                    opened_at=datetime.now(UTC) - timedelta(days=30))  # fmt: skip
    number = create_case(sessions, spec, agent="care.ann", default_zone="UTC").number
    controller = context.build_controller(qloop)
    window = MainWindow(context, controller)
    controller.start()
    window.show()
    desk = Desk(context, controller, phones[0], window, qtbot)
    try:
        schedule = window.escalations.schedule
        desk.wait(lambda: schedule.passes >= 1, timeout=30_000)
        assert [e.number for e in schedule.escalated] == [number]
        with sessions() as s:
            case = s.scalar(select(ServiceCase).where(ServiceCase.number == number))
            assert case is not None and case.escalated_at is not None
            lead = s.scalar(select(User.username).where(User.id == case.owner_id))
            assert lead == context.agent  # handed to the team's lead: this desk's user
        button = window.escalations.button
        desk.wait(lambda: button.text() == "1 escalation" and button.isVisible(), timeout=10_000)
    finally:
        close_desk(desk)
    assert not schedule.running()  # stopped with the window
