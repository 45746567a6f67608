"""The knowledge-base benchmark runs on both engines and writes what it promises (tiny N:
the shape of the report, not the timings)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from agentdesk.service import models as service_models  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import kb_bench  # noqa: E402


def test_kb_bench_small_run(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "kb.json"
    args = ["--db", db_url, "--articles", "60", "--queries", "25", "--warmup", "2"]
    assert kb_bench.main([*args, "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["articles"] == 60 and report["search_ms"]["samples"] == 25
    assert set(report["by_kind_ms"]) == {
        "one_character", "two_characters", "longer_word", "mixed_chinese_english", "two_words",
    }  # fmt: skip
    # every one-character query is a character of the vocabulary: 60 articles hold most
    assert report["queries_with_hits"]["one_character"] >= 1
