"""Setting an order's payment plan: allowed where changing its lines is (the rep's while the
order is a draft or rejected, an approver's until it is fulfilled), audited with the plan."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.audit import audit
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Capability
from agentdesk.domain.enums import AuditAction
from agentdesk.org.users import AgentRef, actor_of
from agentdesk.sales.money import currency
from agentdesk.sales.orders import OPEN, changing
from agentdesk.sales.payment_plans import (
    InstalmentRequest,
    InstalmentView,
    plan_view,
    split,
    write_plan,
)
from agentdesk.sales.status import OrderStatus


def set_payment_plan(
    sessions: sessionmaker[Session],
    number: str,
    requests: Sequence[InstalmentRequest],
    *,
    actor: AgentRef | None = None,
) -> tuple[InstalmentView, ...]:
    """Replace the order's plan with ``requests`` (none: no plan); the instalments sum to the
    order's gross exactly, the last taking the remainder."""
    with sessions() as session, session.begin():
        order, access, approver = changing(session, number, actor)
        if order.status in (OrderStatus.FULFILLED, OrderStatus.CANCELLED):
            raise RequestError(f"order {order.number} is {order.status.value}: it cannot change")
        if order.status not in OPEN and not approver and access is not None:
            access.require(Capability.APPROVE_ORDERS)  # submitted on: locked for the rep
        write_plan(session, order, split(order.gross_minor, currency(order.currency), requests))
        views = plan_view(session, order)
        who = actor_of(session, access.username if access else actor)
        details = {"number": order.number, "payment_plan": [v.as_json() for v in views]}
        audit(session, who, AuditAction.UPDATE, "order", order.id, details)
        return views
