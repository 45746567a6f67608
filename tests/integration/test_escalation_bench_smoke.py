"""The escalation benchmark runs on both engines and writes what it promises (tiny N: the
shape of the report, not the timings)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from agentdesk.service import models as service_models  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import escalation_bench  # noqa: E402


def test_escalation_bench_small_run(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "esc.json"
    args = ["--db", db_url, "--cases", "400", "--passes", "2", "--out", str(out)]
    assert escalation_bench.main(args) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["cases"] == 400
    assert report["owner_steady_pass_ms"]["samples"] == 2
    # the data's open cases are due from yesterday on: some are past a target
    assert report["owner_first_pass"]["escalated"] >= 1
    assert report["team_lead_first_pass"]["escalated"] == 0  # the owner's pass took them all
