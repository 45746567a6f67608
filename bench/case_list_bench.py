"""The case desk's list at scale: N generated cases (most closed, as in a desk that has run for
years; the open ones spread over 20 teams' queues and 200 agents), then the first page of
the lists an agent opens, through ``agentdesk.service.case_desk.desk_list`` (the desk's path):
a service agent's "all my work", "my cases", "team queue" and "breached", and a supervisor's
"all". p50/p95/p99 in ms per list and overall.

    python bench/case_list_bench.py --engine sqlite --cases 1000000 --out cases-sqlite.json
    python bench/case_list_bench.py --engine postgresql --cases 1000000 --out cases-pg.json

SQLite runs on a new file in a temporary folder; PostgreSQL without ``--db`` on a throwaway
server (with ``--db``: an empty database). Cases are written in batches of 5,000 rows with
the columns the service writes (numbers, queues, due times, breach flags). The owner's
connection acts for each user, as the CLI does (the services apply the role's rules).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for folder in (str(ROOT), str(BENCH)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from bench_stats import machine, percentiles  # noqa: E402
from kb_bench import database  # noqa: E402
from sqlalchemy import Engine, insert, select, text  # noqa: E402

from agentdesk.crm.models import ServiceCase  # noqa: E402
from agentdesk.db import migrate  # noqa: E402
from agentdesk.db.base import table_of  # noqa: E402
from agentdesk.db.engine import create_db_engine, session_factory  # noqa: E402
from agentdesk.domain.cases import DEFAULT_TARGETS  # noqa: E402
from agentdesk.domain.enums import CasePriority  # noqa: E402
from agentdesk.domain.ids import uuid7  # noqa: E402
from agentdesk.org.admin import add_team, add_user  # noqa: E402
from agentdesk.org.models import Team, User  # noqa: E402
from agentdesk.service import models as service_models  # noqa: E402, F401
from agentdesk.service.case_desk import CaseFilter, Scope, desk_list  # noqa: E402

BATCH = 5000
TEAMS = 20
AGENTS_PER_TEAM = 10
OPEN_SHARE = 0.05
"""Of the cases, the open ones (the rest resolved or closed)."""
QUEUED_SHARE = 0.2
"""Of the open cases, those in a team's queue (no owner)."""
OPEN_STATUSES = ("new", "assigned", "in_progress", "waiting_on_customer")
PRIORITIES = ("low", "normal", "high", "urgent")


def people(engine: Engine) -> tuple[list[tuple[Any, Any]], list[Any]]:
    """Teams with a supervisor and agents; returns (agent id, team id) pairs and team ids."""
    sessions = session_factory(engine)
    for t in range(TEAMS):
        add_team(sessions, f"Team {t:02d}")
        add_user(
            sessions, f"lead{t:02d}", name=f"Lead {t}", role="supervisor", team=f"Team {t:02d}"
        )
        for a in range(AGENTS_PER_TEAM):
            add_user(sessions, f"agent{t:02d}{a}", name=f"Agent {t}-{a}", role="service_agent",
                     team=f"Team {t:02d}")  # fmt: skip
    with sessions() as s:
        agents = [
            (u.id, u.team_id) for u in s.scalars(select(User).where(User.role == "service_agent"))
        ]
        teams = list(s.scalars(select(Team.id)))
    return agents, teams


def fill(engine: Engine, count: int, seed: int) -> float:
    rng = random.Random(seed)
    agents, teams = people(engine)
    table = table_of(ServiceCase)
    now = datetime.now(UTC)
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        rows: list[dict[str, Any]] = []
        for n in range(first, min(first + BATCH, count)):
            opened = now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
            is_open = rng.random() < OPEN_SHARE
            owner, team = rng.choice(agents)
            if is_open and rng.random() < QUEUED_SHARE:
                owner, team = None, rng.choice(teams)
            status = rng.choice(OPEN_STATUSES[1:] if owner else OPEN_STATUSES[:1])
            if not is_open:
                status = rng.choice(("resolved", "closed"))
            due = opened + timedelta(hours=rng.choice((4, 8, 24, 40)))
            if is_open:  # open cases are recent: due from yesterday to next week
                due = now + timedelta(minutes=rng.randint(-24 * 60, 7 * 24 * 60))
            priority = rng.choice(PRIORITIES)
            targets = DEFAULT_TARGETS[CasePriority(priority)]
            rows.append({
                "id": uuid7(), "number": f"CS-{opened.year}-{n:07d}", "subject": f"Case {n}",
                "status": status, "priority": priority, "owner_id": owner,
                "team_id": team, "opened_at": opened, "created_at": opened,
                "updated_at": opened, "version": 1, "due_at": due,
                "first_response_due": due - timedelta(hours=3),
                "first_responded_at": None if status == "new" else opened,
                "resolved_at": None if is_open else due - timedelta(hours=1),
                "first_response_breached": False, "resolution_breached": False,
                "first_response_minutes": targets.first_response,
                "resolution_minutes": targets.resolution,
            })  # fmt: skip
        with engine.begin() as conn:
            conn.execute(insert(table), rows)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


def lists(rng: random.Random, count: int) -> list[tuple[str, str, CaseFilter]]:
    """(kind, user, filter) for the lists an agent or a supervisor opens."""
    kinds = {
        "all_my_work": lambda: (agent(), CaseFilter(Scope.ALL)),
        "my_cases": lambda: (agent(), CaseFilter(Scope.MINE)),
        "team_queue": lambda: (agent(), CaseFilter(Scope.QUEUE)),
        "breached": lambda: (agent(), CaseFilter(Scope.ALL, breached=True)),
        "supervisor_all": lambda: (f"lead{rng.randrange(TEAMS):02d}", CaseFilter(Scope.ALL)),
    }

    def agent() -> str:
        return f"agent{rng.randrange(TEAMS):02d}{rng.randrange(AGENTS_PER_TEAM)}"

    names = list(kinds)
    out = []
    for i in range(count):
        name = names[i % len(names)]
        user, chosen = kinds[name]()
        out.append((name, user, chosen))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--db", metavar="URL", help="an empty database (else a new one)")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=25)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the cases already in --db (no fill)"
    )
    args = parser.parse_args(argv)
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": args.engine,
        "cases": args.cases,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
    }
    with database(args.engine, args.db) as url:
        engine = create_db_engine(url)
        try:
            migrate.upgrade(engine)
            with engine.connect() as conn:
                filled = conn.execute(text("SELECT count(*) FROM service_cases")).scalar_one()
            if filled and not args.reuse:
                raise SystemExit("the database has cases: give an empty one, or --reuse")
            if not filled:
                report["fill_seconds"] = round(fill(engine, args.cases, args.seed), 1)
            report["cases"] = filled or args.cases
            report["machine"] = machine(engine)
            sessions = session_factory(engine)
            rng = random.Random(args.seed + 1)
            for _, user, chosen in lists(rng, args.warmup):
                desk_list(sessions, chosen, agent=user)
            timings: dict[str, list[float]] = {}
            rows: dict[str, list[int]] = {}
            cpu_ms: list[float] = []
            for kind, user, chosen in lists(rng, args.queries):
                started, cpu = time.perf_counter(), time.process_time()
                page = desk_list(sessions, chosen, agent=user)
                timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
                cpu_ms.append((time.process_time() - cpu) * 1000)
                rows.setdefault(kind, []).append(len(page))
            report["list_ms"] = percentiles([t for ts in timings.values() for t in ts])
            # this process's CPU (SQLite's work included): the wall time less the waiting for
            # a core on a shared machine (PostgreSQL's own CPU is not in it)
            report["cpu_ms"] = percentiles(cpu_ms)
            report["by_list_ms"] = {k: percentiles(v) for k, v in timings.items()}
            report["mean_rows"] = {k: round(sum(v) / len(v), 1) for k, v in rows.items()}
            report["load_average"] = [round(v, 2) for v in os.getloadavg()]
        finally:
            engine.dispose()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    keys = ("engine", "cases", "fill_seconds", "list_ms", "cpu_ms", "by_list_ms", "load_average")
    summary = {k: report[k] for k in keys if k in report}
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
