"""Keep the UI translations in step with the tr() strings in agentdesk/ui.

    .venv/bin/python scripts/i18n.py update   # add new tr() strings to every .ts (unfinished)
    .venv/bin/python scripts/i18n.py release  # compile every .ts to the .qm the app loads
    .venv/bin/python scripts/i18n.py check    # exit 1 if a string is untranslated or a .qm stale

After ``update``, translate the new messages (Qt Linguist: ``pyside6-linguist FILE.ts``), then
``release`` and commit both the .ts and the .qm (users need no Qt tools). The test suite runs
``check`` (tests/ui/test_translations.py), so a new tr() string without a translation fails it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "agentdesk" / "ui"
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN",)


def catalogue(language: str) -> Path:
    return I18N / f"agentdesk_{language}.ts"


def tool(name: str) -> str:
    """A Qt tool from the venv that runs this script (PySide6-Essentials ships them)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6-Essentials into this venv")
    return found


def lupdate(ts: Path, sources: Path = SOURCES) -> None:
    """Merge the tr() strings of ``sources`` into ``ts``: new ones unfinished, gone ones dropped."""
    # No source locations: line numbers would churn the .ts on every unrelated edit.
    files = sorted(str(p.relative_to(sources)) for p in sources.rglob("*.py"))
    subprocess.run(
        [tool("pyside6-lupdate"), *files, "-no-obsolete", "-locations", "none", "-ts", str(ts)],
        cwd=sources,
        check=True,
        capture_output=True,
        text=True,
    )


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run(
        [tool("pyside6-lrelease"), str(ts), "-qm", str(qm)],
        check=True,
        capture_output=True,
        text=True,
    )


def untranslated(ts: Path) -> list[str]:
    """``context: source`` of every message with no finished translation."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") or not (translation.text or ""):
                missing.append(f"{name}: {message.findtext('source', '')!r}")
    return missing


def problems(ts: Path, sources: Path = SOURCES) -> list[str]:
    """What is out of date in catalogue ``ts`` and its .qm; empty when both are complete."""
    qm = ts.with_suffix(".qm")
    if not ts.exists():
        return [f"{ts} does not exist: run `scripts/i18n.py update`"]
    found: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / ts.name
        shutil.copy(ts, fresh)
        lupdate(fresh, sources)  # what `update` would make of the committed file
        found += [f"untranslated {m}" for m in untranslated(fresh)]
        if fresh.read_bytes() != ts.read_bytes():
            found.append(f"{ts.name} is not up to date: run `scripts/i18n.py update`")
        compiled = Path(tmp) / qm.name
        lrelease(ts, compiled)
        if not qm.exists() or compiled.read_bytes() != qm.read_bytes():
            found.append(f"{qm.name} is stale: run `scripts/i18n.py release`")
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        for language in LANGUAGES:
            lupdate(catalogue(language))
            todo = untranslated(catalogue(language))
            print(f"{catalogue(language).relative_to(ROOT)}: {len(todo)} to translate")
        return 0
    if command == "release":
        for language in LANGUAGES:
            lrelease(catalogue(language), catalogue(language).with_suffix(".qm"))
        return 0
    if command == "check":
        found = [p for language in LANGUAGES for p in problems(catalogue(language))]
        for problem in found:
            print(problem)
        return 1 if found else 0
    raise SystemExit(f"unknown command {command!r}: update, release or check")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
