"""The reports' screenshots: a PDF page rendered by pdftoppm and the Reports dialog, in
English and Chinese (``docs/screenshots/report-*.png``).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/report_screens.py

A temp SQLite database with demo data (20,000 contacts, a year of calls) whose rollups are
filled as ``bench/report_bench.py`` fills them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QDate  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from agentdesk.app.reports import ReportsService  # noqa: E402
from agentdesk.config.settings import Settings  # noqa: E402
from agentdesk.db import migrate  # noqa: E402
from agentdesk.db.engine import create_db_engine, session_factory, sqlite_url  # noqa: E402
from agentdesk.demo.generate import generate  # noqa: E402
from agentdesk.domain.clock import zone_named  # noqa: E402
from agentdesk.supervision.report_files import export_report  # noqa: E402
from agentdesk.supervision.report_request import (  # noqa: E402
    ReportFormat,
    ReportKind,
    ReportRequest,
)
from agentdesk.ui.shell.i18n import install_translators  # noqa: E402
from agentdesk.ui.supervision.reports_dialog import ReportsDialog  # noqa: E402
from bench.report_bench import ZONE, fill_rollups, last_month  # noqa: E402

SHOTS = ROOT / "docs" / "screenshots"
SETTINGS = Settings(raw={"supervision": {"timezone": ZONE}})


def pdf_pages(sessions, first, last, folder: Path) -> None:  # type: ignore[no-untyped-def]
    for language, suffix in (("en", ""), ("zh_CN", "-zh")):
        for kind, day_only in ((ReportKind.QUEUES, True), (ReportKind.DISPOSITIONS, False)):
            end = first if day_only else last
            request = ReportRequest(kind=kind, first=first, last=end, zone=zone_named(ZONE))
            pdf = folder / f"{kind.value}{suffix}.pdf"
            export_report(sessions, request, ReportFormat.PDF, pdf, viewer=None,
                          language=language)  # fmt: skip
            target = SHOTS / f"report-{kind.value}{suffix}"
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                            str(pdf), str(target)], check=True)  # fmt: skip


def dialog_shot(app: QApplication, sessions, first, last, suffix: str) -> None:  # type: ignore[no-untyped-def]
    with ThreadPoolExecutor(max_workers=1) as executor:
        dialog = ReportsDialog(ReportsService(sessions, "screens", SETTINGS), executor)
        dialog.kindCombo.setCurrentIndex(dialog.kindCombo.findData(ReportKind.AGENTS.value))
        dialog.fromEdit.setDate(QDate(first.year, first.month, first.day))
        dialog.toEdit.setDate(QDate(last.year, last.month, last.day))
        dialog.show()
        dialog.show_preview()
        deadline = time.monotonic() + 120
        while (dialog.preview is None or dialog.busy) and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        app.processEvents()
        dialog.grab().save(str(SHOTS / f"report-dialog{suffix}.png"))
        dialog.close()


def main() -> None:
    language = sys.argv[1] if len(sys.argv) > 1 else "en"
    app = QApplication(sys.argv[:1])
    install_translators(app, None if language == "en" else language)
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(sqlite_url(Path(folder) / "screens.db"))
        migrate.upgrade(engine)
        generate(engine, 20000, seed=16)
        fill_rollups(engine)
        sessions = session_factory(engine)
        first, last = last_month(engine)
        if language == "en":
            pdf_pages(sessions, first + timedelta(days=2), last, Path(folder))
        dialog_shot(app, sessions, first, last, "" if language == "en" else "-zh")
        engine.dispose()


if __name__ == "__main__":
    main()
