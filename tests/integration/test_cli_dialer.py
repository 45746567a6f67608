"""`agentdesk campaign ...` and `agentdesk dnc ...` on both engines."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli import main
from agentdesk.crm.models import User


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_campaign_round_trip(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    sessions: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    with sessions.begin() as session:
        session.add(User(username="li.na", display_name="Li Na"))
    code, out, err = run(capsys, "campaign", "create", "Renewals", "--mode", "progressive",
                         "--window", "09:00-18:00", "--max-attempts", "3", "--json",
                         "--db", db_url)  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["name"] == "Renewals"

    csv = tmp_path / "list.csv"
    csv.write_text(
        "name,phone\nAda Lovelace,+44 20 7946 0018\nGrace Hopper,+44 20 7946 0019\nBad Row,12345\n",
        "utf-8",
    )
    code, out, _ = run(capsys, "campaign", "import", "Renewals", str(csv), "--region", "GB",
                       "--json", "--db", db_url)  # fmt: skip
    assert code == 1
    loaded = json.loads(out)
    assert loaded["imported"] == 2
    assert [r["line"] for r in loaded["rejected"]] == [4]

    code, out, _ = run(capsys, "dnc", "add", "020 7946 0018", "--region", "GB", "--db", db_url)
    assert code == 0

    # 10:00 UTC (10:00 or 11:00 in London) on a Tuesday in the future, when the fresh entries
    # are eligible: inside the window; the DNC number is never offered.
    day = datetime.now(UTC).date() + timedelta(days=7)
    day += timedelta(days=(1 - day.weekday()) % 7)
    at = f"{day}T10:00:00Z"
    code, out, _ = run(capsys, "campaign", "next", "Renewals", "--agent", "li.na", "--at", at,
                       "--dry-run", "--json", "--db", db_url)  # fmt: skip
    assert code == 0
    picked = json.loads(out)
    assert picked["entry"]["phone"] == "+442079460019"

    code, out, _ = run(capsys, "campaign", "next", "Renewals", "--agent", "li.na",
                       "--at", f"{day}T22:00:00Z", "--json", "--db", db_url)  # fmt: skip
    assert code == 0
    late = json.loads(out)
    assert late["entry"] is None
    assert late["blocked"]

    code, out, _ = run(capsys, "campaign", "status", "Renewals", "--json", "--db", db_url)
    assert code == 0
    assert json.loads(out)

    code, _, err = run(capsys, "campaign", "next", "Nope", "--agent", "li.na", "--db", db_url)
    assert code == 2
    assert "Nope" in err
    code, _, err = run(capsys, "dnc", "add", "not-a-number", "--db", db_url)
    assert code == 2
    assert "cannot read" in err
