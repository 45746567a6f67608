"""The Reports dialog's door to the report services (no SQL here): the settings a report
reads, making one (a preview) and saving it, each blocking call run off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.config.settings import Settings
from agentdesk.domain.clock import Zone, zone_named
from agentdesk.domain.contact_metrics import ServiceLevelFormula
from agentdesk.service.calendar import default_zone
from agentdesk.supervision.report_files import export_report, make_report, pdf_bytes
from agentdesk.supervision.report_request import ReportFormat, ReportRequest


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
    value = supervision.get("service_level_formula") or ServiceLevelFormula.ANSWERED.value
    try:
        formula = ServiceLevelFormula(value)
    except ValueError:
        known = ", ".join(f.value for f in ServiceLevelFormula)
        raise ValueError(f"[supervision] service_level_formula {value!r}: use {known}") from None
    return zone, formula


class ReportsService:
    def __init__(self, sessions: sessionmaker[Session], agent: str, settings: Settings) -> None:
        self._sessions = sessions
        self._agent = agent
        self.zone, self.formula = report_settings(settings)

    def preview(self, request: ReportRequest, language: str | None) -> tuple[dict[str, Any], bytes]:
        """The report and its PDF (blocking: run it on the executor)."""
        report = make_report(self._sessions, request, self._agent)
        return report, pdf_bytes(report, language)

    def save(
        self, request: ReportRequest, fmt: ReportFormat, path: Path, language: str | None
    ) -> dict[str, Any]:
        """Write the file, audited (blocking)."""
        return export_report(
            self._sessions, request, fmt, path, viewer=self._agent, language=language
        )
