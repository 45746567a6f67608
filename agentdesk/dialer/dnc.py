"""Do-not-call numbers: a global list and per-campaign lists, compared in E.164.

Numbers are normalised like every other number (``domain.phone.normalize``), so ``(212)
555-0100``, ``+1 212 555 0100`` and ``001 212 555 0100`` are one key. Adding a number marks the
open entries that carry it as ``dnc`` at once; the selection also checks the list at offer
time (:func:`is_listed`), so an entry can never be dialled after its number was listed, even if
it was loaded or reserved before.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    bindparam,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.importing.csv_columns import CONTACT_COLUMNS, Column
from agentdesk.crm.importing.csv_encoding import ImportFileError
from agentdesk.crm.importing.csv_reader import open_csv
from agentdesk.crm.importing.rejects import RejectedRow, RejectWriter, row_dict
from agentdesk.db.base import table_of
from agentdesk.db.bulk import bulk_writer
from agentdesk.db.planner_stats import analyze
from agentdesk.dialer.campaigns import load_campaign
from agentdesk.dialer.models import CampaignEntry, DncNumber
from agentdesk.dialer.rules import EntryStatus
from agentdesk.domain.clock import utcnow
from agentdesk.domain.ids import uuid7
from agentdesk.domain.phone import InvalidPhoneNumber, normalize, region_for_country

IN_CHUNK = 900
BULK_ABOVE = 20_000
"""Larger loads go through ``db.bulk`` (raw executemany / COPY) instead of Core inserts."""

DNC_COLUMNS: Mapping[str, tuple[str, ...]] = {
    Column.PHONE: (
        *CONTACT_COLUMNS[Column.PHONE],
        *CONTACT_COLUMNS[Column.MOBILE],
        *CONTACT_COLUMNS[Column.WORK_PHONE],
        *CONTACT_COLUMNS[Column.HOME_PHONE],
        "number",
        "号码",
        "dnc",
        "do not call",
    ),
}
"""A DNC file has one phone column (any phone-like header), or no header at all."""

_MARKABLE = (EntryStatus.NEW, EntryStatus.CALLBACK, EntryStatus.RESERVED)


@dataclass(frozen=True)
class DncResult:
    """What a DNC load did: numbers added, already listed, entries marked, rejected lines."""

    added: int
    already_listed: int
    entries_marked: int
    rejected: tuple[RejectedRow, ...] = ()
    reject_file: Path | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "already_listed": self.already_listed,
            "entries_marked": self.entries_marked,
            "rejected": [{"line": r.line, "reason": r.reason, "row": r.row} for r in self.rejected],
            "reject_file": str(self.reject_file) if self.reject_file else None,
        }


def scope(campaign_id: uuid.UUID | None) -> ColumnElement[bool]:
    """DNC rows that bind ``campaign_id``: the global ones and (if given) its own."""
    if campaign_id is None:
        return DncNumber.campaign_id.is_(None)
    return or_(DncNumber.campaign_id.is_(None), DncNumber.campaign_id == campaign_id)


@cache
def _listed_statement() -> Select[tuple[uuid.UUID]]:
    # Built once: the selection probes one number per offer, and building the expression per
    # call costs more than the index probe itself.
    dnc = table_of(DncNumber).c
    return (
        select(dnc.id)
        .where(
            dnc.e164 == bindparam("e164"),
            or_(dnc.campaign_id.is_(None), dnc.campaign_id == bindparam("cid")),
        )
        .limit(1)
    )


def is_listed(session: Session | Connection, e164: str, campaign_id: uuid.UUID) -> bool:
    """True when ``e164`` is on the global list or on ``campaign_id``'s list."""
    found = session.execute(_listed_statement(), {"e164": e164, "cid": campaign_id})
    return found.first() is not None


def listed_among(session: Session, numbers: Iterable[str], campaign_id: uuid.UUID) -> set[str]:
    """Which of ``numbers`` are listed for ``campaign_id`` (one query per 900 numbers)."""
    ordered = sorted(set(numbers))
    found: set[str] = set()
    for start in range(0, len(ordered), IN_CHUNK):
        chunk = ordered[start : start + IN_CHUNK]
        query = select(DncNumber.e164).where(DncNumber.e164.in_(chunk), scope(campaign_id))
        found.update(session.scalars(query))
    return found


def _existing(session: Session, numbers: set[str], campaign_id: uuid.UUID | None) -> set[str]:
    exact = (
        DncNumber.campaign_id.is_(None)
        if campaign_id is None
        else DncNumber.campaign_id == campaign_id
    )
    if len(numbers) > 50_000:
        return set(session.scalars(select(DncNumber.e164).where(exact))) & numbers
    found: set[str] = set()
    ordered = sorted(numbers)
    for start in range(0, len(ordered), IN_CHUNK):
        chunk = ordered[start : start + IN_CHUNK]
        found.update(
            session.scalars(select(DncNumber.e164).where(exact, DncNumber.e164.in_(chunk)))
        )
    return found


def _mark_entries(
    session: Session, numbers: list[str], campaign_id: uuid.UUID | None, now: datetime
) -> int:
    marked = 0
    for start in range(0, len(numbers), IN_CHUNK):
        chunk = numbers[start : start + IN_CHUNK]
        statement = (
            update(CampaignEntry)
            .where(CampaignEntry.e164.in_(chunk), CampaignEntry.status.in_(_MARKABLE))
            .values(
                status=EntryStatus.DNC,
                reserved_by_id=None,
                reserved_until=None,
                updated_at=now,
                version=CampaignEntry.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if campaign_id is not None:
            statement = statement.where(CampaignEntry.campaign_id == campaign_id)
        marked += session.execute(statement).rowcount  # type: ignore[attr-defined]
    return marked


def store_numbers(
    sessions: sessionmaker[Session],
    numbers: list[str],
    campaign: str | None,
    source: str | None,
) -> tuple[int, int, int]:
    """List ``numbers`` (already E.164) and mark their open entries ``dnc``.

    The write path every DNC load ends in (big lists go through ``db.bulk``); returns
    ``(added, already listed, entries marked)``.
    """
    now = utcnow()
    unique = list(dict.fromkeys(numbers))
    with sessions() as session, session.begin():
        campaign_id = load_campaign(session, campaign).id if campaign else None
        new = sorted(set(unique) - _existing(session, set(unique), campaign_id))
        source = source[:100] if source else None
        rows = [
            {
                "id": uuid7(),
                "e164": e,
                "campaign_id": campaign_id,
                "source": source,
                "added_at": now,
            }
            for e in new
        ]
        engine = session.get_bind()
        if len(rows) <= BULK_ABOVE or not isinstance(engine, Engine):
            for start in range(0, len(rows), 5000):
                session.execute(insert(DncNumber), rows[start : start + 5000])
            marked = _mark_entries(session, new, campaign_id, now)
            return len(new), len(numbers) - len(new), marked
    _bulk_insert(engine, rows, now)
    analyze(engine, "dialer_dnc")
    with sessions() as session, session.begin():
        marked = _mark_entries(session, new, campaign_id, now)
    return len(new), len(numbers) - len(new), marked


def _bulk_insert(engine: Engine, rows: list[dict[str, Any]], now: datetime) -> None:
    naive_now = now.replace(tzinfo=None)
    with bulk_writer(engine) as writer:
        campaign = rows[0]["campaign_id"]
        campaign_value = None if campaign is None else writer.uuid(campaign.int)
        stamp = writer.ts(naive_now)
        writer.write(
            "dialer_dnc",
            ("id", "e164", "campaign_id", "source", "added_at"),
            (
                (writer.uuid(r["id"].int), r["e164"], campaign_value, r["source"], stamp)
                for r in rows
            ),
            expected=len(rows),
        )


def add_numbers(
    sessions: sessionmaker[Session],
    numbers: Iterable[str],
    *,
    default_region: str = "US",
    campaign: str | None = None,
    source: str | None = "manual",
) -> DncResult:
    """List ``numbers`` (any format) globally or for ``campaign``.

    Raises :class:`~agentdesk.domain.phone.InvalidPhoneNumber` for the first unreadable number,
    before anything is written.
    """
    parsed = [normalize(text, default_region, strict=False).e164 for text in numbers]
    added, already, marked = store_numbers(sessions, parsed, campaign, source)
    return DncResult(added=added, already_listed=already, entries_marked=marked)


def import_file(
    sessions: sessionmaker[Session],
    path: Path,
    *,
    default_region: str = "US",
    campaign: str | None = None,
    encoding: str | None = None,
) -> DncResult:
    """List every number of a text file (one a line) or a CSV file (a phone-like column).

    Numbers are read leniently (possible, not necessarily valid: a DNC request for a number
    phonenumbers does not know yet must still be honoured). Unreadable lines go to the reject
    file next to the input, as for contact import.
    """
    path = Path(path)
    region = default_region.strip().upper()
    if region_for_country(region) != region:
        raise ValueError(f"default_region {default_region!r} is not a known region code")
    with open_csv(path, encoding=encoding, columns=DNC_COLUMNS) as table:
        position = table.mapping.position(Column.PHONE)
        records: Iterator[tuple[int, list[str]]] = ((r.line, r.cells) for r in table.records())
        if position is None:
            first = table.header[0] if table.header else ""
            try:
                normalize(first, region, strict=False)
            except InvalidPhoneNumber:
                raise ImportFileError(
                    f"{path}: no phone column on line {table.header_line} and the first line "
                    "is not a phone number"
                ) from None
            position = 0
            records = _prepend((table.header_line, list(table.header)), records)
        rejects = RejectWriter(path, table.header, table.delimiter)
        rejected: list[RejectedRow] = []
        numbers: list[str] = []
        cache: dict[str, str | None] = {}
        try:
            for line, cells in records:
                raw = cells[position].strip() if position < len(cells) else ""
                e164 = cache.get(raw, "") if raw in cache else _lenient(raw, region, cache)
                if e164:
                    numbers.append(e164)
                    continue
                reason = "no number" if not raw else f"'{raw}' is not a phone number"
                rejected.append(RejectedRow(line, reason, row_dict(table.header, cells)))
                rejects.write(line, reason, cells)
            added, already, marked = store_numbers(sessions, numbers, campaign, f"file {path.name}")
            reject_file = rejects.finish()
        except BaseException:
            rejects.discard()
            raise
    return DncResult(added, already, marked, tuple(rejected), reject_file)


def _lenient(raw: str, region: str, cache: dict[str, str | None]) -> str | None:
    try:
        e164: str | None = normalize(raw, region, strict=False).e164 if raw else None
    except InvalidPhoneNumber:
        e164 = None
    cache[raw] = e164
    return e164


def _prepend(
    first: tuple[int, list[str]], rest: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    yield first
    yield from rest
