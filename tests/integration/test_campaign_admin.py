"""The admin's campaign, DNC and contact-list commands (issue 14), on both engines:
`campaign list|show|set|pause|resume|archive`, `dnc remove`, `contacts export`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.crm.contacts_export import BOM, export_contacts
from agentdesk.crm.models import Contact, PhoneRecord
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import session_factory
from agentdesk.dialer.campaign_admin import CampaignChanges, update_campaign
from agentdesk.dialer.dnc_remove import remove_numbers
from agentdesk.dialer.models import DncNumber
from agentdesk.domain.enums import AuditAction, PhoneKind, Role
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_user
from agentdesk.org.models import User
from tests.support.logins import give_logins, login_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _audits(sessions: sessionmaker[Session], kind: str) -> list[AuditEntry]:
    with sessions() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.entity_kind == kind).order_by(AuditEntry.at)
            )
        )


def test_campaign_list_show_set_pause_resume_archive(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session]
) -> None:
    assert run(capsys, "campaign", "create", "Renewals", "--db", db_url)[0] == 0
    assert run(capsys, "campaign", "create", "Winback", "--db", db_url)[0] == 0
    code, out, err = run(capsys, "campaign", "set", "Winback", "--script",
                         "Hello {first_name}, this is {agent_name}.", "--window", "09:00-18:00",
                         "--weekdays", "mon-fri", "--max-attempts", "3", "--retry",
                         "no_answer=60", "--retry", "busy=final", "--priority", "5", "--json",
                         "--db", db_url)  # fmt: skip
    assert code == 0, err
    settings = json.loads(out)
    assert settings["window"] == "09:00-18:00" and settings["weekdays"] == [0, 1, 2, 3, 4]
    assert settings["max_attempts"] == 3 and settings["priority"] == 5
    assert settings["retry_rules"]["no_answer"] == {"retry_after_minutes": 60.0}
    assert settings["retry_rules"]["busy"] == {"final": True}
    assert settings["script"].startswith("Hello {first_name}")
    [entry] = _audits(sessions, "campaign")
    assert entry.action is AuditAction.UPDATE
    assert entry.details is not None and entry.details["changed"]["priority"] == 5

    code, out, _ = run(capsys, "campaign", "list", "--db", db_url)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["NAME", "MODE", "STATE"]
    assert lines[1].split()[0] == "Winback"  # the higher priority first
    assert "Mon-Fri" in lines[1] and "every day" in lines[2]

    code, out, _ = run(capsys, "campaign", "show", "Winback", "--db", db_url)
    assert "09:00-18:00 callee time, Mon-Fri" in out and "busy final" in out
    assert "assigned:     everyone" in out

    assert run(capsys, "campaign", "pause", "Winback", "--db", db_url)[1].strip() == (
        "campaign 'Winback' is paused"
    )
    code, out, _ = run(capsys, "campaign", "show", "Winback", "--json", "--db", db_url)
    assert json.loads(out)["active"] is False
    assert "running" in run(capsys, "campaign", "resume", "Winback", "--db", db_url)[1]
    assert run(capsys, "campaign", "archive", "Renewals", "--db", db_url)[0] == 0
    code, out, _ = run(capsys, "campaign", "list", "--json", "--db", db_url)
    assert [c["name"] for c in json.loads(out)] == ["Winback"]
    code, out, _ = run(capsys, "campaign", "list", "--archived", "--json", "--db", db_url)
    assert {c["name"]: c["archived"] for c in json.loads(out)} == {
        "Winback": False,
        "Renewals": True,
    }


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--weekdays", "mon-funday"), "weekdays 'mon-funday'"),
        (("--window", "18:00-09:00"), "must end after it starts"),
        (("--retry", "ringing=5"), "retry rule 'ringing=5'"),
        (("--script", "Hi {frist_name}"), "unknown merge fields in the script: frist_name"),
        ((), "nothing to change"),
    ],
)
def test_campaign_set_refuses_bad_input_with_exit_2(
    capsys: pytest.CaptureFixture[str], db_url: str, argv: tuple[str, ...], message: str
) -> None:
    assert run(capsys, "campaign", "create", "Renewals", "--db", db_url)[0] == 0
    code, out, err = run(capsys, "campaign", "set", "Renewals", *argv, "--db", db_url)
    assert (code, out) == (2, "")
    assert message in err and err.startswith("agentdesk: ")
    code, _, err = run(capsys, "campaign", "show", "Nope", "--db", db_url)
    assert code == 2 and "no campaign named 'Nope'" in err


def test_an_agent_may_not_change_campaigns(sessions: sessionmaker[Session], db_url: str) -> None:
    with sessions.begin() as session:
        session.add(User(username="ag.ent", display_name="Agent", role=Role.AGENT))
        session.add(User(username="su.per", display_name="Super", role=Role.SUPERVISOR))
    assert main(["campaign", "create", "Renewals", "--db", db_url]) == 0
    with pytest.raises(AccessDeniedError, match=r"ag\.ent may not update these campaigns"):
        update_campaign(sessions, "Renewals", CampaignChanges(priority=3), actor="ag.ent")
    changed = update_campaign(sessions, "Renewals", CampaignChanges(priority=3), actor="su.per")
    assert changed["priority"] == 3
    with pytest.raises(AccessDeniedError):
        remove_numbers(sessions, ["+12025550100"], actor="ag.ent")


def test_dnc_remove_is_audited_and_scoped(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session]
) -> None:
    assert run(capsys, "campaign", "create", "Renewals", "--db", db_url)[0] == 0
    assert run(capsys, "dnc", "add", "+12025550100", "+12025550101", "--db", db_url)[0] == 0
    assert (
        run(capsys, "dnc", "add", "+12025550102", "--campaign", "Renewals", "--db", db_url)[0] == 0
    )
    code, out, err = run(capsys, "dnc", "remove", "(202) 555-0100", "+12025550102", "--json",
                         "--db", db_url)  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == {
        "campaign": None,
        "removed": ["+12025550100"],
        "not_listed": ["+12025550102"],  # on the campaign's list, not the global one
    }
    code, out, _ = run(capsys, "dnc", "remove", "+12025550102", "--campaign", "Renewals",
                       "--db", db_url)  # fmt: skip
    assert out.startswith("removed from campaign 'Renewals': 1")
    with sessions() as session:
        assert set(session.scalars(select(DncNumber.e164))) == {"+12025550101"}
    entries = _audits(sessions, "dnc")
    assert [(e.action, e.details) for e in entries] == [
        (AuditAction.DELETE, {"numbers": ["+12025550100"], "campaign": None}),
        (AuditAction.DELETE, {"numbers": ["+12025550102"], "campaign": "Renewals"}),
    ]
    code, _, err = run(capsys, "dnc", "remove", "not-a-number", "--db", db_url)
    assert code == 2 and "cannot read 'not-a-number'" in err


def _contact(sessions: sessionmaker[Session], first: str, last: str, phone: str) -> None:
    with sessions.begin() as session:
        contact = Contact(first_name=first, last_name=last, country="CN", city="上海")
        session.add(contact)
        session.flush()
        session.add(
            PhoneRecord(raw=phone, e164=phone, kind=PhoneKind.MOBILE, contact_id=contact.id)
        )


def test_contacts_export_csv_with_bom_and_xlsx(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    sessions: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    _contact(sessions, "磊", "赵", "+8613800138000")
    _contact(sessions, "Ada", "Lovelace", "+442079460018")
    code, out, err = run(capsys, "contacts", "export", "--db", db_url)
    assert code == 0, err
    assert out.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(out.removeprefix(BOM))))
    assert [(r["last_name"], r["phones"], r["city"]) for r in rows] == [
        ("赵", "+8613800138000", "上海"),
        ("Lovelace", "+442079460018", "上海"),
    ]
    target = tmp_path / "contacts.xlsx"
    code, _, err = run(capsys, "contacts", "export", "--format", "xlsx", "--out", str(target),
                       "--db", db_url)  # fmt: skip
    assert code == 0 and "exported 2 contacts" in err
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("first_name", "last_name") and values[1][:2] == ("磊", "赵")
    audits = _audits(sessions, "contact")
    exports = [e.details for e in audits if e.action is AuditAction.EXPORT]
    assert exports == [
        {"export": "contacts", "format": "csv", "rows": 2},
        {"export": "contacts", "format": "xlsx", "rows": 2},
    ]
    code, _, err = run(capsys, "contacts", "export", "--format", "xlsx", "--db", db_url)
    assert code == 2 and "--out FILE" in err


def test_contacts_export_needs_the_export_capability(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        session.add(User(username="ag.ent", display_name="Agent", role=Role.AGENT))
        session.add(User(username="ad.min", display_name="Admin", role=Role.ADMIN))
    _contact(sessions, "Ada", "Lovelace", "+442079460018")
    with pytest.raises(AccessDeniedError, match=r"ag\.ent may not export"):
        export_contacts(sessions, fmt="csv", actor="ag.ent")
    assert len(export_contacts(sessions, fmt="csv", actor="ad.min")) == 1


def test_as_desk_logins_on_postgresql(
    capsys: pytest.CaptureFixture[str], pg_engine: Engine, pg_database_url: str
) -> None:
    """The CLI acts as the connection's user: a supervisor's login changes campaigns and DNC
    lists (the service and the row policies agree), an agent's login is told it may not."""
    sessions = session_factory(pg_engine)
    add_user(sessions, "sup.sue", name="Sue", role="supervisor")
    add_user(sessions, "agt.amy", name="Amy", role="agent")
    give_logins(sessions, ["sup.sue", "agt.amy"])
    assert run(capsys, "campaign", "create", "Renewals", "--db", pg_database_url)[0] == 0
    assert run(capsys, "dnc", "add", "+12025550100", "--db", pg_database_url)[0] == 0
    _contact(sessions, "Ada", "Lovelace", "+442079460018")
    sue, amy = login_url(pg_database_url, "sup.sue"), login_url(pg_database_url, "agt.amy")

    code, _, err = run(capsys, "campaign", "set", "Renewals", "--priority", "4", "--db", amy)
    assert code == 2 and "agt.amy may not update these campaigns" in err
    code, out, err = run(capsys, "campaign", "set", "Renewals", "--priority", "4", "--json",
                         "--db", sue)  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["priority"] == 4
    assert run(capsys, "campaign", "pause", "Renewals", "--db", sue)[0] == 0
    assert run(capsys, "dnc", "remove", "+12025550100", "--db", amy)[0] == 2
    code, out, err = run(capsys, "dnc", "remove", "+12025550100", "--json", "--db", sue)
    assert code == 0, err
    assert json.loads(out)["removed"] == ["+12025550100"]
    code, _, err = run(capsys, "contacts", "export", "--db", amy)
    assert code == 2 and "agt.amy may not export" in err
    code, out, err = run(capsys, "contacts", "export", "--db", sue)
    assert code == 0 and "Lovelace" in out, err
    assert run(capsys, "campaign", "archive", "Renewals", "--db", sue)[0] == 0
    with sessions() as session:
        actors = {
            (e.entity_kind, e.actor)
            for e in session.scalars(select(AuditEntry).where(AuditEntry.entity_kind != "user"))
        }
    assert {("campaign", "sup.sue"), ("dnc", "sup.sue"), ("contact", "sup.sue")} <= actors
