"""The contact pickers' searches run on the executor with plain values: the editors' widgets
(the quote's account field, the opportunity's account picker) are read on the GUI thread
when the search starts, never on a worker (both engines)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.sales import SalesService
from agentdesk.crm.models import Account
from agentdesk.sales.opportunity_parties import PartyChoice
from agentdesk.ui.sales.opportunity_editor import OpportunityEditor
from agentdesk.ui.sales.pickers import PartyPicker
from agentdesk.ui.sales.quote_editor import QuoteEditor
from tests.ui.sales_support import REP, executor, settle
from tests.ui.test_opportunity_editor import org_with_people


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    workers = executor()
    yield workers
    workers.shutdown(wait=True)


@pytest.fixture
def org(sessions: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    return org_with_people(sessions, tmp_path)


def listed(picker: PartyPicker) -> list[str]:
    return sorted(picker.results.item(r).text() for r in range(picker.results.count()))


def test_the_quote_editor_reads_its_account_field_on_the_gui_thread(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    editor = QuoteEditor(SalesService(org, REP), pool, account="Acme")
    qtbot.addWidget(editor)
    settle(qtbot, editor)
    threads: list[str] = []
    field_text = editor.accountEdit.text

    def text() -> str:
        threads.append(threading.current_thread().name)
        return field_text()

    editor.accountEdit.text = text  # type: ignore[method-assign]
    editor.contactPicker.search("")
    settle(qtbot, editor)
    assert listed(editor.contactPicker) == ["Ada Lovelace", "王小明"]
    assert threads == [threading.main_thread().name]


def test_the_opportunity_editor_reads_its_account_choice_on_the_gui_thread(
    qtbot: QtBot,
    org: sessionmaker[Session],
    pool: ThreadPoolExecutor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with org() as s:
        acme = s.scalars(select(Account.id).where(Account.name == "Acme")).one()
    editor = OpportunityEditor(SalesService(org, REP), pool, account=PartyChoice(acme, "Acme"))
    qtbot.addWidget(editor)
    editor.start()
    settle(qtbot, editor)
    threads: list[str] = []
    choice_id = PartyPicker.choice_id

    def read(picker: PartyPicker) -> object:
        threads.append(threading.current_thread().name)
        return choice_id.__get__(picker)

    monkeypatch.setattr(PartyPicker, "choice_id", property(read))
    editor.contactPicker.search("小明")
    settle(qtbot, editor)
    assert listed(editor.contactPicker) == ["王小明"]
    assert threads and set(threads) == {threading.main_thread().name}
