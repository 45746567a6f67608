"""``agentdesk calls export`` for people (issue 14): CSV with a BOM (a file and standard output),
the disposition's label, local times with their offset and zone, and an XLSX workbook."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dto import CallFacts, WrapUp
from agentdesk.calls.log import CallLog
from agentdesk.cli.main import main
from agentdesk.crm.models import Contact
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.enums import CallDirection

START = datetime(2026, 11, 20, 9, 0, 0, 250000, tzinfo=UTC)
BOM = "\ufeff"


@pytest.fixture
def one_call(sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    """An answered call from 王小明, wrapped up as "No answer" by nobody in particular."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    with sessions.begin() as session:
        ensure_default_dispositions(session)
        contact = Contact(first_name="小明", last_name="王", country="CN")
        session.add(contact)
        session.flush()
        contact_id = contact.id
    CallLog(sessions).save_wrapup(
        WrapUp(
            disposition_code="no_answer",
            notes="回电",
            facts=CallFacts(
                direction=CallDirection.INBOUND,
                started_at=START,
                answered_at=START + timedelta(seconds=4),
                ended_at=START + timedelta(seconds=64),
                remote_e164="+8613800138000",
                contact_id=contact_id,
            ),
        )
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_on_standard_output_has_a_bom_labels_and_local_times(
    capsys: pytest.CaptureFixture[str], db_url: str, one_call: None
) -> None:
    code, out, _ = run(capsys, "calls", "export", "--tz", "Asia/Shanghai", "--db", db_url)

    assert code == 0
    assert out.startswith(BOM + "direction,")  # Excel reads a UTF-8 file as such only with one
    (row,) = csv.DictReader(io.StringIO(out.removeprefix(BOM)))
    assert (row["disposition"], row["disposition_label"]) == ("no_answer", "No answer")
    assert row["started_at"] == "2026-11-20T17:00:00.250+08:00"
    assert row["ended_at"] == "2026-11-20T17:01:04.250+08:00"
    assert row["time_zone"] == "Asia/Shanghai"
    assert (row["contact_name"], row["notes"]) == ("王小明", "回电")


def test_csv_to_a_file_has_the_bom_and_the_chinese_label_in_a_chinese_locale(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    one_call: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    out_file = tmp_path / "calls.csv"

    code, out, _ = run(capsys, "calls", "export", "--out", str(out_file), "--db", db_url)

    assert code == 0 and out == ""
    data = out_file.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfdirection,")
    (row,) = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    assert row["disposition_label"] == "无人接听"
    assert row["time_zone"]  # this machine's zone, named


def test_json_keeps_utc_times_and_gets_the_label(
    capsys: pytest.CaptureFixture[str], db_url: str, one_call: None
) -> None:
    code, out, _ = run(capsys, "calls", "export", "--format", "json", "--db", db_url)

    assert code == 0 and not out.startswith(BOM)
    (row,) = json.loads(out)
    assert row["started_at"] == "2026-11-20T09:00:00.250Z"
    assert row["disposition_label"] == "No answer" and "time_zone" not in row


def test_xlsx_workbook(
    capsys: pytest.CaptureFixture[str], db_url: str, one_call: None, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "calls.xlsx"
    code, _, _ = run(
        capsys, "calls", "export", "--format", "xlsx", "--out", str(path),
        "--tz", "Europe/Berlin", "--db", db_url,
    )  # fmt: skip

    assert code == 0
    sheet = load_workbook(path, read_only=True).active
    header, row = ([cell.value for cell in r] for r in sheet.iter_rows())
    values = dict(zip(header, row, strict=True))
    assert values["started_at"] == datetime(2026, 11, 20, 10, 0, 0, 250000)  # a date-time cell
    assert (values["time_zone"], values["disposition_label"]) == ("Europe/Berlin", "No answer")
    assert (values["contact_name"], values["talk_seconds"]) == ("王小明", 60)


def test_xlsx_needs_a_file_and_an_unknown_zone_is_refused(
    capsys: pytest.CaptureFixture[str], db_url: str, one_call: None
) -> None:
    code, out, err = run(capsys, "calls", "export", "--format", "xlsx", "--db", db_url)
    assert (code, out) == (2, "") and "--out FILE" in err
    code, _, err = run(capsys, "calls", "export", "--tz", "Mars/Olympus", "--db", db_url)
    assert code == 2 and "unknown time zone 'Mars/Olympus'" in err
