"""`agentdesk campaign ...` and `agentdesk dnc ...` on both engines."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.crm.models import Call, Contact, Lead, PhoneRecord
from agentdesk.dialer.models import CampaignEntry
from agentdesk.domain.enums import CallDirection, LeadStatus, PhoneKind
from agentdesk.org.models import User


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


def test_campaign_fill_from_contacts_and_leads(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session]
) -> None:
    now = datetime.now(UTC)
    with sessions.begin() as session:
        people = {
            name: Contact(first_name=name, last_name="Test", city=city, country="DE")
            for name, city in (
                ("Fresh", "Berlin"),
                ("Recent", "berlin"),
                ("Old", "BERLIN"),
                ("Elsewhere", "Munich"),
            )
        }
        session.add_all(people.values())
        session.flush()
        for i, contact in enumerate(people.values()):
            session.add(
                PhoneRecord(
                    raw=f"030 1234567{i}",
                    e164=f"+49301234567{i}",
                    kind=PhoneKind.WORK,
                    contact_id=contact.id,
                )
            )
        session.add(
            Call(
                direction=CallDirection.OUTBOUND,
                started_at=now - timedelta(days=3),
                contact_id=people["Recent"].id,
            )
        )
        session.add(
            Call(
                direction=CallDirection.INBOUND,
                started_at=now - timedelta(days=45),
                contact_id=people["Old"].id,
            )
        )
        lead = Lead(first_name="Lena", city="Berlin", status=LeadStatus.QUALIFIED, source="fair")
        other = Lead(first_name="Olga", city="Berlin", status=LeadStatus.QUALIFIED, source="web")
        session.add_all([lead, other])
        session.flush()
        session.add(PhoneRecord(raw="+49 89 1234567", e164="+49891234567", lead_id=lead.id))
        session.add(PhoneRecord(raw="+49 89 7654321", e164="+49897654321", lead_id=other.id))
    code, _, err = run(capsys, "campaign", "create", "Berlin", "--db", db_url)
    assert code == 0, err

    code, out, err = run(capsys, "campaign", "fill", "Berlin", "--city", "Berlin",
                         "--no-call-in-days", "30", "--json", "--db", db_url)  # fmt: skip
    assert code == 0, err
    # Fresh and Old (last call 45 days ago); Recent was called 3 days ago, Munich is elsewhere.
    assert json.loads(out) == {"imported": 2, "duplicates": 0, "dnc": 0}
    with sessions() as session:
        loaded = set(session.scalars(select(CampaignEntry.contact_id)))
    assert loaded == {people["Fresh"].id, people["Old"].id}

    code, out, err = run(capsys, "campaign", "fill", "Berlin", "--city", "Berlin",
                         "--db", db_url)  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == ["imported: 1", "duplicates: 2", "dnc: 0"]

    # Leads default to new and contacted: the qualified lead needs --lead-status.
    code, out, _ = run(capsys, "campaign", "fill", "Berlin", "--leads", "--json", "--db", db_url)
    assert (code, json.loads(out)["imported"]) == (0, 0)
    code, out, _ = run(capsys, "campaign", "fill", "Berlin", "--leads", "--lead-status",
                       "qualified", "--lead-source", "fair", "--city", "berlin", "--json",
                       "--db", db_url)  # fmt: skip
    assert (code, json.loads(out)["imported"]) == (0, 1)
    with sessions() as session:
        assert set(session.scalars(select(CampaignEntry.lead_id))) == {None, lead.id}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["Nope", "--city", "Berlin"], "no campaign named 'Nope'"),
        (["Berlin", "--owner", "ghost"], "no active user 'ghost'"),
        (["Berlin", "--leads", "--owner", "li.na"], "--owner cannot be used with --leads"),
        (["Berlin", "--leads", "--lead-status", "hot"], "unknown lead status 'hot'"),
        (["Berlin", "--lead-status", "new"], "--lead-status needs --leads"),
        (["Berlin", "--lead-source", "web"], "--lead-source needs --leads"),
        (["Berlin", "--no-call-in-days", "-1"], "--no-call-in-days must be 0 or more"),
        (["Berlin", "--country", "Germany"], "two-letter code"),
    ],
)
def test_campaign_fill_refuses_unusable_requests(
    capsys: pytest.CaptureFixture[str], db_url: str, argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "campaign", "create", "Berlin", "--db", db_url)
    assert code == 0, err
    code, out, err = run(capsys, "campaign", "fill", *argv, "--db", db_url)
    assert code == 2
    assert out == ""
    assert err.startswith("agentdesk: ") and message in err
    assert "Traceback" not in err
