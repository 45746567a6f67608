"""The reports without a rollup, on both engines: dispositions from the calls and campaigns
from the dialer's attempts equal a count by hand over the rows written, per agent too, and a
supervisor's report holds their department's agents only."""

from __future__ import annotations

import csv
import random
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Call, Disposition
from agentdesk.db.engine import unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.dialer.models import Attempt, Campaign, CampaignEntry
from agentdesk.domain.enums import CallDirection
from agentdesk.supervision.report_files import export_report, make_report
from agentdesk.supervision.report_request import ReportFormat, ReportKind, ReportRequest
from tests.support.report_data import DAY, T0, ZONE, make_org

OUTCOMES = ("answered", "no_answer", "busy")


def _request(kind: ReportKind, **kw: object) -> ReportRequest:
    return ReportRequest(kind=kind, first=DAY, last=DAY, zone=ZONE, **kw)  # type: ignore[arg-type]


def test_dispositions_and_campaigns_equal_a_count_by_hand(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    ids = make_org(sessions)
    rng = random.Random(4)
    with unit_of_work(sessions) as session:
        ensure_default_dispositions(session)
        session.flush()
        codes = {d.code: d for d in session.scalars(select(Disposition))}
        campaign = Campaign(name="Winter")
        session.add(campaign)
        session.flush()
        entries = [
            CampaignEntry(campaign_id=campaign.id, phone_raw=f"+1202555{i:04d}",
                          e164=f"+1202555{i:04d}", zone_key="US/Eastern",
                          status=rng.choice(("new", "done", "callback")))
            for i in range(40)
        ]  # fmt: skip
        session.add_all(entries)
        session.flush()
        calls, attempts = [], []
        for i in range(120):
            agent = rng.choice(("ava", "ben", "oli"))
            at = T0 + timedelta(minutes=rng.randrange(-600, 1500))  # some outside the day
            code = rng.choice([*codes, None])
            call = Call(direction=CallDirection.OUTBOUND, agent_id=ids[agent], started_at=at,
                        ended_at=at + timedelta(minutes=1), sip_call_id=str(uuid.uuid4()),
                        disposition_id=codes[code].id if code else None)  # fmt: skip
            session.add(call)
            session.flush()
            outcome = rng.choice(OUTCOMES)
            attempt = Attempt(entry_id=entries[i % 40].id, campaign_id=campaign.id,
                              agent_id=ids[agent], started_at=at, outcome=outcome,
                              call_id=call.id, disposition_code=code)  # fmt: skip
            session.add(attempt)
            calls.append((agent, at, code))
            attempts.append((agent, at, outcome, code, i % 40))
        remaining = sum(1 for e in entries if e.status in ("new", "callback"))
    start, end = T0.replace(hour=0), T0.replace(hour=0) + timedelta(days=1)
    day_calls = [c for c in calls if start <= c[1] < end]
    report = make_report(sessions, _request(ReportKind.DISPOSITIONS), None)
    by_code = Counter(code or "-" for _, _, code in day_calls)
    assert {r["disposition"]: r["calls"] for r in report["rows"]} == by_code
    assert report["totals"]["calls"] == len(day_calls)
    sale = next(r for r in report["rows"] if r["disposition"] == "sale")
    assert (sale["label"], sale["label_zh"]) == ("Sale", "成交")
    per_agent = Counter((a, code or "-") for a, _, code in day_calls)
    assert {(r["agent"], r["disposition"]): r["calls"] for r in report["agents"]} == per_agent
    gbk = tmp_path / "dispositions.csv"
    export_report(sessions, _request(ReportKind.DISPOSITIONS), ReportFormat.CSV, gbk,
                  viewer=None, encoding="gbk")  # fmt: skip
    read = list(csv.DictReader(gbk.read_text(encoding="gbk").splitlines()))
    assert {r["label_zh"] for r in read} >= {"成交"} and read[-1]["disposition"] == "total"
    mine = make_report(sessions, _request(ReportKind.DISPOSITIONS), "sup")
    assert {r["agent"] for r in mine["agents"]} <= {"ava", "ben"}
    assert mine["totals"]["calls"] == sum(1 for a, _, _ in day_calls if a != "oli")

    contact = {c for c, d in codes.items() if d.counts_as_contact}
    success = {c for c, d in codes.items() if d.is_success}
    day = [a for a in attempts if start <= a[1] < end]
    report = make_report(sessions, _request(ReportKind.CAMPAIGNS, campaign="Winter"), None)
    (row,) = report["rows"]
    assert row["campaign"] == "Winter"
    assert row["attempts"] == len(day)
    assert row["dialed"] == len({a[4] for a in day})
    assert row["contacted"] == sum(1 for a in day if a[3] in contact)
    assert row["successes"] == sum(1 for a in day if a[3] in success)
    assert row["remaining"] == remaining
    assert row["attempts_by_outcome"] == dict(Counter(a[2] for a in day))
    by_agent = {r["agent"]: r["attempts"] for r in report["agents"]}
    assert by_agent == dict(Counter(a[0] for a in day))
    mine = make_report(sessions, _request(ReportKind.CAMPAIGNS), "sup")
    assert {r["agent"] for r in mine["agents"]} <= {"ava", "ben"}
