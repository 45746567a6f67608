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
            header, self.header_line = self._read_header()
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
        previous = reader.line_num
        try:
            for cells in reader:
                line = previous + 1
                previous = reader.line_num
                for cell in cells:
                    if cell and not cell.isspace():
                        yield CsvRecord(line, cells)
                        break
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                f"{self.path}: not valid {self.encoding} text after line {previous} ({exc.reason})"
            ) from exc
        except csv.Error as exc:
            # csv's 128 KiB field limit is what an unclosed quote swallowing the file runs into.
            raise ImportFileError(
                f"{self.path}: line {previous + 1}: malformed CSV ({exc}); "
                "an unclosed quote is the usual cause"
            ) from exc
        except OSError as exc:
            raise ImportFileError(f"{self.path}: cannot read file ({exc})") from exc

    def records(self) -> Iterator[CsvRecord]:
        """The data records after the header, blank ones skipped."""
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
