"""An order's moves after entry: submit (approving itself below the admin's limit), approve,
reject with a reason, fulfil, cancel; and the limit itself (``manage_users``).

Every move is audited with the status before and after. Approving, rejecting and every move
of a submitted or approved order need ``approve_orders`` (``orders.changing`` tells).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import audit
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Capability
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction
from agentdesk.org.users import AgentRef, actor_of
from agentdesk.sales.documents import DocumentView
from agentdesk.sales.models import ApprovalLimit
from agentdesk.sales.money import MoneyError, currency
from agentdesk.sales.orders import OPEN, changing, order_view
from agentdesk.sales.status import OrderStatus

_S = OrderStatus
# move -> (the statuses it starts from, where it goes, whether only an approver makes it)
MOVES: dict[str, tuple[frozenset[OrderStatus], OrderStatus, bool]] = {
    "submit": (frozenset(OPEN), _S.SUBMITTED, False),
    "approve": (frozenset({_S.SUBMITTED}), _S.APPROVED, True),
    "reject": (frozenset({_S.SUBMITTED}), _S.REJECTED, True),
    "fulfil": (frozenset({_S.APPROVED}), _S.FULFILLED, True),
    "cancel": (frozenset({*OPEN, _S.SUBMITTED, _S.APPROVED}), _S.CANCELLED, False),
}


def approval_limit(session: Session, code: str) -> int | None:
    """Minor units below which an order in ``code`` approves itself; ``None``: never."""
    return session.scalar(select(ApprovalLimit.below_minor).where(ApprovalLimit.currency == code))


def move_order(
    sessions: sessionmaker[Session],
    number: str,
    move: str,
    *,
    reason: str | None = None,
    actor: AgentRef | None = None,
) -> DocumentView:
    """Make ``move`` (a key of :data:`MOVES`) on order ``number``."""
    if move not in MOVES:
        raise RequestError(f"unknown move {move!r}: use {', '.join(MOVES)}")
    starts, target, approvers_only = MOVES[move]
    if move == "reject" and not (reason and reason.strip()):
        raise RequestError("a rejection needs a reason")
    with sessions() as session, session.begin():
        order, access, approver = changing(session, number, actor)
        # Approving is an approver's; once submitted the order is theirs whatever the move
        # (the rep's lock).
        if (approvers_only or order.status not in OPEN) and not approver and access is not None:
            access.require(Capability.APPROVE_ORDERS)
        if order.status not in starts:
            raise RequestError(f"order {order.number} is {order.status.value}: it cannot {move}")
        before = order.status
        if target is _S.SUBMITTED:
            limit = approval_limit(session, order.currency)
            if limit is not None and order.gross_minor < limit:
                target = _S.APPROVED  # below the admin's amount: approves itself
        order.status = target
        if target is _S.APPROVED:
            order.approved_at = utcnow()
            order.approved_by_id = access.user_id if move == "approve" and access else None
        if target is _S.REJECTED:
            order.reject_reason = reason.strip() if reason else None
        details: dict[str, object] = {"number": order.number, "status": [before, target]}
        if reason:
            details["reason"] = reason
        audit(
            session,
            actor_of(session, access.username if access else actor),
            AuditAction.UPDATE,
            "order",
            order.id,
            details,
        )
        session.flush()
        return order_view(session, order)


def set_approval_limit(
    sessions: sessionmaker[Session],
    currency_code: str,
    below: Decimal | None,
    *,
    actor: AgentRef | None = None,
) -> None:
    """Orders in ``currency_code`` below ``below`` approve themselves; ``None`` removes it."""
    money = currency(currency_code)
    with sessions() as session, session.begin():
        access = acting_access(session, actor)
        if access is not None:
            access.require(Capability.MANAGE_USERS)
        row = session.get(ApprovalLimit, money.code)
        if below is None:
            if row is not None:
                session.delete(row)
        else:
            try:
                minor = money.to_minor(below)
            except MoneyError as exc:
                raise RequestError(str(exc)) from None
            if minor < 0:
                raise RequestError("the approval limit must not be negative")
            if row is None:
                session.add(ApprovalLimit(currency=money.code, below_minor=minor))
            else:
                row.below_minor = minor
        who = actor_of(session, access.username if access else actor)
        details = {"currency": money.code, "below": str(below) if below is not None else None}
        audit(session, who, AuditAction.UPDATE, "order_approval_limit", None, details)
