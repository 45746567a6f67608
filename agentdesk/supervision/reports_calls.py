"""The reports with no rollup: dispositions (from the calls) and campaigns (from the dialer's
attempts and entries), each one grouped query over a ranged, indexed start time."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from agentdesk.crm.models import Call, Disposition
from agentdesk.dialer.models import Attempt, Campaign, CampaignEntry
from agentdesk.dialer.rules import OPEN_STATUSES
from agentdesk.org.access import Access
from agentdesk.org.models import User
from agentdesk.supervision.report_request import ReportError, ReportRequest
from agentdesk.supervision.reports import agent_filter, rounded

DISPOSITION_KEYS = ("disposition", "label", "label_zh", "calls", "share_pct")
CAMPAIGN_KEYS = ("campaign", "dialed", "attempts", "contacted", "successes", "remaining")
CAMPAIGN_AGENT_KEYS = ("campaign", "agent", "attempts", "contacted", "successes")
NO_DISPOSITION = "-"


def _campaign_id(session: Session, name: str) -> uuid.UUID:
    found = session.scalar(select(Campaign.id).where(Campaign.name == name))
    if found is None:
        raise ReportError(f"no campaign named {name!r}")
    return found


def dispositions_report(
    session: Session, request: ReportRequest, access: Access | None, now: datetime
) -> dict[str, Any]:
    """Calls started in the period by wrap-up code, and per agent."""
    start, end = request.bounds()
    where = [
        Call.started_at >= start,
        Call.started_at < end,
        Call.deleted_at.is_(None),
        agent_filter(session, Call.agent_id, access, request.team),
    ]
    if request.queue is not None:
        where.append(Call.queue == request.queue)
    if request.campaign is not None:
        campaign = _campaign_id(session, request.campaign)
        where.append(Call.id.in_(select(Attempt.call_id).where(Attempt.campaign_id == campaign)))
    labels: dict[uuid.UUID | None, tuple[str, str, str | None]] = {
        d.id: (d.code, d.label, d.label_zh) for d in session.scalars(select(Disposition))
    }
    counted = select(Call.agent_id, Call.disposition_id, func.count()).where(*where)
    grouped = list(session.execute(counted.group_by(Call.agent_id, Call.disposition_id)))
    names: dict[uuid.UUID | None, str] = dict(session.execute(select(User.id, User.username)).all())
    by_code: dict[uuid.UUID | None, int] = {}
    by_agent: list[dict[str, Any]] = []
    for agent, disposition, n in grouped:
        by_code[disposition] = by_code.get(disposition, 0) + n
        code = labels[disposition][0] if disposition in labels else NO_DISPOSITION
        by_agent.append({"agent": names.get(agent), "disposition": code, "calls": n})
    total = sum(by_code.values())
    rows = []
    for disposition, n in sorted(by_code.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        code, label, label_zh = labels.get(disposition, (NO_DISPOSITION, "", None))
        rows.append({
            "disposition": code, "label": label, "label_zh": label_zh, "calls": n,
            "share_pct": rounded(100.0 * n / total) if total else None,
        })  # fmt: skip
    by_agent.sort(key=lambda r: (r["agent"] or "", -r["calls"], r["disposition"]))
    totals = {"disposition": None, "label": None, "label_zh": None, "calls": total,
              "share_pct": 100.0 if total else None}  # fmt: skip
    return {"rows": rows, "totals": totals, "agents": by_agent}


def campaigns_report(
    session: Session, request: ReportRequest, access: Access | None, now: datetime
) -> dict[str, Any]:
    """Per campaign: entries dialed, attempts (and by outcome), contacted, successes in the
    period; remaining entries now; the same per agent."""
    start, end = request.bounds()
    codes = list(session.execute(select(Disposition.code, Disposition.counts_as_contact,
                                        Disposition.is_success)))  # fmt: skip
    contact = [c for c, is_contact, _ in codes if is_contact]
    success = [c for c, _, is_success in codes if is_success]
    a = Attempt
    where = [
        a.started_at >= start,
        a.started_at < end,
        agent_filter(session, a.agent_id, access, request.team),
    ]
    if request.campaign is not None:
        where.append(a.campaign_id == _campaign_id(session, request.campaign))
    contacted = func.sum(case((a.disposition_code.in_(contact), 1), else_=0))
    succeeded = func.sum(case((a.disposition_code.in_(success), 1), else_=0))
    per_agent = list(session.execute(
        select(a.campaign_id, a.agent_id, func.count(), contacted, succeeded)
        .where(*where).group_by(a.campaign_id, a.agent_id)
    ))  # fmt: skip
    outcomes = list(session.execute(
        select(a.campaign_id, a.outcome, func.count()).where(*where)
        .group_by(a.campaign_id, a.outcome)
    ))  # fmt: skip
    dialed = dict(session.execute(
        select(a.campaign_id, func.count(a.entry_id.distinct())).where(*where)
        .group_by(a.campaign_id)
    ).all())  # fmt: skip
    campaigns = set(dialed)
    if request.campaign is not None:
        campaigns.add(_campaign_id(session, request.campaign))
    names = dict(session.execute(select(Campaign.id, Campaign.name)).all())
    users = dict(session.execute(select(User.id, User.username)).all())
    e = CampaignEntry
    remaining = dict(session.execute(
        select(e.campaign_id, func.count())
        .where(e.campaign_id.in_(campaigns), e.status.in_(OPEN_STATUSES), e.deleted_at.is_(None))
        .group_by(e.campaign_id)
    ).all())  # fmt: skip
    rows: dict[uuid.UUID, dict[str, Any]] = {
        c: {"campaign": names[c], "dialed": dialed.get(c, 0), "attempts": 0, "contacted": 0,
            "successes": 0, "remaining": remaining.get(c, 0), "attempts_by_outcome": {}}
        for c in campaigns
    }  # fmt: skip
    agents = []
    for campaign, agent, n, n_contact, n_success in per_agent:
        row = rows[campaign]
        row["attempts"] += n
        row["contacted"] += int(n_contact or 0)
        row["successes"] += int(n_success or 0)
        agents.append({
            "campaign": names[campaign], "agent": users.get(agent), "attempts": n,
            "contacted": int(n_contact or 0), "successes": int(n_success or 0),
        })  # fmt: skip
    for campaign, outcome, n in outcomes:
        rows[campaign]["attempts_by_outcome"][outcome] = n
    ordered = sorted(rows.values(), key=lambda r: r["campaign"])
    agents.sort(key=lambda r: (r["campaign"], r["agent"] or ""))
    totals = {"campaign": None, **{k: sum(r[k] for r in ordered) for k in CAMPAIGN_KEYS[1:]}}
    return {"rows": ordered, "totals": totals, "agents": agents}
