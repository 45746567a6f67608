"""Caller-lookup benchmark: indexed E.164 screen pop against the naive LIKE baseline.

    python bench/run.py --contacts 1000000 --engine sqlite --out results.json
    python bench/run.py --contacts 1000000 --engine postgresql --out results.json
    python bench/run.py --contacts 200 --engine postgresql --db postgresql://... --out r.json

The data set (demo.generate with five calls per contact) is cached for SQLite in
``bench/.cache/sqlite-N.db``; for PostgreSQL without ``--db`` a throwaway server is started
and removed afterwards. With ``--db`` an empty database is migrated and filled, one that
already holds N demo contacts is reused. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import phonenumbers  # noqa: E402
import sqlalchemy  # noqa: E402
from phonenumbers import PhoneNumberFormat  # noqa: E402
from sqlalchemy import Engine, func, select, text  # noqa: E402

from agentdesk.crm import migrate  # noqa: E402
from agentdesk.crm.db import create_db_engine, session_factory, sqlite_url  # noqa: E402
from agentdesk.crm.demo import generate  # noqa: E402
from agentdesk.crm.demo_words import ENGLISH_FIRST, ENGLISH_LAST  # noqa: E402
from agentdesk.crm.lookup import CallerLookup  # noqa: E402
from agentdesk.crm.models import Contact  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
CALLS_PER_CONTACT = 5
LOOKUP_P95_TARGET_MS = 2.0
UNKNOWN_SHARE = 0.2

NAIVE_SQL = (
    "SELECT id, contact_id, account_id, lead_id FROM phone_numbers "
    "WHERE replace(replace(replace(replace(raw, ' ', ''), '-', ''), '(', ''), ')', '') "
    "LIKE :pattern"
)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": args.engine,
        "contacts": args.contacts,
        "calls_per_contact": CALLS_PER_CONTACT,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "notes": [],
    }
    with _database(args) as url:
        engine = create_db_engine(url)
        try:
            report["dataset"] = _prepare(engine, args)
            report["machine"] = _machine(engine)
            rng = random.Random(args.seed)
            known, unknown = _sample_numbers(engine, rng, args.samples + args.warmup)
            report["lookup_ms"] = _bench_lookup(engine, known, unknown, rng, args)
            report["baseline_like_lookup_ms"] = _bench_baseline(engine, known, args)
            report.update(_bench_import(engine, args, report["notes"]))
        finally:
            engine.dispose()
    p95 = report["lookup_ms"]["p95"]
    report["targets"] = {
        "lookup_p95_ms": LOOKUP_P95_TARGET_MS,
        "lookup_p95_met": p95 < LOOKUP_P95_TARGET_MS,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: report[k] for k in ("lookup_ms", "baseline_like_lookup_ms")}, indent=2))
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, required=True)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--db", help="database URL (default: cache file / throwaway server)")
    parser.add_argument("--out", required=True, help="where the JSON results go")
    parser.add_argument("--samples", type=int, default=2000, help="timed lookups (>= 1000)")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--baseline-samples", type=int, default=30)
    parser.add_argument("--baseline-budget-s", type=float, default=120.0)
    parser.add_argument("--import-rows", type=int, default=None, help="default: N/10, <= 50k")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.db and not args.db.startswith(args.engine):
        parser.error(f"--db {args.db!r} is not a {args.engine} URL")
    if args.samples < 1000:
        parser.error("--samples must be at least 1000 (percentiles need them)")
    return args


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[str]:
    if args.db:
        yield args.db
        return
    if args.engine == "sqlite":
        CACHE.mkdir(parents=True, exist_ok=True)
        path = CACHE / f"sqlite-{args.contacts}.db"
        if not path.with_suffix(".json").exists():
            # No marker: an earlier generation did not finish. Start again from nothing.
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        yield str(sqlite_url(path))
        return
    from tests.support.pg_server import start_server

    server = start_server()
    try:
        admin = create_db_engine(server.url)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("CREATE DATABASE agentdesk_bench"))
        admin.dispose()
        yield server.url_for("agentdesk_bench")
    finally:
        server.stop()


def _prepare(engine: Engine, args: argparse.Namespace) -> dict[str, Any]:
    """Generate the data set, or reuse one with exactly N demo contacts."""
    marker = _marker_path(engine)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        have = conn.scalar(select(func.count()).select_from(Contact)) or 0
    if have and marker is not None and marker.exists():
        saved = json.loads(marker.read_text(encoding="utf-8"))
        if saved.get("contacts") == args.contacts:
            return {"reused": True, **saved, "rows": _rows(engine)}
    if have >= args.contacts and args.db:
        return {"reused": True, "contacts": have, "rows": _rows(engine)}
    if have:
        raise SystemExit(f"{engine.url}: holds {have} contacts, not a data set of {args.contacts}")
    summary = generate(engine, args.contacts, seed=args.seed, calls_per_contact=CALLS_PER_CONTACT)
    info = {
        "contacts": args.contacts,
        "generate_seconds": round(summary.seconds, 2),
        "generated": asdict(summary),
        "rows": _rows(engine),
    }
    if marker is not None:
        marker.write_text(json.dumps(info), encoding="utf-8")
    return {"reused": False, **info}


def _marker_path(engine: Engine) -> Path | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database:
        return None
    return Path(database).with_suffix(".json")


def _rows(engine: Engine) -> dict[str, int]:
    tables = ("contacts", "accounts", "leads", "phone_numbers", "calls", "service_cases",
              "opportunities", "callbacks")  # fmt: skip
    with engine.connect() as conn:
        return {t: int(conn.scalar(text(f"SELECT count(*) FROM {t}")) or 0) for t in tables}


def _machine(engine: Engine) -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    info: dict[str, Any] = {
        "cpu_model": cpu,
        "cpu_cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlalchemy": sqlalchemy.__version__,
        "sqlite": sqlite3.sqlite_version,
        "phonenumbers": phonenumbers.__version__,
        "postgresql": None,
        "load_average_at_start": list(os.getloadavg()),
    }
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            info["postgresql"] = conn.scalar(text("SHOW server_version"))
    else:
        pg_config = shutil.which("pg_config") or _find_pg_binary()
        info["postgresql"] = f"not used ({pg_config or 'no server found'})"
    return info


def _find_pg_binary() -> str | None:
    for path in sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
        return str(path)
    return None


# -- numbers -----------------------------------------------------------------------------------

Sample = tuple[str, str | None, str]  # text as dialled, region to read it in, format name


def _sample_numbers(
    engine: Engine, rng: random.Random, count: int
) -> tuple[list[tuple[str, str, str | None]], list[str]]:
    """Known (e164, raw, owner country) rows, and E.164 numbers that are in no record."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.e164, p.raw, coalesce(c.country, a.country, l.country) "
                "FROM phone_numbers p LEFT JOIN contacts c ON c.id = p.contact_id "
                "LEFT JOIN accounts a ON a.id = p.account_id "
                "LEFT JOIN leads l ON l.id = p.lead_id "
                "WHERE p.deleted_at IS NULL ORDER BY random() LIMIT :n"
            ),
            {"n": count},
        ).all()
        unknown: list[str] = []
        while len(unknown) < max(50, int(count * UNKNOWN_SHARE)):
            e164 = f"+1305{rng.randint(2, 9)}{rng.randrange(10**6):06d}"
            hit = conn.scalar(text("SELECT 1 FROM phone_numbers WHERE e164 = :e"), {"e": e164})
            if hit is None:
                unknown.append(e164)
    return [(e, r, c) for e, r, c in rows], unknown


def _spell(rng: random.Random, e164: str, raw: str, country: str | None) -> Sample:
    """One of the ways a caller ID or a pasted number arrives."""
    parsed = phonenumbers.parse(e164)
    international = phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)
    style = rng.choice(("raw", "e164", "international", "00", "011", "tel", "national"))
    if style == "raw":
        return raw, country, style
    if style == "e164":
        return e164, None, style
    if style == "international":
        return international, "US", style
    if style == "00":
        return "00" + international[1:], "DE", style
    if style == "011":
        return "011 " + international[1:], "US", style
    if style == "tel":
        uri = phonenumbers.format_number(parsed, PhoneNumberFormat.RFC3966)
        return uri + (";ext=12" if rng.random() < 0.3 else ""), "US", style
    region = phonenumbers.region_code_for_number(parsed)
    return phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL), region, style


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50": round(statistics.median(ordered), 4),
        "p95": round(cuts[94], 4),
        "p99": round(cuts[98], 4),
        "mean": round(statistics.fmean(ordered), 4),
        "max": round(ordered[-1], 4),
    }


def _bench_lookup(
    engine: Engine,
    known: list[tuple[str, str, str | None]],
    unknown: list[str],
    rng: random.Random,
    args: argparse.Namespace,
) -> dict[str, Any]:
    lookup = CallerLookup(session_factory(engine), "US")
    plan: list[tuple[Sample, bool]] = []
    for _ in range(args.warmup + args.samples):
        if rng.random() < UNKNOWN_SHARE or not known:
            e164 = rng.choice(unknown)
            plan.append((_spell(rng, e164, e164, None), False))
        else:
            e164, raw, country = rng.choice(known)
            plan.append((_spell(rng, e164, raw, country), True))
    timings: list[float] = []
    misses = 0
    clock = time.perf_counter
    for index, ((number, region, _style), is_known) in enumerate(plan):
        started = clock()
        result = lookup.lookup(number, region)
        elapsed = (clock() - started) * 1000
        if index >= args.warmup:
            timings.append(elapsed)
            if is_known and not result.matches:
                misses += 1
    measured = plan[args.warmup :]
    return {
        **_percentiles(timings),
        "samples": len(timings),
        "warmup": args.warmup,
        "known": sum(1 for _, k in measured if k),
        "unknown": sum(1 for _, k in measured if not k),
        "known_not_found": misses,
        "includes": "normalise + owners + last 5 calls, open cases/deals, due callbacks",
    }


def _bench_baseline(
    engine: Engine, known: list[tuple[str, str, str | None]], args: argparse.Namespace
) -> dict[str, Any]:
    """The naive screen pop: strip a few characters from raw text and LIKE the digits."""
    owner_sql = {
        1: text("SELECT id, first_name, last_name FROM contacts WHERE id = :id"),
        2: text("SELECT id, name FROM accounts WHERE id = :id"),
        3: text("SELECT id, first_name, last_name, company FROM leads WHERE id = :id"),
    }
    timings: list[float] = []
    budget_end = time.monotonic() + args.baseline_budget_s
    with engine.connect() as conn:
        for e164, _raw, _country in known[: args.baseline_samples]:
            national = str(phonenumbers.parse(e164).national_number)
            started = time.perf_counter()
            rows = conn.execute(text(NAIVE_SQL), {"pattern": f"%{national}%"}).all()
            for row in rows:
                for column in (1, 2, 3):
                    if row[column] is not None:
                        conn.execute(owner_sql[column], {"id": row[column]}).first()
            timings.append((time.perf_counter() - started) * 1000)
            if time.monotonic() > budget_end and len(timings) >= 5:
                break
    result: dict[str, Any] = {"samples": len(timings), "sql": NAIVE_SQL}
    if timings:
        stats = _percentiles(timings) if len(timings) >= 2 else {"p50": timings[0]}
        result.update({"p50": stats["p50"], "p95": stats.get("p95", timings[0])})
    return result


def _bench_import(engine: Engine, args: argparse.Namespace, notes: list[str]) -> dict[str, Any]:
    try:
        from agentdesk.crm.importer import import_contacts
    except ImportError:
        notes.append("import_rows_per_s skipped: agentdesk.crm.importer.import_contacts absent")
        return {"import_rows_per_s": None}
    rows = args.import_rows or min(max(args.contacts // 10, 100), 50_000)
    rng = random.Random(time.time_ns())  # new people each run: a rerun must not be duplicates
    workdir = Path(tempfile.mkdtemp(prefix="agentdesk-bench-import-"))
    try:
        path = workdir / "contacts.csv"
        _write_import_csv(path, rows, rng)
        started = time.perf_counter()
        result = import_contacts(session_factory(engine), path, default_region="US")
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    notes.append(
        f"import: {rows} CSV rows into the benchmark database (on top of the data set); "
        "the cached SQLite file keeps them"
    )
    return {
        "import_rows_per_s": round(rows / seconds, 1),
        "import": {
            "rows": rows,
            "seconds": round(seconds, 3),
            "imported": result.imported,
            "duplicates": result.duplicates,
            "rejected": len(result.rejected),
        },
    }


def _write_import_csv(path: Path, rows: int, rng: random.Random) -> None:
    import csv

    tag = f"{rng.getrandbits(32):08x}"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["First Name", "Last Name", "Company", "Phone", "Email", "Country"])
        for i in range(rows):
            first, last = rng.choice(ENGLISH_FIRST), rng.choice(ENGLISH_LAST)
            area = rng.choice(("212", "415", "617", "312"))
            phone = (
                f"({area}) {rng.randint(2, 9)}{rng.randrange(100):02d}-{rng.randrange(10**4):04d}"
            )
            email = f"{first}.{last}.{tag}.{i}@import.example".lower().replace("'", "")
            writer.writerow([first, last, f"Import Co {i % 997}", phone, email, "US"])


if __name__ == "__main__":
    raise SystemExit(main())
