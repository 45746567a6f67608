"""Keyset pages for the pipeline screen: a stage column's cards, or the list view's rows, in
order of expected close date, a page at a time (``sales/pipeline.py`` on main reads by offset).

One query per page, read in index order and stopped at ``limit`` (migration 0021's
``ix_opportunities_stage_close_owner`` for a column, ``ix_opportunities_owner_stage_close``
for one rep's column, ``ix_opportunities_close_owner`` for the list view): the cost of a page
does not grow with the pipeline. The next page starts after the last card (keyset,
``after``), never at an offset, so a page deep in a column costs what the first does. Cards
with no expected close date come after every dated one (both engines: SQLite sorts NULL
first, PostgreSQL last, so they are a second segment read on their own, by id).

What a viewer sees is what they may read (``Access.visible``; on PostgreSQL a desk login's row
policies filter again); ``viewer=None`` is the database owner, who sees everything.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Opportunity
from agentdesk.crm.permissions import acting_access
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import RecordKind
from agentdesk.domain.enums import OpportunityStage
from agentdesk.org.access import Access
from agentdesk.org.models import User
from agentdesk.org.users import AgentRef, find_user
from agentdesk.sales.opportunities import effective_probability, stage_defaults

MAX_LIMIT = 500
UNDATED = "-"
"""The cursor's day for the cards without a close date."""


@dataclass(frozen=True, slots=True)
class PipelineCard:
    id: uuid.UUID
    name: str
    account: str | None
    stage: str
    amount: Decimal | None
    currency: str
    close_date: date | None
    probability: int
    """The effective one: the rep's override, else the stage's default; won 100, lost 0."""
    owner: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "name": self.name,
            "account": self.account,
            "stage": self.stage,
            "amount": str(self.amount) if self.amount is not None else None,
            "currency": self.currency,
            "close_date": self.close_date.isoformat() if self.close_date else None,
            "probability": self.probability,
            "owner": self.owner,
        }


@dataclass(frozen=True, slots=True)
class PipelinePage:
    cards: tuple[PipelineCard, ...]
    after: str | None
    """Give it back as ``after`` for the next page; ``None``: this was the last."""

    def as_json(self) -> dict[str, object]:
        return {"cards": [card.as_json() for card in self.cards], "after": self.after}


def cursor_of(card: PipelineCard) -> str:
    day = card.close_date.isoformat() if card.close_date else UNDATED
    return f"{day}/{card.id}"


def _parse_cursor(after: str) -> tuple[date | None, uuid.UUID]:
    day, _, ident = after.partition("/")
    try:
        return (None if day == UNDATED else date.fromisoformat(day)), uuid.UUID(ident)
    except ValueError:
        raise RequestError(f"{after!r} is not a pipeline page cursor") from None


_COLUMNS: tuple[Any, ...] = (
    Opportunity.id,
    Opportunity.name,
    Opportunity.stage,
    Opportunity.amount,
    Opportunity.currency,
    Opportunity.close_date,
    Opportunity.probability,
    Opportunity.owner_id,
    Opportunity.account_id,
)


def pipeline_page(
    session: Session,
    viewer: Access | None,
    *,
    stage: OpportunityStage | None = None,
    owner: uuid.UUID | None = None,
    limit: int = 50,
    after: str | None = None,
) -> PipelinePage:
    """One page of a stage column (``stage``) or of the list view (``stage=None``), of one
    rep's opportunities (``owner``) or all ``viewer`` may read, after the cursor ``after``
    (from the previous page's :attr:`PipelinePage.after`)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise RequestError(f"a page holds 1 to {MAX_LIMIT} cards")
    base: Select[Any] = select(*_COLUMNS).where(Opportunity.deleted_at.is_(None))
    if stage is not None:
        base = base.where(Opportunity.stage == stage)
    if owner is not None:
        base = base.where(Opportunity.owner_id == owner)
    if viewer is not None:
        base = base.where(
            viewer.visible(RecordKind.OPPORTUNITIES, Opportunity.owner_id, Opportunity.id)
        )
    day, last_id = _parse_cursor(after) if after else (date.min, None)
    rows: list[Any] = []
    if day is not None:  # the dated cards, then (below) the undated ones
        dated = base.where(Opportunity.close_date.is_not(None))
        if last_id is not None:
            dated = dated.where(tuple_(Opportunity.close_date, Opportunity.id) > (day, last_id))
        rows = list(session.execute(_ordered(dated, Opportunity.close_date, limit + 1)))
    if len(rows) <= limit:
        undated = base.where(Opportunity.close_date.is_(None))
        if day is None and last_id is not None:
            undated = undated.where(Opportunity.id > last_id)
        rows += list(session.execute(_ordered(undated, None, limit + 1 - len(rows))))
    cards = _cards(session, rows[:limit])
    more = len(rows) > limit
    return PipelinePage(cards, cursor_of(cards[-1]) if more and cards else None)


def _ordered(query: Select[Any], day: Any, limit: int) -> Select[Any]:
    keys = (day, Opportunity.id) if day is not None else (Opportunity.id,)
    return query.order_by(*keys).limit(limit)


def _cards(session: Session, rows: Sequence[Any]) -> tuple[PipelineCard, ...]:
    """The page's rows with their account and owner names (one small look-up each)."""
    if not rows:
        return ()
    account_ids = {row.account_id for row in rows if row.account_id is not None}
    owner_ids = {row.owner_id for row in rows if row.owner_id is not None}
    accounts: dict[uuid.UUID, str] = {}
    if account_ids:
        query = select(Account.id, Account.name).where(Account.id.in_(account_ids))
        accounts = {key: name for key, name in session.execute(query)}
    owners: dict[uuid.UUID, str] = {}
    if owner_ids:
        query = select(User.id, User.username).where(User.id.in_(owner_ids))
        owners = {key: name for key, name in session.execute(query)}
    defaults = stage_defaults(session)
    return tuple(
        PipelineCard(
            id=row.id,
            name=row.name,
            account=accounts.get(row.account_id),
            stage=OpportunityStage(row.stage).value,
            amount=row.amount,
            currency=row.currency,
            close_date=row.close_date,
            probability=effective_probability(
                OpportunityStage(row.stage), row.probability, defaults.get(row.stage, 0)
            ),
            owner=owners.get(row.owner_id),
        )
        for row in rows
    )


def load_pipeline_page(
    sessions: sessionmaker[Session],
    *,
    actor: AgentRef | None = None,
    stage: OpportunityStage | None = None,
    owner: str | None = None,
    limit: int = 50,
    after: str | None = None,
) -> PipelinePage:
    """:func:`pipeline_page` in its own session, as ``actor`` sees it; ``owner`` a username."""
    with sessions() as session:
        viewer = acting_access(session, actor)
        owner_id = find_user(session, owner).id if owner else None
        return pipeline_page(session, viewer, stage=stage, owner=owner_id, limit=limit, after=after)
