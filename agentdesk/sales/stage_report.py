"""Time in stage and stage-to-stage conversion over a period, from the stage history.

Each history row opens a stay in its ``to_stage``; the opportunity's next row (by time)
closes it. Over the period's days (in the sales zone): per stage, how many opportunities
entered it, how many left it and their mean days in it (stays that ended in the period), and
per pair of stages how many moves went from one to the other. The next row of each change is
found in SQL (``LEAD`` over an opportunity's history, both engines); the stays of the period
are summed here. Only the opportunities the user may read count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Opportunity
from agentdesk.crm.permissions import acting_access
from agentdesk.db.base import UtcDateTime
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import RecordKind
from agentdesk.domain.clock import Zone
from agentdesk.org.users import AgentRef
from agentdesk.sales.models import StageChange
from agentdesk.sales.stages import read_stages

DAY = 86_400


@dataclass(frozen=True, slots=True)
class StageFigures:
    stage: str
    entered: int
    """Moves into the stage in the period (a creation in it too)."""
    left: int
    """Stays in the stage that ended in the period (the next move)."""
    mean_days: float | None
    """Mean days in the stage of those that left; ``None`` when none left."""

    def as_json(self) -> dict[str, object]:
        mean = None if self.mean_days is None else round(self.mean_days, 2)
        return {"stage": self.stage, "entered": self.entered, "left": self.left, "mean_days": mean}


@dataclass(frozen=True, slots=True)
class StageReport:
    stages: tuple[StageFigures, ...]
    """In the admin's order (codes no longer among the stages last)."""
    moves: tuple[tuple[str, str, int], ...]
    """``(from, to, count)`` of the period's moves, most first."""

    def as_json(self) -> dict[str, object]:
        return {
            "stages": [row.as_json() for row in self.stages],
            "moves": [{"from": a, "to": b, "count": n} for a, b, n in self.moves],
        }


def stage_report(
    sessions: sessionmaker[Session],
    *,
    start: date,
    end: date,
    zone: Zone,
    actor: AgentRef | None = None,
) -> StageReport:
    if end < start:
        raise RequestError("the period ends before it starts")
    low = datetime.combine(start, time(), zone.tz).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time(), zone.tz).astimezone(UTC)
    stays = (
        select(
            StageChange.from_stage,
            StageChange.to_stage,
            StageChange.changed_at,
            func.lead(StageChange.changed_at, type_=UtcDateTime)
            .over(partition_by=StageChange.opportunity_id, order_by=StageChange.changed_at)
            .label("left_at"),
        )
        .join(Opportunity, Opportunity.id == StageChange.opportunity_id)
        .where(Opportunity.deleted_at.is_(None), StageChange.changed_at < high)
    )
    with sessions() as session:
        access = acting_access(session, actor)
        if access is not None:
            stays = stays.where(
                access.visible(RecordKind.OPPORTUNITIES, Opportunity.owner_id, Opportunity.id)
            )
        order = [stage.code for stage in read_stages(session)]
        inner = stays.subquery()
        # only stays that began or ended in the period come back
        touching = select(inner).where(or_(inner.c.changed_at >= low, inner.c.left_at >= low))
        rows = session.execute(touching).all()
    entered: Counter[str] = Counter()
    durations: defaultdict[str, list[float]] = defaultdict(list)
    moves: Counter[tuple[str, str]] = Counter()
    for before, stage, at, left_at in rows:
        if low <= at < high:
            entered[stage] += 1
            if before is not None:
                moves[(before, stage)] += 1
        if left_at is not None and low <= left_at < high:
            durations[stage].append((left_at - at).total_seconds() / DAY)
    seen = set(entered) | set(durations)
    codes = [code for code in order if code in seen] + sorted(seen - set(order))
    figures = tuple(
        StageFigures(
            stage=code,
            entered=entered[code],
            left=len(durations[code]),
            mean_days=sum(durations[code]) / len(durations[code]) if durations[code] else None,
        )
        for code in codes
    )
    ranked = sorted(moves.items(), key=lambda item: (-item[1], item[0]))
    return StageReport(figures, tuple((a, b, n) for (a, b), n in ranked))
