"""Supervisors' reports on both engines: the figures equal a hand fold of the raw calls
(``domain.contact_metrics``) and of the state log, a supervisor sees their department only,
and every file (JSON, CSV in UTF-8 with BOM and GBK, XLSX, PDF) is written and audited."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.contact_metrics import QueueCounts, ServiceLevelFormula, Thresholds, fold
from agentdesk.domain.enums import AuditAction
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.models import User
from agentdesk.supervision.models import AgentStateLog
from agentdesk.supervision.report_files import export_report, make_report
from agentdesk.supervision.report_request import ReportFormat, ReportKind, ReportRequest
from tests.support.report_data import (
    DAY,
    T0,
    ZONE,
    book_calls,
    figures_of,
    make_org,
    make_specs,
)


def _request(kind: ReportKind, **kw: object) -> ReportRequest:
    return ReportRequest(kind=kind, first=DAY, last=DAY, zone=ZONE, **kw)  # type: ignore[arg-type]


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def test_queue_report_equals_a_fold_of_the_raw_calls(sessions: sessionmaker[Session]) -> None:
    ids = make_org(sessions)
    specs = make_specs(7)
    book_calls(sessions, ids, specs)
    start, end = T0.replace(hour=0), T0.replace(hour=0) + timedelta(days=1)
    inside = [s for s in specs if start <= s.offered_at < end]
    expected = fold([figures_of(s) for s in inside], Thresholds())
    # handling is booked where the wrap-up ends: keep the intervals of the period only
    expected = {k: v for k, v in expected.items() if start <= k < end}
    for formula in ServiceLevelFormula:
        report = make_report(sessions, _request(ReportKind.QUEUES, formula=formula), None)
        assert next(iter(report)) == "service_level_formula"
        assert report["service_level_formula"] == formula.value
        by_start = {datetime.fromisoformat(r["interval_start"]): r for r in report["rows"]}
        assert set(by_start) == set(expected)
        total = QueueCounts()
        for at, counts in expected.items():
            row = by_start[at]
            assert row["interval_start"].endswith("+08:00")
            got = (row["offered"], row["answered"], row["abandoned"], row["short_abandoned"])
            assert got == (
                counts.offered,
                counts.answered,
                counts.abandoned,
                counts.short_abandoned,
            )
            assert row["service_level_pct"] == _r(counts.service_level_pct(formula))
            assert row["asa_s"] == _r(counts.asa_s())
            assert row["aht_s"] == _r(counts.aht_s())
            assert row["longest_wait_s"] == _r(counts.longest_wait_s)
            total = total + counts
        totals = report["totals"]
        assert totals["offered"] == len(inside) == total.offered
        assert totals["service_level_pct"] == _r(total.service_level_pct(formula))
        assert totals["aht_s"] == _r(total.aht_s())
    hourly = make_report(sessions, _request(ReportKind.HOURLY), None)
    assert len(hourly["rows"]) == 24
    for row in hourly["rows"]:
        hour = int(row["hour"][:2])
        assert row["offered"] == sum(1 for s in inside if s.offered_at.hour == hour)
    assert hourly["totals"]["offered"] == len(inside)


def test_agent_report_sums_handling_and_state_time(sessions: sessionmaker[Session]) -> None:
    ids = make_org(sessions)
    specs = make_specs(11)
    book_calls(sessions, ids, specs)
    log = [  # ava: not ready from the evening before, available at 09:00, lunch, back
        (T0 - timedelta(hours=14), "not_ready", "break"),
        (T0, "available", None),
        (T0 + timedelta(hours=3), "not_ready", "lunch"),
        (T0 + timedelta(hours=4), "available", None),
        (T0 + timedelta(hours=9), "logged_out", None),
    ]
    with unit_of_work(sessions) as session:
        for at, state, reason in log:
            session.add(AgentStateLog(user_id=ids["ava"], state=state, reason=reason, at=at))
    report = make_report(sessions, _request(ReportKind.AGENTS), "sup")
    rows = {r["agent"]: r for r in report["rows"]}
    assert set(rows) == {"ava", "ben"}  # oli is in another department
    ava = rows["ava"]
    start = T0.replace(hour=0)
    ended = [  # calls handled by ava that ended inside the day
        s for s in specs if s.agent == "ava" and s.answered
        and start <= s.offered_at + timedelta(seconds=s.wait + s.talk + s.hold)
        < start + timedelta(days=1)
    ]  # fmt: skip
    assert ava["handled_in"] == len(ended) and ava["handled_out"] == 0
    talk = sum(s.talk for s in ended)
    handle = talk + sum(s.hold + s.wrapup for s in ended)
    assert ava["talk_s"] == pytest.approx(round(talk, 2), abs=0.02)
    assert ava["not_ready_s"] == 9 * 3600 + 3600  # midnight to 09:00, and lunch
    assert ava["available_s"] == 8 * 3600
    assert ava["not_ready_by_reason"] == {"break": 9 * 3600.0, "lunch": 3600.0}
    assert ava["occupancy_pct"] == _r(100 * handle / (handle + 8 * 3600))
    assert ava["calls_per_hour"] == _r(len(ended) / 18)  # signed in from midnight to 18:00
    everyone = make_report(sessions, _request(ReportKind.AGENTS), None)
    assert {r["agent"] for r in everyone["rows"]} == {"ava", "ben", "oli"}
    team = make_report(sessions, _request(ReportKind.AGENTS, team="Support East"), None)
    assert [r["agent"] for r in team["rows"]] == ["ava"]
    with pytest.raises(AccessDeniedError):
        make_report(sessions, _request(ReportKind.QUEUES), "ava")  # no view_board


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: apt-get install poppler-utils"
    return found


def test_files_are_written_and_audited(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ids = make_org(sessions)
    book_calls(sessions, ids, make_specs(3))
    with unit_of_work(sessions) as session:
        session.execute(select(User))  # a read: the org exists
    request = _request(ReportKind.QUEUES, queue="sales")
    out = {f: tmp_path / f"q.{f.value}" for f in ReportFormat}
    for fmt, path in out.items():
        export_report(sessions, request, fmt, path, viewer="sup", language="zh_CN")
    report = json.loads(out[ReportFormat.JSON].read_text(encoding="utf-8"))
    assert next(iter(report)) == "service_level_formula"
    raw = out[ReportFormat.CSV].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == len(report["rows"]) + 1 and rows[-1]["queue"] == "total"
    assert int(rows[0]["offered"]) == report["rows"][0]["offered"]
    book = load_workbook(out[ReportFormat.XLSX])
    sheet = list(book["queues"].iter_rows(values_only=True))
    header = list(sheet[0])
    assert header == list(report["rows"][0])
    assert [dict(zip(header, r, strict=True)) for r in sheet[1:-1]] == report["rows"]
    assert dict(zip(header, sheet[-1], strict=True)) == {**report["totals"], "queue": "total",
                                                          "interval_start": None}  # fmt: skip
    text = subprocess.run([_tool("pdftotext"), str(out[ReportFormat.PDF]), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "队列报表" in text and "T 秒内接通数 / 接通数" in text and "第 1 页，共" in text
    fonts = subprocess.run([_tool("pdffonts"), str(out[ReportFormat.PDF])],
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    embedded = [
        line for line in fonts.splitlines() if "AgentDeskCJK" in line or "WenQuanYi" in line
    ]
    assert embedded and all(" yes " in line for line in embedded), fonts
    # GBK on request, for old Excel in China
    gbk = tmp_path / "agents.csv"
    export_report(sessions, _request(ReportKind.DISPOSITIONS), ReportFormat.CSV, gbk,
                  viewer="sup", encoding="gbk")  # fmt: skip
    assert gbk.read_bytes()[:3] != b"\xef\xbb\xbf"
    assert list(csv.DictReader(gbk.read_text(encoding="gbk").splitlines()))
    with sessions() as session:
        entries = list(
            session.scalars(select(AuditEntry).where(AuditEntry.entity_kind == "report"))
        )
    actions = sorted(e.action for e in entries)
    assert actions == sorted([AuditAction.EXPORT] * 4 + [AuditAction.PRINT])
    assert {e.user_id for e in entries} == {ids["sup"]}


def test_every_kind_prints_also_when_empty(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    make_org(sessions)  # no calls, no campaign: empty tables and charts still print
    for kind in ReportKind:
        for language in ("en", "zh_CN"):
            path = tmp_path / f"{kind.value}-{language}.pdf"
            export_report(sessions, _request(kind), ReportFormat.PDF, path, viewer="sup",
                          language=language)  # fmt: skip
            text = subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True,
                                  text=True, check=True).stdout  # fmt: skip
            pages = r"page 1 of \d" if language == "en" else r"第 1 页，共 \d 页"
            assert re.search(pages, text), text
