"""The case desk for the screenshot scripts (scripts/screenshots.py, screenshots_zh.py): a
service agent's cases in several service-level states, one case open with its timeline (a
note, a linked call, an article that solved it), and a Chinese knowledge-base search with its
terms highlighted. Run after ``seed_organisation`` (it uses the service agent and supervisor
seeded there)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from agentdesk.app.desktop import DesktopContext
from agentdesk.app.service_desk import CaseDeskService
from agentdesk.crm.models import Call, Contact
from agentdesk.domain.enums import CallDirection, CasePriority, CaseStatus
from agentdesk.service.calendar import import_calendar
from agentdesk.service.case_timeline import EntryKind, add_entry
from agentdesk.service.case_work import set_status
from agentdesk.service.cases import CaseSpec, create_case
from agentdesk.service.kb import ArticleText, import_articles, search
from agentdesk.ui.service.case_desk import CaseDeskWindow

AGENT = "liu.yang"
LEAD = {"en": "sam.okafor", "zh": "sun.li"}
QUEUE = {"en": "Service Tier 1", "zh": "一线客服组"}
ZONE = "Asia/Shanghai"
# every day, all day: the countdowns show hours whatever day the script runs
ALWAYS_OPEN = f'timezone = "{ZONE}"\n' + "".join(
    f'{day} = "00:00-23:59"\n' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
)
# (subject, priority, hours ago opened, in the queue)
CASES = {
    "en": [
        ("Router reboots every hour", CasePriority.HIGH, 1, False),
        ("Refund not received after 7 days", CasePriority.URGENT, 5, False),
        ("Invoice address is wrong", CasePriority.NORMAL, 2, True),
        ("VPN client will not connect", CasePriority.HIGH, 7, False),
        ("Change of contract holder", CasePriority.LOW, 30, True),
    ],
    "zh": [
        ("路由器每小时自动重启", CasePriority.HIGH, 1, False),
        ("七天后仍未收到退款", CasePriority.URGENT, 5, False),
        ("发票抬头填写错误", CasePriority.NORMAL, 2, True),
        ("ＶＰＮ 客户端无法连接", CasePriority.HIGH, 7, False),
        ("合同持有人变更", CasePriority.LOW, 30, True),
    ],
}
ARTICLES = [
    ("退款流程", "客户申请退款时，先核对订单号和付款方式。原路退款约 3-7 个工作日到账；"
     "信用卡退款以发卡银行为准。Refund within 7 days of delivery."),
    ("退款未到账怎么办", "超过 7 个工作日仍未到账：请查询银行流水，提供退款单号，"
     "由客服提交加急工单。"),
    ("Router keeps rebooting", "Check the power adapter, then update the firmware. "
     "若路由器仍然重启，请恢复出厂设置。"),
    ("ＶＰＮ 连接失败", "请重新安装 VPN 客户端并检查网络；公司账户需先开通远程访问权限。"),
]  # fmt: skip
NOTE = {
    "en": "Customer says the refund was approved on Monday; bank shows nothing yet.",
    "zh": "客户说周一已批准退款，银行尚未到账。",
}


def pump(until: Callable[[], bool] = lambda: False, seconds: float = 0.4) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if until():
            deadline = min(deadline, time.monotonic() + 0.15)  # let the paint settle
        time.sleep(0.01)


def seed_cases(context: DesktopContext, language: str) -> str:
    """The cases, articles and a timeline; returns the number of the case to open."""
    sessions = context.database.sessions
    import_calendar(sessions, ALWAYS_OPEN)
    with sessions() as session:
        contacts = list(session.scalars(select(Contact.id).order_by(Contact.id).limit(5)))
    now = datetime.now(UTC)
    numbers = []
    for (subject, priority, hours, queued), contact in zip(CASES[language], contacts, strict=True):
        spec = CaseSpec(subject, contact, priority=priority,
                        team=QUEUE[language] if queued else None)  # fmt: skip
        opened = now - timedelta(hours=hours)
        agent = LEAD[language] if queued else AGENT
        numbers.append(create_case(sessions, spec, agent=agent, default_zone=ZONE, now=opened))
    # the router case waits on the customer: its clock is paused
    set_status(sessions, numbers[0].number, CaseStatus.WAITING, agent=AGENT, default_zone=ZONE)
    articles = [ArticleText(t, b, "客服/退款" if "退款" in t else "IT", None, f"shot:{i}")
                for i, (t, b) in enumerate(ARTICLES)]  # fmt: skip
    import_articles(sessions, articles, agent=LEAD[language])
    refund = numbers[1]
    set_status(sessions, refund.number, CaseStatus.IN_PROGRESS, agent=AGENT, default_zone=ZONE,
               now=now - timedelta(hours=4))  # fmt: skip
    with sessions.begin() as session:
        session.add(
            Call(direction=CallDirection.INBOUND, remote_e164="+8613800138000",
                 contact_id=refund.contact_id, case_id=refund.id,
                 notes=NOTE[language], started_at=now - timedelta(hours=3),
                 ended_at=now - timedelta(hours=3) + timedelta(minutes=4))
        )  # fmt: skip
    add_entry(sessions, refund.number, EntryKind.NOTE, agent=AGENT, body=NOTE[language],
              now=now - timedelta(hours=2))  # fmt: skip
    article = search(sessions, "退款")[0]
    add_entry(sessions, refund.number, EntryKind.ARTICLE, agent=AGENT, article_id=article.id,
              now=now - timedelta(hours=1))  # fmt: skip
    return refund.number


def shoot_cases(
    context: DesktopContext, parent: QWidget, out: Path, language: str, suffix: str = ""
) -> list[Path]:
    """``cases<suffix>.png`` (the list, a case and its timeline) and ``cases-kb<suffix>.png``
    (a Chinese search with its highlights, an article open)."""
    number = seed_cases(context, language)
    service = CaseDeskService(context.database.sessions, AGENT, ZONE)
    window = CaseDeskWindow(service, context.executor, parent)
    window.resize(1380, 820)
    window.show()
    window.start()
    pump(lambda: window.busy == 0 and bool(window.cases), 5)
    window.select_numbers({number})
    pump(lambda: window.busy == 0 and window.form.detail is not None, 5)
    pump(seconds=0.5)
    paths = [out / f"cases{suffix}.png", out / f"cases-kb{suffix}.png"]
    window.grab().save(str(paths[0]))
    window.kbPanel.queryEdit.setText("退款")
    window.kbPanel.run_search()
    pump(lambda: window.kbPanel.busy == 0 and bool(window.kbPanel.hits), 5)
    window.kbPanel.results.setCurrentRow(0)
    pump(lambda: window.kbPanel.busy == 0 and window.kbPanel.article_id is not None, 5)
    pump(seconds=0.5)
    window.grab().save(str(paths[1]))
    for path in paths:
        print("wrote", path)
    window.close()
    return paths
