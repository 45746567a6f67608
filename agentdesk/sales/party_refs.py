"""The account and the contact a sales document names, as every sales writer checks them.

An account is named by id or exact name; a contact by id, and it must work for the
document's account (or for none) and be readable by the user: on SQLite the services are
the only guard, so a rep cannot put a contact they may not read on a quote or an opportunity.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agentdesk.crm.models import Account, Contact
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Action, RecordKind
from agentdesk.org.access import Access


def find_account(session: Session, ref: str) -> Account:
    """The account with id ``ref``, else the one account named ``ref`` (case ignored)."""
    try:
        by_id = session.get(Account, uuid.UUID(ref.strip()))
    except ValueError:
        by_id = None
    if by_id is not None and by_id.deleted_at is None:
        return by_id
    named = session.scalars(
        select(Account)
        .where(func.lower(Account.name) == ref.strip().lower(), Account.deleted_at.is_(None))
        .limit(2)
    ).all()
    if not named:
        raise RequestError(f"no account with id or name {ref!r}")
    if len(named) > 1:
        raise RequestError(f"several accounts are named {ref!r}: give the id")
    return named[0]


def check_contact(
    session: Session, access: Access | None, account_id: uuid.UUID | None, contact_id: uuid.UUID
) -> Contact:
    """The contact, if it works for ``account_id`` (or for no account) and the user reads it."""
    contact = session.get(Contact, contact_id)
    if contact is None or contact.deleted_at is not None:
        raise RequestError(f"no contact {contact_id}")
    if contact.account_id not in (None, account_id):
        raise RequestError(f"contact {contact.full_name} works for another account")
    if access is not None:
        access.check(session, RecordKind.CONTACTS, Action.READ, contact.id, contact.owner_id)
    return contact


def contact_by_ref(
    session: Session, access: Access | None, account_id: uuid.UUID | None, ref: str
) -> Contact:
    """:func:`check_contact` of a contact id as typed (the CLI's, a quote request's)."""
    try:
        contact_id = uuid.UUID(ref.strip())
    except ValueError:
        raise RequestError(f"no contact with id {ref!r}") from None
    return check_contact(session, access, account_id, contact_id)
