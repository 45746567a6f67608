"""``agentdesk case`` and ``agentdesk business-hours`` on both engines: JSON keys, times with
offsets, exit status 2 with a clear message for bad input."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.crm.models import Contact
from agentdesk.db.engine import unit_of_work

HOURS = """
timezone = "Europe/Berlin"
mon = "09:00-17:00"
tue = "09:00-17:00"
wed = "09:00-17:00"
thu = "09:00-17:00"
fri = "09:00-13:00"
holidays = ["2025-12-24", "2025-12-25"]
"""


def run(capsys: pytest.CaptureFixture[str], db_url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", db_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], db_url: str, *argv: str) -> object:
    code, out, err = run(capsys, db_url, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def contact(sessions: sessionmaker[Session]) -> str:
    with unit_of_work(sessions) as s:
        row = Contact(first_name="Anna", last_name="Schmidt")
        s.add(row)
        s.flush()
        return str(row.id)


def test_business_hours_then_a_case_with_its_due_times(
    capsys: pytest.CaptureFixture[str], db_url: str, contact: str, tmp_path: Path
) -> None:
    hours = tmp_path / "hours.toml"
    hours.write_text(HOURS, encoding="utf-8")
    shown = run_json(capsys, db_url, "business-hours", "import", str(hours))
    assert shown == run_json(capsys, db_url, "business-hours", "show")
    assert shown["timezone"] == "Europe/Berlin"  # type: ignore[index]
    assert shown["hours"]["fri"] == "09:00-13:00"  # type: ignore[index]
    made = run_json(
        capsys, db_url, "case", "create", "--contact", contact, "--subject", "Router dead",
        "--category", "hardware", "--opened-at", "2025-12-23T15:30:00+01:00",
    )  # fmt: skip
    assert isinstance(made, dict)
    assert made["number"] == "CS-2025-00001" and made["priority"] == "normal"
    berlin = ZoneInfo("Europe/Berlin")
    due = {k: datetime.fromisoformat(made[k]) for k in ("first_response_due", "resolution_due")}
    assert all(v.tzinfo is not None for v in due.values())
    assert datetime.fromisoformat(made["created_at"]).tzinfo is not None
    # 1.5 h on Tuesday 23rd, the 24th and 25th are holidays, Friday 26th -> 11:30
    assert due["first_response_due"] == datetime(2025, 12, 26, 11, 30, tzinfo=berlin)
    # 24 h: Tue 1.5 + Fri 4 + Mon 8 + Tue 8 + Wed 2.5 -> Wednesday 31st 11:30
    assert due["resolution_due"] == datetime(2025, 12, 31, 11, 30, tzinfo=berlin)

    listed = run_json(capsys, db_url, "case", "list", "--breached")
    assert [c["number"] for c in listed] == ["CS-2025-00001"]  # type: ignore[union-attr, index]
    moved = run_json(capsys, db_url, "case", "set", "CS-2025-00001", "--status", "resolved",
                     "--resolution", "new router")  # fmt: skip
    assert moved["status"] == "resolved" and moved["resolution_breached"]  # type: ignore[index]
    assert run_json(capsys, db_url, "case", "list") == []
    code, out, _ = run(capsys, db_url, "case", "list")
    assert code == 0 and out.strip() == "no cases"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("case", "set", "CS-2026-09999", "--status", "closed"), "no case numbered"),
        (("case", "create", "--contact", "nope", "--subject", "x"), "not a record id"),
        (("case", "create", "--contact", str(uuid.uuid4()), "--subject", "x"), "does not exist"),
        (("case", "create", "--contact", "{contact}", "--subject", "x", "--opened-at",
          "2026-12-01T09:00"), "needs its offset"),
        (("case", "list", "--mine"), "--mine needs a user"),
    ],
)  # fmt: skip
def test_bad_case_input_is_exit_2(
    capsys: pytest.CaptureFixture[str], db_url: str, contact: str,
    argv: tuple[str, ...], message: str,
) -> None:  # fmt: skip
    code, out, err = run(capsys, db_url, *(a.replace("{contact}", contact) for a in argv))
    assert code == 2 and message in err and out == ""


def test_a_status_move_the_rule_refuses_is_exit_2(
    capsys: pytest.CaptureFixture[str], db_url: str, contact: str
) -> None:
    run_json(capsys, db_url, "case", "create", "--contact", contact, "--subject", "x")
    run_json(capsys, db_url, "case", "set", f"CS-{datetime.now(UTC).year}-00001",
             "--status", "closed")  # fmt: skip
    code, _, err = run(capsys, db_url, "case", "set", f"CS-{datetime.now(UTC).year}-00001",
                       "--status", "waiting_on_customer")  # fmt: skip
    assert code == 2 and "cannot go from closed to waiting_on_customer" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('timezone = "Mars/Olympus"\nmon = "09:00-18:00"\n', "unknown time zone 'Mars/Olympus'"),
        ('timezone = "UTC"\nmon = "18:00-09:00"\n', "opening must be before closing"),
        ('timezone = "UTC"\nmon = "9-5"\n', "write them as 09:00-18:00"),
        ('timezone = "UTC"\n', "at least one open weekday"),
        ('timezone = "UTC"\nmon = "09:00-18:00"\nholidays = ["soon"]\n', "not an ISO date"),
        ('mon = "09:00-18:00"\n', "timezone is missing"),
        ('timezone = "UTC"\nmonday = "09:00-18:00"\n', "unknown keys: monday"),
    ],
)
def test_a_bad_calendar_is_exit_2_and_keeps_the_old_one(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path, content: str, message: str
) -> None:
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text(HOURS, encoding="utf-8")
    bad.write_text(content, encoding="utf-8")
    run_json(capsys, db_url, "business-hours", "import", str(good))
    code, out, err = run(capsys, db_url, "business-hours", "import", str(bad))
    assert code == 2 and message in err and out == ""
    shown = run_json(capsys, db_url, "business-hours", "show")
    assert shown["timezone"] == "Europe/Berlin"  # type: ignore[index]


def test_escalate_as_of_a_time(
    capsys: pytest.CaptureFixture[str], db_url: str, contact: str, tmp_path: Path
) -> None:
    hours = tmp_path / "hours.toml"
    hours.write_text(HOURS, encoding="utf-8")
    run_json(capsys, db_url, "business-hours", "import", str(hours))
    made = run_json(capsys, db_url, "case", "create", "--contact", contact, "--subject", "Down",
                    "--priority", "high", "--opened-at", "2025-12-22T09:00:00+01:00")  # fmt: skip
    number = made["number"]  # type: ignore[index]
    # high: 2 h to respond; at 10:30 75 % is used, at 10:36 80 %
    assert run_json(capsys, db_url, "case", "escalate", "--at", "2025-12-22T10:30:00+01:00") == []
    done = run_json(capsys, db_url, "case", "escalate", "--at", "2025-12-22T10:36:00+01:00")
    assert done == [{"number": number, "priority": "urgent", "reason": "first_response_near"}]
    assert run_json(capsys, db_url, "case", "escalate", "--at", "2025-12-22T10:40:00+01:00") == []


def test_until_an_import_the_office_hours_are_in_the_configured_zone(
    capsys: pytest.CaptureFixture[str], db_url: str, contact: str, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[service]\ntimezone = "Asia/Tokyo"\n', encoding="utf-8")
    shown = run_json(capsys, db_url, "--config", str(config), "business-hours", "show")
    assert shown == {
        "timezone": "Asia/Tokyo",
        "hours": dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "09:00-18:00"),
        "holidays": [],
    }
    made = run_json(capsys, db_url, "--config", str(config), "case", "create", "--contact",
                    contact, "--subject", "x", "--priority", "urgent",
                    "--opened-at", "2025-12-05T17:30:00+09:00")  # fmt: skip
    # Friday 17:30 in Tokyo: half an hour left, then Monday 09:30
    due = datetime.fromisoformat(made["first_response_due"])  # type: ignore[index]
    assert due == datetime(2025, 12, 8, 9, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    config.write_text('[service]\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    code, out, err = run(capsys, db_url, "--config", str(config), "business-hours", "show")
    assert out == ""
    assert code == 2 and "[service] timezone" in err and "Mars/Olympus" in err
