"""Review findings on View > Cases (both engines): the change feed starts and stops off the
GUI thread (PostgreSQL away must not freeze the window), and a change made elsewhere to the
open case does not throw away edits the form has not saved: it offers "Reload"."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.service_desk import CaseDeskService
from agentdesk.crm.models import Contact
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.enums import CasePriority
from agentdesk.org.admin import add_team, add_user
from agentdesk.service.case_details import set_details
from agentdesk.service.cases import CaseSpec, create_case
from agentdesk.supervision.changes import ChangeFeed
from agentdesk.ui.service.case_desk import CaseDeskWindow

ZONE = "Asia/Shanghai"


@pytest.fixture
def number(sessions: sessionmaker[Session]) -> str:
    add_team(sessions, "Care")
    add_user(sessions, "care.lead", name="Lead", role="supervisor", team="Care")
    add_user(sessions, "care.ann", name="Ann", role="service_agent", team="Care")
    with unit_of_work(sessions) as s:
        contact = Contact(first_name="Li", last_name="Wei")
        s.add(contact)
        s.flush()
        contact_id = contact.id
    spec = CaseSpec("Refund not received", contact_id)
    return create_case(sessions, spec, agent="care.ann", default_zone=ZONE).number


@pytest.fixture
def executor() -> Iterator[ThreadPoolExecutor]:
    pool = ThreadPoolExecutor(2, thread_name_prefix="db")
    yield pool
    pool.shutdown(wait=True)


class _Recorded(CaseDeskService):
    """The desk's service, noting the thread its feed starts on and the feed it gave."""

    def __init__(self, *args: object, **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.threads: list[threading.Thread] = []
        self.feeds: list[ChangeFeed] = []

    def watch(self, on_change: Callable[[], None]) -> ChangeFeed:
        self.threads.append(threading.current_thread())
        feed = super().watch(on_change)
        self.feeds.append(feed)
        return feed


def _open(qtbot: QtBot, service: _Recorded, executor: ThreadPoolExecutor) -> CaseDeskWindow:
    window = CaseDeskWindow(service, executor)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: bool(service.feeds), timeout=20_000)
    _drained(qtbot, window)
    return window


def _drained(qtbot: QtBot, window: CaseDeskWindow) -> None:
    qtbot.waitUntil(lambda: window.busy == 0 and window.kbPanel.busy == 0, timeout=10_000)


def test_the_feed_starts_and_stops_off_the_gui_thread(
    qtbot: QtBot,
    sessions: sessionmaker[Session],
    number: str,
    executor: ThreadPoolExecutor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stopped_on: list[threading.Thread] = []
    stopped = threading.Event()
    real_stop = ChangeFeed.stop

    def stop(feed: ChangeFeed) -> None:
        stopped_on.append(threading.current_thread())
        real_stop(feed)
        stopped.set()

    monkeypatch.setattr(ChangeFeed, "stop", stop)
    service = _Recorded(sessions, "care.ann", ZONE)
    window = _open(qtbot, service, executor)
    assert service.threads and threading.main_thread() not in service.threads
    window.close()
    assert stopped.wait(timeout=20)
    assert stopped_on and threading.main_thread() not in stopped_on


def test_a_change_told_after_the_window_closed_reads_nothing(
    qtbot: QtBot, sessions: sessionmaker[Session], number: str, executor: ThreadPoolExecutor
) -> None:
    """The feed stops on the executor: a change it told just before the window closed can
    arrive after the desk shut its executor down; the closed window reads nothing."""
    window = _open(qtbot, _Recorded(sessions, "care.ann", ZONE), executor)
    window.close()
    executor.shutdown(wait=True)
    window.changed.emit()
    assert window.busy == 0


def test_a_change_elsewhere_keeps_the_forms_unsaved_edits_and_offers_reload(
    qtbot: QtBot, sessions: sessionmaker[Session], number: str, executor: ThreadPoolExecutor
) -> None:
    window = _open(qtbot, _Recorded(sessions, "care.ann", ZONE), executor)
    window.select_numbers({number})
    window.open_case(number)
    _drained(qtbot, window)
    form = window.form
    assert form.detail is not None and not form.edited()
    assert form.elsewhereBar.isHidden()
    form.resolutionEdit.setPlainText("Refunded by bank transfer")
    form.priorityCombo.setCurrentIndex(form.priorityCombo.findData(CasePriority.HIGH))
    assert form.edited()
    # the lead changes the case's category on their desk
    set_details(sessions, number, agent="care.lead", default_zone=ZONE, category="billing")
    qtbot.waitUntil(lambda: not form.elsewhereBar.isHidden(), timeout=20_000)
    _drained(qtbot, window)
    assert form.resolutionEdit.toPlainText() == "Refunded by bank transfer"
    assert form.priorityCombo.currentData() == CasePriority.HIGH
    assert form.detail.case.category is None  # still the version being edited
    form.reloadButton.click()
    assert form.elsewhereBar.isHidden()
    assert form.detail.case.category == "billing"
    assert form.categoryEdit.text() == "billing"
    assert form.resolutionEdit.toPlainText() == ""
    assert not form.edited()
    # without edits, a change elsewhere shows at once
    set_details(sessions, number, agent="care.lead", default_zone=ZONE,
                priority=CasePriority.URGENT)  # fmt: skip
    qtbot.waitUntil(
        lambda: form.detail is not None and form.detail.case.priority is CasePriority.URGENT,
        timeout=20_000,
    )
    assert form.elsewhereBar.isHidden()
