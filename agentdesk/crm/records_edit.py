"""Edits of leads, accounts and phone numbers from the customer panel (optimistic concurrency).

The same contract as :meth:`agentdesk.crm.calls.CallLog.update_contact`: the caller passes the
``version`` it showed the agent; when another agent saved in between, the edit is refused with
:class:`~agentdesk.crm.calls.StaleRecordError` carrying their values, so nothing is silently
overwritten. Every applied edit writes an audit entry with the values it replaced, in the same
transaction.

Phone numbers belong to a contact, lead or account (:class:`~agentdesk.crm.models.PhoneRecord`):
an added number is normalised to E.164 (the screen pop's lookup key) and a removed one is
soft-deleted at the version the agent saw.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import String, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.base import SharedRecord, utcnow
from agentdesk.crm.calls import (
    AgentRef,
    CallLogError,
    audit,
    check_version,
    edit_versioned,
    flush_versioned,
    get_live,
)
from agentdesk.crm.db import unit_of_work
from agentdesk.crm.models import Account, Contact, Lead, PhoneRecord
from agentdesk.domain.enums import AuditAction, LeadStatus, OwnerKind, PhoneKind
from agentdesk.domain.phone import normalize

# Data kinds a mutation reports in ``changed`` (see agentdesk.crm.calls for the others).
LEADS = "leads"
ACCOUNTS = "accounts"
PHONES = "phones"

LEAD_EDITABLE = (
    "first_name",
    "last_name",
    "company",
    "email",
    "status",
    "source",
    "city",
    "country",
    "notes",
    "owner_id",
)
ACCOUNT_EDITABLE = ("name", "industry", "website", "city", "country", "notes", "owner_id")


@dataclass(frozen=True, slots=True)
class LeadRecord:
    """A lead's editable fields and the version to send back with an edit."""

    id: uuid.UUID
    version: int
    first_name: str | None
    last_name: str | None
    company: str | None
    email: str | None
    status: LeadStatus
    source: str | None
    city: str | None
    country: str | None
    notes: str | None
    owner_id: uuid.UUID | None
    updated_at: datetime
    changed: frozenset[str] = field(default=frozenset())


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """An account's editable fields and the version to send back with an edit."""

    id: uuid.UUID
    version: int
    name: str
    industry: str | None
    website: str | None
    city: str | None
    country: str | None
    notes: str | None
    owner_id: uuid.UUID | None
    updated_at: datetime
    changed: frozenset[str] = field(default=frozenset())


def clean_changes(
    model: type[SharedRecord], kind: str, changes: Mapping[str, object], editable: tuple[str, ...]
) -> dict[str, object]:
    """Validate an edit before it reaches the database: the message is for the agent.

    Text is stripped (blank means "no value"), country codes are two letters, and nothing is
    longer than its column, so PostgreSQL and SQLite accept or refuse the same edits.
    """
    unknown = set(changes) - set(editable)
    if unknown:
        raise CallLogError(f"cannot edit {kind} field(s): {', '.join(sorted(unknown))}")
    columns = inspect(model).columns
    cleaned: dict[str, object] = {}
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip() or None
        column = columns[name]
        if value is None and not column.nullable:
            raise CallLogError(f"the {kind}'s {name.replace('_', ' ')} cannot be empty")
        if name == "country" and value is not None:
            value = str(value).upper()
            if len(value) != 2 or not value.isalpha():
                raise CallLogError(f"country must be a two-letter code such as US, not {value!r}")
        if name == "status" and value is not None:
            try:
                value = LeadStatus(str(value))
            except ValueError:
                known = ", ".join(s.value for s in LeadStatus)
                raise CallLogError(f"unknown lead status {value!r} (one of {known})") from None
        length = column.type.length if isinstance(column.type, String) else None
        if isinstance(value, str) and length is not None and len(value) > length:
            raise CallLogError(f"the {kind}'s {name.replace('_', ' ')} is longer than {length}")
        cleaned[name] = value
    return cleaned


class RecordEditor:
    """Reads and edits leads and accounts; every call is one session."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get_lead(self, lead_id: uuid.UUID) -> LeadRecord:
        with self._sessions() as session:
            return _lead_record(get_live(session, Lead, lead_id, "lead"))

    def get_account(self, account_id: uuid.UUID) -> AccountRecord:
        with self._sessions() as session:
            return _account_record(get_live(session, Account, account_id, "account"))

    def update_lead(
        self,
        lead_id: uuid.UUID,
        expected_version: int,
        changes: Mapping[str, object],
        *,
        actor: AgentRef | None = None,
    ) -> LeadRecord:
        """Apply ``changes`` (fields of :data:`LEAD_EDITABLE`) if nobody saved meanwhile.

        Raises :class:`~agentdesk.crm.calls.StaleRecordError` with the current values when
        the lead's version is no longer ``expected_version`` (or it was deleted).
        """
        cleaned = clean_changes(Lead, "lead", changes, LEAD_EDITABLE)
        with unit_of_work(self._sessions) as session:
            lead = edit_versioned(
                session, Lead, "lead", lead_id, expected_version, cleaned, LEAD_EDITABLE, actor
            )
            assert isinstance(lead, Lead)
            record = _lead_record(lead)
        return replace(record, changed=frozenset({LEADS}))

    def update_account(
        self,
        account_id: uuid.UUID,
        expected_version: int,
        changes: Mapping[str, object],
        *,
        actor: AgentRef | None = None,
    ) -> AccountRecord:
        """Apply ``changes`` (fields of :data:`ACCOUNT_EDITABLE`) if nobody saved meanwhile.

        Raises :class:`~agentdesk.crm.calls.StaleRecordError` like :meth:`update_lead`.
        """
        cleaned = clean_changes(Account, "account", changes, ACCOUNT_EDITABLE)
        with unit_of_work(self._sessions) as session:
            account = edit_versioned(
                session, Account, "account", account_id, expected_version, cleaned,
                ACCOUNT_EDITABLE, actor,
            )  # fmt: skip
            assert isinstance(account, Account)
            record = _account_record(account)
        return replace(record, changed=frozenset({ACCOUNTS}))


class PhoneEditor:
    """Adds and removes the phone numbers of contacts, leads and accounts."""

    def __init__(self, sessions: sessionmaker[Session], default_region: str) -> None:
        self._sessions = sessions
        self._region = default_region

    def add_phone(
        self,
        owner: OwnerKind,
        owner_id: uuid.UUID,
        raw: str,
        kind: PhoneKind = PhoneKind.WORK,
        *,
        actor: AgentRef | None = None,
    ) -> uuid.UUID:
        """Give the record one more number; its id. The text must read as a valid number."""
        number = normalize(raw, self._region)  # InvalidPhoneNumber says why not
        column = _OWNER_COLUMNS[owner]
        with unit_of_work(self._sessions) as session:
            get_live(session, _OWNER_MODELS[owner], owner_id, owner.value)
            duplicate = session.scalars(
                select(PhoneRecord.id).where(
                    getattr(PhoneRecord, column) == owner_id,
                    PhoneRecord.e164 == number.e164,
                    PhoneRecord.deleted_at.is_(None),
                )
            ).first()
            if duplicate is not None:
                raise CallLogError(f"the {owner.value} already has {number.e164}")
            phone = PhoneRecord(
                raw=raw.strip(),
                e164=number.e164,
                extension=number.extension,
                kind=PhoneKind(kind),
                **{column: owner_id},
            )
            session.add(phone)
            session.flush()
            audit(
                session,
                actor,
                AuditAction.CREATE,
                "phone",
                phone.id,
                {"owner": owner.value, "owner_id": str(owner_id), "e164": number.e164},
            )
            return phone.id

    def remove_phone(
        self, phone_id: uuid.UUID, expected_version: int, *, actor: AgentRef | None = None
    ) -> None:
        """Soft-delete a number the agent saw at ``expected_version``.

        :class:`~agentdesk.crm.calls.StaleRecordError` when someone changed or removed it since.
        """
        with unit_of_work(self._sessions) as session:
            phone = session.get(PhoneRecord, phone_id)
            check_version(phone, "phone", phone_id, expected_version, _PHONE_FIELDS)
            assert phone is not None
            phone.deleted_at = utcnow()
            flush_versioned(session, phone, "phone", expected_version, _PHONE_FIELDS)
            audit(
                session,
                actor,
                AuditAction.DELETE,
                "phone",
                phone.id,
                {"owner": phone.owner_kind.value, "e164": phone.e164},
            )


_OWNER_MODELS: dict[OwnerKind, type[SharedRecord]] = {
    OwnerKind.CONTACT: Contact,
    OwnerKind.LEAD: Lead,
    OwnerKind.ACCOUNT: Account,
}
_OWNER_COLUMNS = {
    OwnerKind.CONTACT: "contact_id",
    OwnerKind.LEAD: "lead_id",
    OwnerKind.ACCOUNT: "account_id",
}
_PHONE_FIELDS = ("raw", "e164", "kind", "extension")


def _lead_record(lead: Lead) -> LeadRecord:
    return LeadRecord(
        id=lead.id,
        version=lead.version,
        first_name=lead.first_name,
        last_name=lead.last_name,
        company=lead.company,
        email=lead.email,
        status=lead.status,
        source=lead.source,
        city=lead.city,
        country=lead.country,
        notes=lead.notes,
        owner_id=lead.owner_id,
        updated_at=lead.updated_at,
    )


def _account_record(account: Account) -> AccountRecord:
    return AccountRecord(
        id=account.id,
        version=account.version,
        name=account.name,
        industry=account.industry,
        website=account.website,
        city=account.city,
        country=account.country,
        notes=account.notes,
        owner_id=account.owner_id,
        updated_at=account.updated_at,
    )
