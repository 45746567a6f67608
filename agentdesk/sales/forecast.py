"""The sales forecast: open, weighted, won and slipped amounts by month, quarter or rep.

For the opportunities in one currency whose close date falls in ``[start, end]``:

* ``count``, ``unweighted`` and ``weighted``: the open ones closing today or later; weighted is
  the amount times the effective probability (the override, else the stage's default),
  summed exactly and rounded once, half up, to the cent per row;
* ``won``: the amounts of the deals won in the period, by the day they were won (their stage
  history; ``forecast_won.py``), whatever close date was expected;
* ``slipped``: the open ones whose close date has passed (a rep's forgotten deals).

Sums run in the database over integer cents (SQLite keeps ``Numeric`` as floating point), in
one grouped pass. By product category, an opportunity's product lines share its amount out
(each line's net in its product's category); one without lines counts whole under ``-``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    literal_column,
    select,
    true,
    type_coerce,
)
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.chance import effective_chance, open_stage_row
from agentdesk.crm.models import Opportunity, StageSetting
from agentdesk.crm.permissions import acting_access
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import RecordKind
from agentdesk.org.models import User
from agentdesk.sales.forecast_won import business_zone, won_in_period
from agentdesk.sales.models import OpportunityLine, Product
from agentdesk.sales.money import Currency, currency

GROUPINGS = ("month", "quarter", "rep", "category")


@dataclass(frozen=True, slots=True)
class ForecastRow:
    key: str
    count: int
    unweighted: Decimal
    weighted: Decimal
    won: Decimal
    slipped: Decimal

    def as_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "count": self.count,
            "unweighted": str(self.unweighted),
            "weighted": str(self.weighted),
            "won": str(self.won),
            "slipped": str(self.slipped),
        }


@dataclass(frozen=True, slots=True)
class Forecast:
    currency: str
    rows: tuple[ForecastRow, ...]
    totals: ForecastRow

    def as_json(self) -> dict[str, object]:
        return {
            "currency": self.currency,
            "rows": [row.as_json() for row in self.rows],
            "totals": {k: v for k, v in self.totals.as_json().items() if k != "key"},
        }


def _key(session: Session, by: str) -> ColumnElement[Any]:
    postgres = session.get_bind().dialect.name == "postgresql"
    day = Opportunity.close_date
    match by:
        case "month":
            return func.to_char(day, "YYYY-MM") if postgres else func.strftime("%Y-%m", day)
        case "quarter":
            if postgres:
                return func.to_char(day, 'YYYY-"Q"Q')
            month = cast(func.strftime("%m", day), BigInteger)
            quarter = cast((month + 2) // 3, String)
            return type_coerce(func.strftime("%Y", day), String) + literal("-Q") + quarter
        case "rep":
            # grouped by the uuid, named afterwards: grouping 150,000 rows by a collated
            # username took 1.4 s on PostgreSQL, by the id a fraction of that. On SQLite the
            # unary + keeps the planner off the pipeline's owner index, whose order would save
            # a sort but fetch every table row; the covering index (0021) fetches none
            if postgres:
                return Opportunity.owner_id.expression
            return literal_column("+opportunities.owner_id", Opportunity.owner_id.type)
        case _:
            return func.coalesce(Product.category, "-")


def forecast(
    sessions: sessionmaker[Session],
    *,
    by: str,
    start: date,
    end: date,
    currency_code: str = "CNY",
    today: date | None = None,
    actor: str | None = None,
    zone: str | None = None,
) -> Forecast:
    """``zone``: the business's time zone, whose days the won deals are counted in (none: the
    machine's)."""
    if by not in GROUPINGS:
        raise RequestError(f"forecast by {by!r}: use {', '.join(GROUPINGS)}")
    if end < start:
        raise RequestError("the period ends before it starts")
    money = currency(currency_code)
    today = today or date.today()
    is_open = open_stage_row()  # crm/chance.py: a code without a row counts as open
    ahead = and_(is_open, Opportunity.close_date >= today)
    passed = and_(is_open, Opportunity.close_date < today)
    chance = effective_chance()
    scale = 10**money.exponent
    cents: ColumnElement[int] = cast(
        func.round(func.coalesce(Opportunity.amount, 0) * scale), BigInteger
    )

    def sums_of(cents: ColumnElement[int], counted: ColumnElement[int]) -> tuple[Any, ...]:
        return (
            counted,
            func.sum(case((ahead, cents), else_=0)),
            func.sum(case((ahead, cents * chance), else_=0)),
            literal(0),  # won: by the day won, below
            func.sum(case((passed, cents), else_=0)),
        )

    sums = sums_of(cents, func.sum(case((ahead, 1), else_=0)))
    with sessions() as session:
        key = _key(session, by)
        base = (
            select(*sums)
            .select_from(Opportunity)
            .outerjoin(StageSetting, StageSetting.stage == Opportunity.stage)
            .where(
                Opportunity.deleted_at.is_(None),
                Opportunity.currency == money.code,
                Opportunity.close_date.between(start, end),
            )
        )
        access = acting_access(session, actor)
        if access is not None:
            base = base.where(
                access.visible(RecordKind.OPPORTUNITIES, Opportunity.owner_id, Opportunity.id)
            )
        total: list[int] | None = None
        if by == "category":
            grouped, total = _by_category(session, base, ahead, passed, chance)
        else:
            query = base.add_columns(key.label("key")).group_by(key).order_by(key)
            grouped = {
                values[-1]: [int(v or 0) for v in values[:-1]] for values in session.execute(query)
            }
        won = won_in_period(
            session,
            by=by,
            start=start,
            end=end,
            money=money,
            access=access,
            zone=business_zone(zone),
        )
        for key_value, amount in won.items():
            grouped.setdefault(key_value, [0, 0, 0, 0, 0])[3] += amount
        if total is not None:
            total[3] = sum(won.values())
        raw = sorted(grouped.items(), key=lambda item: (item[0] is None, str(item[0])))
        if by == "rep":
            ids = [k for k, _values in raw if k is not None]
            named = session.execute(select(User.id, User.username).where(User.id.in_(ids)))
            names = {user_id: username for user_id, username in named}
            raw = sorted(((names.get(k, "-"), v) for k, v in raw), key=lambda item: item[0])
    if total is None:
        total = [sum(values[i] for _key, values in raw) for i in range(5)]
    rows = tuple(_row(money, str(key), values) for key, values in raw)
    return Forecast(money.code, rows, _row(money, "total", total))


def _by_category(
    session: Session,
    base: Select[Any],
    ahead: ColumnElement[bool],
    passed: ColumnElement[bool],
    chance: ColumnElement[int],
) -> tuple[dict[Any, list[int]], list[int]]:
    """By product category: each line's net under its product's category, an opportunity
    without lines whole under ``-``. Read as every opportunity once (``base``, from the covering
    index) and the lines in one pass: the opportunities without lines are the difference, so
    no opportunity is looked up in the lines (150,000 look-ups took a second on SQLite). An
    opportunity's lines make up its amount, so the totals are ``base``'s; an opportunity with
    lines in two categories is in both rows but once in the total count: each opportunity's
    first line (by position) counts it once among those with lines."""
    every = base.add_columns(func.count())
    *whole, opportunities = (int(v or 0) for v in session.execute(every).one())
    # From the lines: their number, not the period's opportunities, sets the cost. SQLite's
    # planner would still walk the period's 150,000 opportunities and look their lines up
    # (2.4 s at 60,000 lines); the unary + takes the lines' index out of that plan.
    line_key: Any = OpportunityLine.opportunity_id
    if session.get_bind().dialect.name == "sqlite":
        line_key = literal_column("+opportunity_lines.opportunity_id")
    net = OpportunityLine.net_minor.expression
    first = func.row_number().over(
        partition_by=OpportunityLine.opportunity_id, order_by=OpportunityLine.position
    )
    # one pass over the lines: on a desk's own PostgreSQL login each line costs its row
    # policy's look-up of the opportunity (a second pass doubled the forecast's time)
    lines = (
        select(
            func.coalesce(Product.category, "-").label("key"),
            Opportunity.id.label("opportunity"),
            case((ahead, 1), else_=0).label("ahead"),
            case((ahead, net), else_=0).label("net"),
            case((ahead, net * chance), else_=0).label("weighted"),
            case((passed, net), else_=0).label("slipped"),
            case((first == 1, 1), else_=0).label("first"),
        )
        .select_from(OpportunityLine)
        .join(Opportunity, line_key == Opportunity.id)
        .outerjoin(StageSetting, StageSetting.stage == Opportunity.stage)
        .outerjoin(Product, Product.id == OpportunityLine.product_id)
        .where(base.whereclause if base.whereclause is not None else true())
        .subquery()
    )
    ahead_opportunity = case((lines.c.ahead == 1, lines.c.opportunity), else_=None)
    per_category = select(
        lines.c.key,
        func.count(distinct(ahead_opportunity)),
        func.sum(lines.c.net),
        func.sum(lines.c.weighted),
        literal(0),  # won: by the day won, in the caller
        func.sum(lines.c.slipped),
        func.sum(lines.c.first),
        func.sum(lines.c.first * lines.c.ahead),
    ).group_by(lines.c.key)
    grouped: dict[Any, list[int]] = {}
    lined_opportunities = lined_ahead = 0
    for key, *values in session.execute(per_category):
        *sums, firsts, firsts_ahead = (int(v or 0) for v in values)
        grouped[key] = sums
        lined_opportunities += firsts
        lined_ahead += firsts_ahead
    if opportunities > lined_opportunities:
        rest = [whole[i] - sum(values[i] for values in grouped.values()) for i in range(5)]
        rest[0] = whole[0] - lined_ahead
        dash = grouped.setdefault("-", [0, 0, 0, 0, 0])
        grouped["-"] = [a + b for a, b in zip(dash, rest, strict=True)]
    return grouped, whole


def _row(money: Currency, key: str, values: list[int]) -> ForecastRow:
    """From count and minor units (``weighted`` in minor units times percent), rounded once."""
    count, amount, weighted, won, slipped = values
    return ForecastRow(
        key=key,
        count=count,
        unweighted=money.from_minor(amount),
        weighted=money.round(money.from_minor(weighted) / 100),
        won=money.from_minor(won),
        slipped=money.from_minor(slipped),
    )
