"""INVITE on the wire to screen pop shown in the running desk, on its own (SIPp, loopback).

    .venv/bin/python scripts/pop_latency.py --calls 30 --contacts 10000
    .venv/bin/python scripts/pop_latency.py --calls 200 --db sqlite:///bench/.cache/sqlite-1000000.db

The measurement is ``bench/desk_bench.py`` (also run by ``bench/run.py`` as ``screen_pop_ms``):
a temp SQLite desk with ``--contacts`` demo contacts, or the database ``--db`` (the desk writes
its calls into it). Prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from desk_bench import bench_desk  # noqa: E402

from agentdesk.db import migrate  # noqa: E402
from agentdesk.db.engine import create_db_engine  # noqa: E402
from agentdesk.demo.generate import generate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--contacts", type=int, default=10000, help="without --db")
    parser.add_argument("--db", help="an existing desk database URL")
    parser.add_argument("--rate", type=float, default=2.0, help="calls a second, one at a time")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="agentdesk-latency-"))
    try:
        url = args.db or f"sqlite:///{work / 'desk.db'}"
        engine = create_db_engine(url)
        if args.db is None:
            migrate.upgrade(engine)
            generate(engine, args.contacts)
        figures = bench_desk(engine, url, calls=args.calls, startup_runs=1, rate=args.rate)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
