"""The pipeline's pages on both engines: a stage column and the list view in close-date order,
page after page with nothing skipped or repeated (undated cards last), one rep's column, and
only what the viewer may read."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Opportunity
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.enums import OpportunityStage as S
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.users import find_user
from agentdesk.sales.pipeline_pages import PipelineCard, load_pipeline_page

DAY = date(2026, 7, 1)


@pytest.fixture
def deals(sessions: sessionmaker[Session]) -> list[tuple[str, S, date | None, str | None]]:
    add_team(sessions, "Sales")
    for name in ("pipe.rep", "pipe.rep2"):
        add_user(sessions, name, name=name, role="sales_rep", team="Sales")
    made = []
    with unit_of_work(sessions) as s:
        account = Account(name="Acme")
        s.add(account)
        s.flush()
        owners = {n: find_user(s, n).id for n in ("pipe.rep", "pipe.rep2")}
        for n in range(30):
            stage = (S.PROPOSAL, S.NEGOTIATION, S.CLOSED_WON)[n % 3]
            close = None if n % 7 == 0 else DAY + timedelta(days=(n * 11) % 17)  # ties too
            owner = (None, "pipe.rep", "pipe.rep2")[n % 3 if n % 5 else 0]
            s.add(
                Opportunity(
                    name=f"Deal {n:02d}", account_id=account.id, stage=stage, close_date=close,
                    amount=Decimal(n), currency="CNY", owner_id=owners.get(owner or ""),
                )
            )  # fmt: skip
            made.append((f"Deal {n:02d}", stage, close, owner))
    return made


def _all_pages(sessions: sessionmaker[Session], limit: int, **kw: object) -> list[PipelineCard]:
    cards: list[PipelineCard] = []
    after = None
    for _ in range(100):
        page = load_pipeline_page(sessions, limit=limit, after=after, **kw)  # type: ignore[arg-type]
        assert len(page.cards) <= limit
        cards += page.cards
        after = page.after
        if after is None:
            return cards
    raise AssertionError("the pages never ended")


def _expected(deals: list, keep: object) -> list[str]:
    chosen = [d for d in deals if keep(d)]  # type: ignore[operator]
    dated = sorted((d for d in chosen if d[2] is not None), key=lambda d: d[2])
    undated = [d for d in chosen if d[2] is None]
    return [d[0] for d in dated + undated]


def _key(card: PipelineCard) -> tuple[date, uuid.UUID]:
    return (card.close_date or date.max, card.id)


@pytest.mark.parametrize("limit", [1, 2, 50])
def test_a_stage_column_pages_through_in_close_date_order(
    sessions: sessionmaker[Session], deals: list, limit: int
) -> None:
    cards = _all_pages(sessions, limit, stage=S.NEGOTIATION)
    names = [card.name for card in cards]
    assert sorted(names) == sorted(_expected(deals, lambda d: d[1] is S.NEGOTIATION))
    assert [_key(c) for c in cards] == sorted(_key(c) for c in cards)  # ties broken by id
    assert cards[-1].close_date is None and cards[0].close_date is not None
    assert {c.probability for c in cards} == {70}


def test_the_list_view_one_reps_column_and_what_a_rep_sees(
    sessions: sessionmaker[Session], deals: list
) -> None:
    listed = _all_pages(sessions, 4)
    assert len(listed) == 30 and len({c.id for c in listed}) == 30
    assert [_key(c) for c in listed] == sorted(_key(c) for c in listed)
    mine = _all_pages(sessions, 3, stage=S.PROPOSAL, owner="pipe.rep")
    assert sorted(c.name for c in mine) == sorted(
        _expected(deals, lambda d: d[1] is S.PROPOSAL and d[3] == "pipe.rep")
    )
    seen = _all_pages(sessions, 5, actor="pipe.rep")
    assert {c.owner for c in seen} == {"pipe.rep", None}  # their own and the pool
    assert len(seen) == len([d for d in deals if d[3] in ("pipe.rep", None)])
    first = load_pipeline_page(sessions, stage=S.CLOSED_WON, limit=2)
    assert [c.probability for c in first.cards] == [100, 100] and first.after
    assert first.cards[0].account == "Acme" and first.as_json()["after"] == first.after
    with pytest.raises(RequestError, match="cursor"):
        load_pipeline_page(sessions, after="yesterday")
    with pytest.raises(RequestError, match="1 to 500"):
        load_pipeline_page(sessions, limit=0)
