"""Opportunities: created and moved through the stages, every stage change kept (who, when).

The probability follows the stage's default (``opportunity_stages``, set by the admin) unless
the rep overrides it (kept in ``opportunities.probability``); won is always 100 and lost
always 0, and reaching either drops the override. The table itself is declared in
``crm/models.py`` while the screen pop's history reads it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Opportunity
from agentdesk.crm.permissions import acting_access, check_edit
from agentdesk.db.audit import audit
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Action, Capability, RecordKind
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction, OpportunityStage
from agentdesk.org.access import Access
from agentdesk.org.users import AgentRef, actor_of, find_user
from agentdesk.sales.documents import LineRequest
from agentdesk.sales.models import StageChange, StageSetting
from agentdesk.sales.money import MoneyError, currency
from agentdesk.sales.opportunity_lines import has_lines, replace_lines
from agentdesk.sales.opportunity_parties import check_contact
from agentdesk.sales.quotes import find_account

DEFAULT_PROBABILITY: dict[OpportunityStage, int] = {
    OpportunityStage.PROSPECTING: 10,
    OpportunityStage.QUALIFICATION: 20,
    OpportunityStage.PROPOSAL: 50,
    OpportunityStage.NEGOTIATION: 70,
    OpportunityStage.CLOSED_WON: 100,
    OpportunityStage.CLOSED_LOST: 0,
}
"""A stage's probability until the admin sets another (``opportunity_stages``)."""

KEEP = object()
"""An argument of :func:`update_opportunity` left as it is."""


def stage_of(text: str) -> OpportunityStage:
    try:
        return OpportunityStage(text.strip().lower())
    except ValueError:
        names = ", ".join(s.value for s in OpportunityStage)
        raise RequestError(f"unknown stage {text!r}: use {names}") from None


def effective_probability(stage: OpportunityStage, override: int | None, default: int) -> int:
    if stage is OpportunityStage.CLOSED_WON:
        return 100
    if stage is OpportunityStage.CLOSED_LOST:
        return 0
    return default if override is None else override


def stage_defaults(session: Session) -> dict[OpportunityStage, int]:
    rows = session.execute(select(StageSetting.stage, StageSetting.probability))
    return DEFAULT_PROBABILITY | {OpportunityStage(stage): chance for stage, chance in rows}


@dataclass(frozen=True, slots=True)
class OpportunityView:
    id: uuid.UUID
    name: str
    account: str | None
    stage: str
    amount: Decimal | None
    currency: str
    close_date: date | None
    probability: int
    probability_override: int | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "name": self.name,
            "account": self.account,
            "stage": self.stage,
            "amount": str(self.amount) if self.amount is not None else None,
            "currency": self.currency,
            "close_date": self.close_date.isoformat() if self.close_date else None,
            "probability": self.probability,
            "probability_override": self.probability_override,
        }


def _view(session: Session, row: Opportunity) -> OpportunityView:
    account = session.get(Account, row.account_id) if row.account_id else None
    default = stage_defaults(session).get(row.stage, 0)
    return OpportunityView(
        id=row.id,
        name=row.name,
        account=account.name if account else None,
        stage=row.stage.value,
        amount=row.amount,
        currency=row.currency,
        close_date=row.close_date,
        probability=effective_probability(row.stage, row.probability, default),
        probability_override=row.probability,
    )


def _amount(value: Decimal, code: str) -> Decimal:
    money = currency(code)
    try:
        return money.from_minor(money.to_minor(value))
    except MoneyError as exc:
        raise RequestError(str(exc)) from None


def _percent(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= 100:
        raise RequestError(f"probability {value} is not between 0 and 100")
    return value


def _record(
    session: Session,
    row: Opportunity,
    before: OpportunityStage | None,
    access: Access | None,
    at: datetime,
) -> None:
    session.add(
        StageChange(
            opportunity_id=row.id,
            from_stage=before,
            to_stage=row.stage,
            probability=row.probability,
            changed_by_id=access.user_id if access else None,
            changed_at=at,
        )
    )


def won_at(stage: OpportunityStage, at: datetime) -> datetime | None:
    """What ``opportunities.won_at`` holds after a move to ``stage`` at ``at``: the time of the
    last move into won, copied from the stage history for the forecast (migration 0021)."""
    return at if stage is OpportunityStage.CLOSED_WON else None


def create_opportunity(
    sessions: sessionmaker[Session],
    *,
    account: str,
    name: str,
    amount: Decimal | None,
    stage: OpportunityStage,
    close: date,
    owner: str | None = None,
    probability: int | None = None,
    currency_code: str = "CNY",
    lines: Sequence[LineRequest] = (),
    prices: Sequence[Decimal | None] = (),
    contact: uuid.UUID | None = None,
    next_step: str | None = None,
    actor: AgentRef | None = None,
) -> OpportunityView:
    """With ``lines`` the amount is their sum (then give no ``amount``); ``contact`` works
    for the account (or for none)."""
    if not name.strip():
        raise RequestError("an opportunity needs a name")
    if (amount is None) == (not lines):
        raise RequestError("give an amount or product lines (one of them)")
    with sessions() as session, session.begin():
        access = acting_access(session, actor)
        owner_id = find_user(session, owner).id if owner else (access.user_id if access else None)
        if access is not None:
            access.check_create(RecordKind.OPPORTUNITIES, owner_id)
        target = find_account(session, account)
        if access is not None:
            access.check(session, RecordKind.ACCOUNTS, Action.READ, target.id, target.owner_id)
        code = currency(currency_code).code
        now = utcnow()
        row = Opportunity(
            name=name.strip()[:200],
            account_id=target.id,
            stage=stage,
            amount=_amount(amount, code) if amount is not None else None,
            currency=code,
            close_date=close,
            probability=None if not stage.is_open else _percent(probability),
            owner_id=owner_id,
            won_at=won_at(stage, now),
            contact_id=check_contact(session, access, target.id, contact).id if contact else None,
            next_step=(next_step or "").strip()[:300] or None,
        )
        session.add(row)
        session.flush()
        if lines:
            replace_lines(session, row, lines, prices)
        _record(session, row, None, access, now)
        who = actor_of(session, access.username if access else actor)
        audit(session, who, AuditAction.CREATE, "opportunity", row.id, {"stage": stage})
        return _view(session, row)


def update_opportunity(
    sessions: sessionmaker[Session],
    opportunity_id: uuid.UUID,
    *,
    stage: OpportunityStage | None = None,
    amount: Decimal | None = None,
    close: date | None = None,
    probability: int | object | None = KEEP,
    lines: Sequence[LineRequest] = (),
    actor: AgentRef | None = None,
) -> OpportunityView:
    """Change what is given; ``probability=None`` drops the override (the stage decides);
    ``lines`` replace the product lines and so set the amount."""
    if amount is not None and lines:
        raise RequestError("give an amount or product lines (one of them)")
    with sessions() as session, session.begin():
        row = session.get(Opportunity, opportunity_id)
        if row is None or row.deleted_at is not None:
            raise RequestError(f"no opportunity {opportunity_id}")
        access = acting_access(session, actor)
        check_edit(session, access, RecordKind.OPPORTUNITIES, row)
        changes: dict[str, object] = {}
        before = row.stage
        if amount is not None:
            if has_lines(session, row):
                raise RequestError("this opportunity's amount comes from its product lines")
            row.amount = _amount(amount, row.currency)
            changes["amount"] = str(row.amount)
        if lines:
            changes["amount"] = str(replace_lines(session, row, lines))
        if close is not None:
            row.close_date = close
            changes["close_date"] = close.isoformat()
        if probability is not KEEP:
            row.probability = _percent(probability if isinstance(probability, int) else None)
            changes["probability"] = row.probability
        now = utcnow()
        if stage is not None and stage is not before:
            row.stage = stage
            row.won_at = won_at(stage, now)
            changes["stage"] = [before, stage]
        if not row.stage.is_open:
            row.probability = None  # won is 100 and lost 0, whatever was typed
        session.flush()
        if row.stage is not before:
            _record(session, row, before, access, now)
        who = actor_of(session, access.username if access else actor)
        audit(session, who, AuditAction.UPDATE, "opportunity", row.id, changes)
        return _view(session, row)


def set_stage_probability(
    sessions: sessionmaker[Session],
    stage: OpportunityStage,
    probability: int,
    *,
    actor: AgentRef | None = None,
) -> None:
    """The admin's default probability of an open stage (needs ``manage_users``)."""
    if not stage.is_open:
        raise RequestError("won is always 100 % and lost 0 %")
    with sessions() as session, session.begin():
        access = acting_access(session, actor)
        if access is not None:
            access.require(Capability.MANAGE_USERS)
        setting = session.get(StageSetting, stage)
        if setting is None:
            position = list(OpportunityStage).index(stage) + 1
            setting = StageSetting(stage=stage, position=position)
            setting.probability = DEFAULT_PROBABILITY[stage]
            session.add(setting)
        before = setting.probability
        setting.probability = _percent(probability) or 0
        who = actor_of(session, access.username if access else actor)
        details = {"stage": stage, "probability": [before, setting.probability]}
        audit(session, who, AuditAction.UPDATE, "opportunity_stage", None, details)
