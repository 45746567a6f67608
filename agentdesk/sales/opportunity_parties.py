"""Who an opportunity or quote is for: the account and contact pickers' searches.

An account is found by any part of its name (``科技`` finds 北京星辰科技), as many as the
picker shows; a contact only among the people of one account, by name (Chinese names as
written, family name first) or by any run of digits of one of their numbers. An account has
few people, so its contacts are read whole and matched here, the same way on both engines.
Both are limited to the records the user may read.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Contact, PhoneRecord
from agentdesk.crm.permissions import acting_access
from agentdesk.domain.access import Action, RecordKind
from agentdesk.org.access import Access
from agentdesk.org.users import AgentRef
from agentdesk.sales.party_refs import find_account

PICKER_LIMIT = 20
CONTACTS_READ = 500
"""At most this many people of one account are matched (an account is a company)."""


@dataclass(frozen=True, slots=True)
class PartyChoice:
    """An account or contact as a picker lists it."""

    id: uuid.UUID
    name: str
    detail: str = ""
    """A contact's title and first number; empty for an account."""


def search_accounts(
    sessions: sessionmaker[Session], text: str, *, actor: AgentRef | None = None
) -> tuple[PartyChoice, ...]:
    """The accounts whose name holds ``text``, by name; empty text: the first by name."""
    words = text.strip()
    with sessions() as session:
        access = acting_access(session, actor)
        query = select(Account.id, Account.name).where(Account.deleted_at.is_(None))
        if words:
            pattern = "%" + _escaped(words) + "%"
            query = query.where(Account.name.ilike(pattern, escape="\\"))
        if access is not None:
            query = query.where(access.visible(RecordKind.ACCOUNTS, Account.owner_id, Account.id))
        rows = session.execute(query.order_by(Account.name, Account.id).limit(PICKER_LIMIT))
        return tuple(PartyChoice(row[0], row[1]) for row in rows)


def search_contacts(
    sessions: sessionmaker[Session],
    account: uuid.UUID | str,
    text: str,
    *,
    actor: AgentRef | None = None,
) -> tuple[PartyChoice, ...]:
    """The people of ``account`` (its id, or its name as typed on a quote) whose name or
    number matches ``text`` (all of them: empty text)."""
    with sessions() as session:
        access = acting_access(session, actor)
        target = find_account(session, str(account))
        if access is not None:
            access.check(session, RecordKind.ACCOUNTS, Action.READ, target.id, target.owner_id)
        people = _people(session, access, target.id)
        numbers = _numbers(session, [person.id for person in people])
    wanted = text.strip().casefold()
    digits = "".join(ch for ch in wanted if ch.isdigit())
    found = []
    for person in people:
        name = person.full_name
        phones = numbers.get(person.id, [])
        names = (name, person.first_name or "", person.last_name or "")
        by_name = any(wanted in part.casefold() for part in names)
        by_phone = len(digits) >= 3 and any(digits in _digits(phone) for phone in phones)
        if not wanted or by_name or by_phone:
            parts = (person.title, phones[0] if phones else None)
            detail = " · ".join(part for part in parts if part)
            found.append(PartyChoice(person.id, name or "—", detail))
    return tuple(found[:PICKER_LIMIT])


def contact_name(session: Session, contact_id: uuid.UUID | None) -> str | None:
    contact = session.get(Contact, contact_id) if contact_id else None
    return contact.full_name if contact is not None else None


def _people(session: Session, access: Access | None, account_id: uuid.UUID) -> list[Contact]:
    query = select(Contact).where(Contact.account_id == account_id, Contact.deleted_at.is_(None))
    if access is not None:
        query = query.where(access.visible(RecordKind.CONTACTS, Contact.owner_id, Contact.id))
    order = (Contact.last_name, Contact.first_name, Contact.id)
    return list(session.scalars(query.order_by(*order).limit(CONTACTS_READ)))


def _numbers(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    numbers: dict[uuid.UUID, list[str]] = {}
    if not ids:
        return numbers
    query = (
        select(PhoneRecord.contact_id, PhoneRecord.e164)
        .where(PhoneRecord.contact_id.in_(ids), PhoneRecord.deleted_at.is_(None))
        .order_by(PhoneRecord.created_at, PhoneRecord.id)
    )
    for owner, e164 in session.execute(query):
        if owner is not None:
            numbers.setdefault(owner, []).append(e164)
    return numbers


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
