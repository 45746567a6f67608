"""The escalation pass the desks run every minute, at scale: N generated cases (the case-list
bench's data: 5 % open, due times from yesterday to next week), then the first pass (which
escalates the cases nearing or past a target) and the passes after it (the steady state: a
desk's minute with nothing new to escalate), as the owner's connection (every open case, the
worst case) and as a team lead (their team's). Wall time per pass, p50/p95/max in ms.

    python bench/escalation_bench.py --engine sqlite --cases 100000 --out esc-sqlite.json
    python bench/escalation_bench.py --engine postgresql --cases 100000 --out esc-pg.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for folder in (str(ROOT), str(BENCH)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from bench_stats import machine, percentiles  # noqa: E402
from case_list_bench import fill  # noqa: E402
from kb_bench import database  # noqa: E402

from agentdesk.db import migrate  # noqa: E402
from agentdesk.db.engine import create_db_engine, session_factory  # noqa: E402
from agentdesk.service import models as service_models  # noqa: E402, F401
from agentdesk.service.escalation import escalate_due_cases  # noqa: E402

ZONE = "Asia/Shanghai"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--db", metavar="URL", help="an empty database (else a new one)")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--passes", type=int, default=10)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--out", type=Path, required=True)
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
            report["fill_seconds"] = round(fill(engine, args.cases, args.seed), 1)
            report["machine"] = machine(engine)
            sessions = session_factory(engine)
            for who, agent in (("owner", None), ("team_lead", "lead00")):
                started = time.perf_counter()
                first = escalate_due_cases(sessions, default_zone=ZONE, agent=agent)
                report[f"{who}_first_pass"] = {
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "escalated": len(first),
                }
                timings = []
                for _ in range(args.passes):
                    started = time.perf_counter()
                    escalate_due_cases(sessions, default_zone=ZONE, agent=agent)
                    timings.append((time.perf_counter() - started) * 1000)
                report[f"{who}_steady_pass_ms"] = percentiles(timings)
            report["load_average"] = [round(v, 2) for v in os.getloadavg()]
        finally:
            engine.dispose()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = {k: v for k, v in report.items() if k not in ("machine", "command")}
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
