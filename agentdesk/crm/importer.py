"""Contact import from CSV files.

Two phases, so the write lock is held only briefly (SQLite has one writer; a wrap-up save must
not wait behind a minute of phone parsing):

1. read and validate every record without touching the database: field count, phone numbers
   (``normalize(strict=True)`` in the row's country, else ``default_region``), field lengths;
   rejected records are written to a temporary reject file;
2. one transaction: the audit entry (first, to take SQLite's write lock before reading),
   batched duplicate look-ups (no query per row), then bulk inserts of accounts, contacts and
   phone numbers (Core ``executemany`` on SQLite, ``COPY`` on PostgreSQL). Only after the
   commit does the reject file take its final name ``<input stem>.rejects.csv`` next to the
   input (overwritten when it exists; left alone when this run rejected nothing). Its columns
   are ``line``, ``reason`` and then the original ones, UTF-8 with BOM, the input's delimiter.

Counting: ``imported`` is the number of accepted rows that created a contact or (company-only
rows) created an account or added a number to one; ``duplicates`` the accepted rows that
matched an existing contact (same e-mail ignoring case, or same name and an equal E.164 number)
or an existing account that already has the row's numbers, in the database or earlier in the
file; ``accounts_created`` counts accounts created for company-only rows and for the companies
of person rows.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    SQLColumnExpression,
    Table,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.base import utcnow
from agentdesk.crm.csv_reader import Column, CsvTable, HeaderMap, ImportFileError, open_csv
from agentdesk.crm.models import Account, AuditEntry, Contact, PhoneRecord
from agentdesk.domain.enums import AuditAction, PhoneKind
from agentdesk.domain.ids import uuid7
from agentdesk.domain.phone import InvalidPhoneNumber, PhoneNumber, normalize, region_for_country

__all__ = [
    "REJECTS_SUFFIX",
    "ImportFileError",
    "ImportResult",
    "RejectedRow",
    "import_contacts",
    "reject_path_for",
]

REJECTS_SUFFIX = ".rejects.csv"
PROGRESS_EVERY_ROWS = 1000
INSERT_BATCH = 5000
# Few keys: an IN query per chunk. Many keys: one scan of the column beats many scans (emails
# and account names have no lower() index; E.164 has an index and always uses IN).
IN_CHUNK = 900
SCAN_THRESHOLD = 2000

ProgressCallback = Callable[[int, int, int], None]

# Column lengths that PostgreSQL enforces (SQLite does not); an over-long cell is rejected
# rather than silently truncated.
_MAX_LEN = {
    "first name": 100,
    "last name": 100,
    "company": 200,
    "email": 254,
    "city": 100,
    "title": 100,
}
_MAX_EXTENSION = 16
_PHONE_COLUMNS = (
    (Column.PHONE, "phone", PhoneKind.WORK),
    (Column.MOBILE, "mobile", PhoneKind.MOBILE),
    (Column.WORK_PHONE, "work phone", PhoneKind.WORK),
    (Column.HOME_PHONE, "home phone", PhoneKind.HOME),
)
_USABLE = (
    Column.FIRST_NAME,
    Column.LAST_NAME,
    Column.FULL_NAME,
    Column.COMPANY,
    Column.PHONE,
    Column.MOBILE,
    Column.WORK_PHONE,
    Column.HOME_PHONE,
    Column.EMAIL,
)
_SPACES = re.compile(r"\s+")
_COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "令狐", "夏侯", "端木", "独孤", "南宫", "西门", "轩辕", "澹台",
    "钟离", "闻人", "申屠", "太史", "赫连", "呼延", "万俟", "百里", "东郭", "公冶",
})  # fmt: skip


@dataclass(frozen=True)
class RejectedRow:
    """A record that was not imported: the line it starts on, why, and its cells by header."""

    line: int
    reason: str
    row: dict[str, str]


@dataclass(frozen=True)
class ImportResult:
    """Outcome of :func:`import_contacts` (see the module docstring for how rows are counted)."""

    imported: int
    duplicates: int
    rejected: tuple[RejectedRow, ...]
    reject_file: Path | None
    accounts_created: int


def reject_path_for(path: Path) -> Path:
    """Where rejected rows of ``path`` go: ``contacts.csv`` -> ``contacts.rejects.csv``."""
    return path.with_name(path.stem + REJECTS_SUFFIX)


@dataclass(slots=True)
class _Phone:
    raw: str
    e164: str
    extension: str | None
    kind: PhoneKind


@dataclass(slots=True)
class ParsedRow:
    line: int
    first: str | None
    last: str | None
    company: str | None
    email: str | None
    city: str | None
    country: str | None
    notes: str | None
    title: str | None
    phones: list[_Phone] = field(default_factory=list)

    @property
    def is_person(self) -> bool:
        return bool(self.first or self.last or not self.company)


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


def split_full_name(text: str) -> tuple[str | None, str | None]:
    """``(first, last)`` from one name cell.

    ``Smith, John`` and ``John Smith`` give ``("John", "Smith")``; Chinese names are family
    name first (``张三`` -> ``("三", "张")``, ``欧阳修`` -> ``("修", "欧阳")``); one word is a
    last name.
    """
    name = _SPACES.sub(" ", text).strip()
    if not name:
        return None, None
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip() or None, last.strip() or None
    if _is_cjk(name):
        if " " in name:
            last, _, first = name.partition(" ")
            return first or None, last
        size = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
        return name[size:] or None, name[:size]
    first, _, last = name.rpartition(" ")
    return first or None, last


def _name_key(first: str | None, last: str | None) -> tuple[str, str]:
    return (
        _SPACES.sub(" ", first or "").strip().casefold(),
        _SPACES.sub(" ", last or "").strip().casefold(),
    )


def _company_key(name: str) -> str:
    return _SPACES.sub(" ", name).strip().lower()


class RowParser:
    """Turns cells into a :class:`ParsedRow` or a rejection reason. Caches per-run look-ups."""

    def __init__(self, mapping: HeaderMap, default_region: str) -> None:
        self.width = len(mapping.header)
        self.default_region = default_region
        pos = mapping.position
        self.first = pos(Column.FIRST_NAME)
        self.last = pos(Column.LAST_NAME)
        self.full = pos(Column.FULL_NAME)
        self.company = pos(Column.COMPANY)
        self.email = pos(Column.EMAIL)
        self.city = pos(Column.CITY)
        self.country = pos(Column.COUNTRY)
        self.notes = pos(Column.NOTES)
        self.title = pos(Column.TITLE)
        # File order: a number repeated in two columns keeps the kind of the first one. Every
        # phone-like column counts, repeated headers ("Phone", "Phone") included.
        self.phones = sorted(
            (p, label, kind)
            for column, label, kind in _PHONE_COLUMNS
            for p in mapping.positions(column)
        )
        self._regions: dict[str, str | None] = {}
        self._numbers: dict[tuple[str, str], PhoneNumber | str] = {}

    def _region(self, cell: str) -> str | None:
        try:
            return self._regions[cell]
        except KeyError:
            region = self._regions[cell] = region_for_country(cell)
            return region

    def _number(self, raw: str, region: str, label: str) -> PhoneNumber | str:
        key = (raw, region)
        cached = self._numbers.get(key)
        if cached is None:
            try:
                cached = normalize(raw, region, strict=True)
            except InvalidPhoneNumber as exc:
                if exc.reason == "not a valid phone number":
                    cached = f"is not a valid number for region {region}"
                else:
                    cached = f"is not a valid number for region {region} ({exc.reason})"
            self._numbers[key] = cached
        if isinstance(cached, str):
            return f"{label} '{raw}' {cached}"
        return cached

    def parse(self, line: int, cells: list[str]) -> ParsedRow | str:
        if len(cells) != self.width:
            return f"expected {self.width} fields, found {len(cells)}"

        def cell(position: int | None) -> str | None:
            if position is None:
                return None
            return cells[position].strip() or None

        first, last = cell(self.first), cell(self.last)
        if first is None and last is None and self.full is not None:
            full = cell(self.full)
            if full is not None:
                first, last = split_full_name(full)
        country_cell = cell(self.country)
        country = self._region(country_cell) if country_cell else None
        region = country or self.default_region
        row = ParsedRow(
            line=line,
            first=first,
            last=last,
            company=cell(self.company),
            email=cell(self.email),
            city=cell(self.city),
            country=country,
            notes=cell(self.notes),
            title=cell(self.title),
        )
        seen: set[str] = set()
        for position, label, kind in self.phones:
            raw = cells[position].strip()
            if not raw:
                continue
            number = self._number(raw, region, label)
            if isinstance(number, str):
                return number
            if number.extension and len(number.extension) > _MAX_EXTENSION:
                return f"{label} '{raw}' has an extension longer than {_MAX_EXTENSION} digits"
            if number.e164 not in seen:
                seen.add(number.e164)
                row.phones.append(_Phone(raw, number.e164, number.extension, kind))
        return self._check(row)

    @staticmethod
    def _check(row: ParsedRow) -> ParsedRow | str:
        if not (row.first or row.last or row.company or row.email or row.phones):
            return "no name, company, phone or e-mail"
        for label, value in (
            ("first name", row.first),
            ("last name", row.last),
            ("company", row.company),
            ("email", row.email),
            ("city", row.city),
            ("title", row.title),
        ):
            if value is not None and len(value) > _MAX_LEN[label]:
                return f"{label} is longer than {_MAX_LEN[label]} characters"
        return row


def row_dict(header: tuple[str, ...], cells: list[str]) -> dict[str, str]:
    row = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
    for i in range(len(header), len(cells)):
        row[f"column {i + 1}"] = cells[i]
    return row


class RejectWriter:
    """Writes rejects to a temporary file next to the input; renamed into place on commit."""

    def __init__(self, source: Path, header: tuple[str, ...], delimiter: str) -> None:
        self.target = reject_path_for(source)
        self.count = 0
        try:
            fd, name = tempfile.mkstemp(
                dir=source.parent, prefix=f".{source.stem}.", suffix=".rejects.tmp"
            )
        except OSError as exc:
            raise ImportFileError(
                f"cannot write the reject file next to {source} ({exc.strerror or exc})"
            ) from exc
        self.temp = Path(name)
        # UTF-8 with BOM: Excel opens it correctly, and our reader reads it back.
        self._fh = os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._fh, delimiter=delimiter)
        self._writer.writerow(["line", "reason", *header])

    def write(self, line: int, reason: str, cells: list[str]) -> None:
        self.count += 1
        self._writer.writerow([str(line), reason, *cells])

    def finish(self) -> Path | None:
        self._fh.close()
        if not self.count:
            self.temp.unlink(missing_ok=True)
            return None
        os.replace(self.temp, self.target)
        return self.target

    def discard(self) -> None:
        self._fh.close()
        self.temp.unlink(missing_ok=True)


def _read_rows(
    table: CsvTable,
    parser: RowParser,
    rejects: RejectWriter,
    rejected: list[RejectedRow],
    progress: ProgressCallback | None,
) -> list[ParsedRow]:
    accepted: list[ParsedRow] = []
    done = 0
    header = table.header
    for record in table.records():
        outcome = parser.parse(record.line, record.cells)
        if isinstance(outcome, str):
            rejected.append(RejectedRow(record.line, outcome, row_dict(header, record.cells)))
            rejects.write(record.line, outcome, record.cells)
        else:
            accepted.append(outcome)
        done += 1
        if progress is not None and done % PROGRESS_EVERY_ROWS == 0:
            progress(done, table.bytes_read, table.total_bytes)
    if progress is not None:
        progress(done, table.total_bytes, table.total_bytes)
    return accepted


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


class _Existing:
    """What the database already holds for the keys of one import (batched look-ups)."""

    def __init__(self, session: Session, rows: list[ParsedRow]) -> None:
        emails = {r.email.lower() for r in rows if r.email and r.is_person}
        person_numbers = {p.e164 for r in rows if r.is_person for p in r.phones}
        company_numbers = {p.e164 for r in rows if not r.is_person for p in r.phones}
        companies = {_company_key(r.company) for r in rows if r.company}
        self.emails = self._emails(session, emails)
        self.name_numbers = self._name_numbers(session, person_numbers)
        self.accounts = self._accounts(session, companies)
        self.account_numbers = self._account_numbers(session, company_numbers)

    @staticmethod
    def _emails(session: Session, keys: set[str]) -> set[str]:
        if not keys:
            return set()
        live = Contact.deleted_at.is_(None)
        if len(keys) > SCAN_THRESHOLD:
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
        return {
            (_name_key(first, last), e164)
            for e164, first, last in _select_in(session, query, PhoneRecord.e164, numbers)
        }

    @staticmethod
    def _accounts(session: Session, keys: set[str]) -> dict[str, uuid.UUID]:
        """Account id by company key; the oldest live account wins when names repeat."""
        if not keys:
            return {}
        query = select(Account.name, Account.id, Account.created_at).where(
            Account.deleted_at.is_(None)
        )
        rows: Iterable[Any]
        if len(keys) > SCAN_THRESHOLD:
            rows = session.execute(query)
        else:
            rows = _select_in(session, query, func.lower(Account.name), keys)
        best: dict[str, tuple[datetime, uuid.UUID]] = {}
        for name, account_id, created_at in rows:
            key = _company_key(name)
            if key in keys and (key not in best or (created_at, account_id) < best[key]):
                best[key] = (created_at, account_id)
        return {key: account_id for key, (_, account_id) in best.items()}

    @staticmethod
    def _account_numbers(session: Session, numbers: set[str]) -> set[tuple[uuid.UUID, str]]:
        query = select(PhoneRecord.account_id, PhoneRecord.e164).where(
            PhoneRecord.deleted_at.is_(None), PhoneRecord.account_id.is_not(None)
        )
        return {(a, e) for a, e in _select_in(session, query, PhoneRecord.e164, numbers)}


@dataclass
class _Plan:
    """The inserts of one import, built in file order against what already exists."""

    now: datetime
    accounts: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    phones: list[dict[str, Any]] = field(default_factory=list)
    imported: int = 0
    duplicates: int = 0

    def _record(self, **values: Any) -> dict[str, Any]:
        now = self.now
        values.update(id=uuid7(), created_at=now, updated_at=now, version=1, deleted_at=None)
        return values

    def _phones(self, row: ParsedRow, phones: list[_Phone], owner: dict[str, uuid.UUID]) -> None:
        for p in phones:
            self.phones.append(
                self._record(
                    raw=p.raw,
                    e164=p.e164,
                    extension=p.extension,
                    kind=p.kind,
                    contact_id=owner.get("contact_id"),
                    account_id=owner.get("account_id"),
                    lead_id=None,
                )
            )

    def build(self, rows: list[ParsedRow], existing: _Existing) -> None:
        emails = existing.emails
        name_numbers = existing.name_numbers
        accounts = existing.accounts
        account_numbers = existing.account_numbers
        for row in rows:
            if row.is_person:
                name = _name_key(row.first, row.last)
                email = row.email.lower() if row.email else None
                keys = [(name, p.e164) for p in row.phones]
                if (email is not None and email in emails) or any(k in name_numbers for k in keys):
                    self.duplicates += 1
                    continue
                if email is not None:
                    emails.add(email)
                name_numbers.update(keys)
                account_id = self._account(row.company, accounts, None) if row.company else None
                contact = self._record(
                    first_name=row.first,
                    last_name=row.last,
                    account_id=account_id,
                    title=row.title,
                    email=row.email,
                    city=row.city,
                    country=row.country,
                    notes=row.notes,
                    owner_id=None,
                )
                self.contacts.append(contact)
                self._phones(row, row.phones, {"contact_id": contact["id"]})
                self.imported += 1
                continue
            assert row.company is not None  # not a person row means a company-only row
            key = _company_key(row.company)
            account_id = accounts.get(key)
            if account_id is not None:
                new = [p for p in row.phones if (account_id, p.e164) not in account_numbers]
                if not new:
                    self.duplicates += 1
                    continue
            else:
                account_id = self._account(row.company, accounts, row)
                new = row.phones
            account_numbers.update((account_id, p.e164) for p in new)
            self._phones(row, new, {"account_id": account_id})
            self.imported += 1

    def _account(
        self, name: str, accounts: dict[str, uuid.UUID], row: ParsedRow | None
    ) -> uuid.UUID:
        key = _company_key(name)
        found = accounts.get(key)
        if found is not None:
            return found
        notes = None
        if row is not None:
            # Accounts have no e-mail column; keep a company row's address rather than drop it.
            parts = [row.notes, f"E-mail: {row.email}" if row.email else None]
            notes = "\n".join(p for p in parts if p) or None
        account = self._record(
            name=name,
            industry=None,
            website=None,
            city=row.city if row else None,
            country=row.country if row else None,
            notes=notes,
            owner_id=None,
        )
        self.accounts.append(account)
        accounts[key] = account["id"]
        return account["id"]  # type: ignore[no-any-return]


def _insert_all(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    table = model.__table__
    assert isinstance(table, Table)
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql" and _copy_rows(connection, table, rows):
        return
    # Core executemany on the Table, not the ORM bulk path: no per-object bookkeeping.
    for chunk in _chunks(rows, INSERT_BATCH):
        session.execute(insert(table), chunk)


def _copy_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> bool:
    """``COPY FROM STDIN`` on the session's own connection (so inside its transaction).

    Returns False (nothing written) when the driver is not psycopg 3.

    psycopg's executemany costs a server round trip per row (about 10x slower). The values are
    what the column types would bind anyway: UUIDs, aware UTC datetimes, plain strings; enum
    members are sent as their values.
    """
    columns = list(rows[0])
    preparer = connection.dialect.identifier_preparer
    statement = (
        f"COPY {preparer.format_table(table)} "
        f"({', '.join(preparer.quote(c) for c in columns)}) FROM STDIN"
    )
    enums = [i for i, c in enumerate(columns) if isinstance(rows[0][c], Enum)]
    import psycopg  # the PostgreSQL driver normalize_url picks; only needed here

    dbapi = connection.connection.dbapi_connection
    if not isinstance(dbapi, psycopg.Connection):
        return False
    try:
        with dbapi.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                values = [row[c] for c in columns]
                for i in enums:
                    values[i] = values[i].value
                copy.write_row(values)
    except connection.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(
            statement, None, exc, connection.dialect.loaded_dbapi.Error
        ) from exc
    return True


def import_contacts(
    sessions: sessionmaker[Session],
    path: Path,
    *,
    default_region: str,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
    actor: str | None = None,
) -> ImportResult:
    """Import contacts (and company-only rows as accounts) from the CSV file at ``path``.

    ``default_region`` (ISO 3166 alpha-2) reads national numbers of rows whose own country
    column is empty or unrecognised. ``encoding`` overrides detection. ``progress`` is called
    every :data:`PROGRESS_EVERY_ROWS` records and once after the last with ``(rows_done,
    bytes_done, total_bytes)``. The accepted rows and an audit entry are written in one
    transaction: if it fails, nothing is imported and the exception propagates. An exception
    raised by ``progress`` aborts the import the same way (a way to cancel).

    Raises :class:`ImportFileError` when the file cannot be read, has no name, company,
    phone or e-mail column, or its folder does not take the reject file.
    """
    path = Path(path)
    region = default_region.strip().upper()
    if region_for_country(region) != region:
        raise ValueError(f"default_region {default_region!r} is not a known region code")
    with open_csv(path, encoding=encoding) as table:
        if not any(column in table.mapping for column in _USABLE):
            found = ", ".join(repr(h) for h in table.header) or "nothing"
            raise ImportFileError(
                f"{path}: no usable header on line {table.header_line}: expected a name, "
                f"company, phone or e-mail column; found {found}"
            )
        parser = RowParser(table.mapping, region)
        rejects = RejectWriter(path, table.header, table.delimiter)
        rejected: list[RejectedRow] = []
        try:
            rows = _read_rows(table, parser, rejects, rejected, progress)
            result = _write(sessions, path, table, rows, len(rejected), actor)
            reject_file = rejects.finish()
        except BaseException:
            rejects.discard()
            raise
    return ImportResult(
        imported=result.imported,
        duplicates=result.duplicates,
        rejected=tuple(rejected),
        reject_file=reject_file,
        accounts_created=len(result.accounts),
    )


def _write(
    sessions: sessionmaker[Session],
    path: Path,
    table: CsvTable,
    rows: list[ParsedRow],
    rejected: int,
    actor: str | None,
) -> _Plan:
    plan = _Plan(now=utcnow())
    audit = AuditEntry.__table__
    assert isinstance(audit, Table)
    audit_id = uuid7()
    with sessions() as session, session.begin():
        # Writing first takes SQLite's write lock before the duplicate look-ups: a read-then-
        # write transaction fails at once (SQLITE_BUSY_SNAPSHOT) if another writer commits in
        # between, and holding the lock keeps the look-ups true until our commit.
        session.execute(
            insert(audit),
            {
                "id": audit_id,
                "at": plan.now,
                "user_id": None,
                "actor": actor[:100] if actor else None,
                "action": AuditAction.IMPORT,
                "entity_kind": "contact",
                "entity_id": None,
                "details": None,
            },
        )
        plan.build(rows, _Existing(session, rows))
        _insert_all(session, Account, plan.accounts)
        _insert_all(session, Contact, plan.contacts)
        _insert_all(session, PhoneRecord, plan.phones)
        details = {
            "file": path.name,
            "imported": plan.imported,
            "duplicates": plan.duplicates,
            "rejected": rejected,
            "accounts_created": len(plan.accounts),
            "contacts_created": len(plan.contacts),
            "phones_created": len(plan.phones),
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "reject_file": reject_path_for(path).name if rejected else None,
        }
        session.execute(update(audit).where(audit.c.id == audit_id).values(details=details))
    return plan
