"""A new contact or lead for an unknown caller, with the number they called from.

The agent who creates it owns it (``owner_id``), and the creation is audited in the same
transaction, like every other change an agent makes to the CRM.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.field_checks import clean_email
from agentdesk.crm.models import Account, Contact, Lead, PhoneRecord
from agentdesk.crm.party_details import PartyRef
from agentdesk.crm.party_records import OWNER_COLUMNS
from agentdesk.db.audit import Actor, audit
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.enums import AuditAction, OwnerKind, PhoneKind
from agentdesk.domain.phone import normalize
from agentdesk.org.users import AgentRef, actor_of


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
    actor: AgentRef | None = None,
) -> PartyRef:
    """A new contact or lead with one work number, ``phone`` read in ``region``, owned by
    ``actor`` (when the database knows them) and audited as theirs.

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
        who = actor_of(session, actor)
        owner = who.user_id if who is not None else None
        record: Contact | Lead
        if kind is OwnerKind.CONTACT:
            record = Contact(
                first_name=first_name.strip() or None,
                last_name=last_name.strip() or None,
                email=email,
                account_id=_account_for(session, company, who),
                owner_id=owner,
            )
        else:
            record = Lead(
                first_name=first_name.strip() or None,
                last_name=last_name.strip() or None,
                company=company or None,
                email=email,
                owner_id=owner,
            )
        session.add(record)
        session.flush()
        details = {"source": "caller", "e164": number.e164}
        audit(session, who, AuditAction.CREATE, kind.value, record.id, details)
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


def _account_for(session: Session, company: str | None, who: Actor | None) -> uuid.UUID | None:
    name = (company or "").strip()
    if not name:
        return None
    existing = session.scalars(
        select(Account.id).where(Account.name == name, Account.deleted_at.is_(None))
    ).first()
    if existing is not None:
        return existing
    account = Account(name=name, owner_id=who.user_id if who is not None else None)
    session.add(account)
    session.flush()
    audit(session, who, AuditAction.CREATE, "account", account.id, {"source": "caller"})
    return account.id
