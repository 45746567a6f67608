"""What quotes and orders share: a line as requested, priced lines, totals and the view.

A document (quote or order) has ``number``, ``currency``, ``status`` and the three total
columns; its lines have the columns of ``QuoteLine``. ``price_lines`` writes the lines and
the totals together, so stored totals are always those of the stored lines.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from sqlalchemy.orm import Session

from agentdesk.crm.models import Account
from agentdesk.db.errors import RequestError
from agentdesk.sales.catalogue import plain, rate_of
from agentdesk.sales.models import Product
from agentdesk.sales.money import (
    PERCENT_STEP,
    QUANTITY_STEP,
    Currency,
    LineInput,
    MoneyError,
    currency,
    from_steps,
    parse_decimal,
    to_steps,
    totals,
)

MAX_QUANTITY = Decimal(1_000_000_000)
"""More on one line is a typing mistake (and would overflow the stored thousandths)."""


@dataclass(frozen=True, slots=True)
class LineRequest:
    code: str
    quantity: Decimal
    discount_pct: Decimal = Decimal(0)


def parse_line(text: str) -> LineRequest:
    """``CODE:QTY[:DISCOUNT_PCT]`` as the command line takes a line."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0].strip():
        raise RequestError(f"line {text!r}: expected CODE:QUANTITY[:DISCOUNT_PERCENT]")
    try:
        quantity = parse_decimal(parts[1], "quantity")
        discount = parse_decimal(parts[2], "discount") if len(parts) == 3 else Decimal(0)
        if quantity > MAX_QUANTITY:
            raise MoneyError(f"quantity {parts[1]} is more than {MAX_QUANTITY:,}")
        to_steps(quantity, QUANTITY_STEP)
        to_steps(discount, PERCENT_STEP)
    except (MoneyError, InvalidOperation) as exc:  # an overflow of the decimal context too
        raise RequestError(f"line {text!r}: {exc}") from None
    if quantity <= 0:
        raise RequestError(f"line {text!r}: the quantity must be above zero")
    if not Decimal(0) <= discount <= 100:
        raise RequestError(f"line {text!r}: the discount must be between 0 and 100 %")
    return LineRequest(parts[0].strip(), quantity, discount)


@dataclass(frozen=True, slots=True)
class Priced:
    request: LineRequest
    product: Product
    unit_price_minor: int


class Document(Protocol):
    id: Any
    number: Any
    currency: Any
    status: Any
    net_minor: Any
    tax_minor: Any
    gross_minor: Any


class Line(Protocol):
    code: Any
    description: Any
    unit: Any
    quantity_milli: Any
    unit_price_minor: Any
    discount_bp: Any
    tax_rate_bp: Any
    net_minor: Any


def line_input(line: Line, money: Currency) -> LineInput:
    return LineInput(
        quantity=from_steps(line.quantity_milli, QUANTITY_STEP),
        unit_price=money.from_minor(line.unit_price_minor),
        discount_pct=from_steps(line.discount_bp, PERCENT_STEP),
        tax_rate=rate_of(line.tax_rate_bp),
    )


def write_lines(
    session: Session,
    document: Document,
    rows: list[dict[str, Any]],
    money: Currency,
    line_type: type[Any],
    parent_key: str,
) -> list[Any]:
    """Lines from column values (code, description, unit, quantity_milli, unit_price_minor,
    discount_bp, tax_rate_bp, product_id): nets and the document's totals computed here."""
    inputs = [_stored(row, money) for row in rows]
    result = totals(inputs, money)
    lines = []
    for position, (row, net) in enumerate(zip(rows, result.lines, strict=True), start=1):
        line = line_type(
            **row, position=position, net_minor=money.to_minor(net), **{parent_key: document.id}
        )
        session.add(line)
        lines.append(line)
    document.net_minor = money.to_minor(result.net)
    document.tax_minor = money.to_minor(result.tax)
    document.gross_minor = money.to_minor(result.gross)
    session.flush()
    return lines


def _stored(row: dict[str, Any], money: Currency) -> LineInput:
    return LineInput(
        quantity=from_steps(row["quantity_milli"], QUANTITY_STEP),
        unit_price=money.from_minor(row["unit_price_minor"]),
        discount_pct=from_steps(row["discount_bp"], PERCENT_STEP),
        tax_rate=rate_of(row["tax_rate_bp"]),
    )


def price_lines(
    session: Session,
    document: Document,
    priced: list[Priced],
    money: Currency,
    line_type: type[Any],
    parent_key: str,
) -> list[Any]:
    rows = [
        {
            "product_id": p.product.id,
            "code": p.product.code,
            "description": p.product.name,
            "unit": p.product.unit,
            "quantity_milli": to_steps(p.request.quantity, QUANTITY_STEP),
            "unit_price_minor": p.unit_price_minor,
            "discount_bp": to_steps(p.request.discount_pct, PERCENT_STEP),
            "tax_rate_bp": p.product.tax_rate_bp,
        }
        for p in priced
    ]
    return write_lines(session, document, rows, money, line_type, parent_key)


@dataclass(frozen=True, slots=True)
class LineView:
    code: str
    description: str
    unit: str | None
    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    tax_rate: Decimal
    net: Decimal

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "quantity": plain(self.quantity),
            "unit_price": str(self.unit_price),
            "discount_pct": plain(self.discount_pct),
            "tax_rate": plain(self.tax_rate),
            "net": str(self.net),
        }


@dataclass(frozen=True, slots=True)
class DocumentView:
    id: uuid.UUID
    number: str
    revision: int | None
    status: str
    currency: str
    account: str
    account_id: uuid.UUID
    lines: tuple[LineView, ...]
    net: Decimal
    tax: Decimal
    gross: Decimal
    rates: tuple[tuple[Decimal, Decimal, Decimal], ...]
    """(rate, base, tax) per tax rate."""
    terms: str | None = None
    reason: str | None = None
    """Why the order was rejected."""
    delivery_date: date | None = None
    payment_plan: tuple[Any, ...] | None = None
    """An order's instalments (``sales.payment_plans.InstalmentView``); ``None`` on a quote."""

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {"number": self.number}
        if self.revision is not None:
            data["revision"] = self.revision
        data |= {
            "status": self.status,
            "currency": self.currency,
            "account": self.account,
            "lines": [line.as_json() for line in self.lines],
            "totals": {"net": str(self.net), "tax": str(self.tax), "gross": str(self.gross)},
        }
        if self.terms:
            data["terms"] = self.terms
        if self.delivery_date is not None:
            data["delivery_date"] = self.delivery_date.isoformat()
        if self.reason:
            data["reason"] = self.reason
        if self.payment_plan is not None:
            data["payment_plan"] = [item.as_json() for item in self.payment_plan]
        return data


def view_of(
    document: Document,
    account: Account,
    lines: list[Any],
    *,
    revision: int | None = None,
    terms: str | None = None,
    reason: str | None = None,
    delivery_date: date | None = None,
    payment_plan: tuple[Any, ...] | None = None,
) -> DocumentView:
    money = currency(document.currency)
    inputs = [line_input(line, money) for line in lines]
    result = totals(inputs, money)
    return DocumentView(
        id=document.id,
        number=document.number,
        revision=revision,
        status=str(document.status.value),
        currency=money.code,
        account=account.name,
        account_id=account.id,
        lines=tuple(
            LineView(
                code=line.code,
                description=line.description,
                unit=line.unit,
                quantity=item.quantity,
                unit_price=item.unit_price,
                discount_pct=item.discount_pct,
                tax_rate=item.tax_rate,
                net=money.from_minor(line.net_minor),
            )
            for line, item in zip(lines, inputs, strict=True)
        ),
        net=money.from_minor(document.net_minor),
        tax=money.from_minor(document.tax_minor),
        gross=money.from_minor(document.gross_minor),
        rates=tuple((r.rate, r.base, r.tax) for r in result.rates),
        terms=terms,
        reason=reason,
        delivery_date=delivery_date,
        payment_plan=payment_plan,
    )
