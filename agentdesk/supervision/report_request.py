"""What a report is asked for: its kind, the days (in the configured zone), the filters and
the service-level formula it prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from agentdesk.db.errors import RequestError
from agentdesk.domain.clock import Zone
from agentdesk.domain.contact_metrics import ServiceLevelFormula

MAX_DAYS = 366


class ReportKind(StrEnum):
    QUEUES = "queues"
    AGENTS = "agents"
    DISPOSITIONS = "dispositions"
    CAMPAIGNS = "campaigns"
    HOURLY = "hourly"


class ReportFormat(StrEnum):
    PDF = "pdf"
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


class ReportError(RequestError):
    """A report that cannot be made as asked (bad period, unknown queue or campaign)."""


@dataclass(frozen=True, slots=True)
class ReportRequest:
    kind: ReportKind
    first: date
    last: date
    zone: Zone
    formula: ServiceLevelFormula = ServiceLevelFormula.ANSWERED
    team: str | None = None
    queue: str | None = None
    campaign: str | None = None

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ReportError(f"--to {self.last} is before --from {self.first}")
        if (self.last - self.first).days >= MAX_DAYS:
            raise ReportError(f"a report covers at most {MAX_DAYS} days")

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as instants: from the first day's midnight to the midnight after the
        last day, in the zone (a day with a clock change is 23 or 25 hours long)."""
        return self._midnight(self.first), self._midnight(self.last + timedelta(days=1))

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.zone.tz)

    def local_iso(self, moment: datetime) -> str:
        """``moment`` in the zone, ISO with its offset (what every time in a report looks like)."""
        return self.zone.local(moment).isoformat(timespec="seconds")

    def filters(self) -> dict[str, str]:
        """The filters given, by name (printed on the report)."""
        given = {"team": self.team, "queue": self.queue, "campaign": self.campaign}
        return {k: v for k, v in given.items() if v}
