"""Filling campaigns (CSV, CRM query, leads) and DNC files on both engines."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.importing.csv_encoding import ImportFileError
from agentdesk.crm.models import Call, Contact, Lead, PhoneRecord
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import unit_of_work
from agentdesk.dialer import commands
from agentdesk.dialer.campaigns import DialerError
from agentdesk.dialer.loader import ContactQuery, LeadQuery, fill_from_contacts, fill_from_leads
from agentdesk.dialer.models import Campaign, CampaignEntry, CampaignZone, DncNumber
from agentdesk.domain.enums import CallDirection, LeadStatus, PhoneKind
from agentdesk.org.models import User

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


def write(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def entries(sessions: sessionmaker[Session]) -> dict[str, CampaignEntry]:
    with sessions() as s:
        return {e.e164: e for e in s.scalars(select(CampaignEntry))}


def test_csv_import_rules_rejects_and_exit_status(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    commands.campaign_create(sessions, "Spring", window="09:00-18:00", max_attempts=3)
    commands.dnc_add(sessions, ["+1 212 555 0105"])
    source = write(
        tmp_path / "list.csv",
        [
            ["Name", "Company", "Phone", "Country", "Time zone"],
            ["Ada Lovelace", "Analytical", "(212) 555-0101", "", ""],
            ["王小明", "华信", "138 0013 8000", "中国", ""],
            ["Bad Number", "", "12345", "", ""],
            ["No Phone", "ACME", "", "", ""],
            ["Ada Again", "", "+1 212 555 0101", "", ""],
            ["Paul", "", "212-555-0102", "", "Europe/Paris"],
            ["Zed", "", "212-555-0103", "", "Mars/Olympus"],
            ["Listed", "", "212 555 0105", "", ""],
            ["Short", "row"],
        ],
    )
    result = commands.campaign_import(sessions, "Spring", source, region="US", actor="admin")
    assert (result["imported"], result["duplicates"], result["dnc"]) == (4, 1, 1)
    reasons = {r["line"]: r["reason"] for r in result["rejected"]}
    assert set(reasons) == {4, 5, 8, 10}
    assert "12345" in reasons[4] and reasons[5] == "no phone number"
    assert "Mars/Olympus" in reasons[8] and reasons[10] == "expected 5 fields, found 2"
    assert result["rejected"][0]["row"]["Name"] == "Bad Number"
    assert commands.exit_status(result) == 1
    reject_file = Path(result["reject_file"])
    assert reject_file == tmp_path / "list.rejects.csv"
    with reject_file.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == ["line", "reason", "Name", "Company", "Phone", "Country", "Time zone"]
    assert [row[0] for row in lines[1:]] == ["4", "5", "8", "10"]

    loaded = entries(sessions)
    ada, li, paul = loaded["+12125550101"], loaded["+8613800138000"], loaded["+12125550102"]
    assert (ada.first_name, ada.last_name, ada.company, ada.zone_key) == (
        "Ada",
        "Lovelace",
        "Analytical",
        "America/New_York",
    )
    assert (li.first_name, li.last_name, li.country, li.zone_key) == (
        "小明",
        "王",
        "CN",
        "Asia/Shanghai",
    )
    assert (paul.time_zone, paul.zone_key) == ("Europe/Paris", "Europe/Paris")
    assert loaded["+12125550105"].status == "dnc"
    with sessions() as s:
        zones = dict(s.execute(select(CampaignZone.zone_key, CampaignZone.zones)).all())
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_kind == "campaign_entry")
        ).one()
    assert zones == {
        "America/New_York": "America/New_York",
        "Asia/Shanghai": "Asia/Shanghai",
        "Europe/Paris": "Europe/Paris",
    }
    assert audit.actor == "admin" and audit.details is not None
    assert audit.details["imported"] == 4

    # Importing the same file again: everything is a duplicate; a clean file exits 0.
    again = commands.campaign_import(sessions, "Spring", source, region="US")
    assert (again["imported"], again["duplicates"]) == (0, 5)
    clean = write(tmp_path / "clean.csv", [["电话", "姓名"], ["13900139000", "李四"]], "gb18030")
    ok = commands.campaign_import(sessions, "Spring", clean, region="CN")
    assert ok["imported"] == 1 and ok["reject_file"] is None and commands.exit_status(ok) == 0
    assert entries(sessions)["+8613900139000"].last_name == "李"


def test_csv_import_unusable_files(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    commands.campaign_create(sessions, "Spring")
    no_phone = write(tmp_path / "names.csv", [["Name", "Email"], ["Ada", "ada@example.com"]])
    with pytest.raises(ImportFileError, match="no phone column"):
        commands.campaign_import(sessions, "Spring", no_phone, region="US")
    with pytest.raises(ImportFileError, match="not found"):
        commands.campaign_import(sessions, "Spring", tmp_path / "missing.csv", region="US")
    with pytest.raises(DialerError, match="no campaign"):
        commands.campaign_import(sessions, "Nope", no_phone, region="US")
    assert not (tmp_path / "names.rejects.csv").exists()


def test_campaign_create_validates(sessions: sessionmaker[Session]) -> None:
    created = commands.campaign_create(
        sessions, "Q4", mode="progressive", window="10:00-19:30", max_attempts=2
    )
    assert (created["mode"], created["window"], created["max_attempts"]) == (
        "progressive",
        "10:00-19:30",
        2,
    )
    assert created["retry_rules"]["no_answer"] == {"retry_after_minutes": 120}
    assert created["retry_rules"]["declined"] == {"final": True}
    with pytest.raises(DialerError, match="already exists"):
        commands.campaign_create(sessions, "Q4")
    for kwargs, message in (
        ({"mode": "robo"}, "unknown mode"),
        ({"window": "21:00-08:00"}, "end after"),
        ({"max_attempts": 0}, "max attempts"),
        ({"script": "Hi {frist_name}"}, "frist_name"),
    ):
        with pytest.raises(DialerError, match=message):
            commands.campaign_create(sessions, "Other", **kwargs)  # type: ignore[arg-type]


def test_dnc_files_text_and_csv(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    commands.campaign_create(sessions, "Spring")
    plain = tmp_path / "dnc.txt"
    plain.write_text("+1 212 555 0101\n(212) 555-0102\nnot a number\n\n0044 20 7946 0018\n")
    result = commands.dnc_import(sessions, plain, region="US")
    assert (result["added"], result["already_listed"]) == (3, 0)
    assert [(r["line"], r["reason"]) for r in result["rejected"]] == [
        (3, "'not a number' is not a phone number")
    ]
    assert commands.exit_status(result) == 1 and Path(result["reject_file"]).exists()
    table = write(
        tmp_path / "dnc.csv", [["客户", "手机号码"], ["张三", "13800138000"], ["x", "+12125550101"]]
    )
    per_campaign = commands.dnc_import(sessions, table, campaign="Spring", region="CN")
    assert (per_campaign["added"], per_campaign["already_listed"]) == (2, 0)
    assert commands.exit_status(per_campaign) == 0
    again = commands.dnc_add(sessions, ["+12125550101", "+12125550101"])
    assert (again["added"], again["already_listed"]) == (0, 2)
    with sessions() as s:
        rows = s.execute(select(DncNumber.e164, DncNumber.campaign_id.is_(None))).all()
    assert sorted((e, bool(g)) for e, g in rows) == [
        ("+12125550101", False),
        ("+12125550101", True),
        ("+12125550102", True),
        ("+442079460018", True),
        ("+8613800138000", False),
    ]
    with pytest.raises(DialerError, match="cannot read"):
        commands.dnc_add(sessions, ["hello"])


def test_fill_from_a_saved_contact_query_and_from_leads(sessions: sessionmaker[Session]) -> None:
    commands.campaign_create(sessions, "Berlin")
    with unit_of_work(sessions) as s:
        s.add(User(username="ada", display_name="Ada"))
        people = {
            name: Contact(first_name=name, last_name="Test", city=city, country="DE")
            for name, city in (("Fresh", "Berlin"), ("Recent", "berlin"), ("Old", "Berlin"))
        }
        people["Elsewhere"] = Contact(first_name="Elsewhere", city="Munich", country="DE")
        s.add_all(people.values())
        s.flush()
        for i, contact in enumerate(people.values()):
            s.add(
                PhoneRecord(
                    raw=f"030 1234567{i}",
                    e164=f"+49301234567{i}",
                    kind=PhoneKind.WORK,
                    contact_id=contact.id,
                )
            )
        s.add(
            PhoneRecord(
                raw="0151 23456789",
                e164="+4915123456789",
                kind=PhoneKind.MOBILE,
                contact_id=people["Fresh"].id,
            )
        )
        s.add(
            Call(
                direction=CallDirection.OUTBOUND,
                started_at=NOW - timedelta(days=3),
                contact_id=people["Recent"].id,
            )
        )
        s.add(
            Call(
                direction=CallDirection.OUTBOUND,
                started_at=NOW - timedelta(days=90),
                contact_id=people["Old"].id,
            )
        )
        lead = Lead(first_name="Lena", company="Startup", status=LeadStatus.NEW)
        lost = Lead(first_name="Lost", status=LeadStatus.DISQUALIFIED)
        s.add_all([lead, lost])
        s.flush()
        s.add(PhoneRecord(raw="+49 89 1234567", e164="+49891234567", lead_id=lead.id))
        s.add(PhoneRecord(raw="+49 89 7654321", e164="+49897654321", lead_id=lost.id))

    query = ContactQuery(city="Berlin", no_call_in_days=30)
    result = fill_from_contacts(sessions, "Berlin", query, now=NOW)
    assert (result.imported, result.duplicates) == (2, 0)
    loaded = entries(sessions)
    # One number per contact, mobile first; the contact called 3 days ago is left out.
    assert set(loaded) == {"+4915123456789", "+493012345672"}
    assert loaded["+4915123456789"].contact_id == people["Fresh"].id
    assert loaded["+4915123456789"].zone_key == "Europe/Berlin"
    with sessions() as s:
        saved = s.scalars(select(Campaign.source_query)).one()
    assert saved == {
        "kind": "contacts",
        "city": "Berlin",
        "country": None,
        "no_call_in_days": 30,
        "owner": None,
    }
    assert fill_from_contacts(sessions, "Berlin", query, now=NOW).duplicates == 2

    leads = fill_from_leads(sessions, "Berlin", LeadQuery())
    assert leads.imported == 1
    assert entries(sessions)["+49891234567"].lead_id == lead.id
    assert entries(sessions)["+49891234567"].company == "Startup"


def test_parallel_parsing_gives_the_same_result(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    rows = [["Name", "Phone", "Country"]]
    for i in range(300):
        rows.append([f"Person {i}", f"(212) 555-{i:04d}" if i % 50 else "555", "US"])
    rows.append(["Li", "13800138000", "CN"])
    source = write(tmp_path / "many.csv", rows)
    commands.campaign_create(sessions, "One")
    commands.campaign_create(sessions, "Two")
    from agentdesk.dialer import csv_fill

    single = csv_fill.import_csv(sessions, "One", source, default_region="US", workers=1)
    single_rejects = (tmp_path / "many.rejects.csv").read_bytes()
    parallel = csv_fill.import_csv(sessions, "Two", source, default_region="US", workers=2)
    assert (parallel.imported, parallel.duplicates, parallel.rejected) == (
        single.imported,
        single.duplicates,
        single.rejected,
    )
    assert single.imported == 295 and [r.line for r in single.rejected] == [
        2,
        52,
        102,
        152,
        202,
        252,
    ]
    assert (tmp_path / "many.rejects.csv").read_bytes() == single_rejects
    with sessions() as s:
        by_campaign = s.execute(
            select(Campaign.name, CampaignEntry.e164, CampaignEntry.zone_key)
            .join(Campaign, Campaign.id == CampaignEntry.campaign_id)
            .order_by(CampaignEntry.e164)
        ).all()
    one = [(e, z) for name, e, z in by_campaign if name == "One"]
    two = [(e, z) for name, e, z in by_campaign if name == "Two"]
    assert one == two and ("+8613800138000", "Asia/Shanghai") in one
