"""A sales organisation for the sales screens' tests: a team with two reps, an agent, a sales
manager, the account Acme (the rep's), two products and a few opportunities."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.enums import OpportunityStage
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.users import find_user
from agentdesk.sales.opportunities import create_opportunity
from agentdesk.sales.product_import import import_products

USERS = {
    "s.rep": ("sales_rep", "East"),
    "s.agent": ("agent", "East"),
    "s.manager": ("sales_manager", "Sales"),
}
REP, AGENT, MANAGER = USERS


class Busy(Protocol):
    @property
    def pending(self) -> int: ...


def settle(qtbot: QtBot, *screens: Busy, timeout: int = 10_000) -> None:
    """Wait until the screens' background reads and changes are all done."""
    qtbot.waitUntil(lambda: all(s.pending == 0 for s in screens), timeout=timeout)


def sales_org(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    add_team(sessions, "Sales")
    add_team(sessions, "East", parent="Sales")
    for name, (role, team) in USERS.items():
        add_user(sessions, name, name=name, role=role, team=team)
    with unit_of_work(sessions) as s:
        s.add(Account(name="Acme", owner_id=find_user(s, REP).id))
    path = tmp_path / "products.csv"
    path.write_text(
        "code,name,unit,category,price,tax_rate\n"
        "A,Alpha,pc,Hardware,100,13%\nB,Beta,box,Service,2500,6%\n",
        "utf-8",
    )
    import_products(sessions, path)
    soon = date.today() + timedelta(days=20)
    for name, stage, amount in (
        ("Acme phones", OpportunityStage.PROSPECTING, "12000"),
        ("Acme headsets", OpportunityStage.QUALIFICATION, "3400.50"),
        ("Acme support", OpportunityStage.PROPOSAL, "800"),
    ):
        create_opportunity(
            sessions,
            account="Acme",
            name=name,
            amount=Decimal(amount),
            stage=stage,
            close=soon,
            actor=REP,
        )


def executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="db")
