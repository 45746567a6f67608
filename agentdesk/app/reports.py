"""The Reports dialog's door to the report services (no SQL here): the settings a report
reads, making one (a preview) and saving it, each blocking call run off the GUI thread."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.board import service_level_formula
from agentdesk.config.settings import Settings
from agentdesk.domain.clock import Zone, zone_named
from agentdesk.domain.contact_metrics import ServiceLevelFormula
from agentdesk.service.calendar import default_zone
from agentdesk.supervision.report_files import TABLE_KEYS, export_report, make_report, pdf_bytes
from agentdesk.supervision.report_request import ReportFormat, ReportKind, ReportRequest


def _section(settings: Settings, name: str) -> dict[str, Any]:
    section = settings.raw.get(name, {})
    return section if isinstance(section, dict) else {}


def report_settings(settings: Settings) -> tuple[Zone, ServiceLevelFormula]:
    """The report's zone (``[supervision] timezone``, else ``[service] timezone``, else the
    machine's) and ``[supervision] service_level_formula`` (default ``answered``); an
    unknown value is a ``ValueError``: a report must not print a formula it did not use."""
    supervision = _section(settings, "supervision")
    configured = supervision.get("timezone") or _section(settings, "service").get("timezone")
    if configured is not None and not isinstance(configured, str):
        raise ValueError("[supervision] timezone must be a zone name such as Asia/Shanghai")
    zone = zone_named(default_zone(configured))
    return zone, service_level_formula(settings, strict=True)


PAGE_TOOL_HINT = "apt-get install poppler-utils"


@dataclass(frozen=True, slots=True)
class Preview:
    """A report, its table's columns, and its PDF's first page as PNG (``None`` without
    ``pdftoppm``: ``missing`` names what to install)."""

    report: dict[str, Any]
    columns: tuple[str, ...]
    page_png: bytes | None
    missing: str | None = None


def first_page_png(pdf: bytes, resolution: int = 80) -> bytes | None:
    """The PDF's first page as PNG through poppler's ``pdftoppm``; ``None`` without it."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory(prefix="agentdesk-report-") as folder:
        source, target = Path(folder) / "report.pdf", Path(folder) / "page"
        source.write_bytes(pdf)
        subprocess.run(
            [tool, "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile",
             str(source), str(target)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        return target.with_suffix(".png").read_bytes()


class ReportsService:
    """Blocking calls (run them on the executor); settings are read when a report is asked
    for, so a bad ``[supervision]`` key is the dialog's error, not the desk's."""

    def __init__(self, sessions: sessionmaker[Session], agent: str, settings: Settings) -> None:
        self._sessions = sessions
        self._agent = agent
        self._settings = settings

    def request(
        self, kind: ReportKind, first: date, last: date, *, team: str | None = None,
        queue: str | None = None, campaign: str | None = None,
    ) -> ReportRequest:  # fmt: skip
        """The request in the configured zone and formula (``ValueError`` / ``ReportError``
        when the settings or the period are wrong)."""
        zone, formula = report_settings(self._settings)
        return ReportRequest(kind, first, last, zone, formula, team, queue, campaign)

    def preview(self, request: ReportRequest, language: str | None) -> Preview:
        report = make_report(self._sessions, request, self._agent)
        page = first_page_png(pdf_bytes(report, language))
        missing = None if page is not None else PAGE_TOOL_HINT
        return Preview(report, TABLE_KEYS[request.kind], page, missing)

    def save(
        self, request: ReportRequest, fmt: ReportFormat, path: Path, language: str | None
    ) -> dict[str, Any]:
        """Write the file, audited."""
        return export_report(
            self._sessions, request, fmt, path, viewer=self._agent, language=language
        )
