"""`agentdesk journal status` and `journal replay` on both engines."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.config.settings import data_dir
from agentdesk.crm.models import Call
from agentdesk.db.engine import redacted, unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.journal.appliers import APPLIERS
from agentdesk.journal.files import journal_path
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import WRAPUP, wrapup_payload
from agentdesk.journal.store import JournalStore
from agentdesk.org.models import User
from tests.integration.test_cli import run
from tests.integration.test_journal import DEAD_URL, wrapup


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def _keep(url: str, sessions: sessionmaker[Session], *codes: str) -> None:
    """Entries written by a desk of ``url`` that never reached the database."""
    store = JournalStore(journal_path(data_dir(), redacted(make_url(url))))
    journal = Journal(store, sessions, APPLIERS)
    for n, code in enumerate(codes):
        w = wrapup(n, code)
        journal.append(WRAPUP, wrapup_payload(w), record_id=w.record_id, actor="ada")
    store.close()


def test_status_then_replay(
    capsys: pytest.CaptureFixture[str],
    data_home: Path,
    db_url: str,
    sessions: sessionmaker[Session],
) -> None:
    code, out, _ = run(capsys, "journal", "status", "--json", "--db", db_url)
    assert code == 0
    data = json.loads(out)
    assert (data["pending"], data["oldest"], data["last_error"]) == (0, None, None)

    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        s.add(User(username="ada", display_name="Ada Agent"))
    _keep(db_url, sessions, "sale", "no-such-code", "interested")
    code, out, _ = run(capsys, "journal", "status", "--json", "--db", db_url)
    data = json.loads(out)
    assert code == 0 and data["pending"] == 3 and data["last_error"] is None
    assert datetime.fromisoformat(data["oldest"]).tzinfo is not None
    code, out, _ = run(capsys, "journal", "status", "--db", db_url)
    assert code == 0 and "pending:    3" in out

    code, out, _ = run(capsys, "journal", "replay", "--json", "--db", db_url)
    data = json.loads(out)
    assert code == 1  # one entry refused: kept aside, said, not dropped
    assert (data["applied"], data["refused"], data["pending"]) == (2, 1, 0)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Call)) == 2
    code, out, _ = run(capsys, "journal", "status", "--json", "--db", db_url)
    data = json.loads(out)
    assert (data["pending"], data["refused"]) == (0, 1)
    code, out, _ = run(capsys, "journal", "replay", "--db", db_url)
    assert code == 0 and "applied 0" in out


def test_replay_without_the_database_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], data_home: Path, sessions: sessionmaker[Session]
) -> None:
    _keep(DEAD_URL, sessions, "sale")
    code, out, _ = run(capsys, "journal", "status", "--json", "--db", DEAD_URL)
    assert code == 0 and json.loads(out)["pending"] == 1  # the file alone answers
    code, _, err = run(capsys, "journal", "replay", "--db", DEAD_URL)
    assert code == 2 and "cannot open the database" in err
    with pytest.raises(SystemExit) as stop:  # argparse: no action named
        main(["journal"])
    assert stop.value.code == 2 and "ACTION" in capsys.readouterr().err


def test_changes_kept_for_an_old_address_are_named_and_replayed_with_from(
    capsys: pytest.CaptureFixture[str],
    data_home: Path,
    db_url: str,
    sessions: sessionmaker[Session],
) -> None:
    """The server moved: the desk's file for the old address still holds two changes. Status
    names it (with the address it was written for); replay --from applies it to this one."""
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        s.add(User(username="ada", display_name="Ada Agent"))
    old_url = "postgresql+psycopg://agentdesk@old-server.example:5432/agentdesk"
    old = journal_path(data_dir(), old_url)
    store = JournalStore(old, old_url)
    journal = Journal(store, sessions, APPLIERS)
    for n in (1, 2):
        w = wrapup(n, "sale")
        journal.append(WRAPUP, wrapup_payload(w), record_id=w.record_id, actor="ada")
    store.close()

    code, out, _ = run(capsys, "journal", "status", "--json", "--db", db_url)
    data = json.loads(out)
    assert code == 0 and data["pending"] == 0
    assert data["others"] == [{"file": str(old), "database": old_url, "pending": 2}]
    code, out, _ = run(capsys, "journal", "replay", "--json", "--db", db_url, "--from", str(old))
    assert code == 0 and json.loads(out)["applied"] == 2
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Call)) == 2
    code, out, _ = run(capsys, "journal", "status", "--json", "--db", db_url)
    assert json.loads(out)["others"] == []
