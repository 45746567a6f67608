"""Screen pop on ringing, before answer: one match, none, several, and the context header."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from agentdesk.crm.models import Account, Contact, Lead
from agentdesk.db.audit import AuditEntry
from agentdesk.domain.enums import AuditAction, OwnerKind
from agentdesk.telephony.cti_context import CtiContext
from agentdesk.ui.desk.record_view import RecordView
from tests.ui.conftest import Desk
from tests.ui.desk_support import add_crm_callback, add_party


def test_one_match_fills_the_panel_while_ringing(desk: Desk, tmp_path: Path) -> None:
    ref = add_party(desk.context, "Grace", "Hopper", "+12025550400", company="Navy Labs")
    panel = desk.window.customerPanel
    assert panel.currentWidget() is panel.emptyPage
    assert "No caller yet" in panel.emptyLabel.text()
    desk.phone.offer_call("+12025550400")
    desk.wait(lambda: panel.currentWidget() is panel.recordView)
    view = panel.recordView
    assert view.nameLabel.text() == "Grace Hopper"
    assert desk.controller.state.status.value == "ringing"  # before answer
    desk.wait(lambda: view.details is not None)  # then the full record
    assert view.details is not None and view.details.id == ref.id
    assert "Navy Labs" in view.companyLabel.text()
    assert [b.text() for b in view.phoneButtons] == ["☎ +12025550400"]
    lines = [json.loads(x) for x in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert [x["event"] for x in lines] == ["call_offered", "screen_pop_shown"]
    assert lines[1]["ts"] >= lines[0]["ts"]


def test_unknown_caller_card_creates_a_contact_prefilled(desk: Desk) -> None:
    panel = desk.window.customerPanel
    call_id = desk.phone.offer_call("+12025550401")
    assert call_id is not None
    desk.wait(lambda: panel.currentWidget() is panel.unknownCard)
    card = panel.unknownCard
    assert card.titleLabel.text() == "Unknown caller"
    assert card.phoneEdit.text() == "+12025550401"
    card.createContactButton.click()
    assert "name" in card.errorLabel.text()  # a name is required
    card.firstEdit.setText("New")
    card.lastEdit.setText("Caller")
    card.companyEdit.setText("Fresh Co")
    card.createContactButton.click()
    desk.wait(lambda: panel.currentWidget() is panel.recordView and panel.recordView.details)
    details = panel.recordView.details
    assert details is not None and details.name == "New Caller" and details.company == "Fresh Co"
    assert [p.e164 for p in details.phones] == ["+12025550401"]
    # The call is now linked to the new contact.
    assert desk.controller.current_party() is not None
    assert desk.controller.current_party().id == details.id  # type: ignore[union-attr]
    # Owned by the agent who created it, and audited as theirs (issue 14): the contact and the
    # account made for its company.
    agent_id = desk.context.agent_id
    with desk.context.database.sessions() as session:
        contact = session.get(Contact, details.id)
        assert contact is not None and contact.owner_id == agent_id
        account = session.get(Account, contact.account_id)
        assert account is not None and account.owner_id == agent_id
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.entity_kind)).all()
        assert [(e.entity_kind, e.entity_id, e.action, e.user_id, e.actor) for e in entries] == [
            ("account", account.id, AuditAction.CREATE, agent_id, "alice"),
            ("contact", contact.id, AuditAction.CREATE, agent_id, "alice"),
        ]
        assert entries[1].details == {"source": "caller", "e164": "+12025550401"}


def test_unknown_caller_can_become_a_lead(desk: Desk) -> None:
    panel = desk.window.customerPanel
    desk.phone.offer_call("+12025550402")
    desk.wait(lambda: panel.currentWidget() is panel.unknownCard)
    panel.unknownCard.lastEdit.setText("Prospect")
    panel.unknownCard.companyEdit.setText("Maybe Inc")
    panel.unknownCard.createLeadButton.click()
    desk.wait(lambda: panel.recordView.details is not None)
    details = panel.recordView.details
    assert details is not None and details.kind is OwnerKind.LEAD
    assert "Lead" in panel.recordView.companyLabel.text()
    with desk.context.database.sessions() as session:
        lead = session.get(Lead, details.id)
        assert lead is not None and lead.owner_id == desk.context.agent_id
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == lead.id))
        assert (entry.action, entry.user_id) == (AuditAction.CREATE, desk.context.agent_id)


def test_several_matches_show_a_chooser(desk: Desk) -> None:
    add_party(desk.context, "Sam", "Shared", "+12025550403", company="Alpha")
    second = add_party(desk.context, "Sue", "Shared", "+12025550403", company="Beta")
    panel = desk.window.customerPanel
    desk.phone.offer_call("+12025550403")
    desk.wait(lambda: panel.currentWidget() is panel.chooser)
    tree = panel.chooser.tree
    assert tree.topLevelItemCount() == 2
    rows = {(tree.topLevelItem(i).text(1), tree.topLevelItem(i).text(2)) for i in range(2)}  # type: ignore[union-attr]
    assert rows == {("Alpha", "never"), ("Beta", "never")}
    for i in range(2):
        item = tree.topLevelItem(i)
        assert item is not None
        if item.text(1) == "Beta":
            tree.setCurrentItem(item)
    panel.chooser.openButton.click()
    desk.wait(lambda: panel.recordView.details is not None)
    assert panel.recordView.details.id == second.id  # type: ignore[union-attr]
    assert desk.controller.current_party() == second


def test_context_header_pops_the_named_record(desk: Desk) -> None:
    add_party(desk.context, "Other", "Owner", "+12025550404")
    named = add_party(desk.context, "Transferred", "Customer", "+12025550405")
    panel = desk.window.customerPanel
    desk.phone.offer_call("+12025550404", context=CtiContext("contact", str(named.id)))
    desk.wait(lambda: panel.recordView.details is not None)
    assert panel.recordView.details.id == named.id  # type: ignore[union-attr]


def test_window_comes_forward_on_a_pop(desk: Desk) -> None:
    window = desk.window
    window.showMinimized()
    desk.wait(lambda: window.isMinimized())
    desk.phone.offer_call("+12025550406")
    desk.wait(lambda: window.customerPanel.currentWidget() is window.customerPanel.unknownCard)
    desk.wait(lambda: not window.isMinimized())


def _timeline(view: RecordView) -> list[tuple[str, list[str]]]:
    """Each history section's header and the "when" of its rows."""
    tree = view.timeline
    sections = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        assert top is not None
        whens = [top.child(j).text(1) for j in range(top.childCount())]
        sections.append((top.text(0), whens))
    return sections


def test_the_pop_and_the_panel_show_the_same_history(desk: Desk) -> None:
    # Three days out: the pop once looked one day ahead and the panel seven.
    due = datetime.now(UTC) + timedelta(days=3)
    ref = add_crm_callback(desk.context, "Same", "+12025550410", due, "in three days")
    view, services = desk.window.customerPanel.recordView, desk.context.services
    (match,) = services.lookup.lookup("+12025550410").matches
    view.show_match(match)
    from_pop = _timeline(view)
    view.show_details(services.records.details(ref))
    from_panel = _timeline(view)
    assert from_pop == from_panel
    assert [header for header, _rows in from_panel] == [
        "Calls (1)",
        "Open cases (0)",
        "Open opportunities (0)",
        "Callbacks (1)",
    ]
