"""Converting leads: each becomes an account (or joins one given), a contact and an opportunity,
and keeps a link to them (``lead_conversions``).

A lead is converted once. The service refuses a converted (or disqualified) lead; when two desks
convert the same lead at the same moment the conversion row's primary key (the lead) refuses
the second transaction, which then rolls back everything it created. A batch is one
transaction: all its leads are converted, or none.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Contact, Lead, Opportunity, PhoneRecord
from agentdesk.crm.permissions import acting_access, check_edit
from agentdesk.db.audit import audit
from agentdesk.db.base import table_of
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Action, RecordKind
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction, LeadStatus
from agentdesk.org.access import Access
from agentdesk.org.admin import audit_actor
from agentdesk.org.users import AgentRef
from agentdesk.sales.leads import lead_name, load_lead
from agentdesk.sales.models import LeadConversion
from agentdesk.sales.money import Currency, MoneyError, currency
from agentdesk.sales.opportunities import opportunity_amount, record_stage_change
from agentdesk.sales.party_refs import find_account
from agentdesk.sales.quotes import DEFAULT_CURRENCY
from agentdesk.sales.stages import first_open_stage

DEFAULT_CLOSE_DAYS = 30
"""A new opportunity's expected close date, from today, unless one is given."""


@dataclass(frozen=True, slots=True)
class ConvertOptions:
    """What the new opportunities get; every lead of a batch gets the same."""

    account: str | None = None
    """An existing account's id or exact name to attach to instead of a new account."""
    amount: Decimal | None = None
    close: date | None = None
    currency_code: str = DEFAULT_CURRENCY


@dataclass(frozen=True, slots=True)
class Conversion:
    lead_id: uuid.UUID
    account_id: uuid.UUID
    contact_id: uuid.UUID
    opportunity_id: uuid.UUID

    def as_json(self) -> dict[str, str]:
        return {
            "lead_id": str(self.lead_id),
            "account_id": str(self.account_id),
            "contact_id": str(self.contact_id),
            "opportunity_id": str(self.opportunity_id),
        }


class LeadConvertedError(RequestError):
    """The lead was converted already (by this desk or, a moment ago, another)."""


def convert_leads(
    sessions: sessionmaker[Session],
    ids: Sequence[uuid.UUID],
    options: ConvertOptions = ConvertOptions(),
    *,
    actor: AgentRef | None = None,
) -> list[Conversion]:
    """Convert the leads, all or none, in the order given."""
    if not ids:
        raise RequestError("name at least one lead")
    money = _currency(options.currency_code)
    amount = _amount(options.amount, money.code)
    try:
        with sessions() as session, session.begin():
            access = acting_access(session, actor)
            given = find_account(session, options.account) if options.account else None
            if given is not None and access is not None:
                access.check(session, RecordKind.ACCOUNTS, Action.READ, given.id, given.owner_id)
            close = options.close or date.today() + timedelta(days=DEFAULT_CLOSE_DAYS)
            done = []
            for lead_id in ids:
                lead = load_lead(session, lead_id)
                done.append(_convert(session, access, lead, given, amount, close, money.code))
            return done
    except IntegrityError as exc:
        if "lead_conversions" not in str(exc.orig):
            raise
        raise LeadConvertedError("another desk converted one of these leads just now") from None


def _currency(code: str) -> Currency:
    try:
        return currency(code)
    except MoneyError as exc:
        raise RequestError(str(exc)) from None


def _amount(value: Decimal | None, code: str) -> Decimal | None:
    return None if value is None else opportunity_amount(value, code)


def _convert(
    session: Session,
    access: Access | None,
    lead: Lead,
    given: Account | None,
    amount: Decimal | None,
    close: date,
    code: str,
) -> Conversion:
    check_edit(session, access, RecordKind.LEADS, lead)
    existing = session.get(LeadConversion, lead.id)
    if existing is not None or lead.status is LeadStatus.CONVERTED:
        what = f" into opportunity {existing.opportunity_id}" if existing else ""
        raise LeadConvertedError(f"lead {lead.id} was converted already{what}")
    if lead.status is LeadStatus.DISQUALIFIED:
        raise RequestError(f"lead {lead.id} is disqualified: it cannot be converted")
    owner = lead.owner_id if lead.owner_id is not None else (access.user_id if access else None)
    if access is not None:
        for kind in (RecordKind.CONTACTS, RecordKind.OPPORTUNITIES):
            access.check_create(kind, owner)
        if given is None:
            access.check_create(RecordKind.ACCOUNTS, owner)
    name = lead_name(lead) or "-"
    account = given or Account(
        name=(lead.company or name)[:200], city=lead.city, country=lead.country, owner_id=owner
    )
    if given is None:
        session.add(account)
        session.flush()
    contact = Contact(
        first_name=lead.first_name,
        last_name=lead.last_name if lead.last_name or lead.first_name else name[:100],
        account_id=account.id,
        email=lead.email,
        city=lead.city,
        country=lead.country,
        notes=lead.notes,
        owner_id=owner,
    )
    session.add(contact)
    session.flush()
    opportunity = Opportunity(
        name=(lead.company or name)[:200],
        account_id=account.id,
        contact_id=contact.id,
        stage=first_open_stage(session).code,
        amount=amount,
        currency=code,
        close_date=close,
        owner_id=owner,
    )
    session.add(opportunity)
    session.flush()
    now = utcnow()
    record_stage_change(session, opportunity, None, access, now)
    conversion = LeadConversion(
        lead_id=lead.id,
        account_id=account.id,
        contact_id=contact.id,
        opportunity_id=opportunity.id,
        converted_by_id=access.user_id if access else None,
        converted_at=now,
    )
    session.add(conversion)
    session.flush()  # the race's loser stops here, on the primary key
    _move_numbers(session, lead, contact)
    before = lead.status
    lead.status = LeadStatus.CONVERTED
    session.flush()
    actor = audit_actor(session, access.username if access else None)
    result = Conversion(lead.id, account.id, contact.id, opportunity.id)
    details = {"status": [before, LeadStatus.CONVERTED], **result.as_json()}
    audit(session, actor, AuditAction.UPDATE, RecordKind.LEADS.value, lead.id, details)
    for entity, record_id in (
        ("account", account.id if given is None else None),
        ("contact", contact.id),
        ("opportunity", opportunity.id),
    ):
        if record_id is not None:
            audit(session, actor, AuditAction.CREATE, entity, record_id, {"lead": str(lead.id)})
    return result


def _move_numbers(session: Session, lead: Lead, contact: Contact) -> None:
    """The lead's numbers become the contact's, so the next call pops the contact."""
    numbers = table_of(PhoneRecord)
    ids = list(session.scalars(select(numbers.c.id).where(numbers.c.lead_id == lead.id)))
    if ids:
        session.execute(
            update(numbers)
            .where(numbers.c.id.in_(ids))
            .values(
                lead_id=None,
                contact_id=contact.id,
                updated_at=utcnow(),
                version=numbers.c.version + 1,
            )
        )


def conversion_of(session: Session, lead_id: uuid.UUID) -> Conversion | None:
    row = session.get(LeadConversion, lead_id)
    if row is None:
        return None
    return Conversion(row.lead_id, row.account_id, row.contact_id, row.opportunity_id)
