"""Reading people/company CSV files the way call centres actually export them.

One reader for every importer (contacts now, campaign lists later), so a file reads the same way
everywhere:

* encoding: UTF-8 with or without BOM, UTF-16 with BOM (Excel "Unicode text"), otherwise
  GB18030 (a superset of GBK/GB2312, what Chinese Excel saves); an explicit encoding wins
  (:mod:`~agentdesk.crm.importing.csv_encoding`);
* delimiter: comma, semicolon or tab, picked by how well the header row splits into known
  column names (see :func:`detect_delimiter`);
* RFC 4180 quoting (fields with delimiters, doubled quotes and newlines);
* headers matched by :func:`~agentdesk.crm.importing.csv_columns.header_key` (case, spaces,
  ``_``, ``-``, full-width forms ignored) against a column spec such as
  :data:`~agentdesk.crm.importing.csv_columns.CONTACT_COLUMNS`;
* every record carries the physical line on which it starts (the header is line 1 unless blank
  lines precede it), so a quoted field spanning lines shifts later line numbers correctly;
* blank records (no cell with anything but whitespace) are skipped;
* a big file can be cut into byte ranges read by several processes
  (:mod:`~agentdesk.crm.importing.csv_ranges`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from agentdesk.crm.importing.csv_columns import (
    CONTACT_COLUMNS,
    HeaderMap,
    column_index,
    header_key,
    match_header,
)
from agentdesk.crm.importing.csv_encoding import (
    ImportFileError,
    open_binary,
    piece_codec,
    resolve_encoding,
)
from agentdesk.crm.importing.csv_ranges import byte_ranges

# An importer needs the columns and the error along with the reader: it may name them here.

DELIMITERS = (",", ";", "\t")
SAMPLE_CHARS = 64 * 1024
_CONTROL_OK = frozenset("\t\n\r\f\v")


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
    index = column_index(columns)
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
        self._binary = open_binary(path)
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
            self.mapping: HeaderMap = match_header(self.header, columns)
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

        For reading the file in several processes
        (:func:`~agentdesk.crm.importing.csv_ranges.read_range`). Each cut follows a
        ``\\n`` preceded by an even number of ``"`` in its range, which in a well-formed file
        is a record boundary; ``read_range`` notices when it was not. ``None`` when the
        file cannot be cut: an encoding in which those bytes may be part of other characters
        (UTF-16), or a header this does not find the end of.
        """
        return byte_ranges(self.path, self.encoding, self.lines_before_data, size)

    def resume(self, offset: int, lines_before: int) -> Iterator[CsvRecord]:
        """The records from byte ``offset`` (a range start) on, after ``lines_before`` lines.

        What :meth:`records` would have given from there: when a range cannot be read alone,
        the rest of the file is read here, in order, with the same records, line numbers and
        CSV errors. An undecodable byte is reported "after line N" as in a whole-file read,
        but N may differ by a few hundred lines (the decoder reads ahead in blocks).
        """
        self._text.detach()  # the old wrapper must not close the file when it is collected
        self._binary.seek(offset)
        self._text = io.TextIOWrapper(self._binary, encoding=piece_codec(self.encoding), newline="")
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
