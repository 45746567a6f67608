"""Two desks saving one opportunity's editor form: the lines are part of what a version
guards, and a save that loses the race is refused as stale, never half written (both engines).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Opportunity
from agentdesk.db.errors import StaleRecordError
from agentdesk.sales import opportunity_edit
from agentdesk.sales.documents import LineRequest
from agentdesk.sales.opportunity_edit import (
    OpportunityDetail,
    OpportunityForm,
    opportunity_detail,
    save_opportunity,
)
from tests.ui.sales_support import REP, sales_org


@pytest.fixture
def phones(sessions: sessionmaker[Session], tmp_path: Path) -> OpportunityDetail:
    sales_org(sessions, tmp_path)
    with sessions() as s:
        opp_id = s.scalars(select(Opportunity.id).where(Opportunity.name == "Acme phones")).one()
    return opportunity_detail(sessions, opp_id, actor=REP)


def _form(
    base: OpportunityDetail, lines: tuple[LineRequest, ...], prices: tuple[Decimal, ...]
) -> OpportunityForm:
    assert base.account_id is not None and base.close_date is not None
    return OpportunityForm(
        name=base.name,
        account_id=base.account_id,
        stage=base.stage,
        close=base.close_date,
        lines=lines,
        prices=prices,
    )


def _lines(detail: OpportunityDetail) -> list[tuple[str, Decimal, Decimal]]:
    return [(line.code, line.quantity, line.unit_price) for line in detail.lines]


def test_a_save_of_only_other_lines_moves_the_version(
    sessions: sessionmaker[Session], phones: OpportunityDetail
) -> None:
    two = _form(phones, (LineRequest("A", Decimal(2)),), (Decimal(100),))
    first = save_opportunity(sessions, phones.id, phones.version, two, actor=REP)
    desk_a = opportunity_detail(sessions, phones.id, actor=REP)
    desk_b = opportunity_detail(sessions, phones.id, actor=REP)
    # A: one A at 200 instead of two at 100, the same total: only the lines differ
    one = _form(desk_a, (LineRequest("A", Decimal(1)),), (Decimal(200),))
    saved = save_opportunity(sessions, phones.id, desk_a.version, one, actor=REP)
    assert saved.amount == first.amount == Decimal("200.00")
    assert saved.version > desk_a.version
    other = _form(desk_b, (LineRequest("B", Decimal(1)),), (Decimal(200),))
    with pytest.raises(StaleRecordError):
        save_opportunity(sessions, phones.id, desk_b.version, other, actor=REP)
    assert _lines(opportunity_detail(sessions, phones.id, actor=REP)) == [
        ("A", Decimal(1), Decimal("200.00"))
    ]


@pytest.mark.parametrize("same_total", [True, False])
def test_a_save_that_loses_the_race_is_stale_and_writes_nothing(
    sessions: sessionmaker[Session],
    phones: OpportunityDetail,
    monkeypatch: pytest.MonkeyPatch,
    same_total: bool,
) -> None:
    """Desk B read the row (version checked) when desk A's save commits: B's flush finds
    another version and is refused with StaleRecordError (not the ORM's StaleDataError)."""
    start = save_opportunity(
        sessions, phones.id, phones.version,
        _form(phones, (LineRequest("A", Decimal(2)),), (Decimal(100),)), actor=REP,
    )  # fmt: skip
    desk_a = _form(start, (LineRequest("A", Decimal(1)),), (Decimal(200),))
    desk_b = _form(start, (LineRequest("B", Decimal(1)),), (Decimal(200 if same_total else 300),))
    check_edit = opportunity_edit.check_edit  # B's save has read and checked the version
    raced: list[bool] = []

    def desk_a_then_check(*args: Any, **kwargs: Any) -> None:
        if not raced:  # once: desk A's own save passes here too
            raced.append(True)
            save_opportunity(sessions, start.id, start.version, desk_a, actor=REP)
        check_edit(*args, **kwargs)

    monkeypatch.setattr(opportunity_edit, "check_edit", desk_a_then_check)
    with pytest.raises(StaleRecordError) as stale:
        save_opportunity(sessions, start.id, start.version, desk_b, actor=REP)
    assert raced and stale.value.current["amount"] == Decimal("200.00")
    monkeypatch.undo()
    assert _lines(opportunity_detail(sessions, start.id, actor=REP)) == [
        ("A", Decimal(1), Decimal("200.00"))
    ]
