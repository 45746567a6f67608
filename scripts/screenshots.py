"""Render the desk's main states to docs/screenshots/*.png (run under Xvfb or offscreen).

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py [STATE...]

With state names (idle, settings, shortcuts, ringing-pop, on-call, wrap-up, callbacks,
unknown-caller, several-matches, unknown-number, dialer, dialer-manual, admin) only those files
are written; ``admin`` writes the admin screen's tabs (admin-users, admin-teams, admin-roles,
admin-dispositions, admin-campaigns, admin-campaign-settings: scripts/admin_screens.py).

Uses a temp SQLite desk with demo data and the fake softphone from the tests, so every state
(ringing, on call, wrap-up...) can be reached on demand.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from admin_screens import seed_organisation, shoot_admin, shoot_board  # noqa: E402  (beside this script)
from case_screens import shoot_cases  # noqa: E402  (beside this script)
from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from agentdesk.app.bootstrap import connect  # noqa: E402
from agentdesk.app.desktop import (  # noqa: E402
    DEMO_CAMPAIGN,
    DEMO_SCRIPT,
    add_demo_campaign,
    start_desktop,
)
from agentdesk.app.dialer.views import DialerPhase  # noqa: E402
from agentdesk.config.settings import AgentSettings, Settings  # noqa: E402
from agentdesk.crm.models import Call, PhoneRecord  # noqa: E402
from agentdesk.demo.first_day import add_first_day  # noqa: E402
from agentdesk.demo.generate import generate  # noqa: E402
from agentdesk.dialer.campaigns import create_campaign  # noqa: E402
from agentdesk.dialer.loader import ContactQuery, fill_from_contacts  # noqa: E402
from agentdesk.domain.enums import OwnerKind  # noqa: E402
from agentdesk.telephony.port import SipConfig  # noqa: E402
from agentdesk.ui.shell.main_window import MainWindow  # noqa: E402
from agentdesk.ui.shell.settings_dialog import SettingsDialog  # noqa: E402
from agentdesk.ui.shell.shortcuts import ShortcutsDialog  # noqa: E402
from tests.support.fake_softphone import FakeSoftphone  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
MANUAL_CAMPAIGN = "Renewals (manual)"


def pump(until: Callable[[], bool] = lambda: False, seconds: float = 0.4) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if until():
            deadline = min(deadline, time.monotonic() + 0.15)  # let the paint settle
        time.sleep(0.01)


def main() -> int:
    wanted = set(sys.argv[1:])
    app = QApplication(sys.argv[:1])
    app.setApplicationName("AgentDesk")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    work = Path(tempfile.mkdtemp(prefix="agentdesk-shots-"))
    url = f"sqlite:///{work / 'desk.db'}"
    settings = Settings(
        database_url=url,
        default_region="US",
        agent=AgentSettings(username="demo.agent01", display_name="Demo Agent", wrapup_seconds=90),
        sip={
            "mode": "direct",
            "port": 5062,
            "bind_address": "127.0.0.1",
            "outbound_proxy": "127.0.0.1:5098",
        },  # a route for numbers (nothing listens)
    )
    database, _ = connect(url, settings)
    generate(database.engine, 400, calls_per_contact=2.5)
    with database.sessions() as session:
        contact_id = session.scalar(
            select(Call.contact_id)
            .where(Call.contact_id.is_not(None))
            .group_by(Call.contact_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        number = session.scalar(
            select(PhoneRecord.e164).where(PhoneRecord.contact_id == contact_id)
        )
    database.dispose()
    phones: list[FakeSoftphone] = []

    def factory(config: SipConfig) -> FakeSoftphone:
        phones.append(FakeSoftphone(replace(config, recordings_dir=work / "rec")))
        return phones[0]

    context = start_desktop(None, settings, phone_factory=factory)
    # What a first run gives the desk's user: callbacks due today and the last hours' calls.
    add_first_day(context.database.sessions, settings.agent.username)
    context.dialer_preview_seconds = 15  # long enough to catch the countdown
    add_demo_campaign(context.database, settings.agent.username)
    # Around the clock, so the manual list is never empty whenever the script runs.
    sessions = context.database.sessions
    create_campaign(
        sessions,
        MANUAL_CAMPAIGN,
        mode="manual",
        window="00:00-24:00",
        script=DEMO_SCRIPT,
        agents=[settings.agent.username],
    )
    fill_from_contacts(sessions, MANUAL_CAMPAIGN, ContactQuery(), actor=settings.agent.username)
    records = context.services.records
    for first, last, company in (("Maria", "Garcia", "Northwind"), ("Mario", "Garcia", "Contoso")):
        records.create_party(
            OwnerKind.CONTACT,
            first_name=first,
            last_name=last,
            phone="+12025550999",
            company=company,
        )
    controller = context.build_controller(loop)
    window = MainWindow(context, controller)
    controller.start()
    window.resize(1360, 820)
    window.show()
    phone = phones[0]
    OUT.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        pump(seconds=0.3)
        if wanted and name not in wanted:
            return
        window.grab().save(str(OUT / f"{name}.png"))
        print("wrote", OUT / f"{name}.png")

    pump(lambda: len(window.callbacksPanel.items) > 0, 3)
    shot("idle")

    def shot_of(name: str, widget: QWidget) -> None:
        """A dialog on its own, at the size it opens with."""
        widget.show()
        pump(seconds=0.4)
        if not wanted or name in wanted:
            widget.grab().save(str(OUT / f"{name}.png"))
            print("wrote", OUT / f"{name}.png")
        widget.close()

    shot_of("settings", SettingsDialog(context, window))
    shot_of("shortcuts", ShortcutsDialog(window))

    call = phone.offer_call(str(number), display_name="Caller")
    pump(lambda: window.customerPanel.recordView.details is not None, 3)
    shot("ringing-pop")

    controller.answer()
    pump(lambda: controller.state.status.value == "talking", 2)
    controller.toggle_recording()
    pump(seconds=1.2)
    shot("on-call")

    phone.remote_hangup(str(call))
    pump(lambda: window.wrapupPanel.wrapup is not None, 3)
    panel = window.wrapupPanel
    panel.dispositionCombo.setCurrentIndex(panel.dispositionCombo.findData("callback"))
    panel.notesEdit.setPlainText("Asked about the renewal terms; wants a written quote.")
    panel.quickButtons["tomorrow_morning"].click()
    panel.callbackNoteEdit.setText("Send the quote, then call")
    shot("wrap-up")
    panel.save()
    pump(lambda: controller.state.status.value == "available", 3)

    window.tabs.setCurrentWidget(window.callbacksPanel)
    window.callbacksPanel.reload()
    pump(seconds=0.6)
    shot("callbacks")

    window.tabs.setCurrentWidget(window.recentPanel)
    unknown = phone.offer_call("+13125550177")
    pump(lambda: window.customerPanel.currentWidget() is window.customerPanel.unknownCard, 3)
    shot("unknown-caller")
    controller.reject()
    pump(lambda: controller.call is None, 2)
    del unknown

    phone.offer_call("+12025550999")
    pump(lambda: window.customerPanel.currentWidget() is window.customerPanel.chooser, 3)
    shot("several-matches")
    controller.reject()
    pump(lambda: controller.call is None, 2)

    controller.dial("+13125550188")  # an outbound call to a number no record has
    pump(lambda: window.customerPanel.currentWidget() is window.customerPanel.unknownCard, 3)
    shot("unknown-number")
    controller.hangup()
    pump(lambda: window.wrapupPanel.wrapup is not None, 3)
    panel.dispositionCombo.setCurrentIndex(panel.dispositionCombo.findData("no_answer"))
    panel.save()
    pump(lambda: controller.state.status.value == "available", 3)

    dialer = window.dialerPanel
    assert dialer is not None
    window.tabs.setCurrentWidget(dialer)
    dialer.reload()
    pump(lambda: dialer.campaignCombo.findData(DEMO_CAMPAIGN) >= 0, 3)
    dialer.campaignCombo.setCurrentIndex(dialer.campaignCombo.findData(DEMO_CAMPAIGN))
    pump(lambda: dialer.view.progress is not None, 3)
    dialer.toggle()
    pump(lambda: dialer.view.phase is DialerPhase.OFFERED, 5)
    pump(seconds=2.5)  # a few seconds into the countdown
    shot("dialer")
    dialer.toggle()  # pause: the reservation goes back
    pump(lambda: dialer.view.phase is DialerPhase.STOPPED, 2)

    dialer.campaignCombo.setCurrentIndex(dialer.campaignCombo.findData(MANUAL_CAMPAIGN))
    pump(lambda: dialer.view.campaign is not None and dialer.view.progress is not None, 3)
    dialer.toggle()
    pump(lambda: dialer.view.phase is DialerPhase.CHOOSING, 5)
    dialer.choicesTable.selectRow(1)  # the selected entry's record fills the customer panel
    pump(lambda: window.customerPanel.recordView.details is not None, 3)
    shot("dialer-manual")
    dialer.toggle()
    pump(lambda: dialer.view.phase is DialerPhase.STOPPED, 2)

    if not wanted or "admin" in wanted:
        seed_organisation(sessions, "en", DEMO_CAMPAIGN)
        shoot_admin(context, window, OUT, campaign=DEMO_CAMPAIGN)
        shoot_board(context, window, OUT, "en")
        shoot_cases(context, window, OUT, "en")

    window.close()
    pump(lambda: not window.isVisible(), 5)
    context.close()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
