"""Render the desk in Simplified Chinese to docs/screenshots/*-zh.png (Xvfb or offscreen).

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots_zh.py

Needs a CJK font (Debian/Ubuntu: fonts-noto-cjk). Writes ``idle-zh.png`` (the window between
calls) and ``record-zh.png`` (a lead opened in the customer panel, its edit form and history),
the two states that show the most translated text, and the admin screen's tabs
(``admin-users-zh.png``... scripts/admin_screens.py). A temp SQLite desk with demo data and the
fake softphone from the tests, like scripts/screenshots.py.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from admin_screens import seed_organisation, shoot_admin, shoot_board  # noqa: E402  (beside this script)
from case_screens import shoot_cases  # noqa: E402  (beside this script)
from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from agentdesk.app.bootstrap import connect  # noqa: E402
from agentdesk.app.desktop import DesktopContext, start_desktop  # noqa: E402
from agentdesk.calls.dto import CallbackRequest, CallFacts, WrapUp  # noqa: E402
from agentdesk.config.settings import AgentSettings, Settings, UiSettings  # noqa: E402
from agentdesk.demo.first_day import add_first_day  # noqa: E402
from agentdesk.demo.generate import generate  # noqa: E402
from agentdesk.dialer.campaigns import create_campaign  # noqa: E402
from agentdesk.domain.enums import CallDirection, OwnerKind  # noqa: E402
from agentdesk.telephony.port import SipConfig  # noqa: E402
from agentdesk.ui.shell.i18n import choose_language, install_translators  # noqa: E402
from agentdesk.ui.shell.main_window import MainWindow  # noqa: E402
from agentdesk.ui.shell.settings_dialog import SettingsDialog  # noqa: E402
from agentdesk.ui.shell.shortcuts import ShortcutsDialog  # noqa: E402
from tests.support.fake_softphone import FakeSoftphone  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CAMPAIGN = "春季续约"


def pump(until: Callable[[], bool] = lambda: False, seconds: float = 0.4) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if until():
            deadline = min(deadline, time.monotonic() + 0.15)  # let the paint settle
        time.sleep(0.01)


def _wrapped_call(context: DesktopContext, lead_id: uuid.UUID) -> None:
    """A call on the lead, wrapped up with notes and a callback, so its history is not empty."""
    started = datetime.now(UTC) - timedelta(hours=3)
    context.services.calls.save_wrapup(
        WrapUp(
            disposition_code="callback",
            facts=CallFacts(
                direction=CallDirection.INBOUND,
                started_at=started,
                answered_at=started + timedelta(seconds=6),
                ended_at=started + timedelta(minutes=4),
                remote_e164="+8613800138000",
                agent=context.agent,
                lead_id=lead_id,
            ),
            notes="客户询问企业版价格，需要书面报价。",
            callback=CallbackRequest(
                due_at=datetime.now(UTC) + timedelta(days=1),
                agent=context.agent,
                note="发送报价后回电",
                phone_e164="+8613800138000",
            ),
        )
    )


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setApplicationName("AgentDesk")
    work = Path(tempfile.mkdtemp(prefix="agentdesk-shots-zh-"))
    url = f"sqlite:///{work / 'desk.db'}"
    settings = Settings(
        database_url=url,
        default_region="CN",
        agent=AgentSettings(username="demo.agent01", display_name="李娜", wrapup_seconds=90),
        sip={"mode": "direct", "port": 5063, "bind_address": "127.0.0.1"},
        ui=UiSettings(language="zh_CN"),
    )
    if not install_translators(app, choose_language(settings.ui.language)):
        raise SystemExit("the zh_CN catalogue did not load: run scripts/i18n.py release")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    database, _ = connect(url, settings)
    generate(database.engine, 300, calls_per_contact=2.5)
    database.dispose()
    phones: list[FakeSoftphone] = []

    def factory(config: SipConfig) -> FakeSoftphone:
        phones.append(FakeSoftphone(replace(config, recordings_dir=work / "rec")))
        return phones[0]

    context = start_desktop(None, settings, phone_factory=factory)
    # What a first run gives the desk's user: callbacks due today and the last hours' calls.
    add_first_day(context.database.sessions, settings.agent.username)
    lead = context.services.records.create_party(
        OwnerKind.LEAD,
        first_name="伟",
        last_name="张",
        phone="+8613800138000",
        company="华信科技有限公司",
        email="zhang.wei@example.cn",
    )
    _wrapped_call(context, lead.id)
    controller = context.build_controller(loop)
    window = MainWindow(context, controller)
    controller.start()
    window.resize(1360, 820)
    window.show()
    OUT.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        pump(seconds=0.3)
        window.grab().save(str(OUT / f"{name}.png"))
        print("wrote", OUT / f"{name}.png")

    pump(lambda: len(window.callbacksPanel.items) > 0, 3)
    shot("idle-zh")

    for name, dialog in (
        ("settings-zh", SettingsDialog(context, window)),
        ("shortcuts-zh", ShortcutsDialog(window)),
    ):
        dialog.show()
        pump(seconds=0.4)
        dialog.grab().save(str(OUT / f"{name}.png"))
        print("wrote", OUT / f"{name}.png")
        dialog.close()

    panel = window.customerPanel
    panel.show_party(lead)
    pump(lambda: panel.recordView.details is not None, 3)
    window.tabs.setCurrentWidget(window.recentPanel)
    window.recentPanel.reload()
    pump(lambda: bool(window.recentPanel.calls), 2)
    shot("record-zh")

    create_campaign(context.database.sessions, CAMPAIGN, mode="preview")
    seed_organisation(context.database.sessions, "zh", CAMPAIGN)
    shoot_admin(context, window, OUT, "-zh", campaign=CAMPAIGN)
    shoot_board(context, window, OUT, "zh", "-zh")
    shoot_cases(context, window, OUT, "zh", "-zh")

    window.close()
    pump(lambda: not window.isVisible(), 5)
    context.close()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
