"""The CSV reader: encodings, delimiters, quoting, line numbers and header matching."""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from agentdesk.crm.importing.csv_columns import CONTACT_COLUMNS, Column, header_key, match_header
from agentdesk.crm.importing.csv_encoding import ImportFileError, detect_encoding
from agentdesk.crm.importing.csv_reader import CsvRecord, detect_delimiter, open_csv


@pytest.fixture
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def read_all(path: Path, **kwargs: str | None) -> tuple[tuple[str, ...], list[CsvRecord]]:
    with open_csv(path, **kwargs) as table:  # type: ignore[arg-type]
        return table.header, list(table.records())


# --- header matching -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ("First Name", Column.FIRST_NAME),
        ("first_name", Column.FIRST_NAME),
        ("  FIRST-NAME ", Column.FIRST_NAME),
        ("FirstName", Column.FIRST_NAME),
        ("名", Column.FIRST_NAME),
        ("Last Name", Column.LAST_NAME),
        ("Surname", Column.LAST_NAME),
        ("姓", Column.LAST_NAME),
        ("Name", Column.FULL_NAME),
        ("Full Name", Column.FULL_NAME),
        ("姓名", Column.FULL_NAME),
        ("Company", Column.COMPANY),
        ("公司", Column.COMPANY),
        ("单位", Column.COMPANY),
        ("Organisation", Column.COMPANY),
        ("Phone", Column.PHONE),
        ("Telephone", Column.PHONE),
        ("电话", Column.PHONE),
        ("Mobile", Column.MOBILE),
        ("Cell", Column.MOBILE),
        ("手机", Column.MOBILE),
        ("Work Phone", Column.WORK_PHONE),
        ("work_phone", Column.WORK_PHONE),
        ("Email", Column.EMAIL),
        ("E-Mail", Column.EMAIL),
        ("e_mail", Column.EMAIL),
        ("邮箱", Column.EMAIL),
        ("电子邮件", Column.EMAIL),
        ("Ｅｍａｉｌ", Column.EMAIL),  # full-width, as Chinese input methods type it
        ("City", Column.CITY),
        ("城市", Column.CITY),
        ("Country", Column.COUNTRY),
        ("国家", Column.COUNTRY),
        ("Country/Region", Column.COUNTRY),
        ("Notes", Column.NOTES),
        ("备注", Column.NOTES),
        ("Title", Column.TITLE),
        ("Job Title", Column.TITLE),
        ("职位", Column.TITLE),
        ("\ufeffName", Column.FULL_NAME),
    ],
)
def test_header_synonyms(cell: str, column: Column) -> None:
    assert match_header([cell]).columns == {column: 0}


def test_header_key_ignores_case_spaces_and_separators() -> None:
    assert header_key(" Work_Phone ") == header_key("work-phone") == header_key("WORK PHONE")
    assert header_key("E-mail") == "email"


def test_match_header_positions_unknown_and_repeated_columns() -> None:
    mapping = match_header(["ID", "Name", "Phone", "Tel", "Company", "Remarks"])
    assert mapping.columns == {
        Column.FULL_NAME: 1,
        Column.PHONE: 2,
        Column.COMPANY: 4,
        Column.NOTES: 5,
    }
    assert mapping.ignored == ("ID",)
    assert mapping.repeats == {Column.PHONE: (3,)}  # the second phone column is kept aside
    assert mapping.positions(Column.PHONE) == (2, 3)
    assert mapping.positions(Column.EMAIL) == ()
    assert Column.PHONE in mapping
    assert mapping.position(Column.EMAIL) is None


def test_synonyms_are_unique_across_columns() -> None:
    seen: dict[str, str] = {}
    for column, synonyms in CONTACT_COLUMNS.items():
        for synonym in (str(column), *synonyms):
            key = header_key(synonym)
            assert seen.setdefault(key, column) == column, f"{synonym!r} is ambiguous"


def test_match_header_with_a_custom_spec() -> None:
    spec = {**CONTACT_COLUMNS, "priority": ("priority", "优先级")}
    mapping = match_header(["优先级", "Phone"], spec)
    assert mapping.columns == {"priority": 0, Column.PHONE: 1}


# --- delimiter and encoding detection --------------------------------------------------------


def test_delimiter_is_chosen_by_the_header_not_by_commas_in_the_data() -> None:
    sample = "Name;Phone;Notes\nA;1;x, y, z, w\nB;2;a, b, c\n"
    assert detect_delimiter(sample) == ";"
    assert detect_delimiter("Name\tPhone\nA, B\t1\n") == "\t"
    assert detect_delimiter("Name,Phone\nA;B,1\n") == ","


def test_detect_encoding(workdir: Path) -> None:
    text = "姓名,电话\n张三,13800138000\n"
    cases = {
        "utf8.csv": (text.encode("utf-8"), "utf-8"),
        "bom.csv": (codecs.BOM_UTF8 + text.encode("utf-8"), "utf-8-sig"),
        "gbk.csv": (text.encode("gbk"), "gb18030"),
        "utf16.csv": (text.encode("utf-16"), "utf-16"),
    }
    for name, (data, expected) in cases.items():
        (workdir / name).write_bytes(data)
        assert detect_encoding(workdir / name) == expected, name


def test_gbk_detected_even_when_the_first_megabytes_are_ascii(workdir: Path) -> None:
    path = workdir / "late.csv"
    filler = "Name,Phone\n" + "Smith,2025550147\n" * 150_000  # about 2.5 MB of ASCII
    path.write_bytes((filler + "张三,13800138000\n").encode("gbk"))
    _, records = read_all(path)
    assert records[-1].cells == ["张三", "13800138000"]
    assert records[-1].line == 150_002


def test_explicit_encoding_overrides_detection(workdir: Path) -> None:
    path = workdir / "latin1.csv"
    path.write_bytes("Name,City\nMüller,Köln\n".encode("latin-1"))
    # Undecodable as UTF-8, so detection reads it as GB18030 and gets CJK mojibake.
    assert read_all(path)[1][0].cells != ["Müller", "Köln"]
    assert read_all(path, encoding="latin-1")[1][0].cells == ["Müller", "Köln"]


def test_explicit_utf8_on_a_bom_file_drops_the_bom(workdir: Path) -> None:
    path = workdir / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"Name,Phone\nA,1\n")
    header, _ = read_all(path, encoding="utf-8")
    assert header == ("Name", "Phone")


# --- records and line numbers ----------------------------------------------------------------


def test_quoted_fields_and_line_numbers(workdir: Path) -> None:
    path = workdir / "q.csv"
    path.write_bytes(
        b"Name,Notes,Phone\r\n"
        b'"Smith, John","said ""hi""\r\nthen\r\nleft",1\r\n'
        b"\r\n"
        b"   ,  ,\r\n"
        b"Doe,plain,2\r\n"
        b'Roe,"a\nb",3\n'
        b"Poe,x,4"
    )
    header, records = read_all(path)
    assert header == ("Name", "Notes", "Phone")
    assert [(r.line, r.cells) for r in records] == [
        (2, ["Smith, John", 'said "hi"\r\nthen\r\nleft', "1"]),
        (7, ["Doe", "plain", "2"]),
        (8, ["Roe", "a\nb", "3"]),
        (10, ["Poe", "x", "4"]),
    ]


def test_header_after_blank_lines_keeps_physical_line_numbers(workdir: Path) -> None:
    path = workdir / "blank.csv"
    path.write_text("\n\nName,Phone\nA,1\n", encoding="utf-8")
    with open_csv(path) as table:
        assert table.header_line == 3
        assert [r.line for r in table.records()] == [4]


def test_bytes_read_reaches_total(workdir: Path) -> None:
    path = workdir / "big.csv"
    path.write_text("Name,Phone\n" + "Someone,12345\n" * 20_000, encoding="utf-8")
    with open_csv(path) as table:
        seen = []
        for i, _ in enumerate(table.records()):
            if i % 5000 == 0:
                seen.append(table.bytes_read)
        assert seen == sorted(seen)
        assert 0 < seen[1] < table.total_bytes == path.stat().st_size
        assert table.bytes_read == table.total_bytes


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"\n\n  \n", "file is empty"),
        (b"\x00\x01\x02\x03PK\x03\x04" * 200, "binary"),
        (bytes(range(256)) * 40, "not a text file"),
        (b'Name,Phone\n"unclosed, 1\n' + b"x" * 200_000, "unclosed quote"),
    ],
    ids=["empty", "blank", "binary-nul", "binary-undecodable", "unclosed-quote"],
)
def test_unreadable_content(workdir: Path, content: bytes, message: str) -> None:
    path = workdir / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        read_all(path)


def test_missing_file_and_directory(workdir: Path) -> None:
    with pytest.raises(ImportFileError, match="file not found"):
        read_all(workdir / "nope.csv")
    with pytest.raises(ImportFileError, match="directory"):
        read_all(workdir)
    with pytest.raises(ImportFileError, match="unknown encoding"):
        (workdir / "a.csv").write_text("Name\nA\n")
        read_all(workdir / "a.csv", encoding="no-such-codec")
    with pytest.raises(ImportFileError, match="not a text encoding"):
        read_all(workdir / "a.csv", encoding="base64")


# --- round trip (hypothesis) -----------------------------------------------------------------

_BREAK = re.compile(r"\r\n|\r|\n")
_ANY_TEXT = st.characters(
    exclude_categories=("Cs", "Cc"), exclude_characters="\ufeff", include_characters="\r\n\t"
)
# GBK covers CJK and ASCII, not all of Unicode: draw from what it can encode.
_GBK_TEXT = st.sampled_from(
    list("abcXYZ 019,;\t\"'\r\n") + list("中文姓名张三李四王五电话公司北京上海，。：“”（）")
)


def _blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


def _write(rows: list[list[str]], delimiter: str) -> tuple[str, list[int]]:
    """The CSV text and the physical line each row starts on (1-based)."""
    out = io.StringIO()
    starts = []
    line = 1
    writer = csv.writer(out, delimiter=delimiter)
    for row in rows:
        before = out.tell()
        writer.writerow(row)
        starts.append(line)
        line += len(_BREAK.findall(out.getvalue()[before:]))
    return out.getvalue(), starts


def _check_round_trip(
    directory: Path,
    header: list[str],
    body: list[list[str]],
    delimiter: str,
    encoding: str,
    explicit: bool,
) -> None:
    text, starts = _write([header, *body], delimiter)
    data = text.encode(encoding)
    if not explicit and encoding == "gb18030":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            assume(False)  # also valid UTF-8: read as UTF-8 by design
    path = directory / "t.csv"
    path.write_bytes(data)
    kwargs = {"encoding": encoding, "delimiter": delimiter} if explicit else {}
    with open_csv(path, **kwargs) as table:  # type: ignore[arg-type]
        assert table.header == tuple(header)
        assert table.delimiter == delimiter
        got = [(r.line, r.cells) for r in table.records()]
    expected = [(line, row) for line, row in zip(starts[1:], body, strict=True) if not _blank(row)]
    assert got == expected


@st.composite
def tables(draw: st.DrawFn, alphabet: st.SearchStrategy[str]) -> tuple[list[str], list[list[str]]]:
    width = draw(st.integers(min_value=1, max_value=5))
    cell = st.text(alphabet, max_size=12)
    header = draw(st.lists(cell, min_size=width, max_size=width).filter(lambda r: not _blank(r)))
    body = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=8))
    return header, body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=tables(_ANY_TEXT),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]),
)
def test_round_trip_with_explicit_format(
    table: tuple[list[str], list[list[str]]], delimiter: str, encoding: str
) -> None:
    with tempfile.TemporaryDirectory() as d:
        _check_round_trip(Path(d), *table, delimiter, encoding, explicit=True)


@settings(max_examples=100, deadline=None)
@given(table=tables(_GBK_TEXT), delimiter=st.sampled_from([",", ";", "\t"]))
def test_round_trip_gbk(table: tuple[list[str], list[list[str]]], delimiter: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        _check_round_trip(Path(d), *table, delimiter, "gbk", explicit=True)


_KNOWN_HEADERS = [s for synonyms in CONTACT_COLUMNS.values() for s in synonyms]


@st.composite
def detectable_tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]], str]:
    """Real-world shape: a header of known column names (at least two), any cell text."""
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
    alphabet = _GBK_TEXT if encoding == "gb18030" else _ANY_TEXT
    columns = draw(
        st.lists(st.sampled_from(list(CONTACT_COLUMNS)), min_size=2, max_size=6, unique=True)
    )
    header = [draw(st.sampled_from(CONTACT_COLUMNS[c])) for c in columns]
    cell = st.text(alphabet, max_size=12)
    body = draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=8))
    return header, body, encoding


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(table=detectable_tables(), delimiter=st.sampled_from([",", ";", "\t"]))
def test_round_trip_with_detected_format(
    table: tuple[list[str], list[list[str]], str], delimiter: str
) -> None:
    header, body, encoding = table
    with tempfile.TemporaryDirectory() as d:
        _check_round_trip(Path(d), header, body, delimiter, encoding, explicit=False)
