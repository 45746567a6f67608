"""Dialer benchmark (not a test): next-entry selection at scale, and CSV campaign import.

Selection: a campaign of ``--entries`` numbers (US area codes in four zones plus a two-zone
Idaho code, toll-free, China, UK, Australia: a realistic zone mix) and a global DNC list of
``--dnc`` numbers (5 % of which are numbers of the campaign, listed after it was loaded, so
they are marked). Then ``--agents`` agents work the list: each asks for its next entry
(``next_entry(..., explain=False)``, timed) and records a ``no_answer`` attempt for it (not
timed), round robin, for ``--samples`` selections after ``--warmup``. ``blocked_counts`` (the
"why nothing is dialable" scan) is timed separately on a few calls.

Import: ``--import-rows`` rows of a generated CSV (names, companies, US national numbers as
people type them) through ``campaign import`` into a fresh campaign.

    .venv/bin/python bench/dialer_bench.py --sqlite /tmp/bench/dialer.db --entries 1000000 \\
        --dnc 1000000 --import-rows 1000000 --out bench/results/dialer-sqlite-1m.json
    .venv/bin/python bench/dialer_bench.py --postgres --entries 1000000 --dnc 1000000
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm import migrate
from agentdesk.crm.db import create_db_engine, session_factory, sqlite_url, unit_of_work
from agentdesk.crm.models import User
from agentdesk.dialer import commands, dnc, loader, outcomes, selection
from agentdesk.dialer.campaigns import create_campaign, load_campaign
from agentdesk.dialer.models import CampaignEntry
from agentdesk.dialer.rules import dialable_keys

# Monday 17:00 UTC: New York 12:00, Chicago 11:00, Denver 10:00, Los Angeles 09:00, London
# 17:00; Honolulu 07:00, Shanghai 01:00, Sydney 04:00 (closed).
AT = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
PREFIXES = (
    ("+1212", 20), ("+1312", 15), ("+1303", 10), ("+1415", 15), ("+1208", 5), ("+1808", 3),
    ("+1800", 2), ("+86138", 12), ("+4420", 8), ("+612", 5), ("+614", 5),
)  # fmt: skip
_DIGITS = {"+1212": 7, "+1312": 7, "+1303": 7, "+1415": 7, "+1208": 7, "+1808": 7, "+1800": 7,
           "+86138": 8, "+4420": 8, "+612": 8, "+614": 8}  # fmt: skip


def numbers(count: int, rng: random.Random) -> list[str]:
    prefixes = [p for p, _ in PREFIXES]
    weights = [w for _, w in PREFIXES]
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        prefix = rng.choices(prefixes, weights)[0]
        digits = _DIGITS[prefix]
        low = 2 * 10 ** (digits - 1)  # valid subscriber numbers do not start with 0 or 1
        number = f"{prefix}{rng.randrange(low, 10**digits)}"
        if number not in seen:
            seen.add(number)
            out.append(number)
    return out


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {
        "p50": at(0.50),
        "p95": at(0.95),
        "p99": at(0.99),
        "mean": round(statistics.fmean(ordered), 3),
        "max": round(ordered[-1], 3),
        "n": len(ordered),
    }


def build(
    sessions: sessionmaker[Session], entries: int, dnc_count: int, agents: int
) -> dict[str, Any]:
    rng = random.Random(5)
    with unit_of_work(sessions) as s:
        s.add_all(User(username=f"agent{i}", display_name=f"Agent {i}") for i in range(agents))
    create_campaign(sessions, "Bench", script="Hello {first_name}, this is {agent_name}.")
    started = time.perf_counter()
    listed = numbers(entries, rng)
    specs = [
        loader.EntrySpec(n, n, first_name=f"F{i}", last_name="L") for i, n in enumerate(listed)
    ]
    imported, _dup, _dnc = loader.load_entries(
        sessions, "Bench", specs, source="bench", now=AT - timedelta(days=1)
    )
    load_s = time.perf_counter() - started
    del specs
    overlap = rng.sample(listed, dnc_count // 20)
    others = set(numbers(dnc_count, random.Random(6))) - set(listed)
    dnc_numbers = overlap + list(others)[: dnc_count - len(overlap)]
    started = time.perf_counter()
    added, _already, marked = dnc._store(sessions, dnc_numbers, None, "bench")
    dnc_s = time.perf_counter() - started
    return {
        "entries": imported,
        "entries_load_s": round(load_s, 1),
        "dnc": added,
        "dnc_entries_marked": marked,
        "dnc_load_s": round(dnc_s, 1),
    }


def run_selection(
    sessions: sessionmaker[Session], agents: int, samples: int, warmup: int
) -> dict[str, Any]:
    timings: list[float] = []
    held: dict[int, Any] = {}
    now = AT
    for i in range(warmup + samples):
        agent = i % agents
        if agent in held:
            outcomes.record_attempt(sessions, held.pop(agent), "no_answer", 480, now=now)
        started = time.perf_counter()
        result = selection.next_entry(sessions, "Bench", f"agent{agent}", now=now, explain=False)
        elapsed = (time.perf_counter() - started) * 1000
        if result.entry is None:
            raise SystemExit(f"nothing dialable after {i} selections: {result}")
        held[agent] = result.entry.id
        if i >= warmup:
            timings.append(elapsed)
        now += timedelta(milliseconds=50)
    explain: list[float] = []
    with sessions() as session:
        campaign = load_campaign(session, "Bench")
        keys = dialable_keys(
            commands.campaigns.window_of(campaign),
            selection.campaign_groups(session, campaign.id),
            now,
        )
        for _ in range(5):
            started = time.perf_counter()
            blocked = selection.blocked_counts(
                session,
                campaign.id,
                active=campaign.active,
                agent_id=None,
                now=now,
                dialable=keys,
            )
            explain.append((time.perf_counter() - started) * 1000)
        dialable = session.scalar(
            select(func.count()).where(
                CampaignEntry.status == "new", CampaignEntry.zone_key.in_(sorted(keys))
            )
        )
    return {
        "next_entry_ms": percentiles(timings),
        "blocked_counts_ms": percentiles(explain),
        "blocked": blocked,
        "dialable_groups": len(keys),
        "dialable_entries": dialable,
    }


def run_import(sessions: sessionmaker[Session], rows: int, folder: Path) -> dict[str, Any]:
    rng = random.Random(7)
    path = folder / f"campaign-{rows}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["First name", "Last name", "Company", "Phone", "City"])
        area = ("212", "312", "303", "415", "617", "206", "305", "404")
        for i in range(rows):
            number = (
                f"({rng.choice(area)}) {rng.randrange(200, 1000)}-{rng.randrange(0, 10000):04d}"
            )
            if i % 200 == 0:
                number = "12345"  # a few rejects, as real files have
            writer.writerow(
                [f"First{i}", f"Last{i % 5000}", f"Company {i % 20000}", number, "City"]
            )
    commands.campaign_create(sessions, "Imported")
    started = time.perf_counter()
    result = commands.campaign_import(sessions, "Imported", path, region="US")
    elapsed = time.perf_counter() - started
    return {
        "rows": rows,
        "seconds": round(elapsed, 1),
        "rows_per_s": round(rows / elapsed),
        "imported": result["imported"],
        "duplicates": result["duplicates"],
        "rejected": len(result["rejected"]),
        "file_mb": round(path.stat().st_size / 1e6, 1),
    }


def machine(engine: Engine) -> dict[str, Any]:
    import sqlite3

    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "engine": engine.dialect.name,
    }
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        info["cpu"] = cpu
    except (OSError, StopIteration):
        pass
    return info


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--sqlite", type=Path, metavar="FILE", help="fresh SQLite file")
    target.add_argument("--postgres", action="store_true", help="throwaway PostgreSQL server")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--dnc", type=int, default=1_000_000)
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--import-rows", type=int, default=0)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="SQLite only: time selection on a file an earlier run built (no load)",
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    server = None
    if args.postgres:
        from sqlalchemy import text

        from tests.support.pg_server import start_server

        server = start_server()
        admin = create_db_engine(server.url)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("CREATE DATABASE dialer_bench"))
        admin.dispose()
        url = server.url_for("dialer_bench")
    else:
        if args.sqlite.exists() and not args.reuse:
            raise SystemExit(f"{args.sqlite} exists: the benchmark wants a fresh file (or --reuse)")
        url = sqlite_url(args.sqlite).render_as_string()
    try:
        engine = create_db_engine(url)
        report: dict[str, Any] = {"machine": machine(engine)}
        sessions = session_factory(engine)
        if args.reuse:
            report["dataset"] = {"reused": str(args.sqlite)}
        else:
            migrate.upgrade(engine)
            report["dataset"] = build(sessions, args.entries, args.dnc, args.agents)
        with engine.connect() as conn:  # planner statistics after the load
            conn.exec_driver_sql("ANALYZE")
            if engine.dialect.name == "sqlite":
                # Start from a checkpointed WAL, as a database that has been up for a while.
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.commit()
        gc.collect()
        report["selection"] = run_selection(sessions, args.agents, args.samples, args.warmup)
        if args.import_rows:
            with tempfile.TemporaryDirectory() as folder:
                report["import"] = run_import(sessions, args.import_rows, Path(folder))
        report["targets"] = {
            "next_entry_p95_ms": 10,
            "met": report["selection"]["next_entry_ms"]["p95"] < 10,
            "import_1m_rows_s": 30,
        }
        engine.dispose()
    finally:
        if server is not None:
            server.stop()
    text_out = json.dumps(report, indent=2, default=str)
    print(text_out)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text_out + "\n")


if __name__ == "__main__":
    main()
