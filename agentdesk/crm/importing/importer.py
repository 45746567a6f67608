"""Contact import from CSV files.

Two phases, so the write lock is held only briefly (SQLite has one writer; a wrap-up save must
not wait behind a minute of phone parsing):

1. read and validate every record without touching the database: field count, the country
   (an ISO 3166 country, by code or name), phone numbers (``normalize(strict=True)`` in the
   row's country, else ``default_region``), field lengths, the e-mail address's shape
   (:mod:`~agentdesk.crm.importing.rows`; files above :data:`PARALLEL_ABOVE_BYTES` in worker
   processes); rejected records are written to a temporary reject file;
2. one transaction: the audit entry (first, to take SQLite's write lock before reading),
   batched duplicate look-ups (:mod:`~agentdesk.crm.importing.existing`), then bulk inserts of
   accounts, contacts and phone numbers below the ORM (built by
   :mod:`~agentdesk.crm.importing.insert_plan`, written by ``db.bulk.append_rows``: raw
   ``executemany`` on SQLite, with the indexes rebuilt when the load outgrows the table;
   ``COPY`` on PostgreSQL). Only after the commit does the reject file take its final name
   ``<input stem>.rejects.csv`` next to the input (overwritten when it exists; left alone when
   this run rejected nothing). Its columns are ``line``, ``reason`` and then the original ones,
   UTF-8 with BOM, the input's delimiter.

Counting: ``imported`` is the number of accepted rows that created a contact or (company-only
rows) created an account or added a number to one; ``duplicates`` the accepted rows that
matched an existing contact (same e-mail ignoring case, or same name and an equal E.164 number)
or an existing account that already has the row's numbers, in the database or earlier in the
file; ``accounts_created`` counts accounts created for company-only rows and for the companies
of person rows.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Table, insert, update
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.importing.csv_columns import Column
from agentdesk.crm.importing.csv_encoding import ImportFileError
from agentdesk.crm.importing.csv_reader import CsvTable, open_csv
from agentdesk.crm.importing.existing import ExistingKeys
from agentdesk.crm.importing.insert_plan import (
    ACCOUNT_COLUMNS,
    CONTACT_COLUMNS,
    PHONE_COLUMNS,
    InsertPlan,
)
from agentdesk.crm.importing.parallel import Batch, auto_workers, batches, gc_paused, in_processes
from agentdesk.crm.importing.rejects import (
    RejectedRow,
    RejectWriter,
    reject_path_for,
    row_dict,
)
from agentdesk.crm.importing.rows import ParsedRow, RowParser, parse_batch
from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import AuditEntry
from agentdesk.db.bulk import append_rows, row_format
from agentdesk.domain.access import RecordKind
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction
from agentdesk.domain.ids import uuid7
from agentdesk.domain.phone import region_for_country
from agentdesk.org.users import actor_of, find_user

PROGRESS_EVERY_ROWS = 1000
PARALLEL_ABOVE_BYTES = 16 * 1024 * 1024
"""Files bigger than this (about 250,000 rows) are parsed in several processes: below it,
starting them and pickling rows costs more than they save (measured on 2 cores)."""
PARALLEL_BATCH_ROWS = 5000

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
class ImportResult:
    """Outcome of :func:`import_contacts` (see the module docstring for how rows are counted)."""

    imported: int
    duplicates: int
    rejected: tuple[RejectedRow, ...]
    reject_file: Path | None
    accounts_created: int


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


def import_contacts(
    sessions: sessionmaker[Session],
    path: Path,
    *,
    default_region: str,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
    actor: str | None = None,
    workers: int | None = None,
    owner: str | None = None,
) -> ImportResult:
    """Import contacts (and company-only rows as accounts) from the CSV file at ``path``.

    ``default_region`` (ISO 3166 alpha-2) reads national numbers of rows whose own country
    column is empty or unrecognised. ``encoding`` overrides detection. ``progress`` is called
    every :data:`PROGRESS_EVERY_ROWS` records and once after the last with ``(rows_done,
    bytes_done, total_bytes)``. The accepted rows and an audit entry are written in one
    transaction: if it fails, nothing is imported and the exception propagates. An exception
    raised by ``progress`` aborts the import the same way (a way to cancel). With ``owner``
    (a username) the contacts and the accounts the import creates belong to that user; giving
    them to someone else than the acting user needs the ``reassign`` capability.

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
            result = _write(sessions, path, table, rows, len(rejected), actor, owner)
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
    owner: str | None,
) -> InsertPlan:
    audit = AuditEntry.__table__
    assert isinstance(audit, Table)
    audit_id = uuid7()
    now = utcnow()
    with sessions() as session, session.begin():
        access = acting_access(session, actor)
        owner_id = find_user(session, owner).id if owner else None
        if access is not None:
            access.check_create(RecordKind.CONTACTS, owner_id)
            access.check_create(RecordKind.ACCOUNTS, owner_id)
        who = actor_of(session, access.username if access else actor)
        # Writing first takes SQLite's write lock before the duplicate look-ups: a read-then-
        # write transaction fails at once (SQLITE_BUSY_SNAPSHOT) if another writer commits in
        # between, and holding the lock keeps the look-ups true until our commit.
        session.execute(
            insert(audit),
            {
                "id": audit_id,
                "at": now,
                "user_id": who.user_id if who else None,
                "actor": who.name[:100] if who and who.name else None,
                "action": AuditAction.IMPORT,
                "entity_kind": "contact",
                "entity_id": None,
                "details": None,
            },
        )
        connection = session.connection()
        plan = InsertPlan(now, row_format(connection.dialect.name))
        plan.build(rows, ExistingKeys(session, rows))
        owned = {"owner_id": plan.fmt.uuid(owner_id.int) if owner_id else None}
        account_constants = plan.constants("industry", "website") | owned
        append_rows(connection, "accounts", ACCOUNT_COLUMNS, plan.accounts, account_constants)
        contact_constants = plan.constants() | owned
        append_rows(connection, "contacts", CONTACT_COLUMNS, plan.contacts, contact_constants)
        phone_constants = plan.constants("lead_id")
        append_rows(connection, "phone_numbers", PHONE_COLUMNS, plan.phones, phone_constants)
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
            "owner": owner,
        }
        session.execute(update(audit).where(audit.c.id == audit_id).values(details=details))
    return plan
