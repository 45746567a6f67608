"""Screenshots of escalations on the desk (issue 18): a team lead's desk whose escalation
schedule has just escalated four cases, the status bar's "4 escalations" button, and the list
it opens.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/escalation_screens.py en
    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/escalation_screens.py zh

Writes docs/screenshots/escalations-desk[-zh].png and escalations[-zh].png. With ``cases``
after the language it takes the case desk's screenshots instead (``case_screens.py``'s
``cases[-zh].png`` and ``cases-kb[-zh].png``) on a database of their own, without the
screenshots of the whole desk (``screenshots.py`` takes those with the rest).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import qasync  # noqa: E402
from case_screens import shoot_cases  # noqa: E402  (beside this script)
from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from agentdesk.app.bootstrap import connect  # noqa: E402
from agentdesk.app.desktop import start_desktop  # noqa: E402
from agentdesk.config.settings import AgentSettings, Settings, UiSettings  # noqa: E402
from agentdesk.crm.models import Contact  # noqa: E402
from agentdesk.domain.enums import CasePriority, CaseStatus  # noqa: E402
from agentdesk.org.admin import add_team, add_user  # noqa: E402
from agentdesk.service.calendar import import_calendar  # noqa: E402
from agentdesk.service.case_work import set_status  # noqa: E402
from agentdesk.service.cases import CaseSpec, create_case  # noqa: E402
from agentdesk.telephony.port import SipConfig  # noqa: E402
from agentdesk.ui.shell.i18n import choose_language, install_translators  # noqa: E402
from agentdesk.ui.shell.main_window import MainWindow  # noqa: E402
from tests.support.fake_softphone import FakeSoftphone  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
ZONE = "Asia/Shanghai"
ALWAYS_OPEN = f'timezone = "{ZONE}"\n' + "".join(
    f'{day} = "00:00-23:59"\n' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
)
PEOPLE = {
    "en": (("sam.okafor", "Sam Okafor"), ("liu.yang", "Liu Yang"), "Service Tier 1"),
    "zh": (("sun.li", "孙丽"), ("liu.yang", "刘洋"), "一线客服组"),
}
# subject, priority, hours ago opened, first response given (so the resolution drives it)
CASES = {
    "en": [
        ("Refund not received after 7 days", CasePriority.URGENT, 3.5, True),
        ("VPN client will not connect", CasePriority.HIGH, 3.0, False),
        ("Invoice address is wrong", CasePriority.NORMAL, 3.4, False),
        ("Router reboots every hour", CasePriority.HIGH, 9.0, True),
    ],
    "zh": [
        ("七天后仍未收到退款", CasePriority.URGENT, 3.5, True),
        ("ＶＰＮ 客户端无法连接", CasePriority.HIGH, 3.0, False),
        ("发票抬头填写错误", CasePriority.NORMAL, 3.4, False),
        ("路由器每小时自动重启", CasePriority.HIGH, 9.0, True),
    ],
}


def pump(until: Callable[[], bool] = lambda: False, seconds: float = 0.4) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if until():
            deadline = min(deadline, time.monotonic() + 0.15)  # let the paint settle
        time.sleep(0.01)


def seed(url: str, settings: Settings, language: str, *, cases: bool = True) -> None:
    (lead, lead_name), (agent, agent_name), team = PEOPLE[language]
    database, _ = connect(url, settings)
    sessions = database.sessions
    add_team(sessions, team)
    add_user(sessions, lead, name=lead_name, role="supervisor", team=team)
    add_user(sessions, agent, name=agent_name, role="service_agent", team=team)
    if not cases:  # the case desk's shots make their own, for five customers
        with sessions.begin() as session:
            names = ("Li Wei", "Anna Schmidt", "Zhang San", "Maria Garcia", "Wang Fang")
            session.add_all(Contact(first_name=n.split()[0], last_name=n.split()[1]) for n in names)
        database.dispose()
        return
    import_calendar(sessions, ALWAYS_OPEN)
    now = datetime.now(UTC)
    for subject, priority, hours, responded in CASES[language]:
        with sessions.begin() as session:
            contact = Contact(first_name=subject.split()[0][:10], last_name="")
            session.add(contact)
            session.flush()
            contact_id = contact.id
        opened = now - timedelta(hours=hours)
        spec = CaseSpec(subject, contact_id, priority=priority)
        number = create_case(sessions, spec, agent=agent, default_zone=ZONE, now=opened).number
        if responded:
            set_status(sessions, number, CaseStatus.IN_PROGRESS, agent=agent, default_zone=ZONE,
                       now=opened + timedelta(minutes=20))  # fmt: skip
    database.dispose()


def main() -> int:
    language = sys.argv[1] if len(sys.argv) > 1 else "en"
    suffix = "" if language == "en" else "-zh"
    app = QApplication(sys.argv[:1])
    app.setApplicationName("AgentDesk")
    work = Path(tempfile.mkdtemp(prefix="agentdesk-escalations-"))
    url = f"sqlite:///{work / 'desk.db'}"
    (lead, lead_name), _agent, _team = PEOPLE[language]
    settings = Settings(
        database_url=url,
        default_region="CN",
        agent=AgentSettings(username=lead, display_name=lead_name, wrapup_seconds=90),
        sip={"mode": "direct", "port": 5064, "bind_address": "127.0.0.1"},
        ui=UiSettings(language="zh_CN" if language == "zh" else "en"),
        raw={"service": {"timezone": ZONE}},
    )
    if language == "zh" and not install_translators(app, choose_language("zh_CN")):
        raise SystemExit("the zh_CN catalogue did not load: run scripts/i18n.py release")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    case_desk = "cases" in sys.argv[2:]
    seed(url, settings, language, cases=not case_desk)
    phones: list[FakeSoftphone] = []

    def factory(config: SipConfig) -> FakeSoftphone:
        phones.append(FakeSoftphone(replace(config, recordings_dir=work / "rec")))
        return phones[0]

    context = start_desktop(None, settings, phone_factory=factory)
    if case_desk:
        parent = QWidget()
        shoot_cases(context, parent, OUT, language, suffix)
        context.close()
        shutil.rmtree(work, ignore_errors=True)
        return 0
    controller = context.build_controller(loop)
    window = MainWindow(context, controller)
    controller.start()
    window.resize(1360, 820)
    window.show()
    # the lead's desk runs the escalation pass by itself as it opens
    button = window.escalations.button
    pump(lambda: window.escalations.schedule.passes >= 1 and not button.isHidden(), 30)
    pump(lambda: button.busy == 0 and len(button.notices) == 4, 10)
    OUT.mkdir(parents=True, exist_ok=True)
    paths = [OUT / f"escalations-desk{suffix}.png", OUT / f"escalations{suffix}.png"]
    window.grab().save(str(paths[0]))
    button.click()
    dialog = button.dialog
    dialog.table.selectRow(0)
    pump(seconds=0.6)
    dialog.grab().save(str(paths[1]))
    for path in paths:
        print("wrote", path)
    dialog.close()
    window.close()
    pump(lambda: not window.isVisible(), 10)
    context.close()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
