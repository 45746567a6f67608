"""The pipeline screen's reads: the stages in the admin's order and pages of opportunities.

The probability a card shows and the one the list sorts by are the opportunity's stored
``chance`` (``crm/chance.py``: 100 won, 0 lost, the override, else the stage's default), so
the list sorted by it reads one range of its index (migration 0030) like the close date's.

A page is read with ``LIMIT``/``OFFSET`` in the order asked for (the board reads each stage's
first page, the list view one page of all), so the first screen never reads the whole table.
Rows are limited to what the user may read (``Access.visible``), as the forecast is.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, case, false, func, select, true
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Opportunity, StageSetting
from agentdesk.crm.permissions import acting_access
from agentdesk.domain.access import Action, Capability, RecordKind
from agentdesk.org.access import Access
from agentdesk.org.models import User
from agentdesk.org.users import AgentRef, active_usernames
from agentdesk.sales.stages import read_stages

PAGE_SIZE = 50
SORTS = ("close_date", "name", "account", "amount", "owner", "stage", "probability")


@dataclass(frozen=True, slots=True)
class StageColumn:
    stage: str
    """The stage's code."""
    probability: int
    """The stage's default probability (won 100, lost 0)."""
    label: str = ""
    label_zh: str = ""
    won: bool = False
    lost: bool = False
    active: bool = True
    """A retired stage is a column only while it holds opportunities; no card moves in."""

    @property
    def is_open(self) -> bool:
        return not (self.won or self.lost)


@dataclass(frozen=True, slots=True)
class PipelineFilter:
    owner: str | None = None
    """A username; ``None``: everyone the user may read."""
    stages: tuple[str, ...] = ()
    """Stage codes; empty: every stage."""
    close_from: date | None = None
    close_to: date | None = None
    sort: str = "close_date"
    descending: bool = False


@dataclass(frozen=True, slots=True)
class PipelineCard:
    id: uuid.UUID
    name: str
    account: str | None
    amount: Decimal | None
    currency: str
    close_date: date | None
    owner: str | None
    stage: str
    probability: int
    editable: bool = True
    """Whether the user may change it (move it to another stage)."""


@dataclass(frozen=True, slots=True)
class PipelinePage:
    cards: tuple[PipelineCard, ...]
    offset: int
    more: bool
    """Whether rows follow this page."""


def pipeline_stages(sessions: sessionmaker[Session]) -> tuple[StageColumn, ...]:
    """The board's columns in the admin's order: the active stages, a retired one while
    opportunities are still in it, and a code without a stage row while opportunities have
    it (open, ``crm/chance.py``: a column before the first won or lost one, no card moves
    in)."""
    with sessions() as session:
        stages = read_stages(session)
        rowless = sorted(_stage_codes(session) - {stage.code for stage in stages})
        wanted = [stage.code for stage in stages if not stage.active] + rowless
        held: set[str] = set()
        if wanted:
            live = Opportunity.deleted_at.is_(None)
            query = select(Opportunity.stage).where(Opportunity.stage.in_(wanted), live)
            held = set(session.scalars(query.distinct()))
    columns = [
        StageColumn(
            stage.code,
            stage.probability,
            label=stage.label,
            label_zh=stage.label_zh,
            won=stage.won,
            lost=stage.lost,
            active=stage.active,
        )
        for stage in stages
        if stage.active or stage.code in held
    ]
    at = next((i for i, column in enumerate(columns) if not column.is_open), len(columns))
    orphans = [StageColumn(code, 0, active=False) for code in rowless if code in held]
    return (*columns[:at], *orphans, *columns[at:])


def _stage_codes(session: Session) -> set[str]:
    """Every stage code opportunities have (deleted ones too), one index probe a code (a loose
    scan of the stage-first index) rather than a read of every row."""
    codes = select(func.min(Opportunity.stage).label("code")).cte("codes", recursive=True)
    after = select(func.min(Opportunity.stage)).where(Opportunity.stage > codes.c.code)
    codes = codes.union_all(select(after.scalar_subquery()).where(codes.c.code.is_not(None)))
    return {code for code in session.scalars(select(codes.c.code)) if code is not None}


def _sort_key(by: str) -> ColumnElement[Any]:
    match by:
        case "name":
            return Opportunity.name.expression
        case "account":
            return Account.name.expression
        case "amount":
            return Opportunity.amount.expression
        case "owner":
            return User.username.expression
        case "stage":  # the admin's order, not the codes'
            return StageSetting.position.expression
        case "probability":
            return Opportunity.chance.expression
        case _:
            return Opportunity.close_date.expression


def _query(flt: PipelineFilter, editable: ColumnElement[Any] | None = None) -> Select[Any]:
    columns: list[Any] = [
        Opportunity.id,
        Opportunity.name,
        Account.name,
        Opportunity.amount,
        Opportunity.currency,
        Opportunity.close_date,
        User.username,
        Opportunity.stage,
        Opportunity.chance,
        true() if editable is None else editable,
    ]
    query = (
        select(*columns)
        .outerjoin(Account, Account.id == Opportunity.account_id)
        .outerjoin(User, User.id == Opportunity.owner_id)
        .where(Opportunity.deleted_at.is_(None))
    )
    if flt.sort == "stage":
        query = query.outerjoin(StageSetting, StageSetting.stage == Opportunity.stage)
    if flt.stages:
        query = query.where(Opportunity.stage.in_(flt.stages))
    if flt.close_from is not None:
        query = query.where(Opportunity.close_date >= flt.close_from)
    if flt.close_to is not None:
        query = query.where(Opportunity.close_date <= flt.close_to)
    key = _sort_key(flt.sort)
    tie = Opportunity.id.desc() if flt.descending else Opportunity.id.asc()
    if flt.sort == "close_date":
        # the index's order (migration 0021's lead with these columns): a page is one range
        # of it. Every opportunity the service creates has a close date, so where NULLs sort
        # (first on SQLite, last on PostgreSQL) concerns only rows written around it.
        return query.order_by(key.desc() if flt.descending else key.asc(), tie)
    if flt.sort == "probability":
        # never NULL: the order of migration 0030's indexes, then the close date and the id
        # in the same direction, so a page is one range of them too
        close = Opportunity.close_date
        if flt.descending:
            return query.order_by(key.desc(), close.desc(), tie)
        return query.order_by(key.asc(), close.asc(), tie)
    # other columns sort every matching row: nulls last in both directions and engines
    nulls = case((key.is_(None), 1), else_=0)
    return query.order_by(nulls, key.desc() if flt.descending else key.asc(), tie)


def pipeline_page(
    sessions: sessionmaker[Session],
    flt: PipelineFilter,
    *,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    actor: AgentRef | None = None,
) -> PipelinePage:
    """One page of the opportunities ``flt`` selects, in its order."""
    if flt.sort not in SORTS:
        raise ValueError(f"sort by {flt.sort!r}: use {', '.join(SORTS)}")
    with sessions() as session:
        return _page(session, acting_access(session, actor), flt, offset, limit)


def pipeline_board(
    sessions: sessionmaker[Session],
    flt: PipelineFilter,
    stages: Sequence[str],
    *,
    per_stage: int = PAGE_SIZE,
    actor: AgentRef | None = None,
) -> dict[str, PipelinePage]:
    """Each of ``stages``' first page (the board's columns), in one session: the user's
    permissions are read once, not once a column."""
    with sessions() as session:
        access = acting_access(session, actor)
        return {
            stage: _page(session, access, replace(flt, stages=(stage,)), 0, per_stage)
            for stage in stages
        }


def _page(
    session: Session, access: Access | None, flt: PipelineFilter, offset: int, limit: int
) -> PipelinePage:
    editable = None
    if access is not None:
        may = access.visible(
            RecordKind.OPPORTUNITIES, Opportunity.owner_id, Opportunity.id, Action.UPDATE
        )
        editable = case((may, true()), else_=false())
    query = _query(flt, editable)
    if flt.owner:
        owner_id = session.scalar(select(User.id).where(User.username == flt.owner))
        if owner_id is None:  # no such user: none of theirs (not the unowned pool)
            return PipelinePage((), offset, False)
        query = query.where(Opportunity.owner_id == owner_id)
    if access is not None:
        query = query.where(
            access.visible(RecordKind.OPPORTUNITIES, Opportunity.owner_id, Opportunity.id)
        )
    rows = session.execute(query.offset(offset).limit(limit + 1)).all()
    cards = tuple(
        PipelineCard(
            id=row[0],
            name=row[1],
            account=row[2],
            amount=row[3],
            currency=row[4],
            close_date=row[5],
            owner=row[6],
            stage=row[7],
            probability=int(row[8]),
            editable=bool(row[9]),
        )
        for row in rows[:limit]
    )
    return PipelinePage(cards, offset, len(rows) > limit)


def pipeline_owners(sessions: sessionmaker[Session]) -> tuple[str, ...]:
    """The usernames the owner filter offers."""
    with sessions() as session:
        return active_usernames(session)


def may_approve_orders(sessions: sessionmaker[Session], actor: AgentRef | None) -> bool:
    """Whether the user approves orders (a sales manager): the order screen's buttons."""
    with sessions() as session:
        access = acting_access(session, actor)
        return access is None or access.has(Capability.APPROVE_ORDERS)
