"""A one-month supervisor report (PDF included) over the benchmark data set (issue 16).

    python bench/report_bench.py --contacts 100000 --engine sqlite --out r.json
    python bench/report_bench.py --contacts 100000 --engine postgresql --out r.json

The data set is ``bench_data``'s (N contacts, about 5.25 N calls over the past year, 20 demo
agents, a campaign of N entries). The demo generator books no queues and keeps no rollups,
so this fills them once, in bulk, from the calls as a desk's journal would have booked them:
every inbound call is a call of queue ``support`` whose wait is its ring time (counted by
``domain.contact_metrics.counts_of``), every answered call adds to its agent's interval where
it ended; each demo agent gets a state log (signed in 09:00, lunch 12:00-13:00, out at 18:00,
every day). Then each report kind is made for the last whole month of the data and written
as PDF (and the queue report as XLSX too) through ``export_report`` (read, render, audit),
``--runs`` times; the JSON gives the median and the maximum per kind.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, insert, select  # noqa: E402

from agentdesk.crm.models import Call, Disposition  # noqa: E402
from agentdesk.db.engine import create_db_engine, session_factory  # noqa: E402
from agentdesk.dialer.models import Attempt, Campaign, CampaignEntry  # noqa: E402
from agentdesk.domain.clock import zone_named  # noqa: E402
from agentdesk.domain.contact_metrics import (  # noqa: E402
    QueueCall,
    QueueCounts,
    Thresholds,
    counts_of,
    interval_of,
)
from agentdesk.domain.enums import CallDirection  # noqa: E402
from agentdesk.org.models import User  # noqa: E402
from agentdesk.supervision.models import AgentInterval, AgentStateLog, QueueInterval  # noqa: E402
from agentdesk.supervision.report_files import export_report  # noqa: E402
from agentdesk.supervision.report_request import (  # noqa: E402
    ReportFormat,
    ReportKind,
    ReportRequest,
)
from bench.bench_data import database, prepare  # noqa: E402

QUEUE = "support"
BATCH = 5000
ZONE = "Asia/Shanghai"


def _insert(engine: Engine, model: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        for start in range(0, len(rows), BATCH):
            conn.execute(insert(model), rows[start : start + BATCH])


def fill_rollups(engine: Engine) -> dict[str, Any]:
    """The rollups and state log of the data set, once (a filled table is left as it is)."""
    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(QueueInterval)):
            return {"reused": True}
    started = time.perf_counter()
    queue: dict[datetime, QueueCounts] = defaultdict(QueueCounts)
    agents: dict[tuple[Any, datetime], list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0, 0.0])
    thresholds = Thresholds()
    stmt = select(Call.agent_id, Call.direction, Call.started_at, Call.answered_at,
                  Call.ended_at, Call.talk_seconds, Call.hold_seconds)  # fmt: skip
    calls = 0
    with engine.connect() as conn:
        for agent, direction, offered, answered, ended, talk, hold in conn.execute(
            stmt.execution_options(yield_per=20000)
        ):
            calls += 1
            ended = ended or offered
            inbound = CallDirection(direction) is CallDirection.INBOUND
            if inbound:
                end = max(ended, offered)
                wrapped = end if answered else None
                call = QueueCall(offered, end, answered, talk or 0.0, hold or 0.0, 0.0, wrapped)
                for at, counts in counts_of(call, thresholds).items():
                    queue[at] = queue[at] + counts
            if answered is not None and agent is not None:
                row = agents[(agent, interval_of(ended))]
                row[0 if inbound else 1] += 1
                row[2] += talk or 0.0
                row[3] += hold or 0.0
    _insert(engine, QueueInterval, [
        {"queue": QUEUE, "interval_start": at, **{f: getattr(c, f) for f in c.__slots__}}
        for at, c in queue.items()
    ])  # fmt: skip
    _insert(engine, AgentInterval, [
        {"agent_id": a, "interval_start": at, "handled_in": v[0], "handled_out": v[1],
         "talk_s": v[2], "hold_s": v[3], "wrapup_s": v[4]}
        for (a, at), v in agents.items()
    ])  # fmt: skip
    with engine.connect() as conn:
        users = list(conn.scalars(select(User.id).where(User.username.like("demo.agent%"))))
        first = conn.scalar(select(func.min(Call.started_at)))
        last = conn.scalar(select(func.max(Call.started_at)))
    log = []
    day = first.date()
    while day <= last.date():
        for hour, state, reason in ((1, "available", None), (4, "not_ready", "lunch"),
                                    (5, "available", None), (10, "logged_out", None)):  # fmt: skip
            at = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)  # 09:00 in Shanghai
            log += [{"user_id": u, "state": state, "reason": reason, "at": at} for u in users]
        day += timedelta(days=1)
    _insert(engine, AgentStateLog, log)
    return {"reused": False, "calls_read": calls, "queue_intervals": len(queue),
            "agent_intervals": len(agents), "state_log": len(log),
            "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip


def fill_attempts(engine: Engine, count: int, seed: int = 16) -> dict[str, Any]:
    """Dialer attempts on the bench campaign over the past year (the generator makes none),
    with outcomes and the dispositions of answered ones, by the demo agents; once."""
    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(Attempt)):
            return {"reused": True}
        campaign = conn.scalar(select(Campaign.id).where(Campaign.name == "Bench campaign"))
        entries = list(conn.scalars(select(CampaignEntry.id).where(
            CampaignEntry.campaign_id == campaign).limit(count)))  # fmt: skip
        users = list(conn.scalars(select(User.id).where(User.username.like("demo.agent%"))))
        codes = list(conn.scalars(select(Disposition.code)))
        last = conn.scalar(select(func.max(Call.started_at)))
    rng = random.Random(seed)
    outcomes = ("answered", "no_answer", "busy", "failed")
    rows = []
    for entry in entries:
        outcome = rng.choices(outcomes, weights=(45, 35, 12, 8))[0]
        rows.append({
            "id": uuid.uuid4(), "entry_id": entry, "campaign_id": campaign,
            "agent_id": rng.choice(users), "outcome": outcome,
            "started_at": last - timedelta(seconds=rng.random() * 365 * 86400),
            "disposition_code": rng.choice(codes) if outcome == "answered" else None,
        })  # fmt: skip
    _insert(engine, Attempt, rows)
    return {"reused": False, "attempts": len(rows)}


def last_month(engine: Engine) -> tuple[date, date]:
    with engine.connect() as conn:
        last = conn.scalar(select(func.max(Call.started_at)))
    end = last.date().replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def measure(engine: Engine, runs: int) -> dict[str, Any]:
    sessions = session_factory(engine)
    first, last = last_month(engine)
    zone = zone_named(ZONE)
    result: dict[str, Any] = {"from": first.isoformat(), "to": last.isoformat(), "kinds": {}}
    with tempfile.TemporaryDirectory() as folder:
        cases = [(kind, ReportFormat.PDF) for kind in ReportKind] + [
            (ReportKind.QUEUES, ReportFormat.XLSX)
        ]
        for kind, fmt in cases:
            times, rows = [], 0
            for run in range(runs):
                path = Path(folder) / f"{kind.value}-{run}.{fmt.value}"
                request = ReportRequest(kind=kind, first=first, last=last, zone=zone)
                started = time.perf_counter()
                done = export_report(sessions, request, fmt, path, viewer=None, language="zh_CN")
                times.append(time.perf_counter() - started)
                rows = done["rows"]
            result["kinds"][f"{kind.value}.{fmt.value}"] = {
                "rows": rows, "median_s": round(statistics.median(times), 3),
                "max_s": round(max(times), 3), "pages_bytes": path.stat().st_size,
            }  # fmt: skip
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--db", help="a PostgreSQL URL to use instead of a throwaway server")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--prepare-only", action="store_true", help="the data set, no timing")
    args = parser.parse_args()
    with database(args.engine, args.contacts, args.db) as url:
        engine = create_db_engine(url)
        info = prepare(engine, args.contacts, seed=16, explicit_url=bool(args.db))
        fill = fill_rollups(engine)
        fill["attempts"] = fill_attempts(engine, args.contacts)
        figures = {} if args.prepare_only else measure(engine, args.runs)
        engine.dispose()
    out = {"engine": args.engine, "contacts": args.contacts, "dataset": info["rows"],
           "rollups": fill, **figures}  # fmt: skip
    text = json.dumps(out, indent=2, default=str)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
