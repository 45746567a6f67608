"""AgentDesk at call-center scale: every figure of the benchmark in one JSON file.

    python bench/run.py --contacts 1000000 --engine sqlite --out results.json
    python bench/run.py --contacts 1000000 --engine postgresql --out results.json
    python bench/run.py --contacts 200 --engine postgresql --db postgresql+psycopg://... \
        --out r.json
    python bench/run.py --contacts 1000000 --engine sqlite --only search,dialer --out r.json

The data set (N contacts with everything around them, a campaign of N entries, a DNC list of
N numbers) is generated once and cached (see bench_data.py); each section can be run alone
with ``--only`` or left out with ``--skip``. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import random
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
from bench_stats import machine  # noqa: E402
from sqlalchemy import Engine  # noqa: E402

from agentdesk.db.engine import create_db_engine  # noqa: E402

SECTIONS = ("lookup", "baseline", "search", "dialer", "wrapup", "concurrent", "import", "desk")
"""In the order they run: reads first, then the writes, the desk (which takes calls) last."""
SECTION_KEYS = {
    "lookup": ("lookup_ms",),
    "baseline": ("baseline_like_lookup_ms",),
    "search": ("search_ms",),
    "dialer": ("dialer_next_ms",),
    "wrapup": ("call_log_write_ms",),
    "concurrent": ("concurrent_writes_per_s", "concurrent_write_ms"),
    "import": ("import_rows_per_s", "import"),
    "desk": ("startup_s", "startup", "rss_mb", "screen_pop_ms"),
}
# (key, figure, threshold, kind): kind "max" means the figure must stay below the threshold.
TARGETS = (
    ("lookup_p95_ms", ("lookup_ms", "p95"), 2.0, "max"),
    ("search_p95_ms", ("search_ms", "p95"), 100.0, "max"),
    ("screen_pop_p95_ms", ("screen_pop_ms", "p95"), 50.0, "max"),
    ("call_log_write_p95_ms", ("call_log_write_ms", "p95"), 10.0, "max"),
    ("dialer_next_p95_ms", ("dialer_next_ms", "p95"), 10.0, "max"),
    ("import_rows_per_s", ("import_rows_per_s",), 30_000.0, "min"),
    ("startup_s", ("startup_s",), 3.0, "max"),
    ("rss_mb", ("rss_mb", "max"), 350.0, "max"),
)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    sections = _sections(args)
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": args.engine,
        "contacts": args.contacts,
        "calls_per_contact": bench_data.CALLS_PER_CONTACT,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "sections": list(sections),
        "skipped": [s for s in SECTIONS if s not in sections],
        "notes": [],
    }
    if args.engine != "postgresql":
        report["notes"].append("concurrent: PostgreSQL only (SQLite takes one writer at a time)")
    for section in report["skipped"]:
        for key in SECTION_KEYS[section]:
            report[key] = None
    with bench_data.database(args.engine, args.contacts, args.db) as url:
        engine = create_db_engine(url)
        try:
            started = time.perf_counter()
            report["dataset"] = bench_data.prepare(
                engine, args.contacts, seed=args.seed, explicit_url=bool(args.db)
            )
            report["dataset"]["prepare_seconds"] = round(time.perf_counter() - started, 1)
            if args.prewarm:
                report["dataset"]["prewarm"] = bench_data.prewarm(engine)
            report["machine"] = machine(engine)
            loads: dict[str, list[float]] = {}
            for section in sections:
                print(f"[bench] {section} ...", file=sys.stderr, flush=True)
                started = time.perf_counter()
                report.update(_run_section(section, engine, url, args, report["notes"]))
                loads[section] = [round(v, 2) for v in os.getloadavg()]
                print(f"[bench] {section}: {time.perf_counter() - started:.1f} s",
                      file=sys.stderr, flush=True)  # fmt: skip
            report["machine"]["load_average_after_section"] = loads
        finally:
            engine.dispose()
    report["targets"] = targets(report)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(_summary(report), indent=2, ensure_ascii=False))
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, required=True, help="N, the data set's size")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--db", help="database URL (default: cache file / throwaway server)")
    parser.add_argument("--out", required=True, help="where the JSON results go")
    parser.add_argument("--only", help=f"comma-separated sections to run: {','.join(SECTIONS)}")
    parser.add_argument("--skip", help="comma-separated sections to leave out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=200, help="untimed calls per section")
    parser.add_argument("--samples", type=int, default=2000, help="timed lookups (>= 1000)")
    parser.add_argument("--baseline-samples", type=int, default=30)
    parser.add_argument("--baseline-budget-s", type=float, default=120.0)
    parser.add_argument("--search-samples", type=int, default=1000, help="timed keystrokes")
    parser.add_argument("--dialer-samples", type=int, default=2000, help="timed selections")
    parser.add_argument("--wrapup-samples", type=int, default=1000, help="timed wrap-up saves")
    parser.add_argument("--concurrent-agents", type=int, default=50)
    parser.add_argument("--concurrent-saves", type=int, default=20, help="per agent")
    parser.add_argument(
        "--import-rows", type=int, default=None, help="CSV rows to import (default: min(N, 100k))"
    )
    parser.add_argument("--pop-calls", type=int, default=200, help="SIPp calls to the desk")
    parser.add_argument(
        "--pop-rate", type=float, default=2.0, help="calls a second (one at a time)"
    )
    parser.add_argument("--startup-runs", type=int, default=3, help="launches of the desk")
    parser.add_argument(
        "--no-prewarm",
        dest="prewarm",
        action="store_false",
        help="measure with whatever of the data set the OS and server happen to cache",
    )
    args = parser.parse_args(argv)
    if args.db and not args.db.startswith(args.engine):
        parser.error(f"--db {args.db!r} is not a {args.engine} URL")
    if args.samples < 1000:
        parser.error("--samples must be at least 1000 (percentiles need them)")
    positive = (
        "search_samples", "dialer_samples", "wrapup_samples", "pop_calls", "startup_runs",
        "concurrent_agents", "concurrent_saves", "baseline_samples",
    )  # fmt: skip
    for name in positive:
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    try:
        _sections(args)
    except ValueError as exc:
        parser.error(str(exc))
    return args


def _sections(args: argparse.Namespace) -> tuple[str, ...]:
    def names(text: str | None) -> set[str]:
        chosen = {part.strip() for part in (text or "").split(",") if part.strip()}
        unknown = chosen - set(SECTIONS)
        if unknown:
            raise ValueError(f"unknown section(s) {', '.join(sorted(unknown))}: use {SECTIONS}")
        return chosen

    only = names(args.only) or set(SECTIONS)
    skip = names(args.skip)
    if args.engine != "postgresql":
        skip.add("concurrent")  # one writer at a time is SQLite's design, not a figure
    return tuple(s for s in SECTIONS if s in only and s not in skip)


def _run_section(
    section: str, engine: Engine, url: str, args: argparse.Namespace, notes: list[str]
) -> dict[str, Any]:
    rng = random.Random(args.seed * 1000 + SECTIONS.index(section))
    if section in ("lookup", "baseline"):
        import lookup_bench

        known, unknown = lookup_bench.sample_numbers(engine, rng, args.samples + args.warmup)
        if section == "lookup":
            figures = lookup_bench.bench_lookup(
                engine, known, unknown, rng, samples=args.samples, warmup=args.warmup
            )
            return {"lookup_ms": figures}
        baseline = lookup_bench.bench_baseline(
            engine, known, samples=args.baseline_samples, budget_s=args.baseline_budget_s
        )
        return {"baseline_like_lookup_ms": baseline}
    if section == "search":
        import search_bench

        figures = search_bench.bench_search(
            engine, rng, samples=args.search_samples, warmup=args.warmup
        )
        return {"search_ms": figures}
    if section == "dialer":
        import dialer_bench

        figures = dialer_bench.bench_next_entry(
            engine, samples=args.dialer_samples, warmup=args.warmup
        )
        return {"dialer_next_ms": figures}
    if section == "wrapup":
        import wrapup_bench

        figures = wrapup_bench.bench_wrapup(
            engine, rng, samples=args.wrapup_samples, warmup=args.warmup
        )
        return {"call_log_write_ms": figures}
    if section == "concurrent":
        import wrapup_bench

        return wrapup_bench.bench_concurrent(
            engine, url, agents_count=args.concurrent_agents, saves_per_agent=args.concurrent_saves
        )
    if section == "import":
        import import_bench

        rows = args.import_rows or import_bench.default_rows(args.contacts)
        return import_bench.bench_import(engine, rows)
    import desk_bench

    figures = desk_bench.bench_desk(
        engine, url, calls=args.pop_calls, startup_runs=args.startup_runs, rate=args.pop_rate
    )
    notes.append(f"desk: event logs and SIPp traces kept in {figures.pop('work_dir')}")
    rss = figures["rss_mb"]
    rss["max"] = max(rss["after_start"], rss["after_calls"])
    return figures


def targets(report: dict[str, Any]) -> dict[str, Any]:
    """Each threshold of the issue, the measured figure and whether it was met."""
    out: dict[str, Any] = {}
    for key, path, threshold, kind in TARGETS:
        value: Any = report
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        met = None
        if isinstance(value, int | float):
            met = value < threshold if kind == "max" else value >= threshold
        out[key] = {
            "threshold": threshold,
            "kind": "below" if kind == "max" else "at least",
            "value": value,
            "met": met,
        }
    return out


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    figures = {t: {"value": v["value"], "met": v["met"]} for t, v in report["targets"].items()}
    baseline = report.get("baseline_like_lookup_ms")
    if baseline:
        figures["baseline_like_lookup_p50_ms"] = {"value": baseline["p50"], "met": None}
    if report.get("concurrent_writes_per_s") is not None:
        figures["concurrent_writes_per_s"] = {
            "value": report["concurrent_writes_per_s"],
            "p95_ms": report["concurrent_write_ms"]["p95"],
        }
    return figures


if __name__ == "__main__":
    raise SystemExit(main())
