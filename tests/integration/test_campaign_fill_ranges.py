"""A CSV fill read in byte ranges by parsing processes loads exactly what one process loads.

Ranges are made tiny so every file is cut many times: quoted multi-line fields, a BOM, GBK
text, CRLF, rejects in every range, duplicates across ranges, DNC-listed numbers, and stray
quotes that make some ranges end inside a quoted field (the loader then reads the rest of the
file itself).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.importing.csv_ranges import read_range
from agentdesk.crm.importing.csv_reader import CsvRecord, CsvTable, open_csv
from agentdesk.db import bulk, bulk_writers
from agentdesk.dialer import commands, csv_fill
from agentdesk.dialer.campaigns import load_campaign
from agentdesk.dialer.models import CampaignEntry, CampaignZone


def snapshot(sessions: sessionmaker[Session], campaign: str) -> list[tuple[object, ...]]:
    with sessions() as s:
        campaign_id = load_campaign(s, campaign).id
        rows = s.execute(
            select(
                CampaignEntry.e164,
                CampaignEntry.phone_raw,
                CampaignEntry.first_name,
                CampaignEntry.last_name,
                CampaignEntry.company,
                CampaignEntry.country,
                CampaignEntry.time_zone,
                CampaignEntry.zone_key,
                CampaignEntry.status,
            ).where(CampaignEntry.campaign_id == campaign_id)
        )
        entries = sorted(tuple(r) for r in rows)
        zones = sorted(
            s.execute(
                select(CampaignZone.zone_key, CampaignZone.zones).where(
                    CampaignZone.campaign_id == campaign_id
                )
            ).all()
        )
    return [*entries, *zones]


def rows_with_everything(count: int) -> list[list[str]]:
    rows = [["Name", "Company", "Phone", "Mobile", "Country", "Notes", "Time zone"]]
    for i in range(count):
        phone = f"(212) 555-{i % 400:04d}"  # repeats after 400 rows: duplicates across ranges
        notes = f"call {i}\nafter lunch" if i % 4 == 0 else f"note {i}"
        zone = "Europe/Paris" if i % 23 == 0 else ""
        country = "US"
        if i % 17 == 0:
            phone = "12345"  # rejected
        elif i % 29 == 0:
            phone, country = f"138 0013 8{i % 1000:03d}", "中国"
        elif i % 31 == 0:
            zone = "Mars/Olympus"  # rejected
        rows.append([f"王 {i}" if i % 5 == 0 else f"Person {i}", "Acme, Inc.", phone, "", country,
                     notes, zone])  # fmt: skip
        if i % 37 == 0:
            rows.append(["short", "row"])  # rejected: field count
        if i % 41 == 0:
            rows.append(["", "", "", "", "", "", ""])  # blank: skipped, but counts as a line
    return rows


def write(path: Path, rows: list[list[str]], encoding: str, newline: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _no_fallback(*_args: object) -> NoReturn:
    raise AssertionError("a range did not stand alone")


@pytest.mark.parametrize(
    ("encoding", "newline"), [("utf-8", "\r\n"), ("utf-8-sig", "\n"), ("gbk", "\r\n")]
)
def test_ranges_in_processes_load_what_one_process_loads(
    sessions: sessionmaker[Session],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    encoding: str,
    newline: str,
) -> None:
    source = write(tmp_path / "fill.csv", rows_with_everything(900), encoding, newline)
    commands.dnc_add(sessions, ["+1 212 555 0007", "+1 212 555 0399"])
    commands.campaign_create(sessions, "One")
    commands.campaign_create(sessions, "Many")

    single = csv_fill.import_csv(sessions, "One", source, default_region="US", workers=1)
    single_rejects = (tmp_path / "fill.rejects.csv").read_bytes()
    monkeypatch.setattr(csv_fill, "RANGE_BYTES", 700)  # about 60 ranges
    with open_csv(source) as table:
        assert len(table.ranges(csv_fill.RANGE_BYTES) or []) > 40
    # Every range must stand alone here: a fallback to one reader would hide a broken cut.
    monkeypatch.setattr(CsvTable, "resume", _no_fallback)
    progress: list[tuple[int, int, int]] = []
    many = csv_fill.import_csv(
        sessions,
        "Many",
        source,
        default_region="US",
        workers=2,
        progress=lambda *a: progress.append(a),
    )

    assert (many.imported, many.duplicates, many.dnc) == (
        single.imported,
        single.duplicates,
        single.dnc,
    )
    assert single.dnc == 2 and single.duplicates > 300 and single.imported > 300
    assert many.rejected == single.rejected
    assert (tmp_path / "fill.rejects.csv").read_bytes() == single_rejects
    assert snapshot(sessions, "Many") == snapshot(sessions, "One")
    # Line numbers are physical lines: quoted notes span two, blank records count.
    with open_csv(source) as table:
        lines = {r.line: r.cells for r in table.records()}
    for reject in single.rejected:
        cells = lines[reject.line]
        assert list(reject.row.values())[: len(cells)] == cells
    assert {r.reason for r in single.rejected} >= {
        "expected 7 fields, found 2",
        "unknown time zone 'Mars/Olympus' (use an IANA name such as America/New_York)",
    }
    assert progress[-1][0] == progress[-2][0] and progress[-1][1] == progress[-1][2]
    assert [p[0] for p in progress] == sorted(p[0] for p in progress)

    # Again into the same campaign: every number is already there.
    again = csv_fill.import_csv(sessions, "Many", source, default_region="US", workers=2)
    assert (again.imported, again.duplicates) == (0, single.imported + single.duplicates)
    assert again.rejected == single.rejected
    assert snapshot(sessions, "Many") == snapshot(sessions, "One")


def test_ranges_that_cannot_stand_alone_fall_back_to_one_reader(
    sessions: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = rows_with_everything(300)
    for i, row in enumerate(rows[1:40], 1):
        if i % 6 == 0:
            row[5] = f'15" screen {i}'  # a literal quote in an unquoted field
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    text = buffer.getvalue()
    for i in range(6, 40, 6):
        text = text.replace(f'"15"" screen {i}"', f'15" screen {i}')
    source = tmp_path / "stray.csv"
    source.write_text(text, encoding="utf-8", newline="")
    commands.campaign_create(sessions, "One")
    commands.campaign_create(sessions, "Many")

    single = csv_fill.import_csv(sessions, "One", source, default_region="US", workers=1)
    monkeypatch.setattr(csv_fill, "RANGE_BYTES", 300)
    monkeypatch.setattr(csv_fill, "PIECES_PER_RANGE", 1)  # the loader's tasks are these ranges
    with open_csv(source) as table:
        ranges = table.ranges(csv_fill.RANGE_BYTES) or []
        alone = [
            read_range(source, table.encoding, table.delimiter, a, b, last=b == ranges[-1][1])
            for a, b in ranges
        ]
    assert not all(r.complete for r in alone)  # the loader has to fall back here
    resumed_at: list[int] = []
    resume = CsvTable.resume

    def resume_noted(table: CsvTable, offset: int, lines_before: int) -> Iterator[CsvRecord]:
        resumed_at.append(offset)
        return resume(table, offset, lines_before)

    monkeypatch.setattr(CsvTable, "resume", resume_noted)
    many = csv_fill.import_csv(sessions, "Many", source, default_region="US", workers=2)
    first_alone = next(i for i, r in enumerate(alone) if not r.complete)
    assert resumed_at == [ranges[first_alone][0]]

    assert (many.imported, many.duplicates, many.dnc) == (
        single.imported,
        single.duplicates,
        single.dnc,
    )
    assert many.rejected == single.rejected
    assert snapshot(sessions, "Many") == snapshot(sessions, "One")
    assert single.imported > 100


def test_a_big_load_leaves_every_index_in_place(
    sessions: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Loads above DEFER_INDEXES_ABOVE drop indexes and build them again (some are kept, some
    # partial ones skipped): whatever the path, the table must end with all of its indexes.
    engine = sessions.kw["bind"]
    before = {ix["name"] for ix in inspect(engine).get_indexes("dialer_entries")}
    monkeypatch.setattr(bulk_writers, "DEFER_INDEXES_ABOVE", 0)
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_ABOVE", 0)
    source = write(tmp_path / "fill.csv", rows_with_everything(300), "utf-8", "\n")
    commands.campaign_create(sessions, "Big")
    loaded = csv_fill.import_csv(sessions, "Big", source, default_region="US", workers=1)
    assert loaded.imported > 100
    after = {ix["name"] for ix in inspect(engine).get_indexes("dialer_entries")}
    assert after == before and len(before) == 5
    with sessions() as session:
        written = session.scalar(select(func.count()).select_from(CampaignEntry))
    assert written == loaded.imported
