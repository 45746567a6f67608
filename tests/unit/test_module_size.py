"""No module of agentdesk over 400 lines: a file that needs scrolling through is split by what it
holds (docs/architecture.md). Alembic migrations are history, not modules to read, and stay out."""

from __future__ import annotations

from pathlib import Path

LIMIT = 400
PACKAGE = Path(__file__).resolve().parents[2] / "agentdesk"
EXEMPT = (PACKAGE / "db" / "migrations" / "versions",)


def too_long(package: Path = PACKAGE, limit: int = LIMIT) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        if any(path.is_relative_to(folder) for folder in EXEMPT):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found.append(f"{path.relative_to(package.parent)}: {lines} lines (limit {limit})")
    return found


def test_no_module_is_over_the_limit() -> None:
    assert too_long() == []


def test_the_check_names_a_long_module(tmp_path: Path) -> None:
    package = tmp_path / "agentdesk"
    (package / "crm").mkdir(parents=True)
    (package / "crm" / "short.py").write_text("x = 1\n" * LIMIT)
    (package / "crm" / "long.py").write_text("x = 1\n" * (LIMIT + 1))
    assert too_long(package) == [f"agentdesk/crm/long.py: {LIMIT + 1} lines (limit {LIMIT})"]
