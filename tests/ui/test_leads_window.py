"""View > Leads (filters, assign, round-robin, convert, disqualify) and Convert on a lead
popped by a call, on the desk's real database."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agentdesk.crm.models import Contact, Lead
from agentdesk.domain.enums import LeadStatus, OwnerKind
from agentdesk.org.admin import add_team, add_user, set_user
from agentdesk.org.users import find_user
from agentdesk.sales.models import LeadConversion
from agentdesk.ui.sales.leads_window import LeadsWindow
from tests.ui.conftest import Desk, close_desk, open_desk
from tests.ui.desk_support import add_party


def _names(window: LeadsWindow) -> list[str]:
    return [window.table.item(r, 0).text() for r in range(window.table.rowCount())]


def _select(window: LeadsWindow, *names: str) -> None:
    window.table.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row, name in enumerate(_names(window)):
        if name in names:
            window.table.selectionModel().select(window.table.model().index(row, 0), flags)


def test_the_leads_window_filters_assigns_converts_and_disqualifies(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    desk = open_desk(qtbot, qloop, tmp_path, role="sales_manager")
    try:
        sessions = desk.context.database.sessions
        add_team(sessions, "Sales")
        add_team(sessions, "Inside", parent="Sales")
        set_user(sessions, desk.context.agent, team="Sales")
        for name in ("ui.rep1", "ui.rep2"):
            add_user(sessions, name, name=name, role="sales_rep", team="Inside")
        with sessions.begin() as s:
            for first, source in (("Ann", "web"), ("Bob", "fair"), ("Cai", "web")):
                s.add(Lead(first_name=first, last_name="Lee", source=source, company=f"{first} Co"))
        desk.window.leadsAction.trigger()
        window = desk.window.leadsDesk.leadsWindow
        assert window is not None and window.isVisible()
        desk.wait(lambda: window.busy == 0 and window.table.rowCount() == 3)
        assert (
            window.userCombo.findText("ui.rep1") >= 0 and window.teamCombo.findText("Inside") >= 0
        )
        window.sourceEdit.setText("web")
        window.searchButton.click()
        desk.wait(lambda: window.busy == 0 and sorted(_names(window)) == ["Ann Lee", "Cai Lee"])
        _select(window, "Ann Lee", "Cai Lee")
        assert len(window.selected_ids()) == 2
        window.teamCombo.setCurrentText("Inside")
        window.roundRobinButton.click()
        desk.wait(lambda: window.busy == 0 and "Dealt out" in window.messageLabel.text())
        with sessions() as s:
            owners = set(s.scalars(select(Lead.owner_id).where(Lead.source == "web")))
            assert owners == {find_user(s, "ui.rep1").id, find_user(s, "ui.rep2").id}
        _select(window, "Ann Lee")
        window.convertButton.click()
        desk.wait(lambda: window.busy == 0 and "Converted" in window.messageLabel.text())
        with sessions() as s:
            assert len(s.scalars(select(LeadConversion)).all()) == 1
        window.sourceEdit.setText("")
        window.searchButton.click()
        desk.wait(lambda: window.busy == 0 and window.table.rowCount() == 3)
        bob = next(v.id for v in window.leads if v.name == "Bob Lee")
        window.disqualify(bob, "no budget")
        desk.wait(lambda: window.busy == 0 and "disqualified" in window.messageLabel.text())
        _select(window, "Bob Lee")
        window.convertButton.click()  # a disqualified lead is refused, and said so
        desk.wait(lambda: window.busy == 0 and "⚠" in window.messageLabel.text())
        with sessions() as s:
            assert s.scalars(select(Lead.status).where(Lead.first_name == "Bob")).one() is (
                LeadStatus.DISQUALIFIED
            )
        window.fromEdit.setText("soon")
        window.searchButton.click()
        assert "not a date" in window.messageLabel.text()
        window.close()
    finally:
        close_desk(desk)


def test_a_lead_popped_by_a_call_is_converted_from_the_status_bar(desk: Desk) -> None:
    ref = add_party(desk.context, "Lin", "Wu", "+12025550499", company="Wu Trading",
                    kind=OwnerKind.LEAD)  # fmt: skip
    button = desk.window.leadsDesk.convertButton
    assert not button.isVisible()
    panel = desk.window.customerPanel
    desk.phone.offer_call("+12025550499")
    desk.wait(lambda: panel.party is not None and button.isVisible())
    button.click()
    desk.wait(lambda: panel.party is not None and panel.party.kind is OwnerKind.CONTACT)
    assert not button.isVisible()
    with desk.context.database.sessions() as s:
        conversion = s.get(LeadConversion, ref.id)
        assert conversion is not None and panel.party.id == conversion.contact_id
        contact = s.get(Contact, conversion.contact_id)
        assert contact is not None and contact.last_name == "Wu"
