"""Filling campaigns: from a CSV file, from a saved CRM query on contacts, from leads.

CSV files go through the contact importer's reader and row rules (``crm.csv_reader`` and the
importer's row parser: field count, names, country column, strict phone validation, field
lengths), the same reject file ``<stem>.rejects.csv`` and the same result shape, so
``campaign import`` reports and exits like ``import contacts``. One entry per row: the row's
first phone column with a number. An optional time-zone column (``time zone``, ``tz``, ``时区``)
overrides the number's zones.

Every entry gets its zone group key at load time (``rules.zone_key``); the campaign's groups go
to ``dialer_campaign_zones`` *before* the entries, so a failed load leaves at most an unused
group row. Numbers already on a DNC list are loaded as ``dnc`` (so the progress shows them);
numbers already in the campaign, or twice in the file, count as duplicates.

Entries are written with ``crm.bulk`` (raw ``executemany`` on SQLite, ``COPY`` on PostgreSQL,
secondary indexes rebuilt for big loads) in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Generator, Iterable, Mapping
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Engine, and_, exists, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.base import utcnow
from agentdesk.crm.bulk import BulkWriter, bulk_writer, id_block
from agentdesk.crm.csv_reader import CONTACT_COLUMNS, HeaderMap, ImportFileError, open_csv
from agentdesk.crm.importer import (
    ParsedRow,
    ProgressCallback,
    RejectedRow,
    RejectWriter,
    RowParser,
    row_dict,
)
from agentdesk.crm.models import Account, AuditEntry, Call, Contact, Lead, PhoneRecord
from agentdesk.crm.rows import (
    Batch,
    auto_workers,
    batches,
    gc_paused,
    in_processes,
    worker_parser,
)
from agentdesk.dialer.campaigns import load_campaign
from agentdesk.dialer.dnc import listed_among
from agentdesk.dialer.models import CampaignEntry, CampaignZone, DncNumber
from agentdesk.dialer.rules import EntryStatus, callee_zones, is_known_zone, zone_key
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
    """One entry to load, possibly before zone resolution.

    A named tuple, not a dataclass: a million of them cross from the parsing processes, and
    tuples pickle several times faster.
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
    """``callee_zones`` of the number when already known (the parsing processes add it)."""


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
    :data:`PARALLEL_ABOVE_BYTES` the rows are parsed in ``workers`` processes (default: one per
    CPU; ``1`` parses in this process). ``progress`` is called after every batch of
    :data:`BATCH_ROWS` records with ``(rows_done, bytes_done, total_bytes)``.

    Raises :class:`ImportFileError` when the file cannot be read or has no phone column, and
    :class:`~agentdesk.dialer.campaigns.UnknownCampaignError`.
    """
    path = Path(path)
    region = default_region.strip().upper()
    if region_for_country(region) != region:
        raise ValueError(f"default_region {default_region!r} is not a known region code")
    with sessions() as session:
        load_campaign(session, campaign)  # fail before reading a million rows
    with gc_paused(), open_csv(path, encoding=encoding, columns=CAMPAIGN_COLUMNS) as table:
        parser = RowParser(table.mapping, region)
        if not parser.phones:
            found = ", ".join(repr(h) for h in table.header) or "nothing"
            raise ImportFileError(
                f"{path}: no phone column on line {table.header_line}; found {found}"
            )
        zone_position = table.mapping.position(TIME_ZONE)
        rejects = RejectWriter(path, table.header, table.delimiter)
        rejected: list[RejectedRow] = []
        specs: list[EntrySpec] = []
        try:
            done = 0
            source = batches(table.records(), BATCH_ROWS)
            if workers is None:
                workers = auto_workers(table.total_bytes, PARALLEL_ABOVE_BYTES)
            parsed: Generator[tuple[Batch, list[EntrySpec | str]], None, None]
            if workers > 1:
                common = (table.mapping, region, zone_position)
                parsed = in_processes(_parse_remote, common, source, workers)
            else:
                parsed = ((batch, _parse_batch(parser, zone_position, batch)) for batch in source)
            with closing(parsed):  # an error or a cancel stops the worker processes at once
                for batch, outcomes in parsed:
                    for (line, cells), outcome in zip(batch, outcomes, strict=True):
                        if isinstance(outcome, str):
                            row = row_dict(table.header, cells)
                            rejected.append(RejectedRow(line, outcome, row))
                            rejects.write(line, outcome, cells)
                        else:
                            specs.append(outcome)
                    done += len(batch)
                    if progress is not None:
                        progress(done, table.bytes_read, table.total_bytes)
            if progress is not None:
                progress(done, table.total_bytes, table.total_bytes)
            imported, duplicates, dnc = load_entries(
                sessions, campaign, specs, source=f"file {path.name}", actor=actor
            )
            reject_file = rejects.finish()
        except BaseException:
            rejects.discard()
            raise
    return LoadResult(imported, duplicates, dnc, tuple(rejected), reject_file)


def _parse_batch(
    parser: RowParser, zone_position: int | None, batch: Batch
) -> list[EntrySpec | str]:
    return [_spec(parser, line, cells, zone_position) for line, cells in batch]


def _parse_remote(
    mapping: HeaderMap, region: str, zone_position: int | None, batch: Batch
) -> list[EntrySpec | str]:
    """A worker process's share; the parser (and its number cache) lives as long as the worker."""
    with gc_paused():
        return _parse_batch(worker_parser(mapping, region), zone_position, batch)


def _spec(
    parser: RowParser, line: int, cells: list[str], zone_position: int | None
) -> EntrySpec | str:
    row = parser.parse(line, cells)
    if isinstance(row, str):
        return row
    if not row.phones:
        return "no phone number"
    zone = None
    if zone_position is not None:
        zone = cells[zone_position].strip() or None
        if zone is not None and not is_known_zone(zone):
            return f"unknown time zone '{zone}' (use an IANA name such as America/New_York)"
    return _from_row(row, zone)


def _from_row(row: ParsedRow, zone: str | None) -> EntrySpec:
    phone = row.phones[0]
    return EntrySpec(
        phone_raw=phone.raw[:64],
        e164=phone.e164,
        time_zone=zone,
        first_name=row.first,
        last_name=row.last,
        company=row.company,
        city=row.city,
        country=row.country,
        # Looking zones up (phonenumbers metadata) is per-number work: done here it runs in the
        # parsing processes, not in the single writing one.
        zones=callee_zones(phone.e164, zone),
    )


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
                    "imported": len(batch.rows),
                    "duplicates": batch.duplicates,
                    "dnc": batch.dnc,
                },
            },
        )
    return len(batch.rows), batch.duplicates, batch.dnc


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


def _campaign_numbers(session: Session, campaign_id: uuid.UUID, numbers: set[str]) -> set[str]:
    live = and_(CampaignEntry.campaign_id == campaign_id, CampaignEntry.deleted_at.is_(None))
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


def _listed(session: Session, campaign_id: uuid.UUID, numbers: set[str]) -> set[str]:
    if len(numbers) > SCAN_THRESHOLD:
        from agentdesk.dialer.dnc import scope

        return set(session.scalars(select(DncNumber.e164).where(scope(campaign_id)))) & numbers
    return listed_among(session, numbers, campaign_id)


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
