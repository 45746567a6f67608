"""The supervisor board's figures read from the rollups, and booking a queue call (issue 16).

    python bench/board_bench.py --db sqlite:////tmp/board.db [--days 30] [--queue-calls 200000]
    python bench/board_bench.py --db postgresql+psycopg://postgres@127.0.0.1:5432/board

Fills an empty database (migrated here) with a month of rollups as desks would have kept them:
20 queues x 96 intervals a day, 200 agents x 40 intervals a day (10 teams of 20; each queue
served by two teams and two agents by name, each agent's presence published),
``--queue-calls`` booked queue calls spread over the month and 40 callers waiting now, each
rung on two desks; then times ``read_figures`` plus each tile's agent counts over the 200
agents (what the board runs at each refresh: queue tiles with their members by state, and
every agent's figures today) and the journal's apply of one abandoned queue call (``call.open`` and
``call.end-unanswered``: the call row, its leg, the queue call and its interval re-booked).
Prints JSON: p50/p95/p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from agentdesk.calls.dto import CallFacts
from agentdesk.db import migrate
from agentdesk.db.engine import create_db_engine, session_factory, unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.agent_state import AgentStatus
from agentdesk.domain.contact_metrics import ServiceLevelFormula, interval_of
from agentdesk.domain.enums import CallDirection
from agentdesk.journal.appliers import APPLIERS
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import (
    CALL_MISSED,
    CALL_OPEN,
    call_update_payload,
    facts_payload,
)
from agentdesk.journal.store import JournalStore
from agentdesk.org.models import Team, User
from agentdesk.supervision.board_figures import read_figures
from agentdesk.supervision.models import AgentInterval, QueueCall, QueueInterval, QueueLeg
from agentdesk.supervision.presence import DeskState, board_agents, publish
from agentdesk.supervision.queue_members import add_members
from agentdesk.supervision.queues import add_queue

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_stats import percentiles

QUEUES = 20
AGENTS = 200


def fill(sessions, days: int, queue_calls: int, rng: random.Random) -> list[str]:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    first = interval_of(now - timedelta(days=days))
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        teams = [Team(name=f"team-{t}") for t in range(AGENTS // 20)]
        s.add_all(teams)
        s.flush()
        users = [User(username=f"bench.{n:03d}", display_name=f"Agent {n}",
                      team_id=teams[n // 20].id) for n in range(AGENTS)]  # fmt: skip
        s.add_all(users)
        s.flush()
        agent_ids = [u.id for u in users]
    states = list(AgentStatus)[1:]  # every state but logged out
    for n in range(AGENTS):
        publish(sessions, f"bench.{n:03d}", DeskState(states[n % len(states)]))
    for n in range(QUEUES):
        add_queue(sessions, f"queue-{n:02d}", [f"+1202555{n:04d}"], region="US")
        named = [f"bench.{(n * 7 + k) % AGENTS:03d}" for k in (3, 11)]
        add_members(sessions, f"queue-{n:02d}", named, [f"team-{n % 10}", f"team-{(n + 3) % 10}"])
    steps = days * 96
    with unit_of_work(sessions) as s:
        rows = []
        for n, step in itertools.product(range(QUEUES), range(steps)):
            offered = rng.randint(0, 40)
            answered = rng.randint(0, offered)
            rows.append({
                "queue": f"queue-{n:02d}", "interval_start": first + timedelta(minutes=15 * step),
                "offered": offered, "answered": answered, "abandoned": offered - answered,
                "short_abandoned": 0, "answered_within": answered, "abandoned_after": 0,
                "answered_wait_s": answered * 9.5, "longest_wait_s": 60.0,
                "handled": answered, "handle_s": answered * 240.0,
            })  # fmt: skip
        s.execute(insert(QueueInterval), rows)
        rows = []
        for agent, day, step in itertools.product(agent_ids, range(days), range(40)):
            at = first + timedelta(days=day, minutes=15 * (32 + step))
            if at > now:
                continue
            rows.append({
                "agent_id": agent, "interval_start": at, "handled_in": 2, "handled_out": 1,
                "talk_s": 500.0, "hold_s": 20.0, "wrapup_s": 90.0,
            })  # fmt: skip
        s.execute(insert(AgentInterval), rows)
    batch = 20000
    for start in range(0, queue_calls, batch):
        with unit_of_work(sessions) as s:
            rows = []
            for n in range(start, min(start + batch, queue_calls)):
                offered = first + timedelta(seconds=rng.uniform(0, days * 86400 - 3600))
                rows.append({
                    "sip_call_id": f"bench-{n}", "queue": f"queue-{n % QUEUES:02d}",
                    "offered_at": offered, "answered_at": offered + timedelta(seconds=9),
                    "ended_at": offered + timedelta(seconds=200), "talk_seconds": 191.0,
                    "hold_seconds": 0.0, "wrapup_seconds": 30.0,
                    "booked_interval": interval_of(offered), "booked_wait": 9.0,
                    "service_seconds": 20.0, "short_abandon_seconds": 5.0,
                })  # fmt: skip
            s.execute(insert(QueueCall), rows)
    with unit_of_work(sessions) as s:  # callers waiting now, each ringing two desks
        for n in range(40):
            offered = now - timedelta(seconds=5 + n)
            s.add(QueueCall(sip_call_id=f"waiting-{n}", queue=f"queue-{n % QUEUES:02d}",
                            offered_at=offered))  # fmt: skip
            for k in range(2):
                s.add(QueueLeg(call_id=uuid.uuid4(), sip_call_id=f"waiting-{n}",
                               queue=f"queue-{n % QUEUES:02d}", agent_id=agent_ids[2 * n + k],
                               offered_at=offered))  # fmt: skip
    return [f"bench.{n:03d}" for n in range(AGENTS)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--queue-calls", type=int, default=200_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    args = parser.parse_args(argv)
    engine = create_db_engine(args.db)
    migrate.upgrade(engine)
    sessions = session_factory(engine)
    rng = random.Random(1)
    started = time.perf_counter()
    agents = fill(sessions, args.days, args.queue_calls, rng)
    fill_s = time.perf_counter() - started
    reads: list[float] = []
    with sessions() as s:
        on_board = board_agents(s, None)  # the board reads these on its own, in parallel
    assert len(on_board) == AGENTS
    for index in range(args.warmup + args.samples):
        started = time.perf_counter()
        figures = read_figures(sessions, ServiceLevelFormula.ANSWERED)
        staffed = [tile.staffing(on_board) for tile in figures.queues]
        took = (time.perf_counter() - started) * 1000
        assert len(figures.queues) == QUEUES and all(staffed)
        assert sum(t.waiting for t in figures.queues) == 40
        if index >= args.warmup:
            reads.append(took)
    books: list[float] = []
    minutes = itertools.count(step=60.0)
    with tempfile.TemporaryDirectory() as folder:
        journal = Journal(JournalStore(Path(folder) / "j.db"), sessions, APPLIERS,
                          monotonic=lambda: next(minutes))  # fmt: skip
        for index in range(args.warmup + args.samples):
            agent = agents[index % AGENTS]
            record, at = uuid.uuid4(), datetime.now(UTC) - timedelta(seconds=30)
            facts = CallFacts(direction=CallDirection.INBOUND, started_at=at, agent=agent,
                              sip_call_id=f"live-{uuid.uuid4()}",
                              queue_number=f"+1202555{index % QUEUES:04d}")  # fmt: skip
            journal.append(CALL_OPEN, facts_payload(facts), record_id=record, actor=agent)
            end = call_update_payload(ended_at=at + timedelta(seconds=12), end_reason="cancel")
            journal.append(CALL_MISSED, end, record_id=record, actor=agent)
            started = time.perf_counter()
            report = journal.drain()
            took = (time.perf_counter() - started) * 1000
            assert report.applied == 2 and report.refused == 0, report
            if index >= args.warmup:
                books.append(took)
        journal.store.close()
    engine.dispose()
    result = {
        "engine": engine.dialect.name,
        "data": {
            "queues": QUEUES,
            "agents": AGENTS,
            "days": args.days,
            "queue_calls": args.queue_calls,
            "fill_s": round(fill_s, 1),
        },
        "board_figures_ms": percentiles(reads),
        "apply_abandoned_queue_call_ms": percentiles(books),
        "includes": "board: queue tiles (today's intervals summed, callers waiting now whose "
        "desks still ring, each queue's members by state) and "
        "every agent's calls and AHT today; apply: two journal entries, the call row, its "
        "leg, the queue call and its interval re-booked, journal_applied",
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
