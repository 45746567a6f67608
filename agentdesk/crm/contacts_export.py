"""``agentdesk contacts export``: every contact the acting user may read, as CSV or XLSX.

Exporting takes the customer list out of the system, so it needs the role's ``export``
capability and leaves an audit entry (who, which format, how many rows) in the same transaction
that reads the rows. CSV starts with a UTF-8 byte order mark: Excel reads the file as ANSI
without one and garbles every Chinese name. Times are the machine's local time with its offset.
"""

from __future__ import annotations

import csv
import uuid
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Contact, PhoneRecord
from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.access import Capability, RecordKind
from agentdesk.domain.enums import AuditAction
from agentdesk.org.models import User
from agentdesk.org.users import AgentRef, actor_of

CONTACT_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "company",
    "title",
    "email",
    "phones",
    "city",
    "country",
    "owner",
    "created_at",
    "updated_at",
    "contact_id",
)
FORMATS = ("csv", "xlsx")
BOM = "\ufeff"
_BATCH = 2000


def export_contacts(
    sessions: sessionmaker[Session], *, fmt: str, actor: AgentRef | None = None
) -> list[dict[str, Any]]:
    """The rows of the export, oldest contact first; audited as an export.

    Raises :class:`~agentdesk.org.access.AccessDeniedError` without the export capability.
    """
    with unit_of_work(sessions) as session:
        access = acting_access(session, actor)
        stmt = (
            select(Contact, Account.name, User.username)
            .outerjoin(Account, Account.id == Contact.account_id)
            .outerjoin(User, User.id == Contact.owner_id)
            .where(Contact.deleted_at.is_(None))
            .order_by(Contact.created_at, Contact.id)
        )
        if access is not None:
            access.require(Capability.EXPORT)
            stmt = stmt.where(access.visible(RecordKind.CONTACTS, Contact.owner_id, Contact.id))
        rows = [_row(contact, company, owner) for contact, company, owner in session.execute(stmt)]
        _add_phones(session, rows)
        audit(
            session,
            actor_of(session, access.username if access is not None else actor),
            AuditAction.EXPORT,
            "contact",
            None,
            {"export": "contacts", "format": fmt, "rows": len(rows)},
        )
    return rows


def _row(contact: Contact, company: str | None, owner: str | None) -> dict[str, Any]:
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "company": company,
        "title": contact.title,
        "email": contact.email,
        "phones": "",
        "city": contact.city,
        "country": contact.country,
        "owner": owner,
        "created_at": contact.created_at.astimezone().isoformat(timespec="seconds"),
        "updated_at": contact.updated_at.astimezone().isoformat(timespec="seconds"),
        "contact_id": str(contact.id),
    }


def _add_phones(session: Session, rows: list[dict[str, Any]]) -> None:
    """Each contact's numbers in E.164, ``; `` between them (one query per batch)."""
    by_id = {uuid.UUID(row["contact_id"]): row for row in rows}
    keys = list(by_id)
    for start in range(0, len(keys), _BATCH):
        found: dict[uuid.UUID, list[str]] = {}
        for contact_id, e164 in session.execute(
            select(PhoneRecord.contact_id, PhoneRecord.e164)
            .where(
                PhoneRecord.contact_id.in_(keys[start : start + _BATCH]),
                PhoneRecord.deleted_at.is_(None),
            )
            .order_by(PhoneRecord.contact_id, PhoneRecord.created_at)
        ):
            if contact_id is not None:
                found.setdefault(contact_id, []).append(e164)
        for key, numbers in found.items():
            by_id[key]["phones"] = "; ".join(numbers)


def write_csv(rows: list[dict[str, Any]], stream: IO[str]) -> int:
    """The rows as CSV after a byte order mark; returns how many."""
    stream.write(BOM)
    writer = csv.DictWriter(stream, fieldnames=CONTACT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return len(rows)


def write_xlsx(rows: list[dict[str, Any]], path: Path) -> int:
    """One sheet, a header then a row per contact; returns how many."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Contacts")
    sheet.append(list(CONTACT_FIELDS))
    for row in rows:
        sheet.append([row[key] for key in CONTACT_FIELDS])
    book.save(path)
    return len(rows)
