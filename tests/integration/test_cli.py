"""The `agentdesk` command on both engines: output shapes, exit codes, clear errors."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from agentdesk import __version__
from agentdesk.cli.main import main
from agentdesk.crm.models import Account, Contact, PhoneRecord
from agentdesk.db import migrate
from agentdesk.domain.enums import PhoneKind
from tests.support.pg_server import free_port


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def add_contact(sessions: sessionmaker[Session]) -> Contact:
    with sessions.begin() as session:
        account = Account(name="Acme Trading")
        session.add(account)
        session.flush()
        contact = Contact(first_name="Ada", last_name="Lovelace", account_id=account.id)
        session.add(contact)
        session.flush()
        session.add(
            PhoneRecord(
                raw="(020) 7946-0018",
                e164="+442079460018",
                kind=PhoneKind.WORK,
                contact_id=contact.id,
            )
        )
    return contact


def test_db_upgrade_is_idempotent(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, out, _ = run(capsys, "db", "upgrade", "--db", db_url)
    assert code == 0
    assert f"is at schema {migrate.head_revision()}" in out
    code, out, _ = run(capsys, "--db", db_url, "db", "upgrade")
    assert code == 0


def test_db_upgrade_creates_a_new_sqlite_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "sub" / "fresh.db"
    code, out, _ = run(capsys, "db", "upgrade", "--db", f"sqlite:///{path}")
    assert code == 0, out
    assert path.exists()


def test_lookup_json_finds_contact(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session]
) -> None:
    contact = add_contact(sessions)
    code, out, _ = run(capsys, "lookup", "0044 20 7946 0018", "--region", "US", "--json",
                       "--db", db_url)  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["number"] == "+442079460018"
    assert [(m["kind"], m["id"], m["name"], m["company"]) for m in data["matches"]] == [
        ("contact", str(contact.id), "Ada Lovelace", "Acme Trading")
    ]


def test_lookup_text_output_and_unknown_number(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session]
) -> None:
    add_contact(sessions)
    code, out, _ = run(capsys, "lookup", "020 7946 0018", "--region", "GB", "--db", db_url)
    assert code == 0
    assert "Ada Lovelace (Acme Trading)" in out
    code, out, _ = run(capsys, "lookup", "+1 201 555 0123", "--db", db_url)
    assert code == 0
    assert "no match" in out


@pytest.mark.parametrize("number", ["not a number", "12", "+", "x" * 500])
def test_lookup_unparseable_number_exits_2(
    capsys: pytest.CaptureFixture[str], db_url: str, number: str
) -> None:
    code, out, err = run(capsys, "lookup", number, "--json", "--db", db_url)
    assert code == 2
    assert out == ""
    assert "cannot read" in err
    assert "Traceback" not in err


def test_lookup_unknown_region_exits_2(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, _, err = run(capsys, "lookup", "2015550123", "--region", "ZZZ", "--db", db_url)
    assert code == 2
    assert "unknown region" in err


def test_import_exit_codes_and_json(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("name,phone,email\nAda Lovelace,+44 20 7946 0018,ada@example.com\n", "utf-8")
    code, out, _ = run(capsys, "import", "contacts", str(good), "--json", "--db", db_url)
    assert code == 0
    data = json.loads(out)
    assert (data["imported"], data["duplicates"], data["rejected"]) == (1, 0, [])

    code, out, _ = run(capsys, "import", "contacts", str(good), "--json", "--db", db_url)
    assert code == 0
    assert json.loads(out)["duplicates"] == 1

    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        "name,phone,email\nGrace Hopper,+1 201 555 0123,grace@example.com\nBad Row,12345,\n",
        "utf-8",
    )
    code, out, _ = run(capsys, "import", "contacts", str(mixed), "--region", "US", "--json",
                       "--db", db_url)  # fmt: skip
    assert code == 1
    data = json.loads(out)
    assert data["imported"] == 1
    assert [r["line"] for r in data["rejected"]] == [3]
    assert data["rejected"][0]["row"]["name"] == "Bad Row"
    assert data["rejected"][0]["reason"]


def test_import_unusable_files_exit_2(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "import", "contacts", str(tmp_path / "missing.csv"), "--db", db_url)
    assert code == 2
    assert "no such file" in err
    noheader = tmp_path / "noheader.csv"
    noheader.write_text("foo,bar\n1,2\n", "utf-8")
    code, _, err = run(capsys, "import", "contacts", str(noheader), "--db", db_url)
    assert code == 2
    assert "Traceback" not in err and err.strip()


def test_bad_database_url_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lookup", "+12015550123", "--db", "mysql://x@y/z")
    assert code == 2
    assert "unsupported database" in err
    code, _, err = run(capsys, "lookup", "+12015550123", "--db", "::not a url::")
    assert code == 2
    assert "not a database URL" in err


def test_unreachable_server_never_shows_the_password(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    url = f"postgresql://agent:Sup3r-Secret@127.0.0.1:{free_port()}/crm"
    with caplog.at_level(logging.DEBUG):
        code, out, err = run(capsys, "-v", "lookup", "+12015550123", "--db", url)
    assert code == 2
    assert "cannot open the database postgresql+psycopg://agent@127.0.0.1" in err
    assert "Sup3r-Secret" not in out + err + caplog.text


def test_console_script_version() -> None:
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("agentdesk")), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"agentdesk {__version__}"


def test_calls_export_and_callbacks_list(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session]
) -> None:
    from datetime import UTC, datetime, timedelta

    from agentdesk.calls.dto import CallbackRequest, CallFacts, WrapUp
    from agentdesk.calls.log import CallLog
    from agentdesk.demo.seed import ensure_default_dispositions
    from agentdesk.domain.enums import CallDirection

    contact = add_contact(sessions)
    with sessions.begin() as session:
        ensure_default_dispositions(session)
    start = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    log = CallLog(sessions)
    log.save_wrapup(
        WrapUp(
            disposition_code="interested",
            notes="wants a quote",
            facts=CallFacts(
                direction=CallDirection.INBOUND,
                started_at=start,
                answered_at=start + timedelta(seconds=4),
                ended_at=start + timedelta(seconds=64),
                remote_raw="+44 20 7946 0018",
                remote_e164="+442079460018",
                sip_call_id="abc@127.0.0.1",
                contact_id=contact.id,
            ),
            callback=CallbackRequest(due_at=datetime.now(UTC) - timedelta(hours=1), note="quote"),
        )
    )
    code, out, _ = run(capsys, "calls", "export", "--format", "json", "--db", db_url)
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 1
    row = rows[0]
    assert row["remote_number"] == "+442079460018"
    assert row["contact_id"] == str(contact.id)
    assert row["contact_name"] == "Ada Lovelace"
    assert row["disposition"] == "interested"
    assert (row["ring_seconds"], row["talk_seconds"]) == (4.0, 60.0)
    assert row["sip_call_id"] == "abc@127.0.0.1"

    code, out, _ = run(capsys, "calls", "export", "--since", "2026-11-21", "--db", db_url)
    assert code == 0
    assert out.splitlines()[0].startswith("\ufeffdirection,remote_number,contact_id,contact_name")
    assert len(out.splitlines()) == 1

    code, _, err = run(capsys, "calls", "export", "--since", "yesterday", "--db", db_url)
    assert code == 2
    assert "ISO 8601" in err

    code, out, _ = run(capsys, "callbacks", "list", "--due", "--json", "--db", db_url)
    assert code == 0
    callbacks = json.loads(out)
    assert [(c["name"], c["phone"], c["overdue"]) for c in callbacks] == [
        ("Ada Lovelace", "+442079460018", True)
    ]


@pytest.mark.parametrize("output", ["csv", "json"])
def test_a_closed_reader_ends_the_command_quietly(tmp_path: Path, output: str) -> None:
    """`agentdesk calls export | head -2` printed "unexpected error (BrokenPipeError)" and wrote
    a crash log (issue 14): a reader that goes away is the user's choice, not an error."""
    from agentdesk.db.engine import create_db_engine, sqlite_url
    from agentdesk.demo.generate import generate

    path = tmp_path / "desk.db"
    engine = create_db_engine(sqlite_url(path))
    migrate.upgrade(engine)
    generate(engine, 150, calls_per_contact=10)  # far more than a pipe holds (64 KiB)
    engine.dispose()
    data_home = tmp_path / "data"
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("agentdesk")), "calls", "export",
         "--format", output, "--db", f"sqlite:///{path}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "XDG_DATA_HOME": str(data_home)},
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    head = [proc.stdout.readline(), proc.stdout.readline()]
    proc.stdout.close()  # what `head -2` does once it has its lines
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141  # 128 + SIGPIPE, as a shell reports for such a tool
    assert all(head) and err == ""
    assert not (data_home / "agentdesk" / "logs" / "crash.log").exists()
