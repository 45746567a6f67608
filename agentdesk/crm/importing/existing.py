"""What the database already holds for the keys of one import, looked up in batches.

Few keys, or many keys against a big table: an ``IN`` query per chunk on an index
(``lower(email)``, ``lower(name)``, ``e164``). Many keys against a small table: one scan of the
table is cheaper. Never a query per row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Select, SQLColumnExpression, func, select
from sqlalchemy.orm import Session

from agentdesk.crm.importing.names import company_key, name_key
from agentdesk.crm.importing.rows import ParsedRow
from agentdesk.crm.models import Account, Contact, PhoneRecord

IN_CHUNK = 900
SCAN_THRESHOLD = 2000
SCAN_PER_KEY = 4


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _select_in(
    session: Session,
    query: Select[*tuple[Any, ...]],
    column: SQLColumnExpression[Any],
    keys: Iterable[Any],
) -> Iterator[Any]:
    ordered = sorted(keys)
    for chunk in _chunks(ordered, IN_CHUNK):
        yield from session.execute(query.where(column.in_(chunk)))


def _scan_pays(session: Session, model: type[Any], keys: set[str]) -> bool:
    """Whether reading the whole table beats indexed IN look-ups for ``keys``.

    A scan costs a little per row, a look-up a few index pages per key: scan small tables
    (a first import), look up a new file's keys in a big CRM.
    """
    if len(keys) <= SCAN_THRESHOLD:
        return False
    rows = session.scalar(select(func.count()).select_from(model)) or 0
    return rows < len(keys) * SCAN_PER_KEY


class ExistingKeys:
    """What the database already holds for the keys of one import (batched look-ups)."""

    def __init__(self, session: Session, rows: list[ParsedRow]) -> None:
        emails = {r.email.lower() for r in rows if r.email and r.is_person}
        person_numbers = {p.e164 for r in rows if r.is_person for p in r.phones}
        company_numbers = {p.e164 for r in rows if not r.is_person for p in r.phones}
        companies = {company_key(r.company) for r in rows if r.company}
        self.emails = self._emails(session, emails)
        self.name_numbers = self._name_numbers(session, person_numbers)
        self.accounts = self._accounts(session, companies)
        self.account_numbers = self._account_numbers(session, company_numbers)

    @staticmethod
    def _emails(session: Session, keys: set[str]) -> set[str]:
        if not keys:
            return set()
        live = Contact.deleted_at.is_(None)
        if _scan_pays(session, Contact, keys):
            query = select(Contact.email).where(live, Contact.email.is_not(None))
            return {e.lower() for (e,) in session.execute(query) if e} & keys
        lowered = func.lower(Contact.email)
        return {e for (e,) in _select_in(session, select(lowered).where(live), lowered, keys)}

    @staticmethod
    def _name_numbers(session: Session, numbers: set[str]) -> set[tuple[tuple[str, str], str]]:
        query = (
            select(PhoneRecord.e164, Contact.first_name, Contact.last_name)
            .join(Contact, Contact.id == PhoneRecord.contact_id)
            .where(PhoneRecord.deleted_at.is_(None), Contact.deleted_at.is_(None))
        )
        rows: Iterable[Any]
        if _scan_pays(session, PhoneRecord, numbers):
            rows = (row for row in session.execute(query) if row[0] in numbers)
        else:
            rows = _select_in(session, query, PhoneRecord.e164, numbers)
        return {(name_key(first, last), e164) for e164, first, last in rows}

    @staticmethod
    def _accounts(session: Session, keys: set[str]) -> dict[str, int]:
        """Account id (as an int) by company key; the oldest live account wins on a tie."""
        if not keys:
            return {}
        query = select(Account.name, Account.id, Account.created_at).where(
            Account.deleted_at.is_(None)
        )
        rows: Iterable[Any]
        if _scan_pays(session, Account, keys):
            rows = session.execute(query)
        else:
            rows = _select_in(session, query, func.lower(Account.name), keys)
        best: dict[str, tuple[datetime, uuid.UUID]] = {}
        for name, account_id, created_at in rows:
            key = company_key(name)
            if key in keys and (key not in best or (created_at, account_id) < best[key]):
                best[key] = (created_at, account_id)
        return {key: account_id.int for key, (_, account_id) in best.items()}

    @staticmethod
    def _account_numbers(session: Session, numbers: set[str]) -> set[tuple[int, str]]:
        query = select(PhoneRecord.account_id, PhoneRecord.e164).where(
            PhoneRecord.deleted_at.is_(None), PhoneRecord.account_id.is_not(None)
        )
        return {(a.int, e) for a, e in _select_in(session, query, PhoneRecord.e164, numbers)}
