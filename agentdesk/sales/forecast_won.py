"""The forecast's "won in the period": the deals won between two days, by the day they were won.

A deal's expected close date is a guess made before it closed; the day it was won is in its
stage history (``opportunity_stage_changes``: its last move into won), which the sales service
copies to ``opportunities.won_at`` as it writes the move (migration 0021 filled it for the
deals won before). The period's days are the business's (``zone``), so a deal won at 01:00 on 1
July in Shanghai (17:00 UTC on 30 June) is July's. The deals are read as one range of
``ix_opportunities_won`` (on PostgreSQL from the index alone; no look-up into the history per
deal: that took half a second at 25,000 won deals on SQLite) and summed in the database; the
month or quarter of the day won is a CASE over the periods' first instants, computed here in
the zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import BigInteger, case, cast, func, literal, select
from sqlalchemy.orm import Session

from agentdesk.crm.models import Opportunity
from agentdesk.domain.access import RecordKind
from agentdesk.domain.clock import Zone, system_zone, zone_named
from agentdesk.org.access import Access
from agentdesk.sales.models import OpportunityLine, Product
from agentdesk.sales.money import Currency
from agentdesk.sales.stages import won_codes


def business_zone(name: str | None) -> Zone:
    return zone_named(name) if name else system_zone()


def period_key(by: str, day: date) -> str:
    if by == "month":
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}-Q{(day.month + 2) // 3}"


def won_in_period(
    session: Session,
    *,
    by: str,
    start: date,
    end: date,
    money: Currency,
    access: Access | None,
    zone: Zone,
) -> dict[Any, int]:
    """Minor units won per key: the month or quarter (``YYYY-MM``, ``YYYY-Qn``) of the day won,
    the owner's id (``rep``), or the product category (``-`` without lines)."""
    low = datetime.combine(start, time(), zone.tz).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time(), zone.tz).astimezone(UTC)
    scale = 10**money.exponent
    cents: Any = cast(func.round(func.coalesce(Opportunity.amount, 0) * scale), BigInteger)
    grouping: Any = Opportunity.owner_id
    query = select().select_from(Opportunity)
    if by == "category":
        query = query.outerjoin(
            OpportunityLine, OpportunityLine.opportunity_id == Opportunity.id
        ).outerjoin(Product, Product.id == OpportunityLine.product_id)
        cents = func.coalesce(OpportunityLine.net_minor, cents)
        grouping = func.coalesce(Product.category, "-")
    elif by in ("month", "quarter"):
        grouping = _period_of(Opportunity.won_at, by, start, end, zone)
    query = (
        query.add_columns(grouping.label("key"), func.sum(cents))
        .where(
            Opportunity.currency == money.code,
            Opportunity.stage.in_(won_codes(session)),
            Opportunity.won_at >= low,
            Opportunity.won_at < high,
            Opportunity.deleted_at.is_(None),
        )
        .group_by(grouping)
    )
    if access is not None:
        query = query.where(
            access.visible(RecordKind.OPPORTUNITIES, Opportunity.owner_id, Opportunity.id)
        )
    return {key: int(amount or 0) for key, amount in session.execute(query)}


def _period_of(at: Any, by: str, start: date, end: date, zone: Zone) -> Any:
    """The month or quarter key of an instant, as a CASE over the periods' first instants in
    UTC (computed here, with the zone's daylight saving): exact on both engines, and grouped
    in the database instead of a row per deal coming back."""
    firsts: list[tuple[str, datetime]] = []
    day = date(start.year, start.month, 1)
    while day <= end:
        key = period_key(by, day)
        if not firsts or firsts[-1][0] != key:
            firsts.append((key, datetime.combine(day, time(), zone.tz).astimezone(UTC)))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    bounds = [(at < nxt, key) for (key, _), (_, nxt) in pairwise(firsts)]
    return case(*bounds, else_=firsts[-1][0]) if bounds else literal(firsts[-1][0])
