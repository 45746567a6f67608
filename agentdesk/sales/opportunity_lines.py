"""An opportunity's product lines: its amount when it has them, and the forecast by category.

Priced like a quote without a price list (the product's standard price, in the
opportunity's currency) unless the rep typed a line's unit price, each line's net rounded
once; no tax (an opportunity is a net figure). Replacing the lines sets the amount to their
sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from agentdesk.crm.models import Opportunity
from agentdesk.db.errors import RequestError
from agentdesk.sales.catalogue import product_by_code, unit_price
from agentdesk.sales.documents import LineRequest
from agentdesk.sales.models import OpportunityLine, Product
from agentdesk.sales.money import (
    PERCENT_STEP,
    QUANTITY_STEP,
    Currency,
    LineInput,
    MoneyError,
    currency,
    line_net,
    to_steps,
)


@dataclass(frozen=True, slots=True)
class LinePrice:
    """A line as priced: the product's name, the unit price taken and the line's net."""

    name: str
    unit_price: Decimal
    net: Decimal


def price_lines(
    session: Session,
    code: str,
    lines: Sequence[LineRequest],
    prices: Sequence[Decimal | None] = (),
) -> tuple[LinePrice, ...]:
    """``lines`` priced as :func:`replace_lines` stores them (the editor's live figures)."""
    money, today = currency(code), date.today()
    priced = []
    for request, typed in zip(lines, _typed(lines, prices), strict=True):
        product, price, net = _price(session, money, request, typed, today)
        priced.append(LinePrice(product.name, money.from_minor(price), net))
    return tuple(priced)


def replace_lines(
    session: Session,
    row: Opportunity,
    lines: Sequence[LineRequest],
    prices: Sequence[Decimal | None] = (),
) -> Decimal:
    """Write ``lines`` on ``row`` instead of its old ones; return the new amount. The new lines
    and the amount reach the database at the caller's next flush (a versioned save checks the
    row's version in that flush, so a conflict never leaves half a save behind). ``prices``
    (by line; ``None`` or missing: the product's standard price) are typed unit prices in
    the opportunity's currency."""
    money = currency(row.currency)
    session.execute(delete(OpportunityLine).where(OpportunityLine.opportunity_id == row.id))
    total = Decimal(0)
    today = date.today()
    for position, (request, typed) in enumerate(
        zip(lines, _typed(lines, prices), strict=True), start=1
    ):
        product, price, net = _price(session, money, request, typed, today)
        session.add(
            OpportunityLine(
                opportunity_id=row.id,
                position=position,
                product_id=product.id,
                quantity_milli=to_steps(request.quantity, QUANTITY_STEP),
                unit_price_minor=price,
                discount_bp=to_steps(request.discount_pct, PERCENT_STEP),
                net_minor=money.to_minor(net),
            )
        )
        total += net
    row.amount = money.round(total)
    return row.amount


def _typed(lines: Sequence[LineRequest], prices: Sequence[Decimal | None]) -> list[Decimal | None]:
    if len(prices) > len(lines):
        raise RequestError("more prices than lines")
    return [*prices, *([None] * (len(lines) - len(prices)))]


def _price(
    session: Session, money: Currency, request: LineRequest, typed: Decimal | None, today: date
) -> tuple[Product, int, Decimal]:
    """The product, the unit price in minor units (typed, else the standard) and the net."""
    product = product_by_code(session, request.code)
    if typed is None:
        price = unit_price(session, product, request.quantity, money.code, None, today)
    else:
        try:
            price = money.to_minor(typed)
        except MoneyError as exc:
            raise RequestError(str(exc)) from None
        if price < 0:
            raise RequestError(f"unit price {typed} is below zero")
    net = line_net(
        LineInput(request.quantity, money.from_minor(price), request.discount_pct, Decimal(0)),
        money,
    )
    return product, price, net


def has_lines(session: Session, row: Opportunity) -> bool:
    query = select(OpportunityLine.id).where(OpportunityLine.opportunity_id == row.id).limit(1)
    return session.scalar(query) is not None
