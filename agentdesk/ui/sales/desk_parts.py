"""The sales module's parts on the desk's main window, made in one place: the Sales menu, the
customer panel's sales box, and the Leads window's door with its "Convert lead" button."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from agentdesk.app.desktop import DesktopContext
from agentdesk.app.leads import LeadsService
from agentdesk.app.sales import SalesService
from agentdesk.ui.sales.leads_desk import LeadsDesk
from agentdesk.ui.sales.menu import SalesMenu
from agentdesk.ui.sales.party_sales import PartySalesBox, attach_party_sales

if TYPE_CHECKING:
    from agentdesk.ui.shell.main_window import MainWindow


@dataclass(frozen=True, slots=True)
class SalesParts:
    menu: SalesMenu
    party: PartySalesBox
    leads: LeadsDesk


def attach_sales(window: MainWindow, context: DesktopContext) -> SalesParts:
    sessions, agent, executor = context.database.sessions, context.agent, context.executor
    sales = SalesService(sessions, agent)
    return SalesParts(
        SalesMenu(window, sales, executor),
        attach_party_sales(window.customerPanel, sales, executor),
        LeadsDesk(window, LeadsService(sessions, agent), executor),
    )
