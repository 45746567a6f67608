"""Reading people/company CSV files the way call centres actually export them.

One reader for every importer (contacts now, campaign lists later), so a file reads the same way
everywhere:

* encoding: UTF-8 with or without BOM, UTF-16 with BOM (Excel "Unicode text"), otherwise
  GB18030 (a superset of GBK/GB2312, what Chinese Excel saves); an explicit encoding wins;
* delimiter: comma, semicolon or tab, picked by how well the header row splits into known
  column names (see :func:`detect_delimiter`);
* RFC 4180 quoting (fields with delimiters, doubled quotes and newlines);
* headers matched by :func:`header_key` (case, spaces, ``_``, ``-``, full-width forms ignored)
  against a column spec such as :data:`CONTACT_COLUMNS`;
* every record carries the physical line on which it starts (the header is line 1 unless blank
  lines precede it), so a quoted field spanning lines shifts later line numbers correctly;
* blank records (no cell with anything but whitespace) are skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import mmap
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self

DELIMITERS = (",", ";", "\t")
SAMPLE_CHARS = 64 * 1024
_SCAN_CHUNK = 1024 * 1024
_CONTROL_OK = frozenset("\t\n\r\f\v")
# Codecs in which the bytes \n, \r and " only ever stand for those characters (never inside a
# multi-byte sequence), so a file can be cut after any \n byte and each piece decoded alone.
_SPLITTABLE = frozenset(
    {"utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312", "ascii", "latin-1", "iso8859-1", "cp1252"}
)
_LINE_END = re.compile(rb"\r\n|\r|\n")
_HEAD_BYTES = 1024 * 1024
_PARITY_TRIES = 200


class ImportFileError(Exception):
    """The file cannot be imported at all (missing, unreadable, not text, no usable header).

    The message is for the user and names the file.
    """


class Column(StrEnum):
    """Canonical columns of a people/company file."""

    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FULL_NAME = "full_name"
    COMPANY = "company"
    PHONE = "phone"
    MOBILE = "mobile"
    WORK_PHONE = "work_phone"
    HOME_PHONE = "home_phone"
    EMAIL = "email"
    CITY = "city"
    COUNTRY = "country"
    NOTES = "notes"
    TITLE = "title"


# Synonyms as users type them; they are compared through header_key, so "E-Mail", "e_mail"
# and "EMAIL " all match "email". Keep every synonym unique across columns.
CONTACT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    Column.FIRST_NAME: ("first name", "given name", "forename", "名", "名字"),
    Column.LAST_NAME: ("last name", "surname", "family name", "姓", "姓氏"),
    Column.FULL_NAME: (
        "name", "full name", "contact", "contact name", "contact person", "person",
        "display name", "姓名", "联系人", "联系人姓名", "客户姓名",
    ),
    Column.COMPANY: (
        "company", "company name", "account", "account name", "organization", "organisation",
        "organization name", "org", "business", "employer", "公司", "公司名称", "单位",
        "单位名称", "企业", "企业名称", "工作单位",
    ),
    Column.PHONE: (
        "phone", "telephone", "tel", "phone number", "telephone number", "tel no", "phone no",
        "电话", "电话号码", "联系电话", "座机", "固定电话", "固话",
    ),
    Column.MOBILE: (
        "mobile", "mobile phone", "mobile number", "cell", "cell phone", "cellphone",
        "cell number", "handy", "手机", "手机号", "手机号码", "移动电话",
    ),
    Column.WORK_PHONE: (
        "work phone", "business phone", "office phone", "work tel", "direct line",
        "办公电话", "工作电话", "单位电话", "公司电话",
    ),
    Column.HOME_PHONE: ("home phone", "private phone", "家庭电话", "住宅电话"),
    Column.EMAIL: (
        "email", "email address", "mail", "邮箱", "电子邮件", "电子邮箱", "邮件", "邮箱地址",
    ),
    Column.CITY: ("city", "town", "城市", "所在城市"),
    Column.COUNTRY: (
        "country", "country code", "country/region", "nation", "国家", "国家/地区", "国家地区",
    ),
    Column.NOTES: (
        "notes", "note", "comment", "comments", "remarks", "description", "备注", "说明",
        "附注",
    ),
    Column.TITLE: ("title", "job title", "position", "job", "role", "职位", "职务", "头衔"),
}  # fmt: skip

_HEADER_DROP = str.maketrans("", "", " _-.:*\ufeff\u3000\u00a0\t")


def header_key(text: str) -> str:
    """The comparison form of a header cell: NFKC, case-folded, without spaces ``_ - . : *``."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_HEADER_DROP)


def _build_index(columns: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for column, synonyms in columns.items():
        for synonym in (str(column), *synonyms):
            index.setdefault(header_key(synonym), str(column))
    return index


_INDEX_CACHE: dict[int, tuple[Mapping[str, tuple[str, ...]], dict[str, str]]] = {}


def _index_for(columns: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    cached = _INDEX_CACHE.get(id(columns))
    if cached is None or cached[0] is not columns:
        cached = (columns, _build_index(columns))
        _INDEX_CACHE[id(columns)] = cached
    return cached[1]


@dataclass(frozen=True)
class HeaderMap:
    """Which file column holds which canonical column.

    ``columns`` maps a canonical column name to its 0-based position (the first when a name
    appears twice); ``repeats`` has the positions of the later ones, which an importer may use
    (several phone columns) or ignore. ``ignored`` lists the headers that match nothing.
    """

    header: tuple[str, ...]
    columns: Mapping[str, int]
    ignored: tuple[str, ...]
    repeats: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def __contains__(self, column: object) -> bool:
        return column in self.columns

    def position(self, column: str) -> int | None:
        return self.columns.get(column)

    def positions(self, column: str) -> tuple[int, ...]:
        """Every position of ``column``, first one first (empty when absent)."""
        first = self.columns.get(column)
        return () if first is None else (first, *self.repeats.get(column, ()))


def match_header(
    header: tuple[str, ...] | list[str], columns: Mapping[str, tuple[str, ...]] = CONTACT_COLUMNS
) -> HeaderMap:
    """Match header cells to the canonical columns of ``columns`` (see :func:`header_key`)."""
    index = _index_for(columns)
    found: dict[str, int] = {}
    repeats: dict[str, tuple[int, ...]] = {}
    ignored: list[str] = []
    for position, cell in enumerate(header):
        column = index.get(header_key(cell))
        if column is None:
            ignored.append(cell)
        elif column in found:
            repeats[column] = (*repeats.get(column, ()), position)
        else:
            found[column] = position
    return HeaderMap(header=tuple(header), columns=found, ignored=tuple(ignored), repeats=repeats)


def _open_binary(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except FileNotFoundError as exc:
        raise ImportFileError(f"{path}: file not found") from exc
    except IsADirectoryError as exc:
        raise ImportFileError(f"{path}: is a directory, not a CSV file") from exc
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot open file ({exc.strerror or exc})") from exc


def _decodes(path: Path, encoding: str) -> bool:
    """True when the whole file decodes as ``encoding`` (streamed, so big files are fine)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with _open_binary(path) as fh:
        try:
            while chunk := fh.read(_SCAN_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        except OSError as exc:
            raise ImportFileError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    return True


def detect_encoding(path: Path) -> str:
    """Pick the codec for ``path``: BOM first, then UTF-8 if the whole file decodes, else GB18030.

    Raises :class:`ImportFileError` when the file is neither.
    """
    with _open_binary(path) as fh:
        try:
            head = fh.read(4)
        except OSError as exc:
            raise ImportFileError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    if _decodes(path, encoding):
        return encoding
    if encoding == "utf-8" and _decodes(path, "gb18030"):
        return "gb18030"
    raise ImportFileError(
        f"{path}: not a text file in a known encoding (tried UTF-8 and GB18030); "
        "if it is text, name its encoding explicitly"
    )


def resolve_encoding(path: Path, encoding: str | None) -> str:
    """The codec to read ``path`` with: ``encoding`` when given (validated), else detected."""
    if encoding is None:
        return detect_encoding(path)
    try:
        name = codecs.lookup(encoding).name
    except LookupError as exc:
        raise ImportFileError(f"unknown encoding {encoding!r}") from exc
    if name == "utf-8":
        with _open_binary(path) as fh:
            if fh.read(3) == codecs.BOM_UTF8:
                # A BOM is not data: without this it would glue itself to the first header.
                return "utf-8-sig"
    return encoding


def _looks_binary(sample: str) -> bool:
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ch < " " and ch not in _CONTROL_OK)
    return controls > max(8, len(sample) // 100)


def _first_record(sample: str, delimiter: str) -> list[str]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                return record
    except csv.Error:
        return []
    return []


def detect_delimiter(sample: str, columns: Mapping[str, tuple[str, ...]] = CONTACT_COLUMNS) -> str:
    """Pick the delimiter whose split of the header row gives the most known column names.

    Ties go to the split with more fields, then to comma. Scoring the header (not the data)
    makes a semicolon file whose notes contain commas still read as semicolon-separated. A
    one-column file is ambiguous: pass its delimiter explicitly.
    """
    index = _index_for(columns)
    best = ","
    best_score = (-1, -1)
    for delimiter in DELIMITERS:
        header = _first_record(sample, delimiter)
        known = len({index[k] for k in map(header_key, header) if k in index})
        score = (known, len(header))
        if score > best_score:
            best, best_score = delimiter, score
    return best


@dataclass(frozen=True, slots=True)
class CsvRecord:
    """One data record: the physical line it starts on and its cells exactly as in the file."""

    line: int
    cells: list[str]


class CsvTable:
    """An open CSV file: its header, detected format and a stream of :class:`CsvRecord`.

    Use as a context manager; :meth:`records` can be iterated once. ``bytes_read`` advances in
    chunks as the file is read (for progress bars), up to ``total_bytes``.
    """

    def __init__(
        self,
        path: Path,
        *,
        encoding: str | None = None,
        delimiter: str | None = None,
        columns: Mapping[str, tuple[str, ...]] = CONTACT_COLUMNS,
    ) -> None:
        self.path = path
        self.encoding = resolve_encoding(path, encoding)
        if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
            raise ImportFileError(f"unusable delimiter {delimiter!r}")
        self._binary = _open_binary(path)
        try:
            self.total_bytes = self._stat_size()
            try:
                self._text = io.TextIOWrapper(self._binary, encoding=self.encoding, newline="")
            except LookupError as exc:  # a bytes-to-bytes codec such as "base64"
                raise ImportFileError(f"{self.encoding!r} is not a text encoding") from exc
            sample = self._read_sample()
            if not sample.strip():
                raise ImportFileError(f"{path}: file is empty")
            if _looks_binary(sample):
                raise ImportFileError(
                    f"{path}: binary data, not a CSV text file (if it is UTF-16 text "
                    "without a byte order mark, name the encoding, e.g. utf-16-le)"
                )
            self.delimiter = delimiter or detect_delimiter(sample, columns)
            self._reader = csv.reader(self._text, delimiter=self.delimiter, strict=False)
            self._line_base = 0
            header, self.header_line = self._read_header()
            self.lines_before_data = self._reader.line_num
            """Physical lines up to the end of the header (blank lines before it included)."""
            self.header: tuple[str, ...] = tuple(header)
            self.mapping = match_header(self.header, columns)
        except BaseException:
            self.close()
            raise

    def _stat_size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError as exc:
            raise ImportFileError(f"{self.path}: cannot read file ({exc})") from exc

    def _read_sample(self) -> str:
        try:
            sample = self._text.read(SAMPLE_CHARS)
            self._text.seek(0)
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{self.path}: not valid {self.encoding} text ({exc})") from exc
        except OSError as exc:
            raise ImportFileError(f"{self.path}: cannot read file ({exc})") from exc
        return sample

    def _read_header(self) -> tuple[list[str], int]:
        for record in self._iter_raw():
            return record.cells, record.line
        raise ImportFileError(f"{self.path}: no header row")

    def _iter_raw(self) -> Iterator[CsvRecord]:
        reader = self._reader
        base = self._line_base
        previous = reader.line_num
        try:
            for cells in reader:
                line = base + previous + 1
                previous = reader.line_num
                for cell in cells:
                    if cell and not cell.isspace():
                        yield CsvRecord(line, cells)
                        break
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                f"{self.path}: not valid {self.encoding} text after line {base + previous} "
                f"({exc.reason})"
            ) from exc
        except csv.Error as exc:
            # csv's 128 KiB field limit is what an unclosed quote swallowing the file runs into.
            raise ImportFileError(
                f"{self.path}: line {base + previous + 1}: malformed CSV ({exc}); "
                "an unclosed quote is the usual cause"
            ) from exc
        except OSError as exc:
            raise ImportFileError(f"{self.path}: cannot read file ({exc})") from exc

    def records(self) -> Iterator[CsvRecord]:
        """The data records after the header, blank ones skipped."""
        return self._iter_raw()

    def ranges(self, size: int) -> list[tuple[int, int]] | None:
        """``(start, end)`` byte ranges of about ``size`` bytes that hold the data records.

        For reading the file in several processes (:func:`read_range`). Each cut follows a
        ``\\n`` preceded by an even number of ``"`` in its range, which in a well-formed file
        is a record boundary; :func:`read_range` notices when it was not. ``None`` when the
        file cannot be cut: an encoding in which those bytes may be part of other characters
        (UTF-16), or a header this does not find the end of.
        """
        if codecs.lookup(self.encoding).name not in _SPLITTABLE:
            return None
        try:
            with self.path.open("rb") as fh:
                start = _offset_after_lines(fh.read(_HEAD_BYTES), self.lines_before_data)
                if start is None:
                    return None
                with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
                    return _cut(view, start, max(1, size))
        except (OSError, ValueError):
            return None

    def resume(self, offset: int, lines_before: int) -> Iterator[CsvRecord]:
        """The records from byte ``offset`` (a range start) on, after ``lines_before`` lines.

        What :meth:`records` would have given from there: when a range cannot be read alone,
        the rest of the file is read here, in order, with the same records, line numbers and
        CSV errors. An undecodable byte is reported "after line N" as in a whole-file read,
        but N may differ by a few hundred lines (the decoder reads ahead in blocks).
        """
        self._text.detach()  # the old wrapper must not close the file when it is collected
        self._binary.seek(offset)
        self._text = io.TextIOWrapper(
            self._binary, encoding=_piece_codec(self.encoding), newline=""
        )
        self._reader = csv.reader(self._text, delimiter=self.delimiter, strict=False)
        self._line_base = lines_before
        return self._iter_raw()

    @property
    def bytes_read(self) -> int:
        try:
            return min(self._binary.tell(), self.total_bytes)
        except (OSError, ValueError):
            return self.total_bytes

    def close(self) -> None:
        self._binary.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_csv(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    columns: Mapping[str, tuple[str, ...]] = CONTACT_COLUMNS,
) -> CsvTable:
    """Open ``path`` for reading; see the module docstring for the rules.

    Raises :class:`ImportFileError` for a missing, unreadable, binary or headerless file. It
    does not judge whether the header has the columns an importer needs: check ``mapping``.
    """
    return CsvTable(Path(path), encoding=encoding, delimiter=delimiter, columns=columns)


# ---------------------------------------------------------------------------------------------
# Reading one byte range of a file (parsing processes)


def _piece_codec(encoding: str) -> str:
    # A BOM is only a BOM at the start of the file; inside, U+FEFF is data.
    return "utf-8" if codecs.lookup(encoding).name == "utf-8-sig" else encoding


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
    caller then reads from its start with :meth:`CsvTable.resume`, which gives the records
    and CSV errors of a whole-file read (see there for undecodable bytes).
    """

    records: list[tuple[int, list[str]]]
    lines: int
    complete: bool


def read_range(
    path: Path, encoding: str, delimiter: str, start: int, end: int, *, last: bool
) -> RangeRecords:
    """The records in bytes ``start:end`` of ``path`` (a range of :meth:`CsvTable.ranges`)."""
    try:
        with path.open("rb") as fh:
            fh.seek(start)
            data = fh.read(end - start)
        if len(data) != end - start:
            return RangeRecords([], 0, False)
        text = data.decode(_piece_codec(encoding))
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
