"""Reading one CSV record of contacts: names, country, numbers, limits (no database here).

Shared by the contact importer and the campaign loader, and light to import: the parsing
processes of a big file load only this, the CSV reader, the phone module and the
contact-field rules.
"""

from __future__ import annotations

from typing import NamedTuple

from agentdesk.crm.importing.csv_columns import Column, HeaderMap
from agentdesk.crm.importing.names import split_full_name
from agentdesk.crm.importing.parallel import Batch, gc_paused
from agentdesk.domain.contact_fields import is_country, is_email
from agentdesk.domain.enums import PhoneKind
from agentdesk.domain.phone import (
    MAX_INPUT_LENGTH,
    InvalidPhoneNumber,
    is_region,
    normalize,
    region_for_country,
)
from agentdesk.domain.phone_fast import INVALID, fast_reading

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
        # Per country cell: (ISO country code, region its numbers are read in), or None when
        # it names no country.
        self._places: dict[str, tuple[str, str] | None] = {}
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

    def _place(self, cell: str) -> tuple[str, str] | None:
        try:
            return self._places[cell]
        except KeyError:
            place = self._places[cell] = _place_of(cell, self.default_region)
            return place

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
        values, first, last, country, region = head
        found = self._phones(values, region)
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
        values, first, last, country, region = head
        phones = self._phones(values, region)
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
    ) -> tuple[list[str | None], str | None, str | None, str | None, str] | str:
        """``(values, first, last, country, region)`` of a record, or why it is rejected.

        ``values`` holds every cell stripped (``None`` when blank) and a ``None`` at the end,
        which the positions of the columns the file does not have point at. ``region`` reads
        the record's national numbers: its country's, else the default. A country cell that
        names no country rejects the record (it would be stored wrong, and read its numbers in
        the wrong region).
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
        if country_cell is None:
            return values, first, last, None, self.default_region
        place = self._place(country_cell)
        if place is None:
            return (
                f"country '{country_cell}' is not a known country "
                "(an ISO 3166 code such as US or CN, or a name such as China)"
            )
        return values, first, last, place[0], place[1]

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
        email = values[self._at_email]
        if email is not None and not is_email(email):
            return f"email '{email}' is not an e-mail address (like name@example.com)"
        return None


def _place_of(cell: str, default_region: str) -> tuple[str, str] | None:
    """The ISO country a country cell names (a code, a name, ``+86``) and the region to read
    its numbers in; ``None`` when it names no country."""
    code = cell.upper() if is_country(cell) else region_for_country(cell)
    if code is None or not is_country(code):
        return None  # unknown, or a phone plan that is no country (AC, TA, XK)
    # A few countries have no phone plan of their own (AQ, BV...): the default region reads them.
    return code, code if is_region(code) else default_region


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


# In a parsing process: one parser per file, its caches kept from batch to batch.
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
