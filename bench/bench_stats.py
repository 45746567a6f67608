"""Shared helpers of the benchmark modules: percentiles and the machine description."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import statistics
from pathlib import Path
from typing import Any

import phonenumbers
import sqlalchemy
from sqlalchemy import Engine, text


def percentiles(samples_ms: list[float], *, digits: int = 4) -> dict[str, Any]:
    """p50/p95/p99/mean/max of millisecond timings, and how many there were.

    With fewer than two samples there is no spread: every cut is the one value (the smoke run
    uses a handful of samples; real runs at least a thousand where that makes sense).
    """
    if not samples_ms:
        raise ValueError("no samples to summarise")
    ordered = sorted(samples_ms)
    if len(ordered) == 1:
        cuts = [ordered[0]] * 99
    else:
        cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50": round(statistics.median(ordered), digits),
        "p95": round(cuts[94], digits),
        "p99": round(cuts[98], digits),
        "mean": round(statistics.fmean(ordered), digits),
        "max": round(ordered[-1], digits),
        "samples": len(ordered),
    }


def machine(engine: Engine) -> dict[str, Any]:
    """CPU, cores, memory, OS and the versions that shape the figures."""
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
        "sipp": _sipp_version(),
        "postgresql": None,
        "load_average_at_start": list(os.getloadavg()),
    }
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            info["postgresql"] = conn.scalar(text("SHOW server_version"))
    else:
        found = shutil.which("pg_config") or next(
            (str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))), None
        )
        info["postgresql"] = f"not used ({found or 'no server found'})"
    return info


def _sipp_version() -> str | None:
    import subprocess

    binary = shutil.which("sipp")
    if binary is None:
        return None
    try:
        done = subprocess.run([binary, "-v"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in (done.stdout + done.stderr).splitlines():
        if "SIPp v" in line:
            return line.strip().split(" ")[1].rstrip(".")
    return None
