"""Contact import from CSV files.

Two phases, so the write lock is held only briefly (SQLite has one writer; a wrap-up save must
not wait behind a minute of phone parsing):

1. read and validate every record without touching the database: field count, phone numbers
   (``normalize(strict=True)`` in the row's country, else ``default_region``), field lengths
   (``crm.rows``; files above :data:`PARALLEL_ABOVE_BYTES` in worker processes); rejected
   records are written to a temporary reject file;
2. one transaction: the audit entry (first, to take SQLite's write lock before reading),
   batched duplicate look-ups (no query per row), then bulk inserts of accounts, contacts and
   phone numbers below the ORM (``crm.bulk.append_rows``: raw ``executemany`` on SQLite, with
   the indexes rebuilt when the load outgrows the table; ``COPY`` on PostgreSQL). Only after the
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

import os
import re
import tempfile
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Select,
    SQLColumnExpression,
    Table,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.importing.csv_reader import Column, CsvTable, ImportFileError, open_csv
from agentdesk.crm.importing.rows import (
    Batch,
    ParsedPhone,
    ParsedRow,
    RejectLines,
    RowParser,
    auto_workers,
    batches,
    gc_paused,
    in_processes,
    name_key,
    parse_batch,
    row_dict,
    split_full_name,
)
from agentdesk.crm.models import Account, Contact, PhoneRecord
from agentdesk.db.audit import AuditEntry
from agentdesk.db.bulk import RowFormat, append_rows, id_block, row_format
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction
from agentdesk.domain.ids import uuid7
from agentdesk.domain.phone import region_for_country

__all__ = [
    "REJECTS_SUFFIX",
    "ImportFileError",
    "ImportResult",
    "ParsedRow",
    "RejectedRow",
    "RowParser",
    "import_contacts",
    "reject_path_for",
    "split_full_name",
]

REJECTS_SUFFIX = ".rejects.csv"
PROGRESS_EVERY_ROWS = 1000
PARALLEL_ABOVE_BYTES = 16 * 1024 * 1024
"""Files bigger than this (about 250,000 rows) are parsed in several processes: below it,
starting them and pickling rows costs more than they save (measured on 2 cores)."""
PARALLEL_BATCH_ROWS = 5000
# Few keys, or many keys against a big table: an IN query per chunk on an index (lower(email),
# lower(name), e164). Many keys against a small table: one scan of the table is cheaper.
IN_CHUNK = 900
SCAN_THRESHOLD = 2000
SCAN_PER_KEY = 4

ProgressCallback = Callable[[int, int, int], None]

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


_SPACES = re.compile(r"\s+")


def _company_key(name: str) -> str:
    return _SPACES.sub(" ", name).strip().lower()


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
        self._lines = RejectLines(delimiter)
        self._fh.write("line" + delimiter + self._lines.tail("reason", list(header)))

    def write(self, line: int, reason: str, cells: list[str]) -> None:
        self.write_line(line, self._lines.tail(reason, cells))

    def write_line(self, line: int, tail: str) -> None:
        """A reject formatted by :meth:`RejectLines.tail` with this file's delimiter."""
        self.count += 1
        self._fh.write(f"{line}{self._lines.delimiter}{tail}")

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
    workers: int,
) -> list[ParsedRow]:
    accepted: list[ParsedRow] = []
    done = 0
    header = table.header
    outcomes: Generator[tuple[Batch, list[ParsedRow | str]], None, None]
    if workers > 1:
        source = batches(table.records(), PARALLEL_BATCH_ROWS)
        common = (table.mapping, parser.default_region)
        outcomes = in_processes(parse_batch, common, source, workers)
    else:
        parse = parser.parse
        outcomes = (
            (batch, [parse(line, cells) for line, cells in batch])
            for batch in batches(table.records(), PROGRESS_EVERY_ROWS)
        )
    # closing(): a cancelled import (progress raised) stops the worker processes right away.
    with closing(outcomes) as results_in_order:
        for batch, results in results_in_order:
            for (line, cells), outcome in zip(batch, results, strict=True):
                if isinstance(outcome, str):
                    rejected.append(RejectedRow(line, outcome, row_dict(header, cells)))
                    rejects.write(line, outcome, cells)
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


def _scan_pays(session: Session, model: type[Any], keys: set[str]) -> bool:
    """Whether reading the whole table beats indexed IN look-ups for ``keys``.

    A scan costs a little per row, a look-up a few index pages per key: scan small tables
    (a first import), look up a new file's keys in a big CRM.
    """
    if len(keys) <= SCAN_THRESHOLD:
        return False
    rows = session.scalar(select(func.count()).select_from(model)) or 0
    return rows < len(keys) * SCAN_PER_KEY


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
            key = _company_key(name)
            if key in keys and (key not in best or (created_at, account_id) < best[key]):
                best[key] = (created_at, account_id)
        return {key: account_id.int for key, (_, account_id) in best.items()}

    @staticmethod
    def _account_numbers(session: Session, numbers: set[str]) -> set[tuple[int, str]]:
        query = select(PhoneRecord.account_id, PhoneRecord.e164).where(
            PhoneRecord.deleted_at.is_(None), PhoneRecord.account_id.is_not(None)
        )
        return {(a.int, e) for a, e in _select_in(session, query, PhoneRecord.e164, numbers)}


# The columns that differ between rows; the others are constants (see _Plan.constants).
_ACCOUNT_COLUMNS = ("id", "name", "city", "country", "notes")
_CONTACT_COLUMNS = (
    "id", "first_name", "last_name", "account_id", "title", "email", "city", "country", "notes",
)  # fmt: skip
_PHONE_COLUMNS_DB = ("id", "raw", "e164", "extension", "kind", "contact_id", "account_id")


class _Plan:
    """The inserts of one import, built in file order against what already exists.

    Rows are value tuples already in the database's on-disk form (:mod:`agentdesk.db.bulk`);
    ids are version-7 UUIDs handled as ints until they are formatted.
    """

    def __init__(self, now: datetime, fmt: RowFormat) -> None:
        self.now = now
        self.fmt = fmt
        self.accounts: list[tuple[Any, ...]] = []
        self.contacts: list[tuple[Any, ...]] = []
        self.phones: list[tuple[Any, ...]] = []
        self.imported = 0
        self.duplicates = 0
        self._stamp = fmt.ts(now.astimezone(UTC).replace(tzinfo=None))
        self._ids = id_block()

    def constants(self, *extra: str) -> dict[str, Any]:
        """The columns every row of this import shares, plus ``extra`` ones that are NULL."""
        stamp = self._stamp
        shared = {"created_at": stamp, "updated_at": stamp, "version": 1, "deleted_at": None}
        return shared | dict.fromkeys(extra)

    def _phones(
        self, phones: list[ParsedPhone], contact_id: str | None, account_id: str | None
    ) -> None:
        uuid_of, ids = self.fmt.uuid, self._ids
        for p in phones:
            self.phones.append(
                (
                    uuid_of(next(ids)), p.raw, p.e164, p.extension, p.kind.value, contact_id,
                    account_id,
                )
            )  # fmt: skip

    def build(self, rows: list[ParsedRow], existing: _Existing) -> None:
        emails = existing.emails
        name_numbers = existing.name_numbers
        accounts = existing.accounts
        account_numbers = existing.account_numbers
        uuid_of, ids = self.fmt.uuid, self._ids
        for row in rows:
            if row.is_person:
                name = name_key(row.first, row.last)
                email = row.email.lower() if row.email else None
                keys = [(name, p.e164) for p in row.phones]
                if (email is not None and email in emails) or any(k in name_numbers for k in keys):
                    self.duplicates += 1
                    continue
                if email is not None:
                    emails.add(email)
                name_numbers.update(keys)
                account_id = self._account(row.company, accounts, None) if row.company else None
                contact_id = uuid_of(next(ids))
                self.contacts.append(
                    (
                        contact_id, row.first, row.last,
                        None if account_id is None else uuid_of(account_id), row.title,
                        row.email, row.city, row.country, row.notes,
                    )
                )  # fmt: skip
                self._phones(row.phones, contact_id, None)
                self.imported += 1
                continue
            assert row.company is not None  # not a person row means a company-only row
            key = _company_key(row.company)
            found = accounts.get(key)
            if found is not None:
                new = [p for p in row.phones if (found, p.e164) not in account_numbers]
                if not new:
                    self.duplicates += 1
                    continue
                account_id = found
            else:
                account_id = self._account(row.company, accounts, row)
                new = row.phones
            account_numbers.update((account_id, p.e164) for p in new)
            self._phones(new, None, uuid_of(account_id))
            self.imported += 1

    def _account(self, name: str, accounts: dict[str, int], row: ParsedRow | None) -> int:
        key = _company_key(name)
        found = accounts.get(key)
        if found is not None:
            return found
        notes = None
        if row is not None:
            # Accounts have no e-mail column; keep a company row's address rather than drop it.
            parts = [row.notes, f"E-mail: {row.email}" if row.email else None]
            notes = "\n".join(p for p in parts if p) or None
        account_id = next(self._ids)
        self.accounts.append(
            (
                self.fmt.uuid(account_id), name, row.city if row else None,
                row.country if row else None, notes,
            )
        )  # fmt: skip
        accounts[key] = account_id
        return account_id


def import_contacts(
    sessions: sessionmaker[Session],
    path: Path,
    *,
    default_region: str,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
    actor: str | None = None,
    workers: int | None = None,
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
    with gc_paused(), open_csv(path, encoding=encoding) as table:
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
            if workers is None:
                workers = auto_workers(table.total_bytes, PARALLEL_ABOVE_BYTES)
            rows = _read_rows(table, parser, rejects, rejected, progress, workers)
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
    audit = AuditEntry.__table__
    assert isinstance(audit, Table)
    audit_id = uuid7()
    now = utcnow()
    with sessions() as session, session.begin():
        # Writing first takes SQLite's write lock before the duplicate look-ups: a read-then-
        # write transaction fails at once (SQLITE_BUSY_SNAPSHOT) if another writer commits in
        # between, and holding the lock keeps the look-ups true until our commit.
        session.execute(
            insert(audit),
            {
                "id": audit_id,
                "at": now,
                "user_id": None,
                "actor": actor[:100] if actor else None,
                "action": AuditAction.IMPORT,
                "entity_kind": "contact",
                "entity_id": None,
                "details": None,
            },
        )
        connection = session.connection()
        plan = _Plan(now, row_format(connection.dialect.name))
        plan.build(rows, _Existing(session, rows))
        account_constants = plan.constants("industry", "website", "owner_id")
        append_rows(connection, "accounts", _ACCOUNT_COLUMNS, plan.accounts, account_constants)
        contact_constants = plan.constants("owner_id")
        append_rows(connection, "contacts", _CONTACT_COLUMNS, plan.contacts, contact_constants)
        phone_constants = plan.constants("lead_id")
        append_rows(connection, "phone_numbers", _PHONE_COLUMNS_DB, plan.phones, phone_constants)
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
