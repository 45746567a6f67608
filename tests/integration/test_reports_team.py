"""``--team`` on the queue and hourly reports (issue 16): a queue belongs to the teams of
its members (a member team, or the team of a member agent), the team named and the teams
directly below it; the printed filters say which queues that meant. Hand counts, both
engines, the report command too."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.supervision.report_files import make_report, pdf_bytes
from agentdesk.supervision.report_request import ReportKind, ReportRequest
from tests.support.report_data import CALLS, DAY, ZONE, team_org


def _report(sessions: sessionmaker[Session], kind: ReportKind, **filters: Any) -> dict[str, Any]:
    request = ReportRequest(kind=kind, first=DAY, last=DAY, zone=ZONE, **filters)
    return make_report(sessions, request, None)


def _offered(*queues: str) -> tuple[int, int]:
    return (sum(sum(CALLS[q]) for q in queues), sum(CALLS[q][0] for q in queues))


@pytest.mark.parametrize(
    ("team", "queue", "covered"),
    [
        ("Support", None, ("sales", "support")),  # Support East's ava serves support
        ("Support East", None, ("support",)),  # sales' member team is above it
        ("Other", None, ("billing", "support")),
        ("Other", "support", ("support",)),
        ("Support", "billing", ()),
        (None, None, ("billing", "sales", "support")),
    ],
)
def test_team_covers_the_queues_its_agents_serve(
    sessions: sessionmaker[Session], team: str | None, queue: str | None, covered: tuple[str, ...]
) -> None:
    team_org(sessions)
    report = _report(sessions, ReportKind.QUEUES, team=team, queue=queue)
    assert sorted({r["queue"] for r in report["rows"]}) == list(covered)
    totals = report["totals"]
    assert (totals["offered"], totals["answered"]) == _offered(*covered)
    if team is not None:
        assert report["filters"]["team"] == team
        assert report["filters"]["team_queues"] == ", ".join(covered)
    else:
        assert "team_queues" not in report["filters"]
    hourly = _report(sessions, ReportKind.HOURLY, team=team, queue=queue)
    assert hourly["filters"] == report["filters"]
    assert (hourly["totals"]["offered"], hourly["totals"]["answered"]) == _offered(*covered)
    by_hour = {r["hour"]: r["offered"] for r in hourly["rows"] if r["offered"]}
    odd = sum(len(range(1, sum(CALLS[q]), 2)) for q in covered)  # n odd: 10:00 local
    assert by_hour == {
        k: v for k, v in {"10:00": odd, "14:00": _offered(*covered)[0] - odd}.items() if v
    }


def test_the_report_command_and_the_printed_filters(
    sessions: sessionmaker[Session], db_url: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    team_org(sessions)
    config = tmp_path / "config.toml"
    config.write_text('[supervision]\ntimezone = "Asia/Shanghai"\n', encoding="utf-8")
    monkeypatch.setenv("AGENTDESK_CONFIG", str(config))
    out = tmp_path / "hourly.json"
    argv = ["--db", db_url, "report", "hourly", "--from", "2026-12-01", "--to", "2026-12-01",
            "--team", "Support East", "--format", "json", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["filters"] == {"team": "Support East", "team_queues": "support"}
    assert report["totals"]["offered"] == 2
    capsys.readouterr()
    argv[argv.index("Support East")] = "Nowhere"
    assert main(argv) == 2
    assert "no team named 'Nowhere'" in capsys.readouterr().err
    # the PDF prints the queues the team meant, in both languages
    report = _report(sessions, ReportKind.QUEUES, team="Support", queue="billing")
    for language, words in ((None, "the team's queues = none"), ("zh_CN", "该团队的队列 = 无")):
        pdf = tmp_path / f"{language}.pdf"
        pdf.write_bytes(pdf_bytes(report, language))
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
        assert words in text
