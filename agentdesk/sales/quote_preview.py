"""What a quote's lines will cost before it is saved: the unit price and tax rate the service
would take (``catalogue.unit_price`` with the quote's price list and currency), for the quote
editor's live totals, which ``sales.money.totals`` then computes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Contact
from agentdesk.crm.permissions import acting_access
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Action, RecordKind
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.users import AgentRef
from agentdesk.sales.catalogue import price_list_named, product_by_code, rate_of, unit_price
from agentdesk.sales.documents import LineRequest
from agentdesk.sales.models import PriceList, Quote
from agentdesk.sales.money import LineInput, MoneyError, Totals, currency, totals
from agentdesk.sales.orders import find_order
from agentdesk.sales.quotes import DEFAULT_CURRENCY, latest


@dataclass(frozen=True, slots=True)
class LinePrice:
    code: str
    name: str
    unit: str | None
    unit_price: Decimal
    tax_rate: Decimal
    """A fraction: 0.13."""


@dataclass(frozen=True, slots=True)
class PricePreview:
    currency: str
    prices: tuple[LinePrice, ...]
    """One per requested line, in order."""
    price_list: str | None = None
    """The price list the prices come from (``None``: standard prices)."""


def price_preview(
    sessions: sessionmaker[Session],
    lines: Sequence[LineRequest],
    *,
    price_list: str | None = None,
    currency_code: str | None = None,
    quote_number: str | None = None,
    order_number: str | None = None,
) -> PricePreview:
    """The prices of ``lines`` as a new quote (``price_list``, ``currency_code``), a new
    revision of ``quote_number`` (its own price list and currency) or new lines of order
    ``order_number`` (its currency, its quote's price list: as ``orders.edit_order``) would
    take them."""
    with sessions() as session:
        plist: PriceList | None
        if order_number:
            order = find_order(session, order_number)
            source = session.get(Quote, order.quote_id) if order.quote_id else None
            list_id = source.price_list_id if source is not None else None
            plist = session.get(PriceList, list_id) if list_id else None
            code = order.currency
        elif quote_number:
            quote = latest(session, quote_number)
            plist = session.get(PriceList, quote.price_list_id) if quote.price_list_id else None
            code = quote.currency
        else:
            plist = price_list_named(session, price_list) if price_list else None
            code = currency_code or (plist.currency if plist else DEFAULT_CURRENCY)
        try:
            money = currency(code)
        except MoneyError as exc:
            raise RequestError(str(exc)) from None
        if plist is not None and plist.currency != money.code:
            raise RequestError(f"price list {plist.name} is in {plist.currency}, not {money.code}")
        today = date.today()
        prices = []
        for line in lines:
            product = product_by_code(session, line.code)
            minor = unit_price(session, product, line.quantity, money.code, plist, today)
            prices.append(
                LinePrice(
                    code=product.code,
                    name=product.name,
                    unit=product.unit,
                    unit_price=money.from_minor(minor),
                    tax_rate=rate_of(product.tax_rate_bp),
                )
            )
    return PricePreview(money.code, tuple(prices), plist.name if plist else None)


def preview_totals(preview: PricePreview, lines: Sequence[LineRequest]) -> Totals:
    """The totals of ``lines`` at the previewed prices: ``sales.money``'s, as stored."""
    inputs = [
        LineInput(line.quantity, price.unit_price, line.discount_pct, price.tax_rate)
        for line, price in zip(lines, preview.prices, strict=True)
    ]
    return totals(inputs, currency(preview.currency))


def price_list_names(sessions: sessionmaker[Session]) -> tuple[tuple[str, str], ...]:
    """``(name, currency)`` of every active price list, by name."""
    with sessions() as session:
        rows = session.execute(
            select(PriceList.name, PriceList.currency)
            .where(PriceList.active.is_(True), PriceList.deleted_at.is_(None))
            .order_by(PriceList.name)
        )
        return tuple((name, code) for name, code in rows)


@dataclass(frozen=True, slots=True)
class QuoteHeader:
    """What the editor shows of a saved quote beside its view, and whether the user's role
    may change it (edit it, move its status): read-only otherwise."""

    price_list: str | None
    valid_until: date | None
    contact: str | None
    changeable: bool
    contact_id: uuid.UUID | None = None


def quote_header(
    sessions: sessionmaker[Session], number: str, actor: AgentRef | None
) -> QuoteHeader:
    with sessions() as session:
        quote = latest(session, number)
        plist = session.get(PriceList, quote.price_list_id) if quote.price_list_id else None
        contact = session.get(Contact, quote.contact_id) if quote.contact_id else None
        access = acting_access(session, actor)
        changeable = True
        if access is not None:
            try:
                access.check(session, RecordKind.QUOTES, Action.UPDATE, quote.id, quote.owner_id)
            except AccessDeniedError:
                changeable = False
        return QuoteHeader(
            plist.name if plist else None,
            quote.valid_until,
            contact.full_name if contact else None,
            changeable,
            contact.id if contact else None,
        )
