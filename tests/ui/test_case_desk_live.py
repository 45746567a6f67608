"""The case desk follows other desks' changes (both engines): a case another desk opens
appears, a change to the open case shows, and the selection stays where the user put it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from pytestqt.qtbot import QtBot

from agentdesk.domain.enums import CasePriority
from agentdesk.service.case_details import set_details
from agentdesk.service.cases import CaseSpec, create_case
from tests.ui.test_case_desk import ZONE, Floor, _drained, _numbers, _open, _select
from tests.ui.test_case_desk import executor as executor
from tests.ui.test_case_desk import floor as floor


def test_another_desks_changes_reach_the_open_window_keeping_the_selection(
    qtbot: QtBot, floor: Floor, executor: ThreadPoolExecutor
) -> None:
    window = _open(qtbot, floor, "care.ann", executor)
    _select(window, floor.ann_own)
    _drained(qtbot, window)
    assert window.form.detail is not None and window.form.detail.case.number == floor.ann_own
    reads = window.form.detail
    # the lead opens a case in Ann's team queue on their own desk
    spec = CaseSpec("Fax line crackles", floor.contact, team="Care")
    made = create_case(floor.sessions, spec, agent="care.lead", default_zone=ZONE).number
    qtbot.waitUntil(lambda: made in _numbers(window), timeout=10_000)
    _drained(qtbot, window)
    assert window.selected_numbers() == [floor.ann_own]
    assert window.form.detail is reads  # unchanged, so not read again
    # the lead raises Ann's case: the open form shows it, the row stays selected
    set_details(floor.sessions, floor.ann_own, agent="care.lead", default_zone=ZONE,
                priority=CasePriority.URGENT)  # fmt: skip
    qtbot.waitUntil(
        lambda: (
            window.form.detail is not None
            and window.form.detail.case.priority is CasePriority.URGENT
        ),
        timeout=10_000,
    )
    _drained(qtbot, window)
    assert window.selected_numbers() == [floor.ann_own]
    window.close()
