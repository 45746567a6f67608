"""What a search shows of the few records it chose: name, company, e-mail, phone, last call.

Each is one statement for all the chosen records (a primary-key or owner-index look-up), never a
query per record.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, and_, func, literal, select, union_all
from sqlalchemy.orm import Session

from agentdesk.crm.search_branches import ids_param
from agentdesk.db.base import Base
from agentdesk.domain.enums import OwnerKind, PhoneKind
from agentdesk.domain.names import display_name

OwnerKey = tuple[OwnerKind, uuid.UUID]
OwnerIds = dict[OwnerKind, list[uuid.UUID]]
"""``(display name, company, e-mail)``."""

_tables = Base.metadata.tables
_contacts: Table = _tables["contacts"]
_accounts: Table = _tables["accounts"]
_leads: Table = _tables["leads"]
_phones: Table = _tables["phone_numbers"]
_calls: Table = _tables["calls"]

_BEST_PHONE_KIND = {
    PhoneKind.WORK.value: 0,
    PhoneKind.MOBILE.value: 1,
    PhoneKind.HOME.value: 2,
    PhoneKind.OTHER.value: 3,
    PhoneKind.FAX.value: 4,
}
_OWNER_COLUMN = {
    OwnerKind.CONTACT: "contact_id",
    OwnerKind.ACCOUNT: "account_id",
    OwnerKind.LEAD: "lead_id",
}


def display_fields(
    session: Session, ids: OwnerIds
) -> dict[OwnerKey, tuple[str, str | None, str | None]]:
    """``(display name, company, e-mail)`` of each live record; soft-deleted ones are absent."""
    details: dict[OwnerKey, tuple[str, str | None, str | None]] = {}
    if ids[OwnerKind.CONTACT]:
        c, a = _contacts, _accounts
        stmt = (
            select(c.c.id, c.c.first_name, c.c.last_name, c.c.country, c.c.email, a.c.name)
            .select_from(c)
            .outerjoin(a, and_(a.c.id == c.c.account_id, a.c.deleted_at.is_(None)))
            .where(c.c.id.in_(ids_param("ids")), c.c.deleted_at.is_(None))
        )
        for row in session.execute(stmt, {"ids": ids[OwnerKind.CONTACT]}):
            name = display_name(row.first_name, row.last_name, row.country)
            details[(OwnerKind.CONTACT, row.id)] = (name, row.name, row.email)
    if ids[OwnerKind.LEAD]:
        ld = _leads
        lead_stmt = select(
            ld.c.id, ld.c.first_name, ld.c.last_name, ld.c.country, ld.c.email, ld.c.company
        ).where(ld.c.id.in_(ids_param("ids")), ld.c.deleted_at.is_(None))
        for lead in session.execute(lead_stmt, {"ids": ids[OwnerKind.LEAD]}):
            name = display_name(lead.first_name, lead.last_name, lead.country)
            details[(OwnerKind.LEAD, lead.id)] = (name, lead.company, lead.email)
    if ids[OwnerKind.ACCOUNT]:
        account_stmt = select(_accounts.c.id, _accounts.c.name).where(
            _accounts.c.id.in_(ids_param("ids")), _accounts.c.deleted_at.is_(None)
        )
        for account in session.execute(account_stmt, {"ids": ids[OwnerKind.ACCOUNT]}):
            details[(OwnerKind.ACCOUNT, account.id)] = (account.name, None, None)
    return details


def _per_owner(
    session: Session, ids: OwnerIds, build: Callable[[OwnerKind, str], Select[Any]]
) -> Iterable[tuple[OwnerKind, Any]]:
    """One statement for every kind of owner (UNION ALL), rows tagged with their kind."""
    kinds = [kind for kind, owner_ids in ids.items() if owner_ids]
    if not kinds:
        return
    parts = [
        build(kind, f"ids_{kind.value}")
        .add_columns(literal(kind.value).label("owner_kind"))
        .subquery()
        for kind in kinds
    ]
    params = {f"ids_{kind.value}": ids[kind] for kind in kinds}
    for row in session.execute(union_all(*(select(part) for part in parts)), params):
        yield OwnerKind(row.owner_kind), row


def best_phones(session: Session, ids: OwnerIds) -> dict[OwnerKey, str]:
    """Each record's best number: work, then mobile, home, other, fax; oldest first."""

    def build(kind: OwnerKind, param: str) -> Select[Any]:
        owner = _phones.c[_OWNER_COLUMN[kind]]
        return select(
            owner.label("owner"), _phones.c.e164, _phones.c.kind, _phones.c.created_at
        ).where(owner.in_(ids_param(param)), _phones.c.deleted_at.is_(None))

    ranked: dict[OwnerKey, tuple[int, datetime, str]] = {}
    for kind, row in _per_owner(session, ids, build):
        rank = (_BEST_PHONE_KIND.get(row.kind, 9), row.created_at, row.e164)
        key = (kind, row.owner)
        if key not in ranked or rank < ranked[key]:
            ranked[key] = rank
    return {key: rank[2] for key, rank in ranked.items()}


def last_contacts(session: Session, ids: OwnerIds) -> dict[OwnerKey, datetime]:
    """When each record's latest call started."""

    def build(kind: OwnerKind, param: str) -> Select[Any]:
        owner = _calls.c[_OWNER_COLUMN[kind]]
        return (
            select(owner.label("owner"), func.max(_calls.c.started_at).label("last"))
            .where(owner.in_(ids_param(param)), _calls.c.deleted_at.is_(None))
            .group_by(owner)
        )

    return {(kind, row.owner): row.last for kind, row in _per_owner(session, ids, build)}
