"""Reports through the real doors: the ``agentdesk report`` command (JSON out, exit 2 for
bad input) on both engines, and on PostgreSQL each user's own login: a supervisor's report
holds their department's agents only, its audit entry is theirs, an agent is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import session_factory
from agentdesk.org.access import AccessDeniedError
from agentdesk.supervision.report_files import export_report, make_report
from agentdesk.supervision.report_request import ReportFormat, ReportKind, ReportRequest
from tests.support.logins import give_logins, login_engine
from tests.support.report_data import DAY, USERS, ZONE, book_calls, make_org, make_specs


def _request(kind: ReportKind) -> ReportRequest:
    return ReportRequest(kind=kind, first=DAY, last=DAY, zone=ZONE)


def test_report_command(
    sessions: sessionmaker[Session], db_url: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    book_calls(sessions, make_org(sessions), make_specs(5))
    config = tmp_path / "config.toml"
    settings = (
        '[supervision]\ntimezone = "Asia/Shanghai"\nservice_level_formula = "abandoned_after_t"\n'
    )
    config.write_text(settings, encoding="utf-8")
    monkeypatch.setenv("AGENTDESK_CONFIG", str(config))
    out = tmp_path / "queues.json"
    argv = ["--db", db_url, "report", "queues", "--from", "2026-12-01", "--to", "2026-12-01",
            "--format", "json", "--out", str(out), "--json"]  # fmt: skip
    assert main(argv) == 0
    said = json.loads(capsys.readouterr().out)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert said["rows"] == len(report["rows"]) > 0
    assert report["service_level_formula"] == "abandoned_after_t"
    assert report["period_start"] == "2026-12-01T00:00:00+08:00"
    assert report["period_end"] == "2026-12-02T00:00:00+08:00"
    assert report["totals"]["offered"] == 60  # the two calls outside the day are left out
    bad = {
        "is before --from": ["--from", "2026-12-02", "--to", "2026-12-01"],
        "is not a date": ["--from", "yesterday", "--to", "2026-12-01"],
        "no team named": ["--from", "2026-12-01", "--to", "2026-12-01", "--team", "Nowhere"],
        "no campaign named": ["--from", "2026-12-01", "--to", "2026-12-01", "--campaign", "No"],
    }
    for said_why, period in bad.items():
        kind = "campaigns" if "--campaign" in period else "agents"
        code = main(["--db", db_url, "report", kind, *period, "--format", "csv",
                     "--out", str(tmp_path / "x.csv")])  # fmt: skip
        assert code == 2, period
        assert said_why in capsys.readouterr().err
    config.write_text('[supervision]\nservice_level_formula = "fastest"\n', encoding="utf-8")
    assert main(argv) == 2
    assert "service_level_formula" in capsys.readouterr().err


def test_each_login_reads_its_department(
    pg_engine: Engine, pg_database_url: str, tmp_path: Path
) -> None:
    owner = session_factory(pg_engine)
    book_calls(owner, make_org(owner), make_specs(9))
    give_logins(owner, USERS)
    sup_engine, ava_engine = (
        login_engine(pg_database_url, "sup"),
        login_engine(pg_database_url, "ava"),
    )
    try:
        sup = session_factory(sup_engine)
        agents = make_report(sup, _request(ReportKind.AGENTS), "sup")
        assert {r["agent"] for r in agents["rows"]} == {"ava", "ben"}
        everyone = make_report(owner, _request(ReportKind.AGENTS), None)
        assert {r["agent"] for r in everyone["rows"]} == {"ava", "ben", "oli"}
        queues = make_report(sup, _request(ReportKind.QUEUES), "sup")
        assert queues["totals"] == make_report(owner, _request(ReportKind.QUEUES), None)["totals"]
        dispositions = make_report(sup, _request(ReportKind.DISPOSITIONS), "sup")
        assert {r["agent"] for r in dispositions["agents"]} <= {"ava", "ben"}
        export_report(sup, _request(ReportKind.AGENTS), ReportFormat.PDF, tmp_path / "a.pdf",
                      viewer="sup")  # fmt: skip
        with owner() as session:
            entry = session.scalars(
                select(AuditEntry).where(AuditEntry.entity_kind == "report")
            ).one()
        assert entry.actor == "sup" and entry.details is not None
        with pytest.raises(AccessDeniedError):
            make_report(session_factory(ava_engine), _request(ReportKind.AGENTS), "ava")
        # the database holds the same line against plain SQL (migration 0024)
        rollup = text("SELECT DISTINCT u.username FROM agent_intervals a "
                      "JOIN users u ON u.id = a.agent_id")  # fmt: skip
        with sup_engine.connect() as conn:
            assert set(conn.scalars(rollup)) == {"ava", "ben"}
        with ava_engine.connect() as conn:
            assert set(conn.scalars(rollup)) == {"ava"}
        with pg_engine.connect() as conn:
            assert set(conn.scalars(rollup)) == {"ava", "ben", "oli"}
    finally:
        sup_engine.dispose()
        ava_engine.dispose()
