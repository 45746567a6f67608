"""A party's editable fields as the customer panel shows them, with the version to send back.

The ``*_EDITABLE`` tuples are the one list of what an agent may edit on each kind of record:
the services refuse anything else and the record view builds its form from them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from agentdesk.crm.models import Account, Contact, Lead
from agentdesk.db.base import SharedRecord
from agentdesk.domain.enums import LeadStatus, OwnerKind

PARTY_MODELS: dict[OwnerKind, type[SharedRecord]] = {
    OwnerKind.CONTACT: Contact,
    OwnerKind.LEAD: Lead,
    OwnerKind.ACCOUNT: Account,
}
"""The mapped class of each kind of party."""

OWNER_COLUMNS = {
    OwnerKind.CONTACT: "contact_id",
    OwnerKind.LEAD: "lead_id",
    OwnerKind.ACCOUNT: "account_id",
}
"""The column naming a party of each kind on its phone numbers, calls, cases..."""


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """A contact's editable fields and the version to send back with an edit."""

    id: uuid.UUID
    version: int
    first_name: str | None
    last_name: str | None
    title: str | None
    email: str | None
    city: str | None
    country: str | None
    notes: str | None
    account_id: uuid.UUID | None
    owner_id: uuid.UUID | None
    updated_at: datetime
    changed: frozenset[str] = field(default=frozenset())


CONTACT_EDITABLE = (
    "first_name",
    "last_name",
    "title",
    "email",
    "city",
    "country",
    "notes",
    "account_id",
    "owner_id",
)


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


EDITABLE: dict[OwnerKind, tuple[str, ...]] = {
    OwnerKind.CONTACT: CONTACT_EDITABLE,
    OwnerKind.LEAD: LEAD_EDITABLE,
    OwnerKind.ACCOUNT: ACCOUNT_EDITABLE,
}

REFERENCE_FIELDS = frozenset({"account_id", "owner_id"})
"""Editable fields that name another record: chosen elsewhere, never typed into the form."""


def form_fields(kind: OwnerKind) -> tuple[str, ...]:
    """The fields of :data:`EDITABLE` an agent types into the customer panel's form, in order."""
    return tuple(name for name in EDITABLE[kind] if name not in REFERENCE_FIELDS)


def contact_record(contact: Contact) -> ContactRecord:
    return ContactRecord(
        id=contact.id,
        version=contact.version,
        first_name=contact.first_name,
        last_name=contact.last_name,
        title=contact.title,
        email=contact.email,
        city=contact.city,
        country=contact.country,
        notes=contact.notes,
        account_id=contact.account_id,
        owner_id=contact.owner_id,
        updated_at=contact.updated_at,
    )


def lead_record(lead: Lead) -> LeadRecord:
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


def account_record(account: Account) -> AccountRecord:
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
