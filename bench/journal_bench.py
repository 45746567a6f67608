"""Wrap-up save with the journal in front against today's direct save, interleaved.

What the agent waits for at "Save" once the journal is in front: the wrap-up appended to the
desk's journal file (SQLite, WAL, synchronous=FULL: one fsync), then applied to the shared
database in the entry's own transaction with its ``journal_applied`` row, then marked applied
in the file. Today's figure is ``CallLog.save_wrapup``. The two alternate save by save on the
same database, so both see the same cache and the same neighbours' load.

    python bench/journal_bench.py --db URL [--samples 500] [--warmup 50]

The database needs demo agents and contacts (``agentdesk demo-data --contacts N --db URL``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from bench_stats import percentiles
from wrapup_bench import agents, sample_callers, wrapup

from agentdesk.calls.log import CallLog
from agentdesk.db.engine import create_db_engine, session_factory
from agentdesk.journal.appliers import APPLIERS
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import WRAPUP, wrapup_payload
from agentdesk.journal.store import JournalStore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    engine = create_db_engine(args.db)
    sessions = session_factory(engine)
    rng = random.Random(args.seed)
    callers = sample_callers(engine, min(args.samples + args.warmup, 5000))
    names = agents(engine, 20)
    log = CallLog(sessions)
    with tempfile.TemporaryDirectory() as tmp:
        store = JournalStore(Path(tmp) / "journal.sqlite3")
        journal = Journal(store, sessions, APPLIERS)
        direct: list[float] = []
        kept: list[float] = []
        for index in range(args.warmup + args.samples):
            caller, agent = callers[index % len(callers)], names[index % len(names)]
            form = wrapup(rng, caller, agent, index)
            started = time.perf_counter()
            log.save_wrapup(form)
            direct_ms = (time.perf_counter() - started) * 1000
            form = wrapup(rng, caller, agent, index)
            started = time.perf_counter()
            entry = journal.append(WRAPUP, wrapup_payload(form), actor=agent)
            journal.drain()
            outcome = journal.take_outcome(entry.id)
            kept_ms = (time.perf_counter() - started) * 1000
            assert outcome is not None and outcome[0], outcome
            if index >= args.warmup:
                direct.append(direct_ms)
                kept.append(kept_ms)
        store.close()
    engine.dispose()
    result = {
        "engine": engine.dialect.name,
        "direct_ms": percentiles(direct),
        "journal_ms": percentiles(kept),
        "includes": "append (fsync) + apply (call, disposition, notes, callback, audit, "
        "journal_applied) + mark applied, against the direct save alone",
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
