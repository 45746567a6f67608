"""The Simplified Chinese catalogue: complete, compiled, loaded by language, shown in the window."""

from __future__ import annotations

import asyncio
import importlib.util
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agentdesk.calls.dto import CallFacts, WrapUp
from agentdesk.crm.models import Disposition, Opportunity, ServiceCase
from agentdesk.crm.party_details import PartyRef
from agentdesk.domain.enums import (
    CallDirection,
    CasePriority,
    CaseStatus,
    OpportunityStage,
    OwnerKind,
)
from agentdesk.ui.shell.i18n import (
    I18N_DIR,
    choose_language,
    install_translators,
    remove_translators,
)
from tests.ui.conftest import Desk, close_desk, open_desk
from tests.ui.desk_support import add_party

ROOT = Path(__file__).resolve().parents[2]


def _i18n_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_tr_string_is_translated_and_the_qm_is_current() -> None:
    script = _i18n_script()
    assert script.problems(script.catalogue("zh_CN")) == []


def test_the_check_fails_on_a_new_untranslated_string(tmp_path: Path) -> None:
    script = _i18n_script()
    sources = tmp_path / "ui"
    shutil.copytree(ROOT / "agentdesk" / "ui", sources)
    (sources / "probe.py").write_text(
        "from PySide6.QtWidgets import QWidget\n\n\n"
        "class Probe(QWidget):\n"
        "    def label(self) -> str:\n"
        '        return self.tr("A brand-new label")\n'
    )
    ts = tmp_path / "agentdesk_zh_CN.ts"
    shutil.copy(I18N_DIR / ts.name, ts)
    shutil.copy(I18N_DIR / "agentdesk_zh_CN.qm", ts.with_suffix(".qm"))
    found = script.problems(ts, sources)
    assert "untranslated Probe: 'A brand-new label'" in found
    assert "agentdesk_zh_CN.ts is not up to date: run `scripts/i18n.py update`" in found
    # A string removed from the code is noticed too (the catalogue would carry a dead entry).
    (sources / "probe.py").unlink()
    (sources / "shell" / "phone_check.py").unlink()
    assert script.problems(ts, sources) == [
        "agentdesk_zh_CN.ts is not up to date: run `scripts/i18n.py update`"
    ]


def test_translations_keep_every_placeholder_and_accelerator() -> None:
    """A translation that drops ``{name}`` would raise KeyError... or show the wrong value."""
    bad = []
    root = ET.parse(I18N_DIR / "agentdesk_zh_CN.ts").getroot()
    for message in root.iter("message"):
        source = message.findtext("source", "")
        translation = message.findtext("translation", "")
        if sorted(re.findall(r"\{[^}]*\}", source)) != sorted(
            re.findall(r"\{[^}]*\}", translation)
        ):
            bad.append((source, translation))
        if ("&" in source) != ("&" in translation):  # menu mnemonics (Alt+F...)
            bad.append((source, translation))
    assert bad == []


@pytest.mark.parametrize(
    ("configured", "system", "expected"),
    [
        ("zh_CN", "en_US", "zh_CN"),
        ("en", "zh_CN", None),
        (None, "zh_CN", "zh_CN"),
        (None, "zh_SG", "zh_CN"),  # Singapore writes Simplified Chinese too
        (None, "zh_TW", None),  # Traditional: no catalogue, English rather than the wrong script
        (None, "de_DE", None),
        (None, "en_US", None),
    ],
)
def test_the_language_follows_the_config_then_the_system(
    configured: str | None, system: str, expected: str | None
) -> None:
    assert choose_language(configured, QLocale(system)) == expected


def test_english_loads_nothing_and_an_unknown_catalogue_stays_english(qapp: QApplication) -> None:
    assert install_translators(qapp, None) == []
    assert install_translators(qapp, "fr_FR") == []
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.buttons()[0].text() in ("Cancel", "&Cancel")


@pytest.fixture
def zh_desk(
    qtbot: QtBot, qapp: QApplication, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> Iterator[Desk]:
    translators = install_translators(qapp, "zh_CN")
    assert len(translators) == 2  # ours and Qt's own (dialog buttons)
    desk = open_desk(qtbot, qloop, tmp_path, wrapup_seconds=120)
    try:
        yield desk
    finally:
        close_desk(desk)
        remove_translators(qapp, translators)


def test_the_main_window_in_chinese(zh_desk: Desk) -> None:
    window, bar = zh_desk.window, zh_desk.window.softphoneBar
    assert window.windowTitle() == "AgentDesk 坐席台 — alice"
    assert [window.tabs.tabText(i) for i in range(3)] == ["话后处理", "回拨", "最近通话"]
    assert (bar.answerButton.text(), bar.hangupButton.text(), bar.holdButton.text()) == (
        "接听",
        "挂断",
        "保持",
    )
    assert bar.stateCombo.currentText() == "就绪"
    assert [a.text() for a in window.menuBar().actions()] == [
        "文件(&F)",
        "通话(&C)",
        "视图(&V)",
        "销售(&L)",
        "帮助(&H)",
    ]
    header = window.recentPanel.tree.headerItem()
    assert header is not None and header.text(4) == "结果"
    assert window.customerPanel.emptyLabel.text().startswith("暂无来电。")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.buttons()[0].text() == "取消"  # Qt's own catalogue is loaded too


def test_the_record_form_in_chinese(zh_desk: Desk) -> None:
    ref = add_party(zh_desk.context, "Wei", "Zhang", "+12025550520", kind=OwnerKind.LEAD)
    panel = zh_desk.window.customerPanel
    panel.show_party(ref)
    zh_desk.wait(lambda: panel.recordView.details is not None)
    view = panel.recordView
    label = view.form.labelForField(view.fields["status"])
    assert label is not None and label.text() == "状态："  # type: ignore[attr-defined]
    assert view.fields["status"].currentText() == "新建"  # type: ignore[union-attr]
    assert view.saveButton.text() == "保存修改"
    # Family name first, as Chinese forms ask for it (the translator's choice, see "first-last").
    row_of = {name: view.form.getWidgetPosition(w)[0] for name, w in view.fields.items()}
    assert row_of["last_name"] < row_of["first_name"] < row_of["company"]
    assert view.companyLabel.text() == "线索"


def _wrap_up(desk: Desk, code: str, contact: PartyRef, minutes: int) -> None:
    started = datetime.now(UTC) - timedelta(minutes=30 - minutes)
    desk.context.services.calls.save_wrapup(
        WrapUp(
            disposition_code=code,
            facts=CallFacts(
                direction=CallDirection.OUTBOUND,
                started_at=started,
                ended_at=started + timedelta(seconds=20),
                remote_e164="+12025550521",
                agent="alice",
                contact_id=contact.id,
            ),
        )
    )


def test_dispositions_show_in_the_ui_language_everywhere(zh_desk: Desk) -> None:
    """The wrap-up list was English in Chinese while the history was Chinese (issue 14)."""
    ref = add_party(zh_desk.context, "Li", "Lei", "+12025550521")
    with zh_desk.context.database.sessions.begin() as session:
        renamed = session.scalars(select(Disposition).where(Disposition.code == "busy")).one()
        renamed.label, renamed.label_zh = "Line busy (retry)", None  # the admin's, English only
        session.add(Disposition(code="promised", label="Promised to pay", label_zh="承诺付款",
                                sort_order=1))  # fmt: skip
    for minutes, code in ((0, "no_answer"), (1, "busy"), (2, "promised")):
        _wrap_up(zh_desk, code, ref, minutes)
    panel = zh_desk.window.recentPanel
    panel.reload()
    zh_desk.wait(lambda: len(panel.calls) == 3)
    results = [panel.tree.topLevelItem(i).text(4) for i in range(3)]  # type: ignore[union-attr]
    assert results == ["承诺付款", "Line busy (retry)", "无人接听"]
    view = zh_desk.window.customerPanel.recordView
    zh_desk.window.customerPanel.show_party(ref)
    zh_desk.wait(lambda: view.details is not None and len(view.details.calls) == 3)
    calls = view.timeline.topLevelItem(0)
    assert calls is not None and calls.text(0) == "通话 (3)"
    assert [calls.child(i).text(0) for i in range(3)] == [
        "→ 承诺付款",
        "→ Line busy (retry)",
        "→ 无人接听",
    ]
    [match] = zh_desk.context.services.lookup.lookup("+12025550521").matches
    zh_desk.wait(lambda: "promised" in view.dispositionLabels)
    view.show_match(match)  # the pop's history, before the record loads
    calls = view.timeline.topLevelItem(0)
    assert calls is not None and calls.child(2).text(0) == "无人接听"
    # The wrap-up form's list, in the admin's order.
    call_id = zh_desk.phone.offer_call("+12025550521")
    assert call_id is not None
    zh_desk.wait(lambda: zh_desk.controller.call is not None)
    zh_desk.controller.answer()
    zh_desk.wait(lambda: zh_desk.controller.state.status.value == "talking")
    zh_desk.phone.remote_hangup(call_id)
    wrapup = zh_desk.window.wrapupPanel
    zh_desk.wait(lambda: wrapup.wrapup is not None)
    combo = wrapup.dispositionCombo
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items[1:3] == ["承诺付款", "成交"]
    assert {"无人接听", "话后处理超时", "Line busy (retry)"} <= set(items)
    assert combo.itemData(items.index("无人接听")) == "no_answer"
    combo.setCurrentIndex(items.index("无人接听"))
    wrapup.saveButton.click()
    zh_desk.wait(lambda: zh_desk.controller.state.status.value == "available")


def test_case_status_priority_and_opportunity_stage_are_worded(zh_desk: Desk) -> None:
    """They showed raw codes ("new · normal", "qualification") in Chinese (issue 14)."""
    ref = add_party(zh_desk.context, "Wang", "Fang", "+12025550522")
    with zh_desk.context.database.sessions.begin() as session:
        session.add(ServiceCase(subject="Invoice", contact_id=ref.id, status=CaseStatus.NEW,
                                priority=CasePriority.NORMAL))  # fmt: skip
        session.add(Opportunity(name="Upgrade", contact_id=ref.id, amount=Decimal("1200"),
                                currency="EUR", stage=OpportunityStage.QUALIFICATION))  # fmt: skip
    view = zh_desk.window.customerPanel.recordView
    zh_desk.window.customerPanel.show_party(ref)
    zh_desk.wait(lambda: view.details is not None)
    cases, opportunities = view.timeline.topLevelItem(1), view.timeline.topLevelItem(2)
    assert cases is not None and opportunities is not None
    assert (cases.child(0).text(0), cases.child(0).text(2)) == ("Invoice", "新建 · 普通优先级")
    assert opportunities.child(0).text(2) == "资格确认 · 1,200.00 EUR"
    [match] = zh_desk.context.services.lookup.lookup("+12025550522").matches
    view.show_match(match)
    cases, opportunities = view.timeline.topLevelItem(1), view.timeline.topLevelItem(2)
    assert cases is not None and cases.child(0).text(2) == "新建 · 普通优先级"
    assert opportunities is not None and opportunities.child(0).text(2) == "资格确认"


def test_desk_notices_and_refusals_are_in_chinese(zh_desk: Desk) -> None:
    """Messages from the services were English ("call from ... refused") (issue 14)."""
    window = zh_desk.window
    assert zh_desk.controller.set_not_ready("Break") is None
    zh_desk.phone.offer_call("+12025550523")
    zh_desk.wait(lambda: "+12025550523" in window.statusBar().currentMessage())
    assert window.statusBar().currentMessage() == "已拒接 +12025550523 的来电"
    window.softphoneBar.numberEdit.clear()
    window.softphoneBar.dialButton.click()
    assert window.softphoneBar.statusLabel.text().endswith("请输入号码")
    window.dial("")
    assert window.statusBar().currentMessage().endswith("请输入号码")


def test_every_notice_kind_is_worded_as_the_app_logs_it() -> None:
    from agentdesk.app.notices import TEXTS
    from agentdesk.ui.shell.notices import SENTENCES

    assert {kind: str(text) for kind, text in SENTENCES.items()} == TEXTS
