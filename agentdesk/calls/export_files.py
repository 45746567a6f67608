"""What an export file shows people: times in their zone, and the XLSX workbook.

The rows of :mod:`agentdesk.calls.export` are JSON-ready, times in UTC (``...Z``): the JSON
output keeps them so. CSV and XLSX are read by people, in a spreadsheet: their times are local
(:class:`~agentdesk.domain.clock.Zone`, the machine's unless ``--tz`` names one), and a
``time_zone`` column names the zone. CSV writes each time with its offset
(``2026-11-20T10:00:00.250+01:00``); XLSX as date-time cells in that zone, which a spreadsheet
sorts and filters (a cell has no offset: the column says the zone).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from agentdesk.domain.clock import Zone

TIME_FIELDS = frozenset({"started_at", "answered_at", "ended_at", "due_at"})
ZONE_FIELD = "time_zone"
XLSX_DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def local_times(rows: Iterable[dict[str, object]], zone: Zone) -> Iterator[dict[str, object]]:
    """``rows`` with their times in ``zone``, with offset, and the zone's name added."""
    for row in rows:
        out = dict(row)
        for key in TIME_FIELDS.intersection(row):
            when = _parse(row[key])
            out[key] = None if when is None else zone.local(when).isoformat("T", "milliseconds")
        out[ZONE_FIELD] = zone.name
        yield out


def write_xlsx(
    rows: Iterable[dict[str, object]], path: Path, fields: tuple[str, ...], zone: Zone
) -> int:
    """One sheet: a header, then a row per row (streamed); returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Calls")
    columns = (*fields, ZONE_FIELD)
    sheet.append(list(columns))
    count = 0
    for row in rows:
        cells: list[object] = []
        for key in fields:
            value = row.get(key)
            when = _parse(value) if key in TIME_FIELDS else None
            if when is not None:
                # Excel has no zone in a cell: the local wall time, named by the last column.
                cell = WriteOnlyCell(sheet, value=zone.local(when).replace(tzinfo=None))
                cell.number_format = XLSX_DATE_FORMAT
                cells.append(cell)
            else:
                cells.append(value)
        cells.append(zone.name)
        sheet.append(cells)
        count += 1
    book.save(path)
    return count
