"""Filling campaigns from a saved CRM query on contacts or from leads, and the write path
every fill shares (``load_entries``, duplicate and DNC checks, the audit entry). The CSV fill
is :mod:`agentdesk.dialer.csv_fill`.

Every entry gets its zone group key at load time (``rules.zone_key``); a CRM fill writes the
campaign's groups to ``dialer_campaign_zones`` *before* the entries (a failed load leaves at
most an unused group row), a CSV fill in the entries' own transaction. Numbers already on a
DNC list are loaded as ``dnc`` (so the progress shows them); numbers already in the campaign,
or twice in the file, count as duplicates.

Entries are written with ``db.bulk`` (raw ``executemany`` on SQLite, ``COPY`` on PostgreSQL,
secondary indexes rebuilt for big loads) in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Engine, exists, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.importing.rejects import RejectedRow
from agentdesk.crm.models import Account, Call, Contact, Lead, PhoneRecord
from agentdesk.db.audit import AuditEntry
from agentdesk.db.bulk import BulkWriter, bulk_writer, id_block
from agentdesk.db.planner_stats import analyze
from agentdesk.dialer.campaigns import load_campaign
from agentdesk.dialer.known_numbers import campaign_numbers, listed_numbers
from agentdesk.dialer.models import CampaignZone
from agentdesk.dialer.rules import EntryStatus, callee_zones, zone_key
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction, LeadStatus, PhoneKind
from agentdesk.domain.ids import uuid7
from agentdesk.org.users import find_user

ANALYZE_ABOVE = 10_000
"""Loads of more entries than this refresh the planner statistics (``db.planner_stats``)."""

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
            statement = statement.where(Contact.owner_id == find_user(session, query.owner).id)
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
        existing = campaign_numbers(session, campaign_id, numbers)
        listed = listed_numbers(session, campaign_id, numbers)
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
                constants=entry_constants(writer, campaign_id, now),
            )
    if len(batch.rows) > ANALYZE_ABOVE:
        analyze(engine, "dialer_entries")
    audit_load(sessions, campaign, campaign_id, source, actor, now, len(batch.rows), batch)
    return len(batch.rows), batch.duplicates, batch.dnc


class LoadCounts(Protocol):
    duplicates: int
    dnc: int


def audit_load(
    sessions: sessionmaker[Session],
    campaign: str,
    campaign_id: uuid.UUID,
    source: str,
    actor: str | None,
    now: datetime,
    imported: int,
    counts: LoadCounts,
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


def entry_constants(writer: BulkWriter, campaign_id: uuid.UUID, now: datetime) -> dict[str, Any]:
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
        zones = callee_zones(s.e164, s.time_zone)
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
