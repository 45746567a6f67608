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

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Opportunity
from agentdesk.crm.permissions import acting_access, check_edit
from agentdesk.db.audit import audit
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Action, RecordKind
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction
from agentdesk.org.access import Access
from agentdesk.org.users import AgentRef, actor_of, find_user
from agentdesk.sales.documents import LineRequest
from agentdesk.sales.models import StageChange
from agentdesk.sales.money import MoneyError, currency
from agentdesk.sales.opportunity_lines import has_lines, replace_lines
from agentdesk.sales.party_refs import check_contact, find_account
from agentdesk.sales.stages import Stage, change_stage, stage_for_move, stage_table

KEEP = object()
"""An argument of :func:`update_opportunity` left as it is."""


def stage_of(text: str) -> str:
    """A stage code as typed (``Proposal`` is ``proposal``); the service checks it is a
    stage an opportunity may move into (``stages.stage_for_move``)."""
    return text.strip().lower()


def stage_defaults(session: Session) -> dict[str, int]:
    """Each stage's default probability (won 100, lost 0)."""
    return {code: stage.probability for code, stage in stage_table(session).items()}


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
    next_step: str | None = None

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
            "next_step": self.next_step,
        }


def _view(session: Session, row: Opportunity) -> OpportunityView:
    account = session.get(Account, row.account_id) if row.account_id else None
    return OpportunityView(
        id=row.id,
        name=row.name,
        account=account.name if account else None,
        stage=row.stage,
        amount=row.amount,
        currency=row.currency,
        close_date=row.close_date,
        probability=row.chance,
        probability_override=row.probability,
        next_step=row.next_step,
    )


def next_step_text(text: str | None) -> str | None:
    """What the rep wrote as the next step, trimmed to the column's 300 characters; blank is
    none."""
    return (text or "").strip()[:300] or None


def opportunity_amount(value: Decimal, code: str) -> Decimal:
    """A typed amount as an opportunity keeps it: exact in ``code``'s minor unit, not below
    zero (every writer: the CLI, the editor, a lead's conversion)."""
    money = currency(code)
    try:
        rounded = money.from_minor(money.to_minor(value))
    except MoneyError as exc:
        raise RequestError(str(exc)) from None
    if rounded < 0:
        raise RequestError("an opportunity's amount is not negative")
    return rounded


def _percent(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= 100:
        raise RequestError(f"probability {value} is not between 0 and 100")
    return value


def record_stage_change(
    session: Session,
    row: Opportunity,
    before: str | None,
    access: Access | None,
    at: datetime,
) -> None:
    """Keep ``row``'s move from ``before`` (``None``: created) into its stage, by the user, at
    ``at``: the one writer of the stage history."""
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


def won_at(stage: Stage, at: datetime) -> datetime | None:
    """What ``opportunities.won_at`` holds after a move to ``stage`` at ``at``: the time of the
    last move into a won stage, copied from the stage history for the forecast (migration
    0021)."""
    return at if stage.won else None


def create_opportunity(
    sessions: sessionmaker[Session],
    *,
    account: str,
    name: str,
    amount: Decimal | None,
    stage: str,
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
        into = stage_for_move(session, stage)
        now = utcnow()
        row = Opportunity(
            name=name.strip()[:200],
            account_id=target.id,
            stage=into.code,
            amount=opportunity_amount(amount, code) if amount is not None else None,
            currency=code,
            close_date=close,
            probability=None if not into.is_open else _percent(probability),
            owner_id=owner_id,
            won_at=won_at(into, now),
            contact_id=check_contact(session, access, target.id, contact).id if contact else None,
            next_step=next_step_text(next_step),
        )
        session.add(row)
        session.flush()
        if lines:
            replace_lines(session, row, lines, prices)
            session.flush()
        record_stage_change(session, row, None, access, now)
        who = actor_of(session, access.username if access else actor)
        audit(session, who, AuditAction.CREATE, "opportunity", row.id, {"stage": into.code})
        return _view(session, row)


def update_opportunity(
    sessions: sessionmaker[Session],
    opportunity_id: uuid.UUID,
    *,
    stage: str | None = None,
    amount: Decimal | None = None,
    close: date | None = None,
    probability: int | object | None = KEEP,
    lines: Sequence[LineRequest] = (),
    next_step: str | None = None,
    actor: AgentRef | None = None,
) -> OpportunityView:
    """Change what is given; ``probability=None`` drops the override (the stage decides);
    ``lines`` replace the product lines and so set the amount; ``next_step=""`` clears it."""
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
            row.amount = opportunity_amount(amount, row.currency)
            changes["amount"] = str(row.amount)
        if lines:
            changes["amount"] = str(replace_lines(session, row, lines))
        if close is not None:
            row.close_date = close
            changes["close_date"] = close.isoformat()
        if probability is not KEEP:
            row.probability = _percent(probability if isinstance(probability, int) else None)
            changes["probability"] = row.probability
        if next_step is not None:
            row.next_step = next_step_text(next_step)
            changes["next_step"] = row.next_step
        now = utcnow()
        if stage is not None and stage.strip().lower() != before:
            into = stage_for_move(session, stage)
            row.stage = into.code
            row.won_at = won_at(into, now)
            changes["stage"] = [before, into.code]
        current = stage_table(session).get(row.stage)
        if current is not None and not current.is_open:
            row.probability = None  # won is 100 and lost 0, whatever was typed
        session.flush()
        if row.stage != before:
            record_stage_change(session, row, before, access, now)
        who = actor_of(session, access.username if access else actor)
        audit(session, who, AuditAction.UPDATE, "opportunity", row.id, changes)
        return _view(session, row)


def set_stage_probability(
    sessions: sessionmaker[Session],
    stage: str,
    probability: int,
    *,
    actor: AgentRef | None = None,
) -> None:
    """The admin's default probability of an open stage (needs ``manage_users``)."""
    change_stage(sessions, stage, probability=probability, actor=actor)
