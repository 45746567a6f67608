"""Parsing a campaign CSV file into entry rows: the parsing processes' side of a fill.

Kept apart from :mod:`agentdesk.dialer.csv_fill` so a parsing process imports only the CSV
reader, the row rules and the zone rules, not SQLAlchemy and the models (a second per
process).
"""

from __future__ import annotations

import marshal
import operator
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from agentdesk.crm.importing.csv_columns import HeaderMap
from agentdesk.crm.importing.csv_ranges import read_range
from agentdesk.crm.importing.parallel import Batch, gc_paused
from agentdesk.crm.importing.rejects import RejectLines, row_dict
from agentdesk.crm.importing.rows import RowParser, worker_parser
from agentdesk.dialer.rules import EntryStatus, callee_zones, is_known_zone, zone_key

CSV_COLUMNS = (
    "id", "phone_raw", "e164", "time_zone", "zone_key", "first_name", "last_name", "company",
    "city", "country", "status",
)  # fmt: skip
"""The entry columns a CSV row gives (the others are constants)."""
E164, ZONE_KEY, STATUS = 2, 4, 10
_TASK_BITS = 24
"""Ids per parsing task: the low 40 bits of a load's ids are the task number and a counter."""


Reject = tuple[int, str, dict[str, str], str]


class Parsed(NamedTuple):
    """One parsing task's result: entry rows, rejects, and the zone groups it met.

    ``rows`` are complete :data:`CSV_COLUMNS` values (status ``new``); the writing process
    only drops duplicates and marks DNC numbers. ``rejects`` are ``(line, reason, cells by
    header, reject-file text after the line number)``: formatted here, where the cost is
    shared. Their lines are counted from the start of the range for a range task.
    """

    rows: list[tuple[Any, ...]]
    rejects: list[Reject]
    zones: dict[str, tuple[str, ...]]
    records: int
    lines: int = 0
    complete: bool = True

    def packed(self) -> bytes:
        """This result as a parsing process sends it back: see :func:`unpacked`."""
        return marshal.dumps(tuple(self))

    @classmethod
    def unpacked(cls, data: bytes) -> Parsed:
        """A result from :meth:`packed`.

        marshal, not pickle: a million rows of strings cost less than half as much to send,
        and both ends are the same interpreter, so its format (which differs between versions)
        agrees.
        """
        rows, rejects, zones, records, lines, complete = marshal.loads(data)
        return cls(rows, rejects, zones, records, lines, complete)


class Ids(NamedTuple):
    """Where a parsing task takes entry ids from: one block per task, in file order.

    Ids are made where rows are parsed so the single writing process does not format a
    million of them; task ``n`` numbers its rows from ``base | n << 24`` (``id_block``'s
    scheme) in the order they are written, so the primary key index is appended to.
    """

    base: int
    task: int
    uuid: Callable[[int], str]

    def first(self) -> int:
        return self.base | self.task << _TASK_BITS


_ZONE_KEYS: dict[tuple[str, ...], str] = {}
_ZONE_KEY_OF = operator.itemgetter(3)
_ZONE_EXAMPLE = "America/New_York"
_NEW = str(EntryStatus.NEW)


class Layout(NamedTuple):
    """What a parsing task needs to know of the file besides its records."""

    mapping: HeaderMap
    region: str
    zone_position: int | None
    delimiter: str


def parse_records(
    parser: RowParser, layout: Layout, records: list[tuple[int, list[str]]], ids: Ids
) -> Parsed:
    entries: list[tuple[Any, ...]] = []  # the entry values without id and status
    rejects: list[Reject] = []
    header = layout.mapping.header
    tail = RejectLines(layout.delimiter).tail
    zone_position = layout.zone_position

    def reject(line: int, reason: str, cells: list[str]) -> None:
        rejects.append((line, reason, row_dict(header, cells), tail(reason, cells)))

    parse = parser.parse_first_phone
    zone_keys = _ZONE_KEYS
    for line, cells in records:
        row = parse(cells)
        if isinstance(row, str):
            reject(line, row, cells)
            continue
        raw, e164, first, last, company, city, country = row
        zone = None
        if zone_position is not None:
            zone = cells[zone_position].strip() or None
            if zone is not None and not is_known_zone(zone):
                reason = f"unknown time zone '{zone}' (use an IANA name such as {_ZONE_EXAMPLE})"
                reject(line, reason, cells)
                continue
        # Looking zones up (phonenumbers metadata) is per-number work: done here it runs in
        # the parsing processes, not in the single writing one.
        zones = callee_zones(e164, zone)
        key = zone_keys.get(zones)
        if key is None:
            key = zone_keys[zones] = zone_key(zones)
        entries.append((raw[:64], e164, zone, key, first, last, company, city, country))
    if zone_position is None:
        # Written grouped by zone, the entries enter the pick index (campaign, status, zone
        # group, ...) at one place after another instead of at every group in turn: the
        # writing process spends a fifth less on the inserts. Within a group, and so in the
        # order the dialer offers them, they stay in file order (a stable sort). Not with a
        # time-zone column: two rows of one number could then be in different groups, and
        # the first in the file must stay the one that is kept.
        entries.sort(key=_ZONE_KEY_OF)
    uuid_of = ids.uuid
    first_id = ids.first()
    rows = [(uuid_of(first_id + n), *entry, _NEW) for n, entry in enumerate(entries)]
    return Parsed(rows, rejects, {k: z for z, k in zone_keys.items()}, len(records))


def parse_remote(layout: Layout, task: tuple[Ids, Batch]) -> bytes:
    """A worker process's share (:meth:`Parsed.packed`); its parser lives as long as it does."""
    ids, batch = task
    with gc_paused():
        parser = worker_parser(layout.mapping, layout.region)
        return parse_records(parser, layout, batch, ids).packed()


class RangeTask(NamedTuple):
    """One parsing task of a fill read in byte ranges: bytes ``start:end`` of the file."""

    ids: Ids
    start: int
    end: int
    last: bool
    """The file's last range: a quoted field may run to its end."""


def parse_range(layout: Layout, path: Path, encoding: str, task: RangeTask) -> bytes:
    """A worker process reads and parses its byte range of the file itself.

    Returns :meth:`Parsed.packed`.
    """
    ids, start, end, last = task
    with gc_paused():
        read = read_range(path, encoding, layout.delimiter, start, end, last=last)
        if not read.complete:
            return Parsed([], [], {}, 0, 0, complete=False).packed()
        parser = worker_parser(layout.mapping, layout.region)
        parsed = parse_records(parser, layout, read.records, ids)
        return parsed._replace(lines=read.lines).packed()


def numbered(ids: Ids, source: Iterable[Batch]) -> Iterator[tuple[Ids, Batch]]:
    for task, batch in enumerate(source, ids.task):
        yield ids._replace(task=task), batch
