"""A popped party's sales for the customer panel: its open opportunities, live quotes and
orders (of the contact's account, or the account's), each limited to what the user may read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.chance import stage_is_open
from agentdesk.crm.models import Account, Contact, Opportunity
from agentdesk.crm.permissions import acting_access
from agentdesk.domain.access import RecordKind
from agentdesk.domain.enums import OwnerKind
from agentdesk.org.users import AgentRef
from agentdesk.sales.models import Order, Quote
from agentdesk.sales.money import currency
from agentdesk.sales.status import OrderStatus, QuoteStatus

SHOWN = 20
"""Rows of each kind the panel shows (the newest)."""
LIVE_QUOTES = (QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.ACCEPTED)
LIVE_ORDERS = (OrderStatus.DRAFT, OrderStatus.SUBMITTED, OrderStatus.APPROVED, OrderStatus.REJECTED)


@dataclass(frozen=True, slots=True)
class SalesItem:
    """One row of the panel: an opportunity (its id and name) or a quote or order (number)."""

    id: uuid.UUID
    title: str
    """The opportunity's name, the quote's or order's number."""
    revision: int | None
    status: str
    amount: Decimal | None
    currency: str
    day: date | None
    """An opportunity's close date; a quote's validity; an order's delivery date."""
    account: str | None = None


@dataclass(frozen=True, slots=True)
class PartySales:
    account_id: uuid.UUID | None
    account: str | None
    contact_id: uuid.UUID | None
    opportunities: tuple[SalesItem, ...]
    quotes: tuple[SalesItem, ...]
    orders: tuple[SalesItem, ...]
    contact: str | None = None
    """The contact's name, when the party is a contact."""


def _party(
    session: Session, kind: OwnerKind, party_id: uuid.UUID
) -> tuple[Account | None, uuid.UUID | None]:
    match kind:
        case OwnerKind.CONTACT:
            contact = session.get(Contact, party_id)
            account = (
                session.get(Account, contact.account_id) if contact and contact.account_id else None
            )
            return account, party_id
        case OwnerKind.ACCOUNT:
            return session.get(Account, party_id), None
        case _:
            return None, None


def party_sales(
    sessions: sessionmaker[Session],
    kind: OwnerKind,
    party_id: uuid.UUID,
    *,
    actor: AgentRef | None = None,
) -> PartySales:
    """The party's open opportunities, draft/sent/accepted quotes (newest revision) and
    orders not yet fulfilled or cancelled; a lead has none until it is converted."""
    with sessions() as session:
        account, contact_id = _party(session, kind, party_id)
        if account is None and contact_id is None:
            return PartySales(None, None, None, (), (), ())
        access = acting_access(session, actor)
        account_id = account.id if account else None
        contact = session.get(Contact, contact_id) if contact_id else None
        contact_name = contact.full_name if contact else None

        def of_party(account_col: Any, contact_col: Any) -> ColumnElement[bool]:
            tests = []
            if account_id is not None:
                tests.append(account_col == account_id)
            if contact_id is not None:
                tests.append(contact_col == contact_id)
            return or_(*tests)

        opp_query = select(Opportunity).where(
            of_party(Opportunity.account_id, Opportunity.contact_id),
            Opportunity.deleted_at.is_(None),
            stage_is_open(Opportunity.stage.expression),
        )
        newest = (
            select(Quote.number, func.max(Quote.revision).label("revision"))
            .where(Quote.deleted_at.is_(None))
            .group_by(Quote.number)
            .subquery()
        )
        quote_query = (
            select(Quote)
            .join(newest, (newest.c.number == Quote.number) & (newest.c.revision == Quote.revision))
            .where(
                of_party(Quote.account_id, Quote.contact_id),
                Quote.status.in_(LIVE_QUOTES),
            )
        )
        order_query = select(Order).where(
            of_party(Order.account_id, Order.contact_id),
            Order.deleted_at.is_(None),
            Order.status.in_(LIVE_ORDERS),
        )
        if access is not None:
            opp_query = opp_query.where(
                access.visible(RecordKind.OPPORTUNITIES, Opportunity.owner_id, Opportunity.id)
            )
            quote_query = quote_query.where(
                access.visible(RecordKind.QUOTES, Quote.owner_id, Quote.id)
            )
            order_query = order_query.where(
                access.visible(RecordKind.ORDERS, Order.owner_id, Order.id)
            )
        opportunities = tuple(
            SalesItem(o.id, o.name, None, o.stage, o.amount, o.currency, o.close_date)
            for o in session.scalars(opp_query.order_by(Opportunity.close_date).limit(SHOWN))
        )
        quotes = tuple(
            SalesItem(
                q.id,
                q.number,
                q.revision,
                q.status.value,
                currency(q.currency).from_minor(q.gross_minor),
                q.currency,
                q.valid_until,
            )
            for q in session.scalars(quote_query.order_by(Quote.number.desc()).limit(SHOWN))
        )
        orders = tuple(
            SalesItem(
                o.id,
                o.number,
                None,
                o.status.value,
                currency(o.currency).from_minor(o.gross_minor),
                o.currency,
                o.delivery_date,
            )
            for o in session.scalars(order_query.order_by(Order.number.desc()).limit(SHOWN))
        )
        return PartySales(
            account_id,
            account.name if account else None,
            contact_id,
            opportunities,
            quotes,
            orders,
            contact_name,
        )


def recent_quotes(
    sessions: sessionmaker[Session], *, limit: int = 200, actor: AgentRef | None = None
) -> tuple[SalesItem, ...]:
    """The newest revision of the newest quotes the user may read, any status."""
    newest = (
        select(Quote.number, func.max(Quote.revision).label("revision"))
        .where(Quote.deleted_at.is_(None))
        .group_by(Quote.number)
        .subquery()
    )
    query = (
        select(Quote, Account.name)
        .join(newest, (newest.c.number == Quote.number) & (newest.c.revision == Quote.revision))
        .join(Account, Account.id == Quote.account_id)
    )
    with sessions() as session:
        access = acting_access(session, actor)
        if access is not None:
            query = query.where(access.visible(RecordKind.QUOTES, Quote.owner_id, Quote.id))
        rows = session.execute(query.order_by(Quote.number.desc()).limit(limit))
        return tuple(
            SalesItem(
                q.id,
                q.number,
                q.revision,
                q.status.value,
                currency(q.currency).from_minor(q.gross_minor),
                q.currency,
                q.valid_until,
                account,
            )
            for q, account in rows
        )
