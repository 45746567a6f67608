"""An order's payment plan: instalments with a due date and an amount or a percentage of the
gross, summing exactly to the order's gross.

Arithmetic in integer minor units. Percentages are rounded on their running total (the first
k percentage instalments together are their summed share of the gross, rounded once, half up),
so each is within one minor unit of its exact share and together they never pass the gross
(4 × 25 % of 0.02 is 0.01 + 0 + 0.01 + 0, not 4 × 0.01). The last instalment takes the
remainder, so no cent is lost or invented whatever the rounding. When the
plan is set, the shares typed must add up to the gross (within the rounding: under one minor
unit per instalment), or the last instalment is left open (``rest``) and takes what remains.
An edit that changes the order's gross splits the plan again (percentages of the new gross,
typed amounts as typed, the last the remainder). Who may change a plan is who may change the
order's lines (``sales.orders``); PostgreSQL applies the same to ``order_instalments``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from agentdesk.db.errors import RequestError
from agentdesk.sales.models import Order, OrderInstalment
from agentdesk.sales.money import PERCENT_STEP, Currency, MoneyError, currency, parse_decimal

_WHOLE_BP = 10_000
"""100 % in hundredths of a percent."""


@dataclass(frozen=True, slots=True)
class InstalmentRequest:
    """One instalment as typed: an amount, a percentage of the gross, or neither (the rest,
    only for the last)."""

    due: date
    amount: Decimal | None = None
    percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Instalment:
    due: date
    amount_minor: int
    percent_bp: int | None


def _half_up_share(gross_minor: int, bp: int) -> int:
    """``gross × bp / 10000`` rounded half up, exactly (both non-negative)."""
    return (2 * gross_minor * bp + _WHOLE_BP) // (2 * _WHOLE_BP)


def percent_bp(value: Decimal) -> int:
    if not Decimal(0) < value <= 100:
        raise RequestError(f"an instalment of {value} % is not above 0 and at most 100 %")
    steps = value / PERCENT_STEP
    if steps != steps.to_integral_value():
        raise RequestError(f"{value} %: at most two decimals")
    return int(steps)


def split(
    gross_minor: int, money: Currency, requests: Sequence[InstalmentRequest]
) -> list[Instalment]:
    """The instalments of ``requests`` over ``gross_minor``; the last takes the remainder."""
    if not requests:
        return []
    if gross_minor < 0:
        raise RequestError("an order with a negative total has no payment plan")
    for earlier, later in pairwise(requests):
        if later.due < earlier.due:
            raise RequestError("instalments are listed in order of their due dates")
    typed: list[Instalment] = []
    shared_bp = 0  # the percentages so far: each share is the rounded running total's step
    for position, request in enumerate(requests, start=1):
        if request.amount is not None and request.percent is not None:
            raise RequestError(f"instalment {position}: an amount or a percentage, not both")
        if request.amount is not None:
            typed.append(Instalment(request.due, _minor(money, request.amount), None))
        elif request.percent is not None:
            bp = percent_bp(request.percent)
            before = _half_up_share(gross_minor, shared_bp)
            shared_bp += bp
            if shared_bp > 10_000:  # said whatever the total (a zero total has no overshoot)
                raise RequestError(f"instalment {position}: the percentages come to over 100 %")
            share = _half_up_share(gross_minor, shared_bp) - before
            typed.append(Instalment(request.due, share, bp))
        elif position == len(requests):
            typed.append(Instalment(request.due, -1, None))  # the rest, computed below
        else:
            raise RequestError(f"instalment {position}: give an amount or a percentage")
    *first, last = typed
    taken = sum(item.amount_minor for item in first)
    remainder = gross_minor - taken
    if remainder < 0:
        over = money.from_minor(-remainder)
        raise RequestError(f"the instalments come to {over} {money.code} more than the order")
    if last.amount_minor >= 0 and abs(last.amount_minor - remainder) >= len(typed):
        total = money.from_minor(taken + last.amount_minor)
        raise RequestError(
            f"the instalments come to {total} {money.code}, the order to "
            f"{money.from_minor(gross_minor)}: leave the last one open to take the rest"
        )
    return [*first, Instalment(last.due, remainder, last.percent_bp)]


def _minor(money: Currency, amount: Decimal) -> int:
    if amount <= 0:
        raise RequestError(f"an instalment of {amount} is not above zero")
    try:
        return money.to_minor(amount)
    except MoneyError as exc:
        raise RequestError(str(exc)) from None


def parse_instalment(text: str) -> InstalmentRequest:
    """``DATE:AMOUNT``, ``DATE:PCT%`` or ``DATE`` (the rest) as the command line takes one."""
    day, _, value = text.strip().partition(":")
    try:
        due = date.fromisoformat(day)
    except ValueError:
        raise RequestError(f"instalment {text!r}: expected DATE[:AMOUNT|:PERCENT%]") from None
    value = value.strip()
    if not value:
        return InstalmentRequest(due)
    try:
        if value.endswith(("%", "％")):
            return InstalmentRequest(due, percent=parse_decimal(value[:-1], "percentage"))
        return InstalmentRequest(due, amount=parse_decimal(value, "amount"))
    except (MoneyError, InvalidOperation) as exc:
        raise RequestError(f"instalment {text!r}: {exc}") from None


@dataclass(frozen=True, slots=True)
class InstalmentView:
    due_date: date
    amount: Decimal
    percent: Decimal | None

    def as_json(self) -> dict[str, object]:
        return {
            "due_date": self.due_date.isoformat(),
            "amount": str(self.amount),
            "percent": str(self.percent) if self.percent is not None else None,
        }


def stored_plan(session: Session, order: Order) -> list[OrderInstalment]:
    query = (
        select(OrderInstalment)
        .where(OrderInstalment.order_id == order.id)
        .order_by(OrderInstalment.position)
    )
    return list(session.scalars(query))


def plan_view(session: Session, order: Order) -> tuple[InstalmentView, ...]:
    money = currency(order.currency)
    return tuple(
        InstalmentView(
            row.due_date,
            money.from_minor(row.amount_minor),
            (Decimal(row.percent_bp) * PERCENT_STEP) if row.percent_bp is not None else None,
        )
        for row in stored_plan(session, order)
    )


def write_plan(session: Session, order: Order, instalments: Sequence[Instalment]) -> None:
    session.execute(delete(OrderInstalment).where(OrderInstalment.order_id == order.id))
    for position, item in enumerate(instalments, start=1):
        session.add(
            OrderInstalment(
                order_id=order.id,
                position=position,
                due_date=item.due,
                amount_minor=item.amount_minor,
                percent_bp=item.percent_bp,
            )
        )
    session.flush()


def replan(session: Session, order: Order) -> None:
    """Split a stored plan again over the order's (new) gross: percentages of it, amounts as
    they were typed, the last instalment the remainder."""
    rows = stored_plan(session, order)
    if not rows:
        return
    money = currency(order.currency)
    requests = [
        InstalmentRequest(
            row.due_date,
            amount=money.from_minor(row.amount_minor) if row.percent_bp is None else None,
            percent=Decimal(row.percent_bp) * PERCENT_STEP if row.percent_bp is not None else None,
        )
        for row in rows[:-1]
    ]
    requests.append(InstalmentRequest(rows[-1].due_date))
    instalments = split(order.gross_minor, money, requests)
    last = instalments[-1]
    instalments[-1] = Instalment(last.due, last.amount_minor, rows[-1].percent_bp)
    write_plan(session, order, instalments)
