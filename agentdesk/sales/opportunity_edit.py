"""The opportunity editor's reads and its save: everything about one opportunity (its product
lines and stage history with it) and a whole form saved in one transaction.

A save names the version the form was read at; when someone saved in between, the change is
refused with :class:`~agentdesk.db.errors.StaleRecordError` (the editor shows it, nothing is
overwritten). The stages, their order and default probabilities come from the admin's stages
(:func:`agentdesk.sales.stages.list_stages`), retired ones too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import flag_modified

from agentdesk.crm.models import Account, Opportunity
from agentdesk.crm.permissions import acting_access, check_edit, may_change
from agentdesk.db.audit import audit
from agentdesk.db.errors import RecordNotFoundError, RequestError
from agentdesk.db.versioning import check_version, flush_versioned
from agentdesk.domain.access import Action, Capability, RecordKind
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction
from agentdesk.org.access import Access
from agentdesk.org.models import User
from agentdesk.org.users import AgentRef, actor_of, find_user
from agentdesk.sales.documents import LineRequest
from agentdesk.sales.models import OpportunityLine, Product, StageChange
from agentdesk.sales.money import PERCENT_STEP, QUANTITY_STEP, currency, from_steps
from agentdesk.sales.opportunities import (
    next_step_text,
    opportunity_amount,
    record_stage_change,
    won_at,
)
from agentdesk.sales.opportunity_lines import LinePrice, price_lines, replace_lines
from agentdesk.sales.opportunity_parties import contact_name
from agentdesk.sales.party_refs import check_contact
from agentdesk.sales.stages import list_stages, stage_for_move, stage_table

KIND = "opportunity"
FIELDS = ("name", "stage", "amount", "close_date", "probability", "owner_id", "next_step")
"""What a version conflict shows of the other user's save."""


@dataclass(frozen=True, slots=True)
class StageChoice:
    stage: str
    """The stage's code."""
    probability: int
    """The stage's default probability (won 100, lost 0)."""
    fixed: bool
    """Won or lost: the probability is the stage's, no override."""
    active: bool = True
    """A move may enter it (a retired stage is offered only to its own opportunities)."""


@dataclass(frozen=True, slots=True)
class LineView:
    code: str
    name: str
    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    net: Decimal


@dataclass(frozen=True, slots=True)
class StageMove:
    at: datetime
    who: str | None
    from_stage: str | None
    """``None``: the opportunity was created in ``to_stage``."""
    to_stage: str


@dataclass(frozen=True, slots=True)
class OpportunityDetail:
    id: uuid.UUID
    version: int
    name: str
    account_id: uuid.UUID | None
    account: str | None
    contact_id: uuid.UUID | None
    contact: str | None
    amount: Decimal | None
    currency: str
    close_date: date | None
    owner: str | None
    stage: str
    probability: int
    probability_override: int | None
    next_step: str | None
    lines: tuple[LineView, ...]
    history: tuple[StageMove, ...]
    editable: bool
    """Whether the user may change it (the editor is read-only otherwise)."""


@dataclass(frozen=True, slots=True)
class OpportunityForm:
    """The editor's fields as saved: ``lines`` (when any) give the amount, else ``amount``."""

    name: str
    account_id: uuid.UUID
    stage: str
    """A stage's code: a move enters only an active stage."""
    close: date
    contact_id: uuid.UUID | None = None
    amount: Decimal | None = None
    lines: tuple[LineRequest, ...] = ()
    prices: tuple[Decimal | None, ...] = ()
    """Unit prices typed on the lines (by line; ``None``: the product's standard price)."""
    owner: str | None = None
    """A username; ``None`` on a new one: the user."""
    probability: int | None = None
    """The rep's override; ``None``: the stage's probability."""
    next_step: str | None = None


def editor_stages(sessions: sessionmaker[Session]) -> tuple[StageChoice, ...]:
    """Every stage in the admin's order with its probability, retired ones too (the editor
    offers the active ones, and an opportunity's own)."""
    return tuple(
        StageChoice(stage.code, stage.probability, not stage.is_open, stage.active)
        for stage in list_stages(sessions)
    )


def may_reassign(sessions: sessionmaker[Session], actor: AgentRef | None) -> bool:
    """Whether the user gives opportunities to others (the owner picker is enabled)."""
    with sessions() as session:
        access = acting_access(session, actor)
        return access is None or access.has(Capability.REASSIGN)


def preview_lines(
    sessions: sessionmaker[Session],
    code: str,
    lines: Sequence[LineRequest],
    prices: Sequence[Decimal | None] = (),
) -> tuple[LinePrice, ...]:
    """The editor's lines priced as a save would store them."""
    with sessions() as session:
        return price_lines(session, code, lines, prices)


def opportunity_detail(
    sessions: sessionmaker[Session], opportunity_id: uuid.UUID, *, actor: AgentRef | None = None
) -> OpportunityDetail:
    with sessions() as session:
        row = session.get(Opportunity, opportunity_id)
        if row is None or row.deleted_at is not None:
            raise RecordNotFoundError(KIND, opportunity_id)
        access = acting_access(session, actor)
        return _detail(session, row, access)


def save_opportunity(
    sessions: sessionmaker[Session],
    opportunity_id: uuid.UUID,
    expected_version: int,
    form: OpportunityForm,
    *,
    actor: AgentRef | None = None,
) -> OpportunityDetail:
    """Write ``form`` over the opportunity read at ``expected_version``, in one transaction."""
    name = _name(form)
    with sessions() as session, session.begin():
        row = session.get(Opportunity, opportunity_id)
        check_version(row, KIND, opportunity_id, expected_version, FIELDS)
        assert row is not None
        access = acting_access(session, actor)
        owner_id = find_user(session, form.owner).id if form.owner else row.owner_id
        check_edit(session, access, RecordKind.OPPORTUNITIES, row, owner_id)
        account = _account(session, access, form.account_id)
        before = row.stage
        changes: dict[str, object] = {}
        values: dict[str, object] = {
            "name": name,
            "account_id": account.id,
            "contact_id": (
                check_contact(session, access, account.id, form.contact_id).id
                if form.contact_id
                else None
            ),
            "close_date": form.close,
            "owner_id": owner_id,
            "next_step": next_step_text(form.next_step),
            "probability": _override(session, form),
        }
        if not form.lines:
            if form.amount is None:
                raise RequestError("give an amount or product lines (one of them)")
            values["amount"] = opportunity_amount(form.amount, row.currency)
        # Nothing reaches the database before the versioned flush below: an autoflush of
        # the changed row would meet a concurrent save as a raw StaleDataError.
        with session.no_autoflush:
            for field, value in values.items():
                if getattr(row, field) != value:  # the column of that field name
                    changes[field] = str(value) if value is not None else None
                    setattr(row, field, value)
            now = utcnow()
            if form.stage.strip().lower() != before:
                into = stage_for_move(session, form.stage)
                row.stage = into.code
                row.won_at = won_at(into, now)
                changes["stage"] = [before, into.code]
            if form.lines:
                changes["amount"] = str(replace_lines(session, row, form.lines, form.prices))
            else:
                session.execute(
                    delete(OpportunityLine).where(OpportunityLine.opportunity_id == row.id)
                )
        # The lines are part of the opportunity: the version moves on every save, also when
        # only the lines changed, so a second save of a form read before this one is refused.
        flag_modified(row, "name")
        flush_versioned(session, row, KIND, expected_version, FIELDS)
        if row.stage != before:
            record_stage_change(session, row, before, access, now)
        who = actor_of(session, access.username if access else actor)
        audit(session, who, AuditAction.UPDATE, KIND, row.id, changes)
        session.flush()
        return _detail(session, row, access)


def _name(form: OpportunityForm) -> str:
    name = form.name.strip()
    if not name:
        raise RequestError("an opportunity needs a name")
    return name[:200]


def _override(session: Session, form: OpportunityForm) -> int | None:
    stage = stage_table(session).get(form.stage.strip().lower())
    if stage is not None and not stage.is_open:
        return None  # won is 100 and lost 0, whatever was typed
    if form.probability is not None and not 0 <= form.probability <= 100:
        raise RequestError(f"probability {form.probability} is not between 0 and 100")
    return form.probability


def _account(session: Session, access: Access | None, account_id: uuid.UUID) -> Account:
    account = session.get(Account, account_id)
    if account is None or account.deleted_at is not None:
        raise RequestError(f"no account {account_id}")
    if access is not None:
        access.check(session, RecordKind.ACCOUNTS, Action.READ, account.id, account.owner_id)
    return account


def _detail(session: Session, row: Opportunity, access: Access | None) -> OpportunityDetail:
    editable = may_change(session, access, row)  # not found when it may not be read
    account = session.get(Account, row.account_id) if row.account_id else None
    owner = session.get(User, row.owner_id) if row.owner_id else None
    return OpportunityDetail(
        id=row.id,
        version=row.version,
        name=row.name,
        account_id=row.account_id,
        account=account.name if account else None,
        contact_id=row.contact_id,
        contact=contact_name(session, row.contact_id),
        amount=row.amount,
        currency=row.currency,
        close_date=row.close_date,
        owner=owner.username if owner else None,
        stage=row.stage,
        probability=row.chance,
        probability_override=row.probability,
        next_step=row.next_step,
        lines=_lines(session, row),
        history=_history(session, row.id),
        editable=editable,
    )


def _lines(session: Session, row: Opportunity) -> tuple[LineView, ...]:
    money = currency(row.currency)
    query = (
        select(OpportunityLine, Product.code, Product.name)
        .join(Product, Product.id == OpportunityLine.product_id)
        .where(OpportunityLine.opportunity_id == row.id)
        .order_by(OpportunityLine.position)
    )
    return tuple(
        LineView(
            code=code,
            name=name,
            quantity=from_steps(line.quantity_milli, QUANTITY_STEP),
            unit_price=money.from_minor(line.unit_price_minor),
            discount_pct=from_steps(line.discount_bp, PERCENT_STEP),
            net=money.from_minor(line.net_minor),
        )
        for line, code, name in session.execute(query)
    )


def _history(session: Session, opportunity_id: uuid.UUID) -> tuple[StageMove, ...]:
    query = (
        select(StageChange, User.username)
        .outerjoin(User, User.id == StageChange.changed_by_id)
        .where(StageChange.opportunity_id == opportunity_id)
        .order_by(StageChange.changed_at, StageChange.id)
    )
    return tuple(
        StageMove(change.changed_at, who, change.from_stage, change.to_stage)
        for change, who in session.execute(query)
    )
