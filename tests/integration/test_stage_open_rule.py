""" "Open" is one rule (crm/chance.py): a stage row neither won nor lost, and a code without a
row counts as open everywhere: the screen pop's history, the party's sales, the forecast and
the pipeline board, which gives it a column. Removing a stage sees every opportunity: only a
user who reads them all removes one, and the removal waits for a move into the stage in
flight (both engines; the hidden row on a PostgreSQL login)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Opportunity, StageSetting
from agentdesk.crm.party_details import PartyRef, read_details
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import OwnerKind
from agentdesk.org.admin import add_user
from agentdesk.org.roles import set_capability
from agentdesk.sales import stages
from agentdesk.sales.forecast import forecast
from agentdesk.sales.opportunities import create_opportunity
from agentdesk.sales.party_sales import party_sales
from agentdesk.sales.pipeline import pipeline_stages
from agentdesk.sales.stages import add_stage, list_stages, remove_stage, stage_for_move
from tests.support.logins import give_logins, login_engine

CLOSE = date(2026, 6, 20)
TODAY = date(2026, 6, 1)


@pytest.fixture
def acme(sessions: sessionmaker[Session]) -> uuid.UUID:
    with unit_of_work(sessions) as s:
        account = Account(name="Acme")
        s.add(account)
        s.flush()
        return account.id


def _deal(sessions: sessionmaker[Session], name: str, stage: str, **kw: Any) -> uuid.UUID:
    view = create_opportunity(
        sessions, account="Acme", name=name, amount=Decimal(100), stage=stage, close=CLOSE, **kw
    )
    return view.id


def test_a_code_without_a_stage_row_is_open_everywhere(
    sessions: sessionmaker[Session], acme: uuid.UUID
) -> None:
    add_stage(sessions, "trial", label="Trial", probability=30)
    _deal(sessions, "Orphan", "trial")
    with unit_of_work(sessions) as s:  # the row removed outside the application
        s.execute(delete(StageSetting).where(StageSetting.stage == "trial"))
    details = read_details(sessions, PartyRef(OwnerKind.ACCOUNT, acme), limit=5, now=utcnow())
    assert [item.title for item in details.opportunities] == ["Orphan"]
    sales = party_sales(sessions, OwnerKind.ACCOUNT, acme)
    assert [item.title for item in sales.opportunities] == ["Orphan"]
    ahead = forecast(sessions, by="month", start=TODAY, end=CLOSE, today=TODAY)
    assert (ahead.totals.count, ahead.totals.unweighted) == (1, Decimal("100.00"))
    columns = [column.stage for column in pipeline_stages(sessions)]
    assert columns[columns.index("trial") + 1] == "closed_won"  # open: before won and lost
    assert columns.count("trial") == 1


def test_only_a_user_who_reads_every_opportunity_removes_a_stage(
    sessions: sessionmaker[Session], acme: uuid.UUID
) -> None:
    set_capability(sessions, "sales_manager", "manage_users", True)
    add_user(sessions, "s.boss", name="Boss", role="sales_manager")
    add_user(sessions, "root", name="Root", role="admin")
    add_stage(sessions, "unused", label="Unused", probability=5)
    with pytest.raises(RequestError, match="reads every opportunity"):
        remove_stage(sessions, "unused", actor="s.boss")  # a department's reads: cannot know
    remove_stage(sessions, "unused", actor="root")
    assert "unused" not in [s.code for s in list_stages(sessions)]


def test_a_removal_waits_for_a_move_into_the_stage_in_flight(
    sessions: sessionmaker[Session], acme: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_stage(sessions, "trial", label="Trial", probability=30)
    locking = threading.Event()
    lock = stages.lock_stage

    def noted(session: Session, code: str, *, remove: bool = False) -> None:
        if remove:
            locking.set()
        lock(session, code, remove=remove)

    monkeypatch.setattr(stages, "lock_stage", noted)
    outcome: list[BaseException | None] = []

    def removal() -> None:
        try:
            remove_stage(sessions, "trial")
            outcome.append(None)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    with sessions() as mover, mover.begin():
        into = stage_for_move(mover, "trial")  # the move holds the stage from here
        mover.add(Opportunity(name="Late", stage=into.code, account_id=acme, currency="CNY"))
        mover.flush()
        remover = threading.Thread(target=removal)
        remover.start()
        _until(lambda: locking.is_set() or not remover.is_alive())
    remover.join()
    assert isinstance(outcome[0], RequestError) and "in use" in str(outcome[0])
    assert "trial" in [s.code for s in list_stages(sessions)]


def _until(done: Callable[[], bool]) -> None:
    while not done():
        threading.Event().wait(0.01)


def test_a_manager_login_cannot_remove_a_stage_an_unseen_opportunity_is_in(
    pg_engine: Engine, pg_database_url: str
) -> None:
    owner = session_factory(pg_engine)
    with unit_of_work(owner) as s:
        s.add(Account(name="Acme"))
    set_capability(owner, "sales_manager", "manage_users", True)
    add_user(owner, "s.boss", name="Boss", role="sales_manager")
    add_user(owner, "rep.a", name="Rep A", role="sales_rep")
    give_logins(owner, ["s.boss"])
    add_stage(owner, "trial", label="Trial", probability=30)
    _deal(owner, "Theirs", "trial", owner="rep.a")
    boss = login_engine(pg_database_url, "s.boss")
    try:
        with session_factory(boss)() as s:  # the boss's login does not see the deal
            assert s.scalars(select(Opportunity).where(Opportunity.stage == "trial")).all() == []
        with pytest.raises(RequestError, match="reads every opportunity"):
            remove_stage(session_factory(boss), "trial")
    finally:
        boss.dispose()
    assert "trial" in [s.code for s in list_stages(owner)]
