"""An opportunity's product lines: its amount when it has them, and the forecast by category.

Priced like a quote without a price list (the product's standard price, in the
opportunity's currency), each line's net rounded once; no tax (an opportunity is a net
figure). Replacing the lines sets the amount to their sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from agentdesk.crm.models import Opportunity
from agentdesk.sales.catalogue import product_by_code, unit_price
from agentdesk.sales.documents import LineRequest
from agentdesk.sales.models import OpportunityLine
from agentdesk.sales.money import (
    PERCENT_STEP,
    QUANTITY_STEP,
    LineInput,
    currency,
    line_net,
    to_steps,
)


def replace_lines(session: Session, row: Opportunity, lines: Sequence[LineRequest]) -> Decimal:
    """Write ``lines`` on ``row`` (flushed) instead of its old ones; return the new amount."""
    money = currency(row.currency)
    session.execute(delete(OpportunityLine).where(OpportunityLine.opportunity_id == row.id))
    total = Decimal(0)
    today = date.today()
    for position, request in enumerate(lines, start=1):
        product = product_by_code(session, request.code)
        price = unit_price(session, product, request.quantity, money.code, None, today)
        net = line_net(
            LineInput(request.quantity, money.from_minor(price), request.discount_pct, Decimal(0)),
            money,
        )
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
    session.flush()
    return row.amount


def has_lines(session: Session, row: Opportunity) -> bool:
    query = select(OpportunityLine.id).where(OpportunityLine.opportunity_id == row.id).limit(1)
    return session.scalar(query) is not None
