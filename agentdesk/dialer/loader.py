"""Filling campaigns: from a CSV file, from a saved CRM query on contacts, from leads.

CSV files go through the contact importer's reader and row rules (``crm.csv_reader`` and the
importer's row parser: field count, names, country column, strict phone validation, field
lengths), the same reject file ``<stem>.rejects.csv`` and the same result shape, so
``campaign import`` reports and exits like ``import contacts``. One entry per row: the row's
first phone column with a number. An optional time-zone column (``time zone``, ``tz``, ``时区``)
overrides the number's zones.

Every entry gets its zone group key at load time (``rules.zone_key``); a CRM fill writes the
campaign's groups to ``dialer_campaign_zones`` *before* the entries (a failed load leaves at
most an unused group row), a CSV fill in the entries' own transaction. Numbers already on a
DNC list are loaded as ``dnc`` (so the progress shows them); numbers already in the campaign,
or twice in the file, count as duplicates.

Entries are written with ``crm.bulk`` (raw ``executemany`` on SQLite, ``COPY`` on PostgreSQL,
secondary indexes rebuilt for big loads) in one transaction. A big CSV file is read and parsed
by several processes (``dialer.csv_rows``), each taking byte ranges of the file, while this
process writes what they have parsed so far.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import uuid
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Engine, Select, and_, exists, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.base import utcnow
from agentdesk.crm.bulk import BulkWriter, bulk_writer, id_block, id_block_base, row_format
from agentdesk.crm.csv_reader import (
    CONTACT_COLUMNS,
    CsvTable,
    ImportFileError,
    open_csv,
)
from agentdesk.crm.importer import (
    ProgressCallback,
    RejectedRow,
    RejectWriter,
    RowParser,
    row_dict,
)
from agentdesk.crm.models import Account, AuditEntry, Call, Contact, Lead, PhoneRecord
from agentdesk.crm.rows import (
    auto_workers,
    batches,
    gc_paused,
    in_processes,
)
from agentdesk.dialer.campaigns import load_campaign
from agentdesk.dialer.csv_rows import (
    CSV_COLUMNS,
    E164,
    STATUS,
    ZONE_KEY,
    Ids,
    Parsed,
    numbered,
    parse_range,
    parse_records,
    parse_remote,
)
from agentdesk.dialer.dnc import listed_among
from agentdesk.dialer.models import CampaignEntry, CampaignZone, DncNumber
from agentdesk.dialer.rules import EntryStatus, callee_zones, zone_key
from agentdesk.domain.enums import AuditAction, LeadStatus, PhoneKind
from agentdesk.domain.ids import uuid7
from agentdesk.domain.phone import region_for_country

TIME_ZONE = "time_zone"
CAMPAIGN_COLUMNS: Mapping[str, tuple[str, ...]] = {
    **CONTACT_COLUMNS,
    TIME_ZONE: ("time zone", "timezone", "tz", "zone", "时区"),
}
BATCH_ROWS = 20_000
PARALLEL_ABOVE_BYTES = 8 * 1024 * 1024
"""Files bigger than this (about 100,000 rows) are parsed in several processes."""
ANALYZE_ABOVE = 10_000
"""Loads of more entries than this refresh the planner statistics (see :func:`analyze`)."""
SCAN_THRESHOLD = 50_000
"""Above this many numbers, read the whole DNC scope / campaign once instead of IN queries."""

_ENTRY_COLUMNS = (
    "id", "phone_raw", "e164", "time_zone", "zone_key", "contact_id", "lead_id", "first_name",
    "last_name", "company", "city", "country", "status",
)  # fmt: skip
"""The columns that differ between the entries of one load; the others are constants."""
# Phone kinds in the order a CRM fill prefers them (fax never).
_KIND_ORDER = (PhoneKind.MOBILE, PhoneKind.WORK, PhoneKind.HOME, PhoneKind.OTHER)


@dataclass(frozen=True)
class LoadResult:
    """What a fill did. ``dnc`` entries were loaded but are already on a do-not-call list."""

    imported: int
    duplicates: int
    dnc: int
    rejected: tuple[RejectedRow, ...] = ()
    reject_file: Path | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "dnc": self.dnc,
            "rejected": [{"line": r.line, "reason": r.reason, "row": r.row} for r in self.rejected],
            "reject_file": str(self.reject_file) if self.reject_file else None,
        }


class EntrySpec(NamedTuple):
    """One entry of a CRM fill (contacts or leads), possibly before zone resolution.

    A named tuple, not a dataclass: a fill may make a million of them. (CSV fills use the
    plain row tuples of :mod:`agentdesk.dialer.csv_rows`.)
    """

    phone_raw: str
    e164: str
    time_zone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    city: str | None = None
    country: str | None = None
    contact_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    zones: tuple[str, ...] | None = None
    """``callee_zones`` of the number when already known (else looked up when written)."""


@dataclass(frozen=True)
class ContactQuery:
    """A saved CRM query for contacts to call; stored on the campaign so it can be re-run.

    ``city`` and ``country`` match case-insensitively; ``no_call_in_days`` keeps contacts with
    no call (either direction) in that many days.
    """

    city: str | None = None
    country: str | None = None
    no_call_in_days: int | None = None
    owner: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": "contacts", **asdict(self)}


@dataclass(frozen=True)
class LeadQuery:
    """Leads to call: by status (default new and contacted), source and city."""

    statuses: tuple[str, ...] = (LeadStatus.NEW, LeadStatus.CONTACTED)
    source: str | None = None
    city: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": "leads", **asdict(self), "statuses": list(self.statuses)}


# ---------------------------------------------------------------------------------------------
# CSV


def import_csv(
    sessions: sessionmaker[Session],
    campaign: str,
    path: Path,
    *,
    default_region: str,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
    actor: str | None = None,
    workers: int | None = None,
) -> LoadResult:
    """Load the rows of the CSV file at ``path`` into ``campaign`` (see the module docstring).

    Row parsing (phone validation and time zones above all) dominates big files, so above
    :data:`PARALLEL_ABOVE_BYTES` the file is parsed in ``workers`` processes (default: one per
    CPU; ``1`` parses in this process), each reading its own byte ranges of the file, while
    this process writes the entries parsed so far. ``progress`` is called after every batch of
    records with ``(rows_done, bytes_done, total_bytes)``.

    Raises :class:`ImportFileError` when the file cannot be read or has no phone column, and
    :class:`~agentdesk.dialer.campaigns.UnknownCampaignError`.
    """
    path = Path(path)
    region = default_region.strip().upper()
    if region_for_country(region) != region:
        raise ValueError(f"default_region {default_region!r} is not a known region code")
    with sessions() as session:
        campaign_id = load_campaign(session, campaign).id  # fail before reading a million rows
    now = utcnow()
    with gc_paused(), open_csv(path, encoding=encoding, columns=CAMPAIGN_COLUMNS) as table:
        parser = RowParser(table.mapping, region)
        if not parser.phones:
            found = ", ".join(repr(h) for h in table.header) or "nothing"
            raise ImportFileError(
                f"{path}: no phone column on line {table.header_line}; found {found}"
            )
        zone_position = table.mapping.position(TIME_ZONE)
        rejects = RejectWriter(path, table.header, table.delimiter)
        load = _CsvLoad(table, rejects, progress)
        try:
            if workers is None:
                workers = auto_workers(table.total_bytes, PARALLEL_ABOVE_BYTES)
            ids = Ids(id_block_base(), 0, row_format(_dialect(sessions)).uuid)
            parsed: Generator[tuple[Parsed, int, int], None, None]
            if workers > 1:
                parsed = _parsed_in_processes(table, region, zone_position, workers, ids)
            else:
                parsed = (
                    (parse_records(parser, zone_position, batch, task), 0, table.bytes_read)
                    for task, batch in numbered(ids, batches(table.records(), BATCH_ROWS))
                )
            # closing(): an error or a cancel stops the worker processes at once.
            with closing(load.chunks(parsed)) as chunks:
                imported = _write_csv(
                    sessions, campaign_id, chunks, load, now=now, stream=workers > 1
                )
            if progress is not None:
                progress(load.done, table.total_bytes, table.total_bytes)
            reject_file = rejects.finish()
        except BaseException:
            rejects.discard()
            raise
    _audit(sessions, campaign, campaign_id, f"file {path.name}", actor, now, imported, load)
    return LoadResult(imported, load.duplicates, load.dnc, tuple(load.rejected), reject_file)


PICK_INDEX = "ix_dialer_entries_pick"
RANGE_BYTES = 2 * 1024 * 1024
"""How much of the file one parsing task reads (about 30,000 rows)."""


def _parsed_in_processes(
    table: CsvTable, region: str, zone_position: int | None, workers: int, ids: Ids
) -> Generator[tuple[Parsed, int, int], None, None]:
    """``(parsed, line offset of its rejects, bytes done)`` in file order, from ``workers``.

    Each process reads its own byte ranges, so this one neither reads nor ships the records.
    A range that cannot stand alone (a quoted field across the cut, an undecodable byte) and
    the rest of the file after it are read here and parsed in batches by the processes, as
    one whole-file read would see them: same records, line numbers and errors.
    """
    common = (table.mapping, region, zone_position)
    ranges = table.ranges(RANGE_BYTES) or []
    resume_at = (table.lines_before_data, 0)  # (lines before, byte offset); 0: from the header
    if ranges:
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=gc.disable)
        try:
            args = (*common, table.path, table.encoding, table.delimiter)
            last = len(ranges) - 1
            tasks = iter(enumerate(ranges))
            pending: deque[tuple[int, int, Future[Parsed]]] = deque()

            def submit() -> None:
                for index, (start, end) in tasks:
                    task_ids = ids._replace(task=index)
                    task = pool.submit(parse_range, *args, task_ids, start, end, index == last)
                    pending.append((start, end, task))
                    return

            for _ in range(3 * workers):
                submit()
            lines = table.lines_before_data
            while pending:
                start, end, task = pending.popleft()
                parsed = task.result()
                if not parsed.complete:
                    resume_at = (lines, start)
                    break
                yield parsed, lines, end
                lines += parsed.lines
                submit()
            else:
                return
        finally:
            # No waiting for the processes to exit: tearing down their caches of a million
            # numbers takes a second that the writing here does not need to wait for.
            pool.shutdown(wait=False, cancel_futures=True)
    lines_before, offset = resume_at
    records = table.resume(offset, lines_before) if offset else table.records()
    source = numbered(ids._replace(task=len(ranges)), batches(records, BATCH_ROWS))
    for _task, parsed in in_processes(parse_remote, common, source, workers):
        yield parsed, 0, table.bytes_read


class _CsvLoad:
    """The reading side of a CSV load: rejects, progress, zone groups, and the counts."""

    def __init__(
        self, table: CsvTable, rejects: RejectWriter, progress: ProgressCallback | None
    ) -> None:
        self.table = table
        self.rejects = rejects
        self.progress = progress
        self.rejected: list[RejectedRow] = []
        self.zones: dict[str, tuple[str, ...]] = {}
        self.used_zones: set[str] = set()
        self.done = 0
        self.bytes_done = 0
        self.duplicates = 0
        self.dnc = 0

    def chunks(
        self, parsed: Generator[tuple[Parsed, int, int], None, None]
    ) -> Generator[list[tuple[Any, ...]], None, None]:
        """The entry rows of each parsed chunk, in file order; rejects go to the file."""
        header = self.table.header
        with closing(parsed):
            for outcome, line_offset, bytes_done in parsed:
                for line, reason, cells in outcome.rejects:
                    line += line_offset
                    self.rejected.append(RejectedRow(line, reason, row_dict(header, cells)))
                    self.rejects.write(line, reason, cells)
                self.zones.update(outcome.zones)
                self.done += outcome.records
                self.bytes_done = bytes_done
                if self.progress is not None:
                    self.progress(self.done, bytes_done, self.table.total_bytes)
                yield outcome.rows

    def entries(
        self, chunks: Iterable[list[tuple[Any, ...]]], existing: set[str], listed: set[str]
    ) -> Iterator[tuple[Any, ...]]:
        """The rows to write: the first of each number, DNC-listed ones with that status."""
        seen = existing
        dnc = str(EntryStatus.DNC)
        used = self.used_zones
        for chunk in chunks:
            rows = []
            for values in chunk:
                e164 = values[E164]
                if e164 in seen:
                    self.duplicates += 1
                    continue
                seen.add(e164)
                used.add(values[ZONE_KEY])
                if e164 in listed:
                    self.dnc += 1
                    values = (*values[:STATUS], dnc)
                rows.append(values)
            yield from rows


def _dialect(sessions: sessionmaker[Session]) -> str:
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    return engine.dialect.name


def _write_csv(
    sessions: sessionmaker[Session],
    campaign_id: uuid.UUID,
    chunks: Iterator[list[tuple[Any, ...]]],
    load: _CsvLoad,
    *,
    now: datetime,
    stream: bool,
) -> int:
    """Write the entries of ``chunks``; returns how many were written.

    ``stream`` (big files): rows are written while later ones are still being parsed, so the
    numbers already in the campaign and on DNC lists are read whole beforehand; otherwise all
    rows are parsed first and only their numbers are looked up.
    """
    source: Iterable[list[tuple[Any, ...]]]
    if stream:
        # The first parsed rows first: that starts the parsing processes, which go on
        # while the numbers already in the campaign and on DNC lists are read below.
        first = next(chunks, [])
        source = itertools.chain((first,), chunks)
        # The index rebuild decision needs the row count before the rows: estimate it.
        expected = len(first) * load.table.total_bytes // max(load.bytes_done, 1)
    else:
        source = list(chunks)
        expected = sum(len(chunk) for chunk in source)
    with sessions() as session:
        known_zones = set(
            session.scalars(
                select(CampaignZone.zone_key).where(CampaignZone.campaign_id == campaign_id)
            )
        )
        if stream:
            existing = _campaign_numbers(session, campaign_id, None)
            listed = _listed(session, campaign_id, None)
        else:
            numbers = {values[E164] for chunk in source for values in chunk}
            existing = _campaign_numbers(session, campaign_id, numbers)
            listed = _listed(session, campaign_id, numbers)
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    with bulk_writer(engine) as writer:
        campaign_value = writer.uuid(campaign_id.int)

        def zone_rows() -> list[tuple[str, Sequence[str], list[tuple[Any, ...]]]]:
            rows = [
                (campaign_value, key, " ".join(load.zones[key]))
                for key in sorted(load.used_zones - known_zones)
            ]
            return [("dialer_campaign_zones", ("campaign_id", "zone_key", "zones"), rows)]

        written = writer.write(
            "dialer_entries",
            CSV_COLUMNS,
            load.entries(source, existing, listed),
            expected=expected,
            constants={**_constants(writer, campaign_id, now), "contact_id": None, "lead_id": None},
            then=zone_rows,
            # One campaign's entries enter the pick index at one place per zone group and
            # status: updating it as rows come costs less than sorting it again at the end.
            keep=(PICK_INDEX,),
        )
    if written > ANALYZE_ABOVE:
        analyze(engine, "dialer_entries")
    return written


# ---------------------------------------------------------------------------------------------
# CRM


def fill_from_contacts(
    sessions: sessionmaker[Session],
    campaign: str,
    query: ContactQuery,
    *,
    now: datetime | None = None,
    actor: str | None = None,
) -> LoadResult:
    """Load the contacts ``query`` selects (one number each, mobile first) into ``campaign``."""
    now = now or utcnow()
    with sessions() as session:
        statement = (
            select(
                Contact.id,
                Contact.first_name,
                Contact.last_name,
                Contact.city,
                Contact.country,
                Account.name,
                PhoneRecord.raw,
                PhoneRecord.e164,
                PhoneRecord.kind,
            )
            .join(PhoneRecord, PhoneRecord.contact_id == Contact.id)
            .outerjoin(Account, Account.id == Contact.account_id)
            .where(Contact.deleted_at.is_(None), PhoneRecord.deleted_at.is_(None))
        )
        if query.city:
            statement = statement.where(func.lower(Contact.city) == query.city.strip().lower())
        if query.country:
            statement = statement.where(Contact.country == query.country.strip().upper())
        if query.owner:
            from agentdesk.dialer.campaigns import load_agent

            statement = statement.where(Contact.owner_id == load_agent(session, query.owner).id)
        if query.no_call_in_days is not None:
            since = now - timedelta(days=query.no_call_in_days)
            statement = statement.where(
                ~exists().where(Call.contact_id == Contact.id, Call.started_at >= since)
            )
        specs = _one_per_owner(
            (
                cid,
                kind,
                EntrySpec(
                    raw[:64], e164, None, first, last, company, city, country, contact_id=cid
                ),
            )
            for cid, first, last, city, country, company, raw, e164, kind in session.execute(
                statement
            )
        )
    with sessions() as session, session.begin():
        load_campaign(session, campaign).source_query = query.to_json()
    imported, duplicates, dnc = load_entries(
        sessions, campaign, specs, source="contacts query", actor=actor
    )
    return LoadResult(imported, duplicates, dnc)


def fill_from_leads(
    sessions: sessionmaker[Session],
    campaign: str,
    query: LeadQuery = LeadQuery(),
    *,
    actor: str | None = None,
) -> LoadResult:
    """Load the leads ``query`` selects (one number each, mobile first) into ``campaign``."""
    with sessions() as session:
        statement = (
            select(
                Lead.id,
                Lead.first_name,
                Lead.last_name,
                Lead.company,
                Lead.city,
                Lead.country,
                PhoneRecord.raw,
                PhoneRecord.e164,
                PhoneRecord.kind,
            )
            .join(PhoneRecord, PhoneRecord.lead_id == Lead.id)
            .where(
                Lead.deleted_at.is_(None),
                PhoneRecord.deleted_at.is_(None),
                Lead.status.in_(list(query.statuses)),
            )
        )
        if query.source:
            statement = statement.where(Lead.source == query.source)
        if query.city:
            statement = statement.where(func.lower(Lead.city) == query.city.strip().lower())
        specs = _one_per_owner(
            (
                lid,
                kind,
                EntrySpec(raw[:64], e164, None, first, last, company, city, country, lead_id=lid),
            )
            for lid, first, last, company, city, country, raw, e164, kind in session.execute(
                statement
            )
        )
    with sessions() as session, session.begin():
        load_campaign(session, campaign).source_query = query.to_json()
    imported, duplicates, dnc = load_entries(
        sessions, campaign, specs, source="leads query", actor=actor
    )
    return LoadResult(imported, duplicates, dnc)


def _one_per_owner(rows: Iterable[tuple[uuid.UUID, PhoneKind, EntrySpec]]) -> list[EntrySpec]:
    best: dict[uuid.UUID, tuple[int, EntrySpec]] = {}
    for owner, kind, spec in rows:
        if kind not in _KIND_ORDER:
            continue
        rank = _KIND_ORDER.index(kind)
        if owner not in best or rank < best[owner][0]:
            best[owner] = (rank, spec)
    return [spec for _, spec in sorted(best.values(), key=lambda item: item[1].e164)]


# ---------------------------------------------------------------------------------------------
# Writing


@dataclass
class _Batch:
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    zones: dict[str, tuple[str, ...]] = field(default_factory=dict)
    duplicates: int = 0
    dnc: int = 0


def load_entries(
    sessions: sessionmaker[Session],
    campaign: str,
    specs: list[EntrySpec],
    *,
    source: str,
    actor: str | None = None,
    now: datetime | None = None,
) -> tuple[int, int, int]:
    """Write ``specs`` into ``campaign``; returns ``(imported, duplicates, dnc)``."""
    now = now or utcnow()
    with sessions() as session:
        campaign_row = load_campaign(session, campaign)
        campaign_id = campaign_row.id
        numbers = {s.e164 for s in specs}
        existing = _campaign_numbers(session, campaign_id, numbers)
        listed = _listed(session, campaign_id, numbers)
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    with bulk_writer(engine) as writer:
        batch = _build(writer, campaign_id, specs, existing, listed, now)
        _register_zones(sessions, campaign_id, batch.zones)
        if batch.rows:
            writer.write(
                "dialer_entries",
                _ENTRY_COLUMNS,
                batch.rows,
                expected=len(batch.rows),
                constants=_constants(writer, campaign_id, now),
            )
    if len(batch.rows) > ANALYZE_ABOVE:
        analyze(engine, "dialer_entries")
    _audit(sessions, campaign, campaign_id, source, actor, now, len(batch.rows), batch)
    return len(batch.rows), batch.duplicates, batch.dnc


class _Counts(Protocol):
    duplicates: int
    dnc: int


def _audit(
    sessions: sessionmaker[Session],
    campaign: str,
    campaign_id: uuid.UUID,
    source: str,
    actor: str | None,
    now: datetime,
    imported: int,
    counts: _Counts,
) -> None:
    with sessions() as session, session.begin():
        session.execute(
            insert(AuditEntry),
            {
                "id": uuid7(),
                "at": now,
                "user_id": None,
                "actor": actor[:100] if actor else None,
                "action": AuditAction.IMPORT,
                "entity_kind": "campaign_entry",
                "entity_id": campaign_id,
                "details": {
                    "campaign": campaign,
                    "source": source,
                    "imported": imported,
                    "duplicates": counts.duplicates,
                    "dnc": counts.dnc,
                },
            },
        )


def analyze(engine: Engine, table: str) -> None:
    """Refresh the planner statistics of ``table`` after a big load.

    A bulk load rebuilds the indexes and SQLite then has no statistics for them; without them
    it reads "entries assigned to someone" through the pick index (seconds) instead of the
    small partial index (well under a millisecond). ``analysis_limit`` keeps SQLite's ANALYZE
    to a sample: a few milliseconds for a million rows.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit=400")
            conn.exec_driver_sql(f'ANALYZE "{table}"')
            conn.exec_driver_sql("PRAGMA analysis_limit=0")
        else:
            conn.exec_driver_sql(f'ANALYZE "{table}"')


def _campaign_numbers(
    session: Session, campaign_id: uuid.UUID, numbers: set[str] | None
) -> set[str]:
    """Which of ``numbers`` the campaign has (``None``: all of its numbers)."""
    live = and_(CampaignEntry.campaign_id == campaign_id, CampaignEntry.deleted_at.is_(None))
    if numbers is None:
        return _every_value(session, select(CampaignEntry.e164).where(live))
    if len(numbers) > SCAN_THRESHOLD:
        return set(session.scalars(select(CampaignEntry.e164).where(live))) & numbers
    found: set[str] = set()
    ordered = sorted(numbers)
    for start in range(0, len(ordered), 900):
        chunk = ordered[start : start + 900]
        found.update(
            session.scalars(select(CampaignEntry.e164).where(live, CampaignEntry.e164.in_(chunk)))
        )
    return found


def _listed(session: Session, campaign_id: uuid.UUID, numbers: set[str] | None) -> set[str]:
    """Which of ``numbers`` are on a DNC list of the campaign (``None``: all listed numbers)."""
    if numbers is None or len(numbers) > SCAN_THRESHOLD:
        from agentdesk.dialer.dnc import scope

        listed = _every_value(session, select(DncNumber.e164).where(scope(campaign_id)))
        return listed if numbers is None else listed & numbers
    return listed_among(session, numbers, campaign_id)


def _every_value(session: Session, query: Select[str]) -> set[str]:
    """The values of a one-column query, read with the driver's own cursor.

    A DNC list or a campaign may hold millions of numbers, and SQLAlchemy's result rows cost
    a few microseconds each (seconds in all). The queries' only parameters are UUIDs, which
    render safely as literals.
    """
    connection = session.connection()
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    driver: Any = connection.connection.driver_connection
    cursor = driver.cursor()
    try:
        cursor.execute(sql)
        return {value for (value,) in cursor.fetchall()}
    finally:
        cursor.close()


def _constants(writer: BulkWriter, campaign_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    stamp = writer.ts(now.replace(tzinfo=None))
    no = writer.flag(False)
    return {
        "created_at": stamp, "updated_at": stamp, "version": 1, "deleted_at": None,
        "campaign_id": writer.uuid(campaign_id.int), "attempts": 0, "last_outcome": None,
        "last_disposition": None, "next_eligible_at": stamp, "assigned_agent_id": None,
        "reserved_by_id": None, "reserved_until": None, "contacted": no, "succeeded": no,
    }  # fmt: skip


def _build(
    writer: Any,
    campaign_id: uuid.UUID,
    specs: list[EntrySpec],
    existing: set[str],
    listed: set[str],
    now: datetime,
) -> _Batch:
    batch = _Batch()
    seen = set(existing)
    new, dnc = str(EntryStatus.NEW), str(EntryStatus.DNC)
    uuid_of = writer.uuid
    zone_keys: dict[tuple[str, ...], str] = {}
    ids = id_block()
    for s in specs:
        if s.e164 in seen:
            batch.duplicates += 1
            continue
        seen.add(s.e164)
        zones = s.zones if s.zones is not None else callee_zones(s.e164, s.time_zone)
        key = zone_keys.get(zones)
        if key is None:
            key = zone_keys[zones] = zone_key(zones)
            batch.zones[key] = zones
        status = new
        if s.e164 in listed:
            status = dnc
            batch.dnc += 1
        batch.rows.append(
            (
                uuid_of(next(ids)), s.phone_raw, s.e164, s.time_zone, key,
                None if s.contact_id is None else uuid_of(s.contact_id.int),
                None if s.lead_id is None else uuid_of(s.lead_id.int),
                s.first_name, s.last_name, s.company, s.city, s.country, status,
            )
        )  # fmt: skip
    return batch


def _register_zones(
    sessions: sessionmaker[Session], campaign_id: uuid.UUID, zones: dict[str, tuple[str, ...]]
) -> None:
    if not zones:
        return
    with sessions() as session, session.begin():
        known = set(
            session.scalars(
                select(CampaignZone.zone_key).where(CampaignZone.campaign_id == campaign_id)
            )
        )
        rows = [
            {"campaign_id": campaign_id, "zone_key": key, "zones": " ".join(names)}
            for key, names in zones.items()
            if key not in known
        ]
        if rows:
            session.execute(insert(CampaignZone), rows)
