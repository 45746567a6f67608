"""Reading a CSV file in byte ranges (parsing processes) gives exactly the whole-file read.

The loader's rule, reproduced by :func:`read_in_ranges`: ranges in order, reject lines
offset by the lines of the ranges before; at the first range that cannot stand alone, the
rest of the file is read with ``CsvTable.resume`` from that range's start.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentdesk.crm.importing.csv_encoding import ImportFileError
from agentdesk.crm.importing.csv_ranges import read_range
from agentdesk.crm.importing.csv_reader import open_csv

Records = list[tuple[int, list[str]]]


@pytest.fixture
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def whole(path: Path) -> Records:
    with open_csv(path) as table:
        return [(r.line, r.cells) for r in table.records()]


def read_in_ranges(path: Path, ranges: list[tuple[int, int]]) -> tuple[Records, int]:
    """The records as the loader assembles them, and how many ranges stood alone."""
    with open_csv(path) as table:
        records: Records = []
        lines = table.lines_before_data
        for index, (start, end) in enumerate(ranges):
            got = read_range(
                path, table.encoding, table.delimiter, start, end, last=index == len(ranges) - 1
            )
            if not got.complete:
                records += [(r.line, r.cells) for r in table.resume(start, lines)]
                return records, index
            records += [(lines + line, cells) for line, cells in got.records]
            lines += got.lines
        return records, len(ranges)


def table_ranges(path: Path, size: int) -> list[tuple[int, int]]:
    with open_csv(path) as table:
        ranges = table.ranges(size)
    assert ranges is not None
    return ranges


NOTES = [
    ["Name", "Phone", "Notes"],
    ["Ada", "(212) 555-0101", "plain"],
    ["Bob", "(212) 555-0102", "two\nlines"],
    [],
    ["Chen", "138 0013 8000", 'quote "inside", and comma'],
    ["Dora", "(212) 555-0104", "three\r\nlines\nhere"],
    ["   ", "", ""],
    ["Eve", "(212) 555-0105", ""],
    ["Fay", "(212) 555-0106", "ends with newline\n"],
    ["Gus", "(212) 555-0107", "last"],
]


def write(
    path: Path, rows: list[list[str]], encoding: str = "utf-8", newline: str = "\r\n"
) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [("utf-8", "\r\n"), ("utf-8", "\n"), ("utf-8-sig", "\r\n"), ("gbk", "\n"), ("utf-8", "\r")],
)
def test_every_range_size_gives_the_whole_file_read(
    workdir: Path, encoding: str, newline: str
) -> None:
    rows = [NOTES[0], ["姓名", "电话", "备注"], *NOTES[1:]] if encoding == "gbk" else NOTES
    path = write(workdir / "notes.csv", rows, encoding, newline)
    expected = whole(path)
    assert len(expected) >= 7
    for size in range(1, path.stat().st_size + 2):
        ranges = table_ranges(path, size)
        assert ranges[-1][1] == path.stat().st_size
        assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
        records, alone = read_in_ranges(path, ranges)
        assert records == expected, size
        if newline != "\r":  # a CR-only file has no newline to cut after: it falls back
            assert alone == len(ranges), size  # each range was read on its own


def test_a_cut_at_any_newline_gives_the_whole_file_read(workdir: Path) -> None:
    """Also cuts inside quoted fields (which ``ranges`` avoids): the reader falls back."""
    path = write(workdir / "notes.csv", NOTES)
    data = path.read_bytes()
    expected = whole(path)
    with open_csv(path) as table:
        start = table.ranges(len(data))[0][0]  # type: ignore[index]
    fell_back = 0
    for cut in [m.end() for m in re.finditer(rb"\n", data) if start < m.end() < len(data)]:
        records, whole_ranges = read_in_ranges(path, [(start, cut), (cut, len(data))])
        assert records == expected, cut
        fell_back += whole_ranges == 0
    assert fell_back >= 3  # the cuts inside Bob's, Dora's and Fay's notes


def test_a_range_ending_inside_a_quoted_field_is_not_complete(workdir: Path) -> None:
    path = write(workdir / "notes.csv", NOTES)
    data = path.read_bytes()
    with open_csv(path) as table:
        start = table.ranges(len(data))[0][0]  # type: ignore[index]
        cut = data.index(b"two\n") + len(b"two\n")
        inside = read_range(path, table.encoding, table.delimiter, start, cut, last=False)
        assert not inside.complete
        # The same bytes as the file's last range are read as the whole-file read would.
        last = read_range(path, table.encoding, table.delimiter, start, cut, last=True)
        assert last.complete and last.records[-1] == (2, ["Bob", "(212) 555-0102", "two\n"])


def test_record_boundary_exactly_at_a_range_end(workdir: Path) -> None:
    rows = [["Name", "Phone"]] + [[f"P{i}", f"(212) 555-{i:04d}"] for i in range(10, 60)]
    path = write(workdir / "plain.csv", rows)
    data = path.read_bytes()
    line_bytes = len(b"P10,(212) 555-0010\r\n")
    # The first newline at or after start + size is each line's own: one record per range.
    ranges = table_ranges(path, line_bytes - 1)
    assert len(ranges) == 50
    assert all(data[end - 1 : end] == b"\n" for _, end in ranges)
    records, alone = read_in_ranges(path, ranges)
    assert alone == len(ranges)
    assert records == whole(path)
    assert records[-1] == (51, ["P59", "(212) 555-0059"])


def test_stray_quotes_move_cuts_but_not_records(workdir: Path) -> None:
    """A literal quote inside an unquoted field flips the parity ``ranges`` counts."""
    rows = [["Name", "Phone", "Notes"]]
    for i in range(40):
        notes = f"{i} lines\nof notes\nhere" if i % 3 else f'12" screen {i}'
        rows.append([f"P{i}", f"(212) 555-{i:04d}", notes])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    text = buffer.getvalue().replace('"12"" screen', '12" screen').replace(' 0"\n', " 0\n")
    path = workdir / "stray.csv"
    path.write_text(text, encoding="utf-8", newline="")
    expected = whole(path)
    assert expected[1][1][2] == '12" screen 0' or expected[0][1][2] == '12" screen 0'
    fallbacks = 0
    for size in (40, 64, 100, 150, 333):
        records, alone = read_in_ranges(path, table_ranges(path, size))
        assert records == expected, size
        fallbacks += alone < len(table_ranges(path, size))
    assert fallbacks >= 1


def test_header_after_blank_lines_and_a_quoted_header(workdir: Path) -> None:
    path = workdir / "odd.csv"
    path.write_bytes(b'\r\n\r\n"Full\r\nName",Phone\r\nAda,(212) 555-0101\r\n\r\nBob,2125550102')
    expected = whole(path)
    assert expected == [(5, ["Ada", "(212) 555-0101"]), (7, ["Bob", "2125550102"])]
    for size in range(1, 40):
        ranges = table_ranges(path, size)
        assert read_in_ranges(path, ranges) == (expected, len(ranges)), size


def test_utf16_is_not_cut(workdir: Path) -> None:
    path = workdir / "wide.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "Name,Phone\r\nAda,1\r\n".encode("utf-16-le"))
    with open_csv(path) as table:
        assert table.ranges(4) is None


def test_resume_reports_malformed_csv_with_the_whole_file_line(workdir: Path) -> None:
    path = workdir / "unclosed.csv"
    path.write_bytes(b'Name,Phone\nAda,1\nBob,2\n"Unclosed,3\n' + b"more text\n" * 20_000)
    with pytest.raises(ImportFileError, match="line 4: malformed CSV"):
        whole(path)
    with open_csv(path) as table:
        start = path.read_bytes().index(b'"Unclosed')
        with pytest.raises(ImportFileError, match="line 4: malformed CSV"):
            list(table.resume(start, table.lines_before_data + 2))
        # A parsing process does not raise: it says the range cannot stand alone.
        got = read_range(path, table.encoding, table.delimiter, start, start + 50_000, last=False)
        assert not got.complete


cells = st.text(alphabet=st.sampled_from([*'ab ,;"\r\n\t中', "\u2028", "\x0c"]), max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=12),
    size=st.integers(min_value=1, max_value=60),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_round_trip_in_ranges(rows: list[list[str]], size: int, newline: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = write(Path(d) / "t.csv", [["Name", "Phone", "Notes"], *rows], newline=newline)
        assert read_in_ranges(path, table_ranges(path, size))[0] == whole(path)
