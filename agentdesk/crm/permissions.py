"""Which records belong to whom, and the check every edit of them goes through.

The rule is ``domain.access.allows``, applied to the acting user's permissions
(``org/access.py``); on PostgreSQL the row-level security policies apply it again in the
database, so a check skipped here is still refused there.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from agentdesk.crm.models import Account, Callback, Contact, Lead, Opportunity, ServiceCase
from agentdesk.crm.party_records import ACCOUNT_EDITABLE, CONTACT_EDITABLE, LEAD_EDITABLE
from agentdesk.db.base import SharedRecord
from agentdesk.db.errors import RecordNotFoundError, RequestError
from agentdesk.domain.access import Action, Capability, RecordKind, Refusal
from agentdesk.org.access import Access, AccessDeniedError, access_for, share_of
from agentdesk.org.identity import current_login
from agentdesk.org.users import AgentRef, user_by_ref


@dataclass(frozen=True, slots=True)
class Owned:
    """A kind of record that belongs to a user: its model, owner column and editable fields."""

    model: type[SharedRecord]
    owner: str
    editable: tuple[str, ...] = ()


OWNED: Mapping[RecordKind, Owned] = {
    RecordKind.ACCOUNTS: Owned(Account, "owner_id", ACCOUNT_EDITABLE),
    RecordKind.CONTACTS: Owned(Contact, "owner_id", CONTACT_EDITABLE),
    RecordKind.LEADS: Owned(Lead, "owner_id", LEAD_EDITABLE),
    RecordKind.OPPORTUNITIES: Owned(Opportunity, "owner_id"),
    RecordKind.CASES: Owned(ServiceCase, "owner_id"),
    RecordKind.CALLBACKS: Owned(Callback, "agent_id"),
}
KIND_OF_MODEL = {owned.model: kind for kind, owned in OWNED.items()}


def owned(kind: str | RecordKind) -> tuple[RecordKind, Owned]:
    """The kind named ``kind`` (as the CLI spells it) and how its records are owned."""
    try:
        record_kind = RecordKind(kind)
        return record_kind, OWNED[record_kind]
    except (ValueError, KeyError):
        choices = ", ".join(k.value for k in OWNED)
        raise RequestError(f"records of kind {kind!r} have no owner: use {choices}") from None


def owner_of(row: SharedRecord, kind: RecordKind) -> uuid.UUID | None:
    value: uuid.UUID | None = getattr(row, OWNED[kind].owner)  # the owner column of the kind
    return value


def acting_access(session: Session, agent: AgentRef | None) -> Access | None:
    """The acting user's permissions; ``None`` (no restriction) for the database owner.

    The owner's connection (SQLite's file, PostgreSQL's upgrading login) acting for a name
    that is no user, e.g. a script's default agent on a new database, acts as the owner; a
    PostgreSQL desk login is always a user.
    """
    login = current_login(session)
    who = login.username if login.username is not None else agent
    if who is None:
        return None
    if login.is_owner and user_by_ref(session, who) is None:
        return None
    return access_for(session, who)


def check_edit(
    session: Session,
    access: Access | None,
    kind: RecordKind,
    row: SharedRecord,
    new_owner: uuid.UUID | Any | None = ...,
) -> None:
    """Refuse an update the role does not allow; a change of owner is a reassignment, except
    claiming a record nobody owns for oneself."""
    if access is None:
        return
    current = owner_of(row, kind)
    access.check(session, kind, Action.UPDATE, row.id, current)
    if new_owner is not ... and new_owner != current:
        claim = current is None and new_owner == access.user_id
        if not claim and not access.has(Capability.REASSIGN):
            raise AccessDeniedError(access.username, Refusal(capability=Capability.REASSIGN))


def may_change(session: Session, access: Access | None, row: SharedRecord) -> bool:
    """Whether ``access`` may update ``row``; a row it may not even read is not found to it
    (:class:`~agentdesk.db.errors.RecordNotFoundError`), as PostgreSQL's row policies hide it.
    """
    if access is None:
        return True
    kind = KIND_OF_MODEL[type(row)]
    owner = owner_of(row, kind)
    share = share_of(session, kind, row.id, access.user_id)
    if not access.may(kind, Action.READ, owner, share):
        raise RecordNotFoundError(kind.value, row.id)
    return access.may(kind, Action.UPDATE, owner, share)
