"""A new contact or lead for an unknown caller, with the number they called from."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.field_checks import clean_email
from agentdesk.crm.models import Account, Contact, Lead, PhoneRecord
from agentdesk.crm.party_details import PartyRef
from agentdesk.crm.party_records import OWNER_COLUMNS
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.enums import OwnerKind, PhoneKind
from agentdesk.domain.phone import normalize


def create_party(
    sessions: sessionmaker[Session],
    region: str,
    kind: OwnerKind,
    *,
    first_name: str,
    last_name: str,
    phone: str,
    company: str | None = None,
    email: str | None = None,
) -> PartyRef:
    """A new contact or lead with one work number, ``phone`` read in ``region``.

    A contact's ``company`` is the account of that name (created when there is none); a lead
    keeps it as text. Accounts are not created from a call: :class:`ValueError`, as for a
    missing name; an unreadable number raises
    :class:`~agentdesk.domain.phone.InvalidPhoneNumber`, an ``email`` that is not an address
    :class:`~agentdesk.crm.field_checks.InvalidFieldError`.
    """
    if kind is OwnerKind.ACCOUNT:
        raise ValueError("create an account from the CRM, not from a call")
    if not (first_name.strip() or last_name.strip()):
        raise ValueError("a name is required")
    email = clean_email(email)
    number = normalize(phone, region)
    with unit_of_work(sessions) as session:
        record: Contact | Lead
        if kind is OwnerKind.CONTACT:
            record = Contact(
                first_name=first_name.strip() or None,
                last_name=last_name.strip() or None,
                email=email,
                account_id=_account_for(session, company),
            )
        else:
            record = Lead(
                first_name=first_name.strip() or None,
                last_name=last_name.strip() or None,
                company=company or None,
                email=email,
            )
        session.add(record)
        session.flush()
        session.add(
            PhoneRecord(
                raw=phone.strip(),
                e164=number.e164,
                extension=number.extension,
                kind=PhoneKind.WORK,
                **{OWNER_COLUMNS[kind]: record.id},
            )
        )
        session.flush()
        return PartyRef(kind, record.id)


def _account_for(session: Session, company: str | None) -> uuid.UUID | None:
    name = (company or "").strip()
    if not name:
        return None
    existing = session.scalars(
        select(Account.id).where(Account.name == name, Account.deleted_at.is_(None))
    ).first()
    if existing is not None:
        return existing
    account = Account(name=name)
    session.add(account)
    session.flush()
    return account.id
