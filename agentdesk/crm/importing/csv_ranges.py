"""Cutting a CSV file into byte ranges and reading one range alone (in a parsing process).

A cut follows a ``\\n`` preceded by an even number of ``"`` in its range, which in a
well-formed file is a record boundary; :func:`read_range` notices when it was not. Light to
import: parsing processes load it.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import mmap
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from agentdesk.crm.importing.csv_encoding import piece_codec

# Codecs in which the bytes \n, \r and " only ever stand for those characters (never inside a
# multi-byte sequence), so a file can be cut after any \n byte and each piece decoded alone.
_SPLITTABLE = frozenset(
    {"utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312", "ascii", "latin-1", "iso8859-1", "cp1252"}
)
_LINE_END = re.compile(rb"\r\n|\r|\n")
_HEAD_BYTES = 1024 * 1024
_PARITY_TRIES = 200


def byte_ranges(
    path: Path, encoding: str, lines_before_data: int, size: int
) -> list[tuple[int, int]] | None:
    """``(start, end)`` ranges of about ``size`` bytes holding the records after the header.

    ``None`` when the file cannot be cut: an encoding in which the cut bytes may be part of
    other characters (UTF-16), or a header whose end is not within the first megabyte.
    """
    if codecs.lookup(encoding).name not in _SPLITTABLE:
        return None
    try:
        with path.open("rb") as fh:
            start = _offset_after_lines(fh.read(_HEAD_BYTES), lines_before_data)
            if start is None:
                return None
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
                return _cut(view, start, max(1, size))
    except (OSError, ValueError):
        return None


def _offset_after_lines(head: bytes, lines: int) -> int | None:
    """The byte offset after the first ``lines`` lines of ``head`` (as ``csv`` counts lines)."""
    if lines <= 0:
        return None
    for seen, match in enumerate(_LINE_END.finditer(head), 1):
        if seen == lines:
            end = match.end()
            # A \r at the very end of what was read may be half of a \r\n.
            return None if end >= len(head) and head.endswith(b"\r") else end
    return None


def _cut(view: mmap.mmap, start: int, size: int) -> list[tuple[int, int]]:
    end = len(view)
    cuts = [start]
    position = start
    while position + size < end:
        at = position + size
        quotes = view[position:at].count(b'"')
        cut = None
        for _ in range(_PARITY_TRIES):
            newline = view.find(b"\n", at)
            if newline < 0:
                break
            quotes += view[at : newline + 1].count(b'"')
            at = cut = newline + 1
            if quotes % 2 == 0:
                break
        if cut is None or cut >= end:
            break
        cuts.append(cut)
        position = cut
    cuts.append(end)
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


@dataclass(frozen=True, slots=True)
class RangeRecords:
    """The records of one byte range: ``(line, cells)`` with lines counted from the range start.

    ``lines`` is how many physical lines the range holds. ``complete`` is False when the range
    cannot stand alone (it ends inside a quoted field, or does not decode or parse); the
    caller then reads from its start with
    :meth:`~agentdesk.crm.importing.csv_reader.CsvTable.resume`, which gives the records
    and CSV errors of a whole-file read (see there for undecodable bytes).
    """

    records: list[tuple[int, list[str]]]
    lines: int
    complete: bool


def read_range(
    path: Path, encoding: str, delimiter: str, start: int, end: int, *, last: bool
) -> RangeRecords:
    """The records in bytes ``start:end`` of ``path`` (a range of :func:`byte_ranges`)."""
    try:
        with path.open("rb") as fh:
            fh.seek(start)
            data = fh.read(end - start)
        if len(data) != end - start:
            return RangeRecords([], 0, False)
        text = data.decode(piece_codec(encoding))
    except (OSError, UnicodeDecodeError, LookupError):
        return RangeRecords([], 0, False)
    ended = False

    def lines() -> Iterator[str]:
        nonlocal ended
        yield from io.StringIO(text, newline="")
        ended = True

    reader = csv.reader(lines(), delimiter=delimiter, strict=False)
    records: list[tuple[int, list[str]]] = []
    append = records.append
    previous = 0
    try:
        for cells in reader:
            if ended and not last:
                # csv asked past the range for the rest of a quoted field: not a record boundary.
                return RangeRecords([], 0, False)
            line = previous + 1
            previous = reader.line_num
            for cell in cells:
                if cell and not cell.isspace():
                    append((line, cells))
                    break
    except csv.Error:
        return RangeRecords([], 0, False)
    return RangeRecords(records, reader.line_num, True)
