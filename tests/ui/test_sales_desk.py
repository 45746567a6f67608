"""The sales screens on the desk: the Sales menu opens the sales window on the chosen tab, and
the customer panel shows the shown party's sales under its record."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agentdesk.crm.models import Account
from agentdesk.crm.party_details import PartyRef
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.enums import OpportunityStage, OwnerKind
from agentdesk.sales.opportunities import create_opportunity
from tests.ui.conftest import Desk, close_desk, open_desk


@pytest.fixture
def desk(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Desk]:
    desk = open_desk(qtbot, qloop, tmp_path, role="sales_manager")
    yield desk
    close_desk(desk)


def test_the_sales_menu_opens_the_sales_window_on_its_tab(desk: Desk) -> None:
    menu = desk.window.salesMenu
    titles = [action.text() for action in desk.window.menuBar().actions()]
    assert titles.index("Sa&les") == titles.index("&Help") - 1
    menu.forecastAction.trigger()
    sales = menu.salesWindow
    assert sales is not None and sales.isVisible()
    desk.wait(lambda: sales.pending == 0)
    assert sales.tabs.currentWidget() is sales.forecast
    assert sales.forecast.cell(0, 0) == "Total"  # an empty period: the totals row alone
    menu.pipelineAction.trigger()
    desk.wait(lambda: sales.pending == 0)
    assert sales.tabs.currentWidget() is sales.pipeline
    assert len(sales.pipeline.columns) == len(OpportunityStage)
    sales.close()


def test_the_customer_panel_shows_the_partys_sales(desk: Desk) -> None:
    sessions = desk.context.database.sessions
    with unit_of_work(sessions) as s:
        account = Account(name="Globex")
        s.add(account)
        s.flush()
        account_id = account.id
    create_opportunity(
        sessions,
        account="Globex",
        name="Globex headsets",
        amount=Decimal("4200"),
        stage=OpportunityStage.PROPOSAL,
        close=date.today() + timedelta(days=9),
        actor=desk.context.agent,
    )
    box = desk.window.partySales
    desk.window.customerPanel.show_party(PartyRef(OwnerKind.ACCOUNT, account_id))
    desk.wait(lambda: box.pending == 0 and box.sales is not None)
    assert box.isVisible() and box.quoteButton.isEnabled()
    top = box.tree.topLevelItem(0)
    assert top is not None and top.childCount() == 1
    child = top.child(0)
    assert child is not None and child.text(0).startswith("Globex headsets")
    assert child.text(2) == "4,200.00 CNY"
