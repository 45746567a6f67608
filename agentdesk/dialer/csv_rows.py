"""Parsing a campaign CSV file into entry rows: the parsing processes' side of a fill.

Kept apart from :mod:`agentdesk.dialer.csv_fill` so a parsing process imports only the CSV
reader, the row rules and the zone rules, not SQLAlchemy and the models (a second per
process).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from agentdesk.crm.csv_reader import HeaderMap, read_range
from agentdesk.crm.rows import Batch, RowParser, gc_paused, worker_parser
from agentdesk.dialer.rules import EntryStatus, callee_zones, is_known_zone, zone_key

CSV_COLUMNS = (
    "id", "phone_raw", "e164", "time_zone", "zone_key", "first_name", "last_name", "company",
    "city", "country", "status",
)  # fmt: skip
"""The entry columns a CSV row gives (the others are constants)."""
E164, ZONE_KEY, STATUS = 2, 4, 10
_TASK_BITS = 24
"""Ids per parsing task: the low 40 bits of a load's ids are the task number and a counter."""


class Parsed(NamedTuple):
    """One parsing task's result: entry rows, rejects, and the zone groups it met.

    ``rows`` are complete :data:`CSV_COLUMNS` values (status ``new``), plain tuples because
    they pickle fast; the writing process only drops duplicates and marks DNC numbers. Reject
    lines are counted from the start of the range for a range task.
    """

    rows: list[tuple[Any, ...]]
    rejects: list[tuple[int, str, list[str]]]
    zones: dict[str, tuple[str, ...]]
    records: int
    lines: int = 0
    complete: bool = True


class Ids(NamedTuple):
    """Where a parsing task takes entry ids from: one block per task, in file order.

    Ids are made where rows are parsed so the single writing process does not format a
    million of them; task ``n`` numbers its rows from ``base | n << 24`` (``id_block``'s
    scheme, so the ids rise in file order and the primary key index is appended to).
    """

    base: int
    task: int
    uuid: Callable[[int], str]

    def first(self) -> int:
        return self.base | self.task << _TASK_BITS


_ZONE_KEYS: dict[tuple[str, ...], str] = {}
_NEW = str(EntryStatus.NEW)


def _entry(
    parser: RowParser, line: int, cells: list[str], zone_position: int | None
) -> tuple[Any, ...] | str:
    """The entry values of one record without id and status, or why it is rejected."""
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
    phone = row.phones[0]
    # Looking zones up (phonenumbers metadata) is per-number work: done here it runs in the
    # parsing processes, not in the single writing one.
    zones = callee_zones(phone.e164, zone)
    key = _ZONE_KEYS.get(zones)
    if key is None:
        key = _ZONE_KEYS[zones] = zone_key(zones)
    return (
        phone.raw[:64], phone.e164, zone, key, row.first, row.last, row.company, row.city,
        row.country,
    )  # fmt: skip


def parse_records(
    parser: RowParser,
    zone_position: int | None,
    records: list[tuple[int, list[str]]],
    ids: Ids,
) -> Parsed:
    rows: list[tuple[Any, ...]] = []
    rejects: list[tuple[int, str, list[str]]] = []
    uuid_of = ids.uuid
    next_id = ids.first()
    for line, cells in records:
        outcome = _entry(parser, line, cells, zone_position)
        if isinstance(outcome, str):
            rejects.append((line, outcome, cells))
        else:
            rows.append((uuid_of(next_id), *outcome, _NEW))
            next_id += 1
    return Parsed(rows, rejects, {k: z for z, k in _ZONE_KEYS.items()}, len(records))


def parse_remote(
    mapping: HeaderMap, region: str, zone_position: int | None, task: tuple[Ids, Batch]
) -> Parsed:
    """A worker process's share; the parser (and its number cache) lives as long as the worker."""
    ids, batch = task
    with gc_paused():
        return parse_records(worker_parser(mapping, region), zone_position, batch, ids)


def parse_range(
    mapping: HeaderMap,
    region: str,
    zone_position: int | None,
    path: Path,
    encoding: str,
    delimiter: str,
    ids: Ids,
    start: int,
    end: int,
    last: bool,
) -> Parsed:
    """A worker process reads and parses bytes ``start:end`` of the file itself."""
    with gc_paused():
        read = read_range(path, encoding, delimiter, start, end, last=last)
        if not read.complete:
            return Parsed([], [], {}, 0, 0, complete=False)
        parser = worker_parser(mapping, region)
        parsed = parse_records(parser, zone_position, read.records, ids)
        return parsed._replace(lines=read.lines)


def numbered(ids: Ids, source: Iterable[Batch]) -> Iterator[tuple[Ids, Batch]]:
    for task, batch in enumerate(source, ids.task):
        yield ids._replace(task=task), batch
