"""A retired stage without live opportunities has no board column but still names the stages
histories went through: the screens remember every stage's label (both engines)."""

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
from agentdesk.ui.sales.party_sales import PartySalesBox
from agentdesk.ui.sales.pipeline import PipelineView
from agentdesk.ui.shell.labels import remember_stages, stage_label
from tests.ui.sales_support import REP, executor, sales_org, settle


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    workers = executor()
    yield workers
    workers.shutdown(wait=True)


@pytest.fixture
def retired(sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """``trial`` retired after an opportunity went through it (only its history has it)."""
    sales_org(sessions, tmp_path)
    add_stage(sessions, "trial", label="Trial running", label_zh="试用中", probability=35)
    with sessions() as s:
        phones = s.scalars(select(Opportunity.id).where(Opportunity.name == "Acme phones")).one()
    update_opportunity(sessions, phones, stage="trial")
    update_opportunity(sessions, phones, stage=OpportunityStage.PROPOSAL)
    change_stage(sessions, "trial", active=False)
    remember_stages([])
    yield sessions
    remember_stages([])


def test_the_pipeline_remembers_a_retired_stages_label(
    qtbot: QtBot, retired: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    view = PipelineView(SalesService(retired, REP), pool)
    qtbot.addWidget(view)
    view.start()
    settle(qtbot, view)
    assert "trial" not in [column.stage for column in view.stages]  # no column
    assert stage_label("trial") == "Trial running"


def test_the_party_box_remembers_a_retired_stages_label(
    qtbot: QtBot, retired: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    box = PartySalesBox(SalesService(retired, REP), pool)
    qtbot.addWidget(box)
    box.read_stages()
    settle(qtbot, box)
    assert stage_label("trial") == "Trial running"
