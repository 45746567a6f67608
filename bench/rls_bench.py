"""What row-level security costs at scale: the desk's four hot paths on the same PostgreSQL
data, as the database owner (a superuser: the policies are bypassed, "RLS off") and as an
agent's own login (every policy applies, "RLS on"), in alternating rounds.

    python bench/rls_bench.py --db postgresql+psycopg://postgres@127.0.0.1:55432/rls1m \\
        --contacts 1000000 --out bench/results/rls-1m.json

``--db`` is the owner's connection (it prepares the data set like bench/run.py, migrates and
gives ``--login`` its PostgreSQL login, with the password in ``AGENTDESK_BENCH_PASSWORD`` when
set: unset suits a server that trusts loopback); the login connects to the same database.
Figures: caller lookup, search (keystrokes), dialer next entry and wrap-up save, p50/p95/p99
in ms; one agent takes every dialer selection and wrap-up in both modes, so the modes differ
only in the policies.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
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

import bench_data  # noqa: E402
import dialer_bench  # noqa: E402
import lookup_bench  # noqa: E402
import search_bench  # noqa: E402
import wrapup_bench  # noqa: E402
from bench_stats import machine  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from agentdesk.db.engine import create_db_engine, session_factory  # noqa: E402
from agentdesk.org import pg_logins  # noqa: E402

FIGURES = ("lookup", "search", "dialer", "wrapup")


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    owner = create_db_engine(args.db)
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "login": args.login,
        "rounds": [],
    }
    try:
        report["dataset"] = bench_data.prepare(
            owner, args.contacts, seed=args.seed, explicit_url=True
        )
        password = os.environ.get("AGENTDESK_BENCH_PASSWORD")
        _give_login(owner, args.login, password)
        report["machine"] = machine(owner)
        url = make_url(args.db).set(username=args.login, password=password)
        login = create_db_engine(url)
        with login.connect() as conn:
            assert conn.execute(text("SELECT session_user")).scalar_one() == args.login
        rng = random.Random(args.seed)
        known, unknown = lookup_bench.sample_numbers(owner, rng, args.samples + args.warmup)
        for number in range(args.rounds):
            order = ("off", "on") if number % 2 == 0 else ("on", "off")
            for mode in order:
                engine = owner if mode == "off" else login
                print(f"[rls] round {number + 1}: RLS {mode}", file=sys.stderr, flush=True)
                figures = _measure(engine, known, unknown, args)
                report["rounds"].append({"round": number + 1, "rls": mode, **figures})
        login.dispose()
    finally:
        owner.dispose()
    report["summary"] = _summary(report["rounds"])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report["summary"], indent=2))
    return 0


def _give_login(owner: Engine, username: str, password: str | None) -> None:
    with session_factory(owner).begin() as session:
        pg_logins.sync_login(session, username)
        if password:
            pg_logins.set_password(session, username, password)


def _measure(
    engine: Engine, known: Any, unknown: list[str], args: argparse.Namespace
) -> dict[str, Any]:
    rng = random.Random(args.seed)
    out: dict[str, Any] = {}
    started = time.perf_counter()
    out["lookup"] = lookup_bench.bench_lookup(
        engine, known, unknown, rng, samples=args.samples, warmup=args.warmup
    )
    out["search"] = search_bench.bench_search(
        engine, rng, samples=args.search_samples, warmup=args.warmup
    )
    out["dialer"] = dialer_bench.bench_next_entry(
        engine, samples=args.dialer_samples, warmup=args.warmup, agents=1
    )
    out["wrapup"] = wrapup_bench.bench_wrapup(
        engine, rng, samples=args.wrapup_samples, warmup=args.warmup, agent_count=1
    )
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


def _p95(figures: dict[str, Any]) -> float:
    value = figures["p95"]
    return float(value)


def _summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Median over rounds of each figure's p95 per mode, and on / off."""
    summary: dict[str, Any] = {}
    for figure in FIGURES:
        by_mode = {
            mode: statistics.median(_p95(r[figure]) for r in rounds if r["rls"] == mode)
            for mode in ("off", "on")
        }
        summary[f"{figure}_p95_ms"] = {
            "rls_off": round(by_mode["off"], 3),
            "rls_on": round(by_mode["on"], 3),
            "ratio": round(by_mode["on"] / by_mode["off"], 2) if by_mode["off"] else None,
            "per_round": [(r["round"], r["rls"], round(_p95(r[figure]), 3)) for r in rounds],
        }
    return summary


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the database owner's URL (PostgreSQL)")
    parser.add_argument("--contacts", type=int, required=True, help="N, the data set's size")
    parser.add_argument("--login", default="demo.agent01", help="the agent whose login is used")
    parser.add_argument("--out", required=True)
    parser.add_argument("--rounds", type=int, default=2, help="RLS off and on, alternating")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--samples", type=int, default=2000, help="timed lookups")
    parser.add_argument("--search-samples", type=int, default=1000)
    parser.add_argument("--dialer-samples", type=int, default=1000)
    parser.add_argument("--wrapup-samples", type=int, default=500)
    return parser.parse_args(argv)


if __name__ == "__main__":
    raise SystemExit(main())
