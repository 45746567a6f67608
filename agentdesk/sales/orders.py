"""Orders: from an accepted quote (its lines copied) or entered directly, then approval.

Draft -> submitted -> approved (or rejected with a reason, which the rep may edit and submit
again) -> fulfilled; anything but fulfilled may be cancelled. Submitting approves at once when
the gross is below the admin's limit for the currency (``order_approval_limits``); otherwise a
holder of ``approve_orders`` (a sales manager) approves or rejects. Once submitted the order
is locked for the rep: only an approver edits it, and such an edit of an approved order is
audited with the totals before and after. PostgreSQL enforces the same (migration 0016).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account
from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import audit
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Action, Capability, RecordKind
from agentdesk.domain.enums import AuditAction
from agentdesk.org.access import Access
from agentdesk.org.models import User
from agentdesk.org.users import AgentRef, actor_of, user_by_ref
from agentdesk.sales.catalogue import price_list_named, product_by_code, unit_price
from agentdesk.sales.documents import (
    DocumentView,
    LineRequest,
    Priced,
    price_lines,
    view_of,
    write_lines,
)
from agentdesk.sales.models import Order, OrderLine, PriceList, Quote, QuoteLine
from agentdesk.sales.money import currency
from agentdesk.sales.numbering import ORDER, document_year, take_number
from agentdesk.sales.party_refs import find_account
from agentdesk.sales.payment_plans import InstalmentView, plan_view, replan
from agentdesk.sales.quotes import DEFAULT_CURRENCY, latest
from agentdesk.sales.status import OrderStatus, QuoteStatus

OPEN = (OrderStatus.DRAFT, OrderStatus.REJECTED)


def _copy(line: QuoteLine) -> dict[str, object]:
    return {
        "product_id": line.product_id,
        "code": line.code,
        "description": line.description,
        "unit": line.unit,
        "quantity_milli": line.quantity_milli,
        "unit_price_minor": line.unit_price_minor,
        "discount_bp": line.discount_bp,
        "tax_rate_bp": line.tax_rate_bp,
    }


def _audit(
    session: Session,
    access: Access | None,
    actor: AgentRef | None,
    order: Order,
    details: dict[str, object],
    action: AuditAction = AuditAction.UPDATE,
) -> None:
    who = actor_of(session, access.username if access else actor)
    audit(session, who, action, "order", order.id, {"number": order.number, **details})


def _owner(session: Session, access: Access | None, actor: AgentRef | None) -> uuid.UUID | None:
    if access is not None:
        access.check_create(RecordKind.ORDERS, access.user_id)
        return access.user_id
    user = user_by_ref(session, actor) if actor else None
    return user.id if user else None


@dataclass(frozen=True, slots=True)
class OrderTerms:
    """Delivery date and payment terms (an order from a quote takes the quote's terms)."""

    delivery_date: date | None = None
    payment_terms: str | None = None


def order_from_quote(
    sessions: sessionmaker[Session],
    number: str,
    *,
    terms: OrderTerms | None = None,
    actor: AgentRef | None = None,
    zone: str | None = None,
) -> DocumentView:
    """A draft order from the newest revision of an accepted quote, its lines copied; one
    live order per quote (a second is refused, also when two desks try at once: the unique
    index ``uq_orders_quote_id`` stops the slower, which rolls back)."""
    try:
        with sessions() as session, session.begin():
            return _from_quote(session, number, terms, actor, zone)
    except IntegrityError as exc:
        if "quote_id" not in str(exc.orig):
            raise
        raise RequestError(f"quote {number} became an order at another desk just now") from None


def _from_quote(
    session: Session,
    number: str,
    terms: OrderTerms | None,
    actor: AgentRef | None,
    zone: str | None,
) -> DocumentView:
    access = acting_access(session, actor)
    quote = latest(session, number)
    if access is not None:
        access.check(session, RecordKind.QUOTES, Action.READ, quote.id, quote.owner_id)
    if quote.status is not QuoteStatus.ACCEPTED:
        raise RequestError(
            f"quote {quote.number} revision {quote.revision} is {quote.status.value}: "
            "only an accepted quote becomes an order"
        )
    made = session.scalar(
        select(Order.number)
        .join(Quote, Quote.id == Order.quote_id)
        .where(
            Quote.number == quote.number,
            Order.status != OrderStatus.CANCELLED,
            Order.deleted_at.is_(None),
        )
        .limit(1)
    )
    if made is not None:
        raise RequestError(f"quote {quote.number} became order {made} already")
    owner = _owner(session, access, actor)
    order_number = take_number(session, ORDER, document_year(session, zone))  # after reads
    order = _new(session, order_number, quote, owner)
    _set_terms(order, terms or OrderTerms())
    source = session.scalars(
        select(QuoteLine).where(QuoteLine.quote_id == quote.id).order_by(QuoteLine.position)
    )
    rows: list[dict[str, Any]] = [_copy(line) for line in source]
    lines = write_lines(session, order, rows, currency(order.currency), OrderLine, "order_id")
    details = {"quote": quote.number, "revision": quote.revision}
    _audit(session, access, actor, order, details, AuditAction.CREATE)
    return _view_of(order, session.get_one(Account, order.account_id), lines)


def _set_terms(order: Order, terms: OrderTerms) -> None:
    if terms.delivery_date is not None:
        order.delivery_date = terms.delivery_date
    if terms.payment_terms:
        order.payment_terms = terms.payment_terms


def _new(session: Session, number: str, quote: Quote, owner: uuid.UUID | None) -> Order:
    order = Order(
        number=number,
        status=OrderStatus.DRAFT,
        quote_id=quote.id,
        account_id=quote.account_id,
        contact_id=quote.contact_id,
        currency=quote.currency,
        payment_terms=quote.terms,
        owner_id=owner,
        net_minor=0,
        tax_minor=0,
        gross_minor=0,
    )
    session.add(order)
    session.flush()
    return order


def create_order(
    sessions: sessionmaker[Session],
    account: str,
    lines: Sequence[LineRequest],
    *,
    price_list: str | None = None,
    currency_code: str | None = None,
    terms: OrderTerms | None = None,
    actor: AgentRef | None = None,
    zone: str | None = None,
) -> DocumentView:
    """A draft order entered directly, priced like a quote."""
    if not lines:
        raise RequestError("an order needs at least one line")
    with sessions() as session, session.begin():
        access = acting_access(session, actor)
        owner = _owner(session, access, actor)
        target = find_account(session, account)
        plist = price_list_named(session, price_list) if price_list else None
        money = currency(currency_code or (plist.currency if plist else DEFAULT_CURRENCY))
        today = date.today()
        priced = [
            Priced(r, p, unit_price(session, p, r.quantity, money.code, plist, today))
            for r in lines
            for p in [product_by_code(session, r.code)]
        ]
        order_number = take_number(session, ORDER, document_year(session, zone))  # after reads
        order = Order(
            number=order_number,
            status=OrderStatus.DRAFT,
            account_id=target.id,
            currency=money.code,
            owner_id=owner,
            net_minor=0,
            tax_minor=0,
            gross_minor=0,
        )
        _set_terms(order, terms or OrderTerms())
        session.add(order)
        session.flush()
        written = price_lines(session, order, priced, money, OrderLine, "order_id")
        _audit(session, access, actor, order, {}, AuditAction.CREATE)
        return _view_of(order, target, written)


def find_order(session: Session, number: str) -> Order:
    order = session.scalar(
        select(Order).where(Order.number == number.strip(), Order.deleted_at.is_(None))
    )
    if order is None:
        raise RequestError(f"no order {number}")
    return order


def _lines(session: Session, order: Order) -> list[OrderLine]:
    query = select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.position)
    return list(session.scalars(query))


def order_view(session: Session, order: Order) -> DocumentView:
    account = session.get_one(Account, order.account_id)
    return _view_of(order, account, _lines(session, order), plan_view(session, order))


def _view_of(
    order: Order, account: Account, lines: list[OrderLine], plan: tuple[InstalmentView, ...] = ()
) -> DocumentView:
    reason = order.reject_reason if order.status is OrderStatus.REJECTED else None
    return view_of(
        order,
        account,
        lines,
        terms=order.payment_terms,
        reason=reason,
        delivery_date=order.delivery_date,
        payment_plan=plan,
    )


def show_order(
    sessions: sessionmaker[Session], number: str, *, actor: AgentRef | None = None
) -> DocumentView:
    with sessions() as session:
        order = find_order(session, number)
        access = acting_access(session, actor)
        if access is not None:
            access.check(session, RecordKind.ORDERS, Action.READ, order.id, order.owner_id)
        return order_view(session, order)


def changing(
    session: Session, number: str, actor: AgentRef | None
) -> tuple[Order, Access | None, bool]:
    """The order, the access, and whether the user is an approver (everyone on no access)."""
    order = find_order(session, number)
    access = acting_access(session, actor)
    if access is not None:
        access.check(session, RecordKind.ORDERS, Action.UPDATE, order.id, order.owner_id)
    return order, access, access is None or access.has(Capability.APPROVE_ORDERS)


def edit_order(
    sessions: sessionmaker[Session],
    number: str,
    lines: Sequence[LineRequest],
    *,
    actor: AgentRef | None = None,
) -> DocumentView:
    """New lines: the rep's while draft or rejected; an approver's until fulfilled."""
    if not lines:
        raise RequestError("an order needs at least one line")
    with sessions() as session, session.begin():
        order, access, approver = changing(session, number, actor)
        if order.status in (OrderStatus.FULFILLED, OrderStatus.CANCELLED):
            raise RequestError(f"order {order.number} is {order.status.value}: it cannot change")
        if order.status not in OPEN and not approver and access is not None:
            access.require(Capability.APPROVE_ORDERS)  # submitted on: locked for the rep
        money = currency(order.currency)
        quote = session.get(Quote, order.quote_id) if order.quote_id else None
        plist = None
        if quote is not None and quote.price_list_id is not None:
            plist = session.get(PriceList, quote.price_list_id)
        today = date.today()
        priced = [
            Priced(r, p, unit_price(session, p, r.quantity, money.code, plist, today))
            for r in lines
            for p in [product_by_code(session, r.code)]
        ]
        before = money.from_minor(order.gross_minor)
        for old in _lines(session, order):
            session.delete(old)
        session.flush()
        written = price_lines(session, order, priced, money, OrderLine, "order_id")
        replan(session, order)  # the instalments follow the new gross
        after = money.from_minor(order.gross_minor)
        details: dict[str, object] = {
            "status": order.status.value,
            "gross": [str(before), str(after)],
        }
        _audit(session, access, actor, order, details)
        account = session.get_one(Account, order.account_id)
        return _view_of(order, account, written, plan_view(session, order))


def list_orders(
    sessions: sessionmaker[Session],
    *,
    status: OrderStatus | None = None,
    limit: int = 200,
    actor: AgentRef | None = None,
) -> list[dict[str, object]]:
    """The newest orders the user may read (``status`` only: e.g. those awaiting approval),
    as ``{number, status, account, currency, gross, owner}``."""
    query = (
        select(Order, Account.name, User.username)
        .join(Account, Account.id == Order.account_id)
        .outerjoin(User, User.id == Order.owner_id)
        .where(Order.deleted_at.is_(None))
        .order_by(Order.number.desc())
        .limit(limit)
    )
    if status is not None:
        query = query.where(Order.status == status)
    with sessions() as session:
        access = acting_access(session, actor)
        if access is not None:
            query = query.where(access.visible(RecordKind.ORDERS, Order.owner_id, Order.id))
        return [
            {
                "number": order.number,
                "status": order.status.value,
                "account": account,
                "currency": order.currency,
                "gross": str(currency(order.currency).from_minor(order.gross_minor)),
                "owner": owner,
            }
            for order, account, owner in session.execute(query)
        ]
