"""Rejected records: the reason and cells kept for the user, and the reject file.

The reject file is ``<input stem>.rejects.csv`` next to the input, written to a temporary file
and renamed into place on commit. Its columns are ``line``, ``reason`` and then the original
ones, UTF-8 with BOM, the input's delimiter. Light to import: parsing processes format their
rejects with :class:`RejectLines`.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from agentdesk.crm.importing.csv_encoding import ImportFileError

REJECTS_SUFFIX = ".rejects.csv"


@dataclass(frozen=True)
class RejectedRow:
    """A record that was not imported: the line it starts on, why, and its cells by header."""

    line: int
    reason: str
    row: dict[str, str]


def reject_path_for(path: Path) -> Path:
    """Where rejected rows of ``path`` go: ``contacts.csv`` -> ``contacts.rejects.csv``."""
    return path.with_name(path.stem + REJECTS_SUFFIX)


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


class RejectWriter:
    """Writes rejects to a temporary file next to the input; renamed into place on commit."""

    def __init__(self, source: Path, header: tuple[str, ...], delimiter: str) -> None:
        self.target = reject_path_for(source)
        self.count = 0
        try:
            fd, name = tempfile.mkstemp(
                dir=source.parent, prefix=f".{source.stem}.", suffix=".rejects.tmp"
            )
        except OSError as exc:
            raise ImportFileError(
                f"cannot write the reject file next to {source} ({exc.strerror or exc})"
            ) from exc
        self.temp = Path(name)
        # UTF-8 with BOM: Excel opens it correctly, and our reader reads it back.
        self._fh = os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
        self._lines = RejectLines(delimiter)
        self._fh.write("line" + delimiter + self._lines.tail("reason", list(header)))

    def write(self, line: int, reason: str, cells: list[str]) -> None:
        self.write_line(line, self._lines.tail(reason, cells))

    def write_line(self, line: int, tail: str) -> None:
        """A reject formatted by :meth:`RejectLines.tail` with this file's delimiter."""
        self.count += 1
        self._fh.write(f"{line}{self._lines.delimiter}{tail}")

    def finish(self) -> Path | None:
        self._fh.close()
        if not self.count:
            self.temp.unlink(missing_ok=True)
            return None
        os.replace(self.temp, self.target)
        return self.target

    def discard(self) -> None:
        self._fh.close()
        self.temp.unlink(missing_ok=True)
