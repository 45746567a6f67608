"""The opportunity editor never shows an opportunity in another stage than its own (a save
would move it there): Reload reads the stages again, the opportunity's own stage is offered
when no move enters it, and a new opportunity is offered the active stages only (both
engines)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.sales import SalesService
from agentdesk.crm.models import Opportunity
from agentdesk.domain.enums import OpportunityStage
from agentdesk.sales.opportunities import update_opportunity
from agentdesk.sales.stages import add_stage, change_stage
from agentdesk.ui.sales.opportunity_editor import OpportunityEditor
from tests.ui.sales_support import REP, executor, sales_org, settle

STAGE = OpportunityStage


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    workers = executor()
    yield workers
    workers.shutdown(wait=True)


@pytest.fixture
def org(sessions: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    sales_org(sessions, tmp_path)
    return sessions


def offered(editor: OpportunityEditor) -> list[object]:
    return [editor.stageCombo.itemData(i) for i in range(editor.stageCombo.count())]


def opened(qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor, name: str
           ) -> OpportunityEditor:  # fmt: skip
    with org() as s:
        opp = s.scalars(select(Opportunity.id).where(Opportunity.name == name)).one()
    editor = OpportunityEditor(SalesService(org, REP), pool)
    qtbot.addWidget(editor)
    editor.start(opp)
    settle(qtbot, editor)
    return editor


def stage_of(org: sessionmaker[Session], name: str) -> tuple[str, str | None]:
    """The opportunity's stage and next step (a save went through when it has the step)."""
    with org() as s:
        query = select(Opportunity.stage, Opportunity.next_step).where(Opportunity.name == name)
        stage, step = s.execute(query).one()
        return stage, step


def test_reload_reads_a_stage_added_meanwhile_and_a_save_keeps_it(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    editor = opened(qtbot, org, pool, "Acme phones")
    assert editor.detail is not None and "trial" not in offered(editor)
    add_stage(org, "trial", label="Trial running", probability=35)
    update_opportunity(org, editor.detail.id, stage="trial")  # another desk moved it
    editor.reload()
    settle(qtbot, editor)
    assert editor.stageCombo.currentData() == "trial"
    assert editor.probabilitySpin.value() == 35
    editor.nextEdit.setText("Call back after the trial")
    editor.save()
    settle(qtbot, editor)
    assert stage_of(org, "Acme phones") == ("trial", "Call back after the trial")


def test_a_retired_stage_is_offered_only_to_its_own_opportunity(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    change_stage(org, STAGE.QUALIFICATION, active=False)
    new = OpportunityEditor(SalesService(org, REP), pool)
    qtbot.addWidget(new)
    new.start()
    settle(qtbot, new)
    assert STAGE.QUALIFICATION not in offered(new)  # no move enters a retired stage
    assert new.stageCombo.currentData() == STAGE.PROSPECTING
    editor = opened(qtbot, org, pool, "Acme headsets")  # in qualification
    assert editor.stageCombo.currentData() == STAGE.QUALIFICATION
    assert offered(editor).count(STAGE.QUALIFICATION) == 1
    editor.nextEdit.setText("Send the offer")
    editor.save()
    settle(qtbot, editor)
    assert stage_of(org, "Acme headsets") == (STAGE.QUALIFICATION, "Send the offer")
