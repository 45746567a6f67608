"""The benchmark script runs end to end on both engines and writes every figure it promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from agentdesk.crm.db import create_db_engine
from tests.support.pg_server import PgServer

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "run.py"


def _run(engine: str, url: str, out: Path) -> dict[str, object]:
    command = [
        sys.executable, str(SCRIPT), "--contacts", "200", "--engine", engine, "--db", url,
        "--out", str(out), "--samples", "1000", "--warmup", "20", "--baseline-samples", "3",
        "--import-rows", "50",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    report: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return report


def _check(report: dict[str, object], engine: str) -> None:
    assert report["engine"] == engine
    assert report["contacts"] == 200
    assert str(report["date"])[:2] == "20"
    machine = report["machine"]
    assert isinstance(machine, dict)
    for key in ("cpu_model", "cpu_cores", "memory_gib", "python", "sqlalchemy", "sqlite"):
        assert machine[key], key
    assert "postgresql" in machine
    if engine == "postgresql":
        assert str(machine["postgresql"])[0].isdigit()
    lookup = report["lookup_ms"]
    assert isinstance(lookup, dict)
    for key in ("p50", "p95", "p99"):
        assert isinstance(lookup[key], float), key
    assert lookup["samples"] >= 1000
    assert lookup["known"] > 0 and lookup["unknown"] > 0
    assert lookup["known_not_found"] == 0
    baseline = report["baseline_like_lookup_ms"]
    assert isinstance(baseline, dict)
    assert {"p50", "p95", "samples"} <= baseline.keys()
    assert baseline["samples"] == 3
    assert "import_rows_per_s" in report
    if report["import_rows_per_s"] is None:
        assert any("import" in str(note) for note in report["notes"])  # type: ignore[attr-defined]
    else:
        assert isinstance(report["import_rows_per_s"], float)
        assert report["import"]["rows"] == 50  # type: ignore[index]
    dataset = report["dataset"]
    assert isinstance(dataset, dict)
    assert dataset["rows"]["contacts"] >= 200
    assert dataset["rows"]["calls"] >= 1000  # five calls per contact
    assert "lookup_p95_met" in report["targets"]  # type: ignore[operator]


def test_bench_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    report = _run("sqlite", url, tmp_path / "sqlite.json")
    _check(report, "sqlite")
    assert report["dataset"]["reused"] is False  # type: ignore[index]
    # The second run finds the data set already there.
    again = _run("sqlite", url, tmp_path / "again.json")
    assert again["dataset"]["reused"] is True  # type: ignore[index]


def test_bench_on_postgresql(pg_server: PgServer, tmp_path: Path) -> None:
    admin = create_db_engine(pg_server.url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("DROP DATABASE IF EXISTS agentdesk_bench_smoke"))
        conn.execute(text("CREATE DATABASE agentdesk_bench_smoke"))
    admin.dispose()
    report = _run("postgresql", pg_server.url_for("agentdesk_bench_smoke"), tmp_path / "pg.json")
    _check(report, "postgresql")


@pytest.mark.parametrize("samples", ["10", "999"])
def test_bench_refuses_too_few_samples(tmp_path: Path, samples: str) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--contacts", "10", "--engine", "sqlite",
         "--db", f"sqlite:///{tmp_path / 'x.db'}", "--out", str(tmp_path / "x.json"),
         "--samples", samples],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "1000" in done.stderr
    assert not (tmp_path / "x.json").exists()
