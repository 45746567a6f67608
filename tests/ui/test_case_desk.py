"""View > Cases, the case desk, on both engines: the list and its filters, SLA countdowns,
taking from the team queue, assigning a selection, the case form's status moves and timeline
(notes, linked calls, articles), the knowledge-base panel's highlighted Chinese search, and
a case the role may only read; another desk's changes reaching the open window."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.service_desk import CaseDeskService
from agentdesk.crm.models import Call, Contact
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.cases import Targets
from agentdesk.domain.enums import CallDirection, CasePriority, CaseStatus
from agentdesk.org.admin import add_team, add_user, set_user
from agentdesk.service import models as service_models  # noqa: F401
from agentdesk.service.case_desk import Scope
from agentdesk.service.case_details import set_details
from agentdesk.service.case_timeline import EntryKind, case_detail
from agentdesk.service.cases import CaseSpec, create_case
from agentdesk.service.kb import ArticleText, import_articles
from agentdesk.service.service_levels import set_policy
from agentdesk.ui.desk.record_timeline import CASE_ROLE
from agentdesk.ui.service.case_desk import CaseDeskWindow
from agentdesk.ui.service.kb_panel import HIGHLIGHT
from agentdesk.ui.service.sla import Urgency
from tests.ui.conftest import Desk
from tests.ui.desk_support import add_party

ZONE = "Asia/Shanghai"


@dataclass
class Floor:
    sessions: sessionmaker[Session]
    queued: str
    ann_own: str
    bob_own: str
    contact: uuid.UUID


def _contact(sessions: sessionmaker[Session]) -> uuid.UUID:
    with unit_of_work(sessions) as s:
        contact = Contact(first_name="Li", last_name="Wei")
        s.add(contact)
        s.flush()
        return contact.id


@pytest.fixture
def floor(sessions: sessionmaker[Session]) -> Floor:
    add_team(sessions, "Care")
    add_team(sessions, "Billing")
    add_user(sessions, "care.lead", name="Lead", role="supervisor", team="Care")
    add_user(sessions, "care.ann", name="Ann", role="service_agent", team="Care")
    add_user(sessions, "bill.bob", name="Bob", role="service_agent", team="Billing")
    contact = _contact(sessions)

    def make(subject: str, agent: str, **kw: str) -> str:
        spec = CaseSpec(subject, contact, **kw)  # type: ignore[arg-type]
        return create_case(sessions, spec, agent=agent, default_zone=ZONE).number

    queued = make("Router keeps rebooting", "care.lead", team="Care")
    ann_own = make("Refund not received", "care.ann")
    bob_own = make("Invoice address wrong", "bill.bob")
    make("Billing queue case", "bill.bob", team="Billing")
    import_articles(
        sessions,
        [
            ArticleText("退款流程", "客户申请退款时，先核对订单号。Refund within 7 days.",
                        "客服", None, "t:refund"),
            ArticleText("VPN setup", "Install the ＶＰＮ client, then sign in.", "IT", None,
                        "t:vpn"),
        ],
        agent="care.lead",
    )  # fmt: skip
    return Floor(sessions, queued, ann_own, bob_own, contact)


@pytest.fixture
def executor() -> Iterator[ThreadPoolExecutor]:
    pool = ThreadPoolExecutor(2, thread_name_prefix="db")
    yield pool
    pool.shutdown(wait=True)


def _open(qtbot: QtBot, floor: Floor, agent: str, executor: ThreadPoolExecutor) -> CaseDeskWindow:
    window = CaseDeskWindow(CaseDeskService(floor.sessions, agent, ZONE), executor)
    qtbot.addWidget(window)
    window.show()
    window.start()
    _drained(qtbot, window)
    return window


def _drained(qtbot: QtBot, window: CaseDeskWindow) -> None:
    qtbot.waitUntil(lambda: window.busy == 0 and window.kbPanel.busy == 0, timeout=10_000)


def _numbers(window: CaseDeskWindow) -> list[str]:
    return [window.table.item(r, 0).text() for r in range(window.table.rowCount())]  # type: ignore[union-attr]


def _select(window: CaseDeskWindow, *numbers: str) -> None:
    window.select_numbers(set(numbers))


def test_an_agent_takes_from_the_queue_works_the_case_and_adds_an_article(
    qtbot: QtBot, floor: Floor, executor: ThreadPoolExecutor
) -> None:
    window = _open(qtbot, floor, "care.ann", executor)
    # her work: her own case and her team's queue, not Billing's queue nor Bob's case
    assert set(_numbers(window)) == {floor.queued, floor.ann_own}
    assert not window.assignButton.isVisible()  # a service agent may not reassign
    window.scopeCombo.setCurrentIndex(window.scopeCombo.findData(Scope.QUEUE))
    _drained(qtbot, window)
    assert _numbers(window) == [floor.queued]
    countdown = window.table.item(0, 5)
    assert countdown is not None and countdown.text().endswith("left")
    _select(window, floor.queued)
    assert window.takeButton.isEnabled()
    window.takeButton.click()
    _drained(qtbot, window)
    assert _numbers(window) == []  # no longer in the queue
    assert window.form.detail is not None and window.form.detail.case.owner == "care.ann"

    # the status combo offers the moves of the rule only; a move to in progress
    combo = window.form.statusCombo
    offered = {combo.itemData(i) for i in range(combo.count())}
    assert CaseStatus.NEW not in offered and CaseStatus.IN_PROGRESS in offered
    combo.setCurrentIndex(combo.findData(CaseStatus.IN_PROGRESS))
    window.form.applyButton.click()
    _drained(qtbot, window)
    assert window.form.detail.case.status is CaseStatus.IN_PROGRESS

    window.form.noteEdit.setPlainText("客户说路由器每小时重启一次")
    window.form.noteButton.click()
    _drained(qtbot, window)
    assert window.form.noteEdit.toPlainText() == ""

    # the knowledge base: a two-character Chinese term, highlighted, shown as rich text
    window.kbPanel.queryEdit.setText("退款")
    window.kbPanel.searchButton.click()
    _drained(qtbot, window)
    assert [h.title for h in window.kbPanel.hits] == ["退款流程"]
    label = window.kbPanel.hit_label(0)
    assert f"{HIGHLIGHT}退款</span>" in label.text() and "<mark>" not in label.text()
    window.kbPanel.results.setCurrentRow(0)
    _drained(qtbot, window)
    assert "核对订单号" in window.kbPanel.articleView.toPlainText()
    window.kbPanel.addButton.click()
    _drained(qtbot, window)
    window.kbPanel.solvedButton.click()
    _drained(qtbot, window)

    texts = window.form.timeline_texts()
    assert texts[0].startswith("Case opened") and "客户说路由器每小时重启一次" in texts
    assert texts[-2:] == ["Article added: 退款流程", "Solved by article: 退款流程"]
    stored = case_detail(floor.sessions, floor.queued, agent="care.ann")
    assert [e.kind for e in stored.timeline][1:] == [
        EntryKind.NOTE, EntryKind.ARTICLE, EntryKind.SOLVED,
    ]  # fmt: skip
    assert stored.solved_by == (window.kbPanel.hits[0].id,)


def test_full_width_latin_is_found_from_the_panel(
    qtbot: QtBot, floor: Floor, executor: ThreadPoolExecutor
) -> None:
    window = _open(qtbot, floor, "care.ann", executor)
    for query in ("vpn client", "ＶＰＮ"):
        window.kbPanel.queryEdit.setText(query)
        window.kbPanel.searchButton.click()
        _drained(qtbot, window)
        assert [h.title for h in window.kbPanel.hits] == ["VPN setup"], query


def test_a_supervisor_assigns_a_selection_and_sees_calls_on_the_timeline(
    qtbot: QtBot, floor: Floor, executor: ThreadPoolExecutor
) -> None:
    with unit_of_work(floor.sessions) as s:
        case_id = case_detail(floor.sessions, floor.queued, agent=None).case.id
        s.add(
            Call(direction=CallDirection.INBOUND, remote_e164="+8613800138000",
                 contact_id=floor.contact, case_id=case_id, notes="Caller asked for an update",
                 started_at=datetime.now(UTC) + timedelta(minutes=1))
        )  # fmt: skip
    window = _open(qtbot, floor, "care.lead", executor)
    assert window.assignButton.isVisible()
    assert {floor.queued, floor.ann_own} <= set(_numbers(window))
    _select(window, floor.queued, floor.ann_own)
    window.assigneeCombo.setCurrentIndex(window.assigneeCombo.findData("care.lead"))
    window.assignButton.click()
    _drained(qtbot, window)
    assert "Cases assigned to care.lead: 2." in window.messageLabel.text()
    window.scopeCombo.setCurrentIndex(window.scopeCombo.findData(Scope.MINE))
    _drained(qtbot, window)
    assert set(_numbers(window)) == {floor.queued, floor.ann_own}
    _select(window, floor.queued)
    _drained(qtbot, window)
    assert "← Call: Caller asked for an update" in window.form.timeline_texts()


def test_a_case_of_another_team_is_read_only_with_the_refusal_worded(
    qtbot: QtBot, floor: Floor, executor: ThreadPoolExecutor
) -> None:
    window = _open(qtbot, floor, "care.ann", executor)
    window.open_case(floor.bob_own)
    _drained(qtbot, window)
    form = window.form
    assert form.detail is not None and not form.detail.may_edit
    assert not form.applyButton.isEnabled() and not form.noteButton.isEnabled()
    assert form.readOnlyLabel.isVisible() and "update these cases" in form.readOnlyLabel.text()
    assert not window.kbPanel.addButton.isEnabled()


def test_breached_filter_and_urgency_colours(
    qtbot: QtBot, floor: Floor, executor: ThreadPoolExecutor
) -> None:
    opened = datetime(2025, 1, 6, 2, tzinfo=UTC)
    spec = CaseSpec("Old outage", floor.contact, opened_at=opened)
    create_case(floor.sessions, spec, agent="care.ann", default_zone=ZONE)
    window = _open(qtbot, floor, "care.ann", executor)
    window.breachedCheck.setChecked(True)
    _drained(qtbot, window)
    assert window.table.rowCount() == 1
    item = window.table.item(0, 1)
    due = window.table.item(0, 5)
    assert item is not None and item.text() == "Old outage"
    assert due is not None and due.text().startswith("late")
    assert due.background().color().name() == Urgency.BREACHED.value


def test_view_cases_and_a_case_opened_from_the_customer_panel(desk: Desk) -> None:
    context = desk.context
    ref = add_party(context, "Zhang", "San", "+12025550777")
    spec = CaseSpec("Phone line is noisy", ref.id)
    made = create_case(context.database.sessions, spec, agent=context.agent, default_zone=ZONE)
    desk.window.casesAction.trigger()
    cases = desk.window.caseDesk
    assert cases is not None
    desk.wait(lambda: cases.isVisible() and cases.busy == 0)
    assert made.number in _numbers(cases)
    cases.close()

    desk.window.customerPanel.show_party(ref)
    view = desk.window.customerPanel.recordView
    desk.wait(lambda: view.details is not None)
    open_cases = view.timeline.topLevelItem(1)
    assert open_cases is not None
    row = open_cases.child(0)
    assert row is not None and row.data(0, CASE_ROLE) == made.id
    view.timeline.itemDoubleClicked.emit(row, 0)
    desk.wait(lambda: cases.isVisible() and cases.busy == 0 and cases.form.detail is not None)
    assert cases.form.detail is not None and cases.form.detail.case.number == made.number
    cases.close()


def test_during_a_call_the_agent_adds_an_article_to_the_callers_case(desk: Desk) -> None:
    context = desk.context
    sessions = context.database.sessions
    ref = add_party(context, "Wang", "Wu", "+12025550778")
    made = create_case(sessions, CaseSpec("Refund", ref.id), agent=context.agent, default_zone=ZONE)
    set_user(sessions, context.agent, role="supervisor")  # publishes the article below
    import_articles(sessions, [ArticleText("退款流程", "七天无理由退款。", None, None, "t:r")],
                    agent=context.agent)  # fmt: skip
    call_id = desk.phone.offer_call("+12025550778")
    assert call_id is not None
    desk.wait(lambda: desk.controller.call is not None)
    desk.controller.answer()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    # the customer panel's open case opens the case desk while the call goes on
    view = desk.window.customerPanel.recordView
    desk.wait(lambda: view.details is not None and bool(view.details.cases))
    open_cases = view.timeline.topLevelItem(1)
    assert open_cases is not None and open_cases.child(0) is not None
    view.timeline.itemDoubleClicked.emit(open_cases.child(0), 0)
    cases = desk.window.caseDesk
    assert cases is not None
    desk.wait(lambda: cases.busy == 0 and cases.form.detail is not None)
    cases.kbPanel.queryEdit.setText("退款")
    cases.kbPanel.run_search()
    desk.wait(lambda: cases.kbPanel.busy == 0 and bool(cases.kbPanel.hits))
    cases.kbPanel.results.setCurrentRow(0)
    desk.wait(lambda: cases.kbPanel.busy == 0 and cases.kbPanel.addButton.isEnabled())
    cases.kbPanel.addButton.click()
    desk.wait(lambda: cases.busy == 0 and "Article added: 退款流程" in cases.form.timeline_texts())
    assert desk.controller.state.status.value == "talking"  # the call never waited
    assert case_detail(sessions, made.number, agent=None).timeline[-1].kind is EntryKind.ARTICLE
    cases.close()


def test_another_desks_changes_reach_the_open_window_keeping_the_selection(
    qtbot: QtBot, floor: Floor, executor: ThreadPoolExecutor
) -> None:
    window = _open(qtbot, floor, "care.ann", executor)
    _select(window, floor.ann_own)
    _drained(qtbot, window)
    assert window.form.detail is not None and window.form.detail.case.number == floor.ann_own
    reads = window.form.detail
    # the lead opens a case in Ann's team queue on their own desk
    spec = CaseSpec("Fax line crackles", floor.contact, team="Care")
    made = create_case(floor.sessions, spec, agent="care.lead", default_zone=ZONE).number
    qtbot.waitUntil(lambda: made in _numbers(window), timeout=10_000)
    _drained(qtbot, window)
    assert window.selected_numbers() == [floor.ann_own]
    assert window.form.detail is reads  # unchanged, so not read again
    # the lead raises Ann's case: the open form shows it, the row stays selected
    set_details(floor.sessions, floor.ann_own, agent="care.lead", default_zone=ZONE,
                priority=CasePriority.URGENT)  # fmt: skip
    qtbot.waitUntil(
        lambda: (
            window.form.detail is not None
            and window.form.detail.case.priority is CasePriority.URGENT
        ),
        timeout=10_000,
    )
    _drained(qtbot, window)
    assert window.selected_numbers() == [floor.ann_own]


def test_a_new_priority_or_category_in_the_form_counts_the_due_times_again(
    qtbot: QtBot, floor: Floor, executor: ThreadPoolExecutor
) -> None:
    set_policy(floor.sessions, priority=None, category="billing", customer=None,
               targets=Targets(30, 120), agent=None)  # fmt: skip
    window = _open(qtbot, floor, "care.ann", executor)
    _select(window, floor.ann_own)
    _drained(qtbot, window)
    form = window.form
    assert form.detail is not None
    assert form.values["targets"].text() == "4 h / 24 h (defaults)"
    opened = form.detail.case.opened_at
    form.priorityCombo.setCurrentIndex(form.priorityCombo.findData(CasePriority.URGENT))
    form.detailsButton.click()
    _drained(qtbot, window)
    assert form.detail.case.priority is CasePriority.URGENT
    assert form.values["targets"].text() == "1 h / 4 h (defaults)"
    form.categoryEdit.setText("Billing")
    form.detailsButton.click()
    _drained(qtbot, window)
    case = form.detail.case
    assert (case.category, case.sla_policy_id is not None) == ("Billing", True)
    assert form.values["targets"].text() == "30 min / 2 h (policy)"
    assert case.opened_at == opened and case.resolution_due is not None
    assert case.first_response_due is not None and case.first_response_due > opened
