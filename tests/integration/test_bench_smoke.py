"""The benchmark runs end to end on both engines and writes every figure it promises.

Tiny N and few samples: this checks that each section runs (the desk is launched offscreen and
takes real SIPp calls) and lands in the JSON with the right shape, not the timings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from agentdesk.db.engine import create_db_engine
from tests.support.pg_server import PgServer

pytestmark = [pytest.mark.sip, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "run.py"
SMALL = [
    "--contacts", "200", "--samples", "1000", "--warmup", "5", "--baseline-samples", "3",
    "--search-samples", "20", "--dialer-samples", "10", "--wrapup-samples", "10",
    "--import-rows", "50", "--pop-calls", "3", "--pop-rate", "5", "--startup-runs", "1",
    "--concurrent-agents", "4", "--concurrent-saves", "3",
]  # fmt: skip
PERCENTILE_KEYS = {
    "lookup_ms": ("p50", "p95", "p99"),
    "baseline_like_lookup_ms": ("p50", "p95"),
    "search_ms": ("p50", "p95"),
    "screen_pop_ms": ("p50", "p95", "p99"),
    "call_log_write_ms": ("p50", "p95"),
    "dialer_next_ms": ("p50", "p95"),
}
TARGETS = {
    "lookup_p95_ms", "search_p95_ms", "screen_pop_p95_ms", "call_log_write_p95_ms",
    "dialer_next_p95_ms", "import_rows_per_s", "startup_s", "rss_mb",
}  # fmt: skip


def _run(engine: str, url: str, out: Path, *extra: str) -> dict[str, Any]:
    command = [sys.executable, str(SCRIPT), "--engine", engine, "--db", url, "--out", str(out)]
    done = subprocess.run(
        [*command, *SMALL, *extra], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def _fresh_database(server: PgServer, name: str) -> str:
    admin = create_db_engine(server.url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return server.url_for(name)


def _check(report: dict[str, Any], engine: str) -> None:
    assert report["engine"] == engine
    assert report["contacts"] == 200
    assert str(report["date"])[:2] == "20"
    machine = report["machine"]
    for key in ("cpu_model", "cpu_cores", "memory_gib", "python", "sqlalchemy", "sqlite", "sipp"):
        assert machine[key], key
    assert len(machine["load_average_at_start"]) == 3
    if engine == "postgresql":
        assert str(machine["postgresql"])[0].isdigit()
    for key, cuts in PERCENTILE_KEYS.items():
        figure = report[key]
        assert isinstance(figure, dict), key
        for cut in cuts:
            assert isinstance(figure[cut], float) and figure[cut] > 0, (key, cut)
        assert figure["samples"] >= 1, key
    lookup = report["lookup_ms"]
    assert lookup["samples"] >= 1000
    assert lookup["known"] > 0 and lookup["unknown"] > 0
    assert lookup["known_not_found"] == 0
    assert report["baseline_like_lookup_ms"]["samples"] == 3
    assert report["search_ms"]["samples"] == 20
    assert report["dialer_next_ms"]["samples"] == 10
    assert report["dialer_next_ms"]["peek_ms"]["samples"] == 10
    assert report["call_log_write_ms"]["samples"] == 10
    pops = report["screen_pop_ms"]
    assert pops["calls_placed"] == 3 and pops["samples"] == 3  # every call popped
    assert isinstance(report["import_rows_per_s"], float)
    assert report["import"]["rows"] == 50 and report["import"]["imported"] == 50
    assert isinstance(report["startup_s"], float) and report["startup_s"] > 0
    rss = report["rss_mb"]
    for key in ("after_start", "after_calls", "max"):
        assert isinstance(rss[key], float) and 30 < rss[key] < 4000, key
    assert rss["calls"] == 3
    rows = report["dataset"]["rows"]
    assert rows["contacts"] >= 200
    # The data set is read into memory first (the test server has the pg_prewarm extension).
    assert report["dataset"]["prewarm"]["method"] in ("read file", "pg_prewarm")
    assert rows["calls"] >= 1000  # five calls per contact
    assert rows["dialer_entries"] == 200 and rows["dialer_dnc"] == 200
    targets = report["targets"]
    assert set(targets) == TARGETS
    for key, target in targets.items():
        assert isinstance(target["met"], bool), key
        assert isinstance(target["value"], int | float), key


def test_bench_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    report = _run("sqlite", url, tmp_path / "sqlite.json")
    _check(report, "sqlite")
    assert report["dataset"]["reused"] is False
    # Concurrent writers are a PostgreSQL figure: present, empty, and said so.
    assert report["concurrent_writes_per_s"] is None and "concurrent" in report["skipped"]
    # The second run finds the data set (campaign and DNC list included) and runs one section.
    again = _run("sqlite", url, tmp_path / "again.json", "--only", "search")
    assert again["dataset"]["reused"] is True
    assert again["dataset"]["rows"]["dialer_entries"] == 200
    assert isinstance(again["search_ms"]["p95"], float)
    assert again["lookup_ms"] is None and again["screen_pop_ms"] is None
    assert again["targets"]["lookup_p95_ms"]["met"] is None


def test_bench_on_postgresql(pg_server: PgServer, tmp_path: Path) -> None:
    url = _fresh_database(pg_server, "agentdesk_bench_smoke")
    report = _run("postgresql", url, tmp_path / "pg.json")
    _check(report, "postgresql")
    assert isinstance(report["concurrent_writes_per_s"], float)
    concurrent = report["concurrent_write_ms"]
    assert concurrent["agents"] == 4 and concurrent["samples"] == 12
    assert isinstance(concurrent["p95"], float)


def test_rls_bench_on_postgresql(pg_server: PgServer, tmp_path: Path) -> None:
    """RLS off and on, one round each, on a small data set: every figure in both modes."""
    url = _fresh_database(pg_server, "agentdesk_rls_smoke")
    out = tmp_path / "rls.json"
    command = [
        sys.executable, str(ROOT / "bench" / "rls_bench.py"),
        "--db", url, "--contacts", "200", "--out", str(out),
        "--rounds", "2", "--warmup", "5", "--samples", "30", "--search-samples", "20",
        "--dialer-samples", "10", "--wrapup-samples", "10",
    ]  # fmt: skip
    env = {**os.environ, "AGENTDESK_BENCH_PASSWORD": "bench-login-pw"}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["round"], r["rls"]) for r in report["rounds"]] == [
        (1, "off"), (1, "on"), (2, "on"), (2, "off"),
    ]  # fmt: skip
    for figure in ("lookup", "search", "dialer", "wrapup"):
        summary = report["summary"][f"{figure}_p95_ms"]
        assert summary["rls_on"] > 0 and summary["rls_off"] > 0 and summary["ratio"] > 0


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("--samples", "999", "1000"), ("--only", "lookup,nonsense", "nonsense")],
)
def test_bench_refuses_bad_options(tmp_path: Path, option: str, value: str, message: str) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--contacts", "10", "--engine", "sqlite",
         "--db", f"sqlite:///{tmp_path / 'x.db'}", "--out", str(tmp_path / "x.json"),
         option, value],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / "x.json").exists()
