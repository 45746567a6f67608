"""Reading one CSV record of contacts: names, country, numbers, limits (no database here).

Shared by the contact importer and the campaign loader, and light to import: the parsing
processes of a big file load only this, the CSV reader and the phone module.
"""

from __future__ import annotations

import csv
import gc
import io
import multiprocessing
import os
import re
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from typing import Any, NamedTuple, TypeVar

from agentdesk.crm.importing.csv_reader import Column, CsvRecord, HeaderMap
from agentdesk.domain.enums import PhoneKind
from agentdesk.domain.names import has_cjk
from agentdesk.domain.phone import (
    MAX_INPUT_LENGTH,
    InvalidPhoneNumber,
    normalize,
    region_for_country,
)
from agentdesk.domain.phone_fast import INVALID, fast_reading

__all__ = [
    "NO_PHONE",
    "Batch",
    "FirstPhoneRow",
    "ParsedPhone",
    "ParsedRow",
    "RejectLines",
    "RowParser",
    "auto_workers",
    "batches",
    "gc_paused",
    "in_processes",
    "name_key",
    "parse_batch",
    "row_dict",
    "split_full_name",
    "worker_parser",
    "worker_started",
]

T = TypeVar("T")
S = TypeVar("S")

# Column lengths that PostgreSQL enforces (SQLite does not); an over-long cell is rejected
# rather than silently truncated.
_MAX_LEN = {
    "first name": 100,
    "last name": 100,
    "company": 200,
    "email": 254,
    "city": 100,
    "title": 100,
}
_MAX_EXTENSION = 16
_PHONE_COLUMNS = (
    (Column.PHONE, "phone", PhoneKind.WORK),
    (Column.MOBILE, "mobile", PhoneKind.MOBILE),
    (Column.WORK_PHONE, "work phone", PhoneKind.WORK),
    (Column.HOME_PHONE, "home phone", PhoneKind.HOME),
)
_SPACES = re.compile(r"\s+")
_COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "令狐", "夏侯", "端木", "独孤", "南宫", "西门", "轩辕", "澹台",
    "钟离", "闻人", "申屠", "太史", "赫连", "呼延", "万俟", "百里", "东郭", "公冶",
})  # fmt: skip


class ParsedPhone(NamedTuple):
    raw: str
    e164: str
    extension: str | None
    kind: PhoneKind


_Phone = tuple[str, str, str | None, PhoneKind]
"""A phone cell read: as :class:`ParsedPhone`."""
FirstPhoneRow = tuple[str, str, str | None, str | None, str | None, str | None, str | None]
""":meth:`RowParser.parse_first_phone`'s row: the first phone's cell and E.164, first name,
last name, company, city and country (region code)."""
NO_PHONE = "no phone number"


class ParsedRow(NamedTuple):
    """An accepted record. Named tuples: they pickle fast out of the parsing processes."""

    line: int
    first: str | None
    last: str | None
    company: str | None
    email: str | None
    city: str | None
    country: str | None
    notes: str | None
    title: str | None
    phones: list[ParsedPhone]

    @property
    def is_person(self) -> bool:
        return bool(self.first or self.last or not self.company)


def split_full_name(text: str) -> tuple[str | None, str | None]:
    """``(first, last)`` from one name cell.

    ``Smith, John`` and ``John Smith`` give ``("John", "Smith")``; Chinese names are family
    name first (``张三`` -> ``("三", "张")``, ``欧阳修`` -> ``("修", "欧阳")``); one word is a
    last name.
    """
    name = _SPACES.sub(" ", text).strip()
    if not name:
        return None, None
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip() or None, last.strip() or None
    if has_cjk(name):
        if " " in name:
            last, _, first = name.partition(" ")
            return first or None, last
        size = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
        return name[size:] or None, name[:size]
    first, _, last = name.rpartition(" ")
    return first or None, last


def name_key(first: str | None, last: str | None) -> tuple[str, str]:
    """The duplicate key of a person's name: spaces collapsed, case folded."""
    return (
        _SPACES.sub(" ", first or "").strip().casefold(),
        _SPACES.sub(" ", last or "").strip().casefold(),
    )


def row_dict(header: tuple[str, ...], cells: list[str]) -> dict[str, str]:
    """A rejected record's cells by header name (``column N`` for cells past the header)."""
    row = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
    for i in range(len(header), len(cells)):
        row[f"column {i + 1}"] = cells[i]
    return row


class RejectLines:
    """A reject file's lines from the reason on: the writer puts the line number before them.

    Kept apart from the file so that parsing processes can format their rejects (a tenth of
    a big file may be rejected) and the writing process only prefixes and writes them.
    """

    def __init__(self, delimiter: str) -> None:
        self.delimiter = delimiter
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=delimiter)

    def tail(self, reason: str, cells: list[str]) -> str:
        """``reason`` and ``cells`` as CSV, line end included (a line number needs no quotes)."""
        self._writer.writerow([reason, *cells])
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text


def _or_last(position: int | None) -> int:
    return -1 if position is None else position


class RowParser:
    """Turns cells into a :class:`ParsedRow` or a rejection reason. Caches per-run look-ups."""

    def __init__(self, mapping: HeaderMap, default_region: str) -> None:
        self.width = len(mapping.header)
        self.default_region = default_region
        pos = mapping.position
        self.first = pos(Column.FIRST_NAME)
        self.last = pos(Column.LAST_NAME)
        self.full = pos(Column.FULL_NAME)
        self.company = pos(Column.COMPANY)
        self.email = pos(Column.EMAIL)
        self.city = pos(Column.CITY)
        self.country = pos(Column.COUNTRY)
        self.notes = pos(Column.NOTES)
        self.title = pos(Column.TITLE)
        # File order: a number repeated in two columns keeps the kind of the first one. Every
        # phone-like column counts, repeated headers ("Phone", "Phone") included.
        self.phones = sorted(
            (p, label, kind)
            for column, label, kind in _PHONE_COLUMNS
            for p in mapping.positions(column)
        )
        # Index into parse()'s values list; -1 is its trailing None (a column the file lacks).
        self._at_first, self._at_last, self._at_full = (
            _or_last(self.first),
            _or_last(self.last),
            _or_last(self.full),
        )
        self._at_company, self._at_email, self._at_city = (
            _or_last(self.company),
            _or_last(self.email),
            _or_last(self.city),
        )
        self._at_country, self._at_notes, self._at_title = (
            _or_last(self.country),
            _or_last(self.notes),
            _or_last(self.title),
        )
        self._regions: dict[str, str | None] = {}
        # Per region: cell text -> (E.164, extension) or the reason it is rejected.
        self._numbers: dict[str, dict[str, tuple[str, str | None] | str]] = {}
        # (label, values index, limit) of the length-checked cells that are not names.
        self._limits = [
            (label, _or_last(position), _MAX_LEN[label])
            for label, position in (
                ("company", self.company),
                ("email", self.email),
                ("city", self.city),
                ("title", self.title),
            )
            if position is not None
        ]

    def _region(self, cell: str) -> str | None:
        try:
            return self._regions[cell]
        except KeyError:
            region = self._regions[cell] = region_for_country(cell)
            return region

    def _number(self, raw: str, region: str, label: str) -> tuple[str, str | None] | str:
        """``(e164, extension)`` of the stripped cell ``raw``, or why the row is rejected."""
        numbers = self._numbers.get(region)
        if numbers is None:
            numbers = self._numbers[region] = {}
        cached = numbers.get(raw)
        if cached is None:
            cached = numbers[raw] = _read_number(raw, region)
        if isinstance(cached, str):
            return f"{label} '{raw}' {cached}"
        return cached

    def parse(self, line: int, cells: list[str]) -> ParsedRow | str:
        head = self._head(cells)
        if isinstance(head, str):
            return head
        values, first, last, country = head
        found = self._phones(values, country or self.default_region)
        if isinstance(found, str):
            return found
        phones: list[ParsedPhone] = []
        for raw, e164, extension, kind in found:
            # A number in two columns keeps the first column's kind (phones are few).
            if not any(kept.e164 == e164 for kept in phones):
                phones.append(ParsedPhone(raw, e164, extension, kind))
        wrong = self._wrong_fields(values, first, last, bool(phones))
        if wrong is not None:
            return wrong
        return ParsedRow(
            line,
            first,
            last,
            values[self._at_company],
            values[self._at_email],
            values[self._at_city],
            country,
            values[self._at_notes],
            values[self._at_title],
            phones,
        )

    def parse_first_phone(self, cells: list[str]) -> FirstPhoneRow | str:
        """What a call list keeps of :meth:`parse`'s row: the first phone, names, place.

        The same checks and reasons as :meth:`parse` (every phone column is validated), plus
        "no phone number" for a row it accepts without one. A call list is filled with a
        million rows at a time, and this skips the row object and the duplicate-number pass.
        """
        head = self._head(cells)
        if isinstance(head, str):
            return head
        values, first, last, country = head
        phones = self._phones(values, country or self.default_region)
        if isinstance(phones, str):
            return phones
        wrong = self._wrong_fields(values, first, last, bool(phones))
        if wrong is not None:
            return wrong
        if not phones:
            return NO_PHONE
        company, city = values[self._at_company], values[self._at_city]
        raw, e164 = phones[0][:2]
        return (raw, e164, first, last, company, city, country)

    def _head(
        self, cells: list[str]
    ) -> tuple[list[str | None], str | None, str | None, str | None] | str:
        """``(values, first, last, country)`` of a record, or why it is rejected.

        ``values`` holds every cell stripped (``None`` when blank) and a ``None`` at the end,
        which the positions of the columns the file does not have point at.
        """
        if len(cells) != self.width:
            return f"expected {self.width} fields, found {len(cells)}"
        values: list[str | None] = [c.strip() or None for c in cells]
        values.append(None)
        first, last = values[self._at_first], values[self._at_last]
        if first is None and last is None:
            full = values[self._at_full]
            if full is not None:
                first, last = split_full_name(full)
        country_cell = values[self._at_country]
        return values, first, last, self._region(country_cell) if country_cell else None

    def _phones(self, values: list[str | None], region: str) -> list[_Phone] | str:
        """Every phone cell of a record read in ``region``, in file order, or the first error.

        Plain tuples: named tuples here cost a CSV fill's parsers 4 % more instructions.
        """
        phones: list[_Phone] = []
        for position, label, kind in self.phones:
            raw = values[position]
            if raw is None:
                continue
            number = self._number(raw, region, label)
            if isinstance(number, str):
                return number
            e164, extension = number
            if extension and len(extension) > _MAX_EXTENSION:
                return f"{label} '{raw}' has an extension longer than {_MAX_EXTENSION} digits"
            phones.append((raw, e164, extension, kind))
        return phones

    def _wrong_fields(
        self, values: list[str | None], first: str | None, last: str | None, phoned: bool
    ) -> str | None:
        """Why a record whose phones are valid is still rejected, or ``None``."""
        if not (first or last or values[self._at_company] or values[self._at_email] or phoned):
            return "no name, company, phone or e-mail"
        if first is not None and len(first) > _MAX_LEN["first name"]:
            return f"first name is longer than {_MAX_LEN['first name']} characters"
        if last is not None and len(last) > _MAX_LEN["last name"]:
            return f"last name is longer than {_MAX_LEN['last name']} characters"
        for label, at, limit in self._limits:
            value = values[at]
            if value is not None and len(value) > limit:
                return f"{label} is longer than {limit} characters"
        return None


def _read_number(raw: str, region: str) -> tuple[str, str | None] | str:
    """``normalize(raw, region, strict=True)`` as ``(e164, extension)``, or the reject reason.

    ``raw`` is stripped. Text that is short enough goes to the fast reader directly: for the
    shapes it answers (ASCII digits and separators, so no URI and no full-width digits) it is
    exactly what ``normalize`` would ask it, without the preparation and result objects that
    cost as much again on a million rows. Anything else takes ``normalize`` itself.
    """
    fast = fast_reading(raw, region) if len(raw) <= MAX_INPUT_LENGTH else None
    if fast is None:
        try:
            number = normalize(raw, region, strict=True)
        except InvalidPhoneNumber as exc:
            if exc.reason == "not a valid phone number":
                return f"is not a valid number for region {region}"
            return f"is not a valid number for region {region} ({exc.reason})"
        return number.e164, number.extension
    if fast is INVALID:
        return f"is not a valid number for region {region}"
    return fast.e164, None


# ---------------------------------------------------------------------------------------------
# Big files: records in batches, parsed in worker processes, results in file order

Batch = list[tuple[int, list[str]]]
"""``(line, cells)`` of consecutive records."""
MAX_WORKERS = 4


def batches(records: Iterable[CsvRecord], size: int) -> Iterator[Batch]:
    batch: Batch = []
    for record in records:
        batch.append((record.line, record.cells))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def auto_workers(total_bytes: int, parallel_above_bytes: int) -> int:
    """How many parsing processes a file of ``total_bytes`` deserves (1: parse in-process)."""
    # A frozen (PyInstaller) app re-runs itself for each spawned worker unless its entry point
    # calls multiprocessing.freeze_support(); stay in-process there.
    if total_bytes < parallel_above_bytes or getattr(sys, "frozen", False):
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def in_processes(
    work: Callable[..., T], args: tuple[Any, ...], source: Iterable[S], workers: int
) -> Generator[tuple[S, T], None, None]:
    """``work(*args, batch)`` for each batch in a process pool, in order, a few in flight.

    ``spawn`` (not ``fork``): the desktop app has Qt and SIP threads, which a fork would copy
    in whatever state they were. If the consumer stops early (an error, a cancelled import),
    the batches not yet started are dropped.
    """
    context = multiprocessing.get_context("spawn")
    pending: deque[tuple[S, Future[T]]] = deque()
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=worker_started)
    try:
        for batch in source:
            pending.append((batch, pool.submit(work, *args, batch)))
            if len(pending) >= 2 * workers:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


WORKER_NICENESS = 5


def worker_started() -> None:
    """Set up a parsing process.

    The workers live for one file and keep every number they read in a cache: cyclic
    collections there would walk that cache over and over, for no cycles to free. They run
    below the normal priority: the process that writes what they parse (and the desktop's
    window) comes first, and a writer left behind would finish alone after them.
    """
    gc.disable()
    nice = getattr(os, "nice", None)  # not on Windows
    if nice is not None:
        with suppress(OSError):
            nice(WORKER_NICENESS)


_WORKER_PARSERS: dict[tuple[tuple[str, ...], str], RowParser] = {}


def worker_parser(mapping: HeaderMap, region: str) -> RowParser:
    """This process's parser for one file (its number cache lives as long as the worker)."""
    key = (mapping.header, region)
    parser = _WORKER_PARSERS.get(key)
    if parser is None:
        _WORKER_PARSERS.clear()
        parser = _WORKER_PARSERS[key] = RowParser(mapping, region)
    return parser


def parse_batch(mapping: HeaderMap, region: str, batch: Batch) -> list[ParsedRow | str]:
    """A worker process's share of a contact import."""
    parse = worker_parser(mapping, region).parse
    with gc_paused():
        return [parse(line, cells) for line, cells in batch]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: bulk loads build millions of objects that all stay.

    Each collection walks every container still alive, so over a big file they cost more than
    the parsing (40% of it measured); reference counting still frees everything else.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
