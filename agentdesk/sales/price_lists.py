"""Creating price lists and their rules (configuration: needs ``manage_users``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import audit
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Capability
from agentdesk.domain.enums import AuditAction
from agentdesk.org.users import AgentRef, actor_of
from agentdesk.sales.catalogue import price_list_named, product_by_code
from agentdesk.sales.models import PriceList, PriceRule
from agentdesk.sales.money import PERCENT_STEP, QUANTITY_STEP, MoneyError, currency, to_steps


@dataclass(frozen=True, slots=True)
class RuleRequest:
    """One rule: exactly one of ``product`` (a code) and ``category``, exactly one of
    ``price`` (fixed, in the list's currency) and ``percent_off`` (off the standard price)."""

    product: str | None = None
    category: str | None = None
    price: Decimal | None = None
    percent_off: Decimal | None = None
    min_quantity: Decimal = Decimal(0)
    valid_from: date | None = None
    valid_to: date | None = None


def _manager(session: Session, actor: AgentRef | None) -> str | AgentRef | None:
    access = acting_access(session, actor)
    if access is not None:
        access.require(Capability.MANAGE_USERS)
        return access.username
    return actor


def add_price_list(
    sessions: sessionmaker[Session], name: str, currency_code: str, *, actor: AgentRef | None
) -> None:
    money = currency(currency_code)
    with sessions() as session, session.begin():
        who = _manager(session, actor)
        plist = PriceList(name=name.strip(), currency=money.code, active=True)
        session.add(plist)
        session.flush()
        audit(session, actor_of(session, who), AuditAction.CREATE, "price_list", plist.id)


def add_price_rule(
    sessions: sessionmaker[Session], list_name: str, rule: RuleRequest, *, actor: AgentRef | None
) -> None:
    if (rule.product is None) == (rule.category is None):
        raise RequestError("a price rule is for a product or for a category (one of them)")
    if (rule.price is None) == (rule.percent_off is None):
        raise RequestError("a price rule has a fixed price or a percentage off (one of them)")
    if rule.valid_from and rule.valid_to and rule.valid_to < rule.valid_from:
        raise RequestError("the rule ends before it starts")
    with sessions() as session, session.begin():
        who = _manager(session, actor)
        plist = price_list_named(session, list_name)
        money = currency(plist.currency)
        try:
            price = money.to_minor(rule.price) if rule.price is not None else None
            off = to_steps(rule.percent_off, PERCENT_STEP) if rule.percent_off is not None else None
            minimum = to_steps(rule.min_quantity, QUANTITY_STEP)
        except MoneyError as exc:
            raise RequestError(str(exc)) from None
        if (price is not None and price < 0) or (off is not None and not 0 <= off <= 10000):
            raise RequestError("a price is not negative and a percentage is 0 to 100")
        product = product_by_code(session, rule.product) if rule.product else None
        row = PriceRule(
            price_list_id=plist.id,
            product_id=product.id if product else None,
            category=rule.category,
            price_minor=price,
            discount_bp=off,
            min_quantity_milli=minimum,
            valid_from=rule.valid_from,
            valid_to=rule.valid_to,
        )
        session.add(row)
        session.flush()
        audit(session, actor_of(session, who), AuditAction.CREATE, "price_rule", row.id)
