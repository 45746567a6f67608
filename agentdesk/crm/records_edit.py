"""Edits of contacts, leads and accounts from the customer panel (optimistic concurrency).

The caller passes the ``version`` it showed the agent; when another agent saved in between, the
edit is refused with :class:`~agentdesk.db.errors.StaleRecordError` carrying their values, so
nothing is silently overwritten. Every applied edit writes an audit entry with the values it
replaced, in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TypeVar

from sqlalchemy import String, inspect
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.field_checks import clean_country, clean_email
from agentdesk.crm.models import Account, Contact, Lead
from agentdesk.crm.party_records import (
    ACCOUNT_EDITABLE,
    CONTACT_EDITABLE,
    LEAD_EDITABLE,
    AccountRecord,
    ContactRecord,
    LeadRecord,
    account_record,
    contact_record,
    lead_record,
)
from agentdesk.crm.permissions import KIND_OF_MODEL, acting_access, check_edit
from agentdesk.db.base import SharedRecord
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.db.versioning import edit_versioned, get_live
from agentdesk.domain.changes import ACCOUNTS, CONTACTS, LEADS
from agentdesk.domain.enums import LeadStatus
from agentdesk.org.users import AgentRef, actor_of

M = TypeVar("M", Contact, Lead, Account)
R = TypeVar("R", ContactRecord, LeadRecord, AccountRecord)


def clean_changes(
    model: type[SharedRecord], kind: str, changes: Mapping[str, object], editable: tuple[str, ...]
) -> dict[str, object]:
    """Validate an edit before it reaches the database: the message is for the agent.

    Text is stripped (blank means "no value"), a country is an ISO 3166 code and an e-mail
    address looks like one (:class:`~agentdesk.crm.field_checks.InvalidFieldError` names the
    field), and nothing is longer than its column, so PostgreSQL and SQLite accept or refuse the
    same edits.
    """
    unknown = set(changes) - set(editable)
    if unknown:
        raise RequestError(f"cannot edit {kind} field(s): {', '.join(sorted(unknown))}")
    columns = inspect(model).columns
    cleaned: dict[str, object] = {}
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip() or None
        column = columns[name]
        if value is None and not column.nullable:
            raise RequestError(f"the {kind}'s {name.replace('_', ' ')} cannot be empty")
        if name == "country" and value is not None:
            value = clean_country(str(value))
        if name == "email" and value is not None:
            value = clean_email(str(value))
        if name == "status" and value is not None:
            try:
                value = LeadStatus(str(value))
            except ValueError:
                known = ", ".join(s.value for s in LeadStatus)
                raise RequestError(f"unknown lead status {value!r} (one of {known})") from None
        length = column.type.length if isinstance(column.type, String) else None
        if isinstance(value, str) and length is not None and len(value) > length:
            raise RequestError(f"the {kind}'s {name.replace('_', ' ')} is longer than {length}")
        cleaned[name] = value
    return cleaned


class RecordEditor:
    """Reads and edits contacts, leads and accounts; every call is one session."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get_contact(self, contact_id: uuid.UUID) -> ContactRecord:
        with self._sessions() as session:
            return contact_record(get_live(session, Contact, contact_id, "contact"))

    def update_contact(
        self,
        contact_id: uuid.UUID,
        expected_version: int,
        changes: Mapping[str, object],
        *,
        actor: AgentRef | None = None,
    ) -> ContactRecord:
        """Apply ``changes`` (fields of :data:`CONTACT_EDITABLE`) if nobody saved meanwhile.

        Raises :class:`~agentdesk.db.errors.StaleRecordError` with the current values when the
        contact's version is no longer ``expected_version`` (or it was deleted).
        """
        return self._update(
            Contact, contact_id, expected_version, changes, actor, contact_record, CONTACTS
        )

    def get_lead(self, lead_id: uuid.UUID) -> LeadRecord:
        with self._sessions() as session:
            return lead_record(get_live(session, Lead, lead_id, "lead"))

    def get_account(self, account_id: uuid.UUID) -> AccountRecord:
        with self._sessions() as session:
            return account_record(get_live(session, Account, account_id, "account"))

    def update_lead(
        self,
        lead_id: uuid.UUID,
        expected_version: int,
        changes: Mapping[str, object],
        *,
        actor: AgentRef | None = None,
    ) -> LeadRecord:
        """Apply ``changes`` (fields of :data:`LEAD_EDITABLE`) if nobody saved meanwhile.

        Raises :class:`~agentdesk.db.errors.StaleRecordError` with the current values when
        the lead's version is no longer ``expected_version`` (or it was deleted).
        """
        return self._update(Lead, lead_id, expected_version, changes, actor, lead_record, LEADS)

    def update_account(
        self,
        account_id: uuid.UUID,
        expected_version: int,
        changes: Mapping[str, object],
        *,
        actor: AgentRef | None = None,
    ) -> AccountRecord:
        """Apply ``changes`` (fields of :data:`ACCOUNT_EDITABLE`) if nobody saved meanwhile.

        Raises :class:`~agentdesk.db.errors.StaleRecordError` like :meth:`update_lead`.
        """
        return self._update(
            Account, account_id, expected_version, changes, actor, account_record, ACCOUNTS
        )

    def _update(
        self,
        model: type[M],
        record_id: uuid.UUID,
        expected_version: int,
        changes: Mapping[str, object],
        actor: AgentRef | None,
        to_record: Callable[[M], R],
        changed: str,
    ) -> R:
        """The one edit path of every party kind: validate, check the version, write, audit."""
        kind, editable = _KINDS[model]
        cleaned = clean_changes(model, kind, changes, editable)
        with unit_of_work(self._sessions) as session:
            access = acting_access(session, actor)
            current = session.get(model, record_id)
            # a deleted or missing record is edit_versioned's to report (as a stale edit)
            if access is not None and current is not None and current.deleted_at is None:
                new_owner = cleaned.get("owner_id", ...)
                check_edit(session, access, KIND_OF_MODEL[model], current, new_owner)
            row = edit_versioned(
                session, model, kind, record_id, expected_version, cleaned, editable,
                actor_of(session, actor),
            )  # fmt: skip
            assert isinstance(row, model)
            record = to_record(row)
        return replace(record, changed=frozenset({changed}))


_KINDS: dict[type[SharedRecord], tuple[str, tuple[str, ...]]] = {
    Contact: ("contact", CONTACT_EDITABLE),
    Lead: ("lead", LEAD_EDITABLE),
    Account: ("account", ACCOUNT_EDITABLE),
}
