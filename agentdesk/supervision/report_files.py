"""Making a report and writing it: JSON, CSV (UTF-8 with BOM, or GBK), XLSX, PDF; every
file is audited (an export, or a print for the PDF) in the transaction that reads the data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.export import write_csv
from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.access import Capability
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction
from agentdesk.org.users import AgentRef, actor_of
from agentdesk.supervision.report_pdf import Chart, render_pdf
from agentdesk.supervision.report_request import (
    ReportError,
    ReportFormat,
    ReportKind,
    ReportRequest,
)
from agentdesk.supervision.reports import (
    AGENT_KEYS,
    HOURLY_KEYS,
    QUEUE_KEYS,
    Builder,
    agents_report,
    build_report,
    hourly_report,
    queues_report,
)
from agentdesk.supervision.reports_calls import (
    CAMPAIGN_AGENT_KEYS,
    CAMPAIGN_KEYS,
    DISPOSITION_KEYS,
    campaigns_report,
    dispositions_report,
)

ENCODINGS = ("utf-8-sig", "gbk")
CALL_SERIES = ("col.offered", "col.answered")
TOTAL = "total"


def _queues(s: Session, r: ReportRequest, a: Any, now: datetime) -> dict[str, Any]:
    return queues_report(s, r)


def _hourly(s: Session, r: ReportRequest, a: Any, now: datetime) -> dict[str, Any]:
    return hourly_report(s, r)


BUILDERS: Mapping[ReportKind, Builder] = {
    ReportKind.QUEUES: _queues,
    ReportKind.HOURLY: _hourly,
    ReportKind.AGENTS: agents_report,
    ReportKind.DISPOSITIONS: dispositions_report,
    ReportKind.CAMPAIGNS: campaigns_report,
}
TABLE_KEYS: Mapping[ReportKind, tuple[str, ...]] = {
    ReportKind.QUEUES: QUEUE_KEYS,
    ReportKind.HOURLY: HOURLY_KEYS,
    ReportKind.AGENTS: AGENT_KEYS,
    ReportKind.DISPOSITIONS: DISPOSITION_KEYS,
    ReportKind.CAMPAIGNS: CAMPAIGN_KEYS,
}
EXTRA_KEYS: Mapping[ReportKind, tuple[str, ...]] = {
    ReportKind.DISPOSITIONS: ("agent", "disposition", "calls"),
    ReportKind.CAMPAIGNS: CAMPAIGN_AGENT_KEYS,
}


def read_report(
    session: Session, request: ReportRequest, viewer: AgentRef | None, now: datetime | None = None
) -> dict[str, Any]:
    """The report's JSON for ``viewer`` (refused without ``view_board``)."""
    access = acting_access(session, viewer)
    return build_report(session, request, access, now or utcnow(), BUILDERS)


def make_report(
    sessions: sessionmaker[Session], request: ReportRequest, viewer: AgentRef | None
) -> dict[str, Any]:
    with sessions() as session:
        return read_report(session, request, viewer)


def table_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rows as a spreadsheet shows them: the rows, then the totals named ``total``."""
    kind = ReportKind(report["report"])
    keys = TABLE_KEYS[kind]
    rows = [{k: row.get(k) for k in keys} for row in report["rows"]]
    totals = {k: report["totals"].get(k) for k in keys}
    totals[keys[0]] = TOTAL
    return [*rows, totals]


def charts(report: Mapping[str, Any]) -> list[Chart]:
    """The charts of a report's PDF."""
    kind = ReportKind(report["report"])
    rows = report["rows"]
    match kind:
        case ReportKind.HOURLY:
            hours = [r["hour"][:2] for r in rows]
            series = [[r["offered"] for r in rows], [r["answered"] for r in rows]]
            return [Chart("chart.calls_per_hour", hours, series, None, CALL_SERIES)]
        case ReportKind.QUEUES:
            per_hour = [[0.0] * 24, [0.0] * 24]
            for r in rows:
                hour = int(r["interval_start"][11:13])
                per_hour[0][hour] += r["offered"]
                per_hour[1][hour] += r["answered"]
            days = report["days"]
            if len(days) > 1:
                sl = ("chart.sl_day", [d["day"][5:] for d in days], days)
            else:
                sl = ("chart.sl_interval", [r["interval_start"][11:16] for r in rows], rows)
            levels = [[r["service_level_pct"] or 0.0 for r in sl[2]]]
            hours = [f"{h:02d}" for h in range(24)]
            return [
                Chart("chart.calls_per_hour", hours, per_hour, None, CALL_SERIES),
                Chart(sl[0], sl[1], levels, 100.0),
            ]
        case ReportKind.DISPOSITIONS:
            shown = rows[:40]
            names = [r["label_zh"] or r["label"] or r["disposition"] for r in shown]
            return [Chart("chart.dispositions", names, [[r["calls"] for r in shown]])]
        case ReportKind.AGENTS:
            shown = rows[:40]
            series = [[r["handled_in"] for r in shown], [r["handled_out"] for r in shown]]
            names = [r["agent"] for r in shown]
            return [
                Chart("chart.agents", names, series, None, ("col.handled_in", "col.handled_out"))
            ]
        case ReportKind.CAMPAIGNS:
            outcomes: dict[str, int] = {}
            for r in rows:
                for outcome, n in r["attempts_by_outcome"].items():
                    outcomes[outcome] = outcomes.get(outcome, 0) + n
            names = sorted(outcomes)
            return [Chart("chart.outcomes", names, [[outcomes[o] for o in names]])]


def _labelled(report: dict[str, Any], language: str | None) -> dict[str, Any]:
    """Disposition names in the report's language (the chart and table read ``label_zh``)."""
    if ReportKind(report["report"]) is not ReportKind.DISPOSITIONS or language == "zh_CN":
        return report
    rows = [{**r, "label_zh": None} for r in report["rows"]]
    return {**report, "rows": rows}


def pdf_bytes(report: dict[str, Any], language: str | None) -> bytes:
    kind = ReportKind(report["report"])
    shown = _labelled(report, language)
    keys = TABLE_KEYS[kind]
    if kind is ReportKind.DISPOSITIONS:
        keys = tuple(k for k in keys if k != ("label" if language == "zh_CN" else "label_zh"))
    extra = (report["agents"], EXTRA_KEYS[kind]) if kind in EXTRA_KEYS else None
    return render_pdf(shown, keys, charts(shown), language, extra)


def write_xlsx(report: Mapping[str, Any], path: Path) -> None:
    """Sheets: the report (typed numbers under a header row, the totals last), what it is
    (formula, period, filters), and the per-agent rows where the report has them."""
    from openpyxl import Workbook

    kind = ReportKind(report["report"])
    book = Workbook(write_only=True)
    sheet = book.create_sheet(kind.value)
    sheet.append(list(TABLE_KEYS[kind]))
    for row in table_rows(report):
        sheet.append(list(row.values()))
    about = book.create_sheet("about")
    for key in ("service_level_formula", "service_level_formula_text", "from", "to",
                "time_zone", "period_start", "period_end"):  # fmt: skip
        about.append([key, report[key]])
    for key, value in report["filters"].items():
        about.append([key, value])
    if kind in EXTRA_KEYS:
        agents = book.create_sheet("agents")
        agents.append(list(EXTRA_KEYS[kind]))
        for row in report["agents"]:
            agents.append([row[k] for k in EXTRA_KEYS[kind]])
    book.save(path)


def write_report(
    report: dict[str, Any],
    fmt: ReportFormat,
    path: Path,
    *,
    language: str | None = None,
    encoding: str = "utf-8-sig",
) -> None:
    match fmt:
        case ReportFormat.JSON:
            path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        case ReportFormat.CSV:
            if encoding not in ENCODINGS:
                raise ReportError(f"unknown encoding {encoding!r}: use utf-8-sig or gbk")
            kind = ReportKind(report["report"])
            try:
                with path.open("w", encoding=encoding, newline="") as stream:
                    write_csv(table_rows(report), stream, TABLE_KEYS[kind])
            except UnicodeEncodeError as exc:
                raise ReportError(f"the report has text GBK cannot encode: {exc}") from None
        case ReportFormat.XLSX:
            write_xlsx(report, path)
        case ReportFormat.PDF:
            path.write_bytes(pdf_bytes(report, language))


def export_report(
    sessions: sessionmaker[Session],
    request: ReportRequest,
    fmt: ReportFormat,
    path: Path,
    *,
    viewer: AgentRef | None,
    language: str | None = None,
    encoding: str = "utf-8-sig",
) -> dict[str, Any]:
    """Read the report, write ``path`` and audit it (``print`` for a PDF, else ``export``,
    each capability checked) in one transaction: no file without its audit entry."""
    with unit_of_work(sessions) as session:
        access = acting_access(session, viewer)
        printing = fmt is ReportFormat.PDF
        if access is not None:
            access.require(Capability.PRINT if printing else Capability.EXPORT)
        report = read_report(session, request, viewer)
        write_report(report, fmt, path, language=language, encoding=encoding)
        details = {
            "report": request.kind.value, "format": fmt.value, "from": report["from"],
            "to": report["to"], "filters": report["filters"], "rows": len(report["rows"]),
        }  # fmt: skip
        action = AuditAction.PRINT if printing else AuditAction.EXPORT
        audit(session, actor_of(session, viewer), action, "report", None, details)
    return {"report": request.kind.value, "format": fmt.value, "out": str(path),
            "rows": len(report["rows"])}  # fmt: skip
