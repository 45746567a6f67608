"""The commands' output for people (issue 14): tables and summaries, never a Python repr, a
column of digits or a dict; ``lookup`` shows the history the README promises."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dto import CallbackRequest, CallFacts, WrapUp
from agentdesk.calls.log import CallLog
from agentdesk.cli.main import main
from agentdesk.crm.models import Contact, Opportunity, PhoneRecord, ServiceCase
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.enums import CallDirection, OpportunityStage

PYTHON_LOOKS = re.compile(r"[{}]|\w+\(\w+=|^\s*\d\s*$", re.MULTILINE)
"""A dict, a dataclass repr, or a line holding one digit (a list printed item by item)."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_data_prints_a_table_of_what_it_added(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    code, out, _ = run(capsys, "demo-data", "--contacts", "12", "--db", db_url)

    assert code == 0
    assert not PYTHON_LOOKS.search(out), out
    assert out.startswith("Demo data added in ")
    rows = {line.split()[0]: line.split()[-1] for line in out.splitlines()[2:]}
    assert rows["contacts"] == "12" and rows["dispositions"] == "12"
    code, _, err = run(capsys, "demo-data", "--contacts", "0", "--db", db_url)
    assert code == 2 and "--contacts must be 1 or more" in err


def test_campaign_create_names_the_weekdays_and_import_tables_the_rejected_rows(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "campaign", "create", "Renewals", "--window", "09:00-18:00",
                       "--db", db_url)  # fmt: skip

    assert code == 0
    assert not PYTHON_LOOKS.search(out), out
    assert "weekdays: Mon Tue Wed Thu Fri Sat Sun" in out.splitlines()
    assert "  busy: retry after 15 min" in out.splitlines()
    assert "  declined: no retry" in out.splitlines()

    csv = tmp_path / "list.csv"
    csv.write_text("name,phone\nAda Lovelace,+44 20 7946 0018\nBad Row,12345\n", "utf-8")
    code, out, _ = run(capsys, "campaign", "import", "Renewals", str(csv), "--region", "GB",
                       "--db", db_url)  # fmt: skip

    assert code == 1
    assert "{" not in out and "'line'" not in out, out
    lines = out.splitlines()
    assert "imported: 1" in lines and "rejected: 1" in lines
    header = lines[lines.index("rejected: 1") + 1].split()
    assert header[:2] == ["line", "reason"]
    assert lines[lines.index("rejected: 1") + 2].split()[0] == "3"


def test_lookup_shows_the_history(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        ensure_default_dispositions(session)
        ada = Contact(first_name="Ada", last_name="Lovelace", country="GB")
        session.add(ada)
        session.flush()
        session.add(PhoneRecord(raw="020 7946 0018", e164="+442079460018", contact_id=ada.id))
        session.add(ServiceCase(subject="Broken engine", contact_id=ada.id))
        deal = Opportunity(name="Analytical engine", contact_id=ada.id, amount=Decimal("1500"))
        deal.stage = OpportunityStage.PROPOSAL
        session.add(deal)
        ada_id = ada.id
    start = datetime.now(UTC) - timedelta(days=1)
    CallLog(sessions).save_wrapup(
        WrapUp(
            disposition_code="interested",
            notes="wants a quote",
            facts=CallFacts(
                direction=CallDirection.INBOUND,
                started_at=start,
                answered_at=start + timedelta(seconds=3),
                ended_at=start + timedelta(seconds=63),
                remote_e164="+442079460018",
                contact_id=ada_id,
            ),
            callback=CallbackRequest(due_at=datetime.now(UTC) + timedelta(hours=2), note="quote"),
        )
    )

    code, out, _ = run(capsys, "lookup", "020 7946 0018", "--region", "GB", "--db", db_url)

    assert code == 0
    assert not PYTHON_LOOKS.search(out), out
    assert out.startswith("+442079460018: contact Ada Lovelace  id ")
    calls = out.splitlines()[out.splitlines().index("  last calls:") + 2]
    assert calls.split()[2:6] == ["inbound", "Interested", "60", "s"]
    assert calls.endswith("wants a quote")
    assert "Broken engine" in out and "Analytical engine" in out and "1,500.00" in out
    assert "quote" in out.split("callbacks due:")[1]


def test_callbacks_list_is_a_table(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        ensure_default_dispositions(session)
    now = datetime.now(UTC)
    CallLog(sessions).save_wrapup(
        WrapUp(
            disposition_code="callback",
            facts=CallFacts(
                direction=CallDirection.OUTBOUND,
                started_at=now - timedelta(minutes=5),
                ended_at=now - timedelta(minutes=4),
                remote_e164="+12025550100",
            ),
            callback=CallbackRequest(
                due_at=now - timedelta(minutes=1), note="call back", phone_e164="+12025550100"
            ),
        )
    )

    code, out, _ = run(capsys, "callbacks", "list", "--db", db_url)

    assert code == 0
    header, row, zone = out.splitlines()
    assert header.split() == ["due", "state", "agent", "name", "phone", "note"]
    assert row.split()[2:] == ["due", "anyone", "-", "+12025550100", "call", "back"]
    assert zone.startswith("times in ")
