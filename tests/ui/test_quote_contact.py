"""The quote editor's contact: picked among the people of the quote's account, by name
(Chinese too) or phone, also for a quote started from the Sales window (both engines)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.sales import SalesService
from agentdesk.crm.models import Account, Contact, PhoneRecord
from agentdesk.db.engine import unit_of_work
from agentdesk.org.users import find_user
from agentdesk.sales.models import Quote
from agentdesk.sales.status import QuoteStatus
from agentdesk.ui.sales.quote_editor import QuoteEditor
from agentdesk.ui.sales.quote_lines import QUANTITY
from tests.ui.sales_support import REP, executor, sales_org, settle


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    workers = executor()
    yield workers
    workers.shutdown(wait=True)


@pytest.fixture
def org(sessions: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    sales_org(sessions, tmp_path)
    with unit_of_work(sessions) as s:
        rep = find_user(s, REP).id
        acme = s.scalars(select(Account).where(Account.name == "Acme")).one()
        other = Account(name="Globex", owner_id=rep)
        s.add(other)
        s.flush()
        wang = Contact(first_name="小明", last_name="王", account_id=acme.id, owner_id=rep)
        li = Contact(first_name="娜", last_name="李", account_id=acme.id, owner_id=rep)
        s.add_all([wang, li, Contact(first_name="小红", last_name="王", account_id=other.id,
                                     owner_id=rep)])  # fmt: skip
        s.flush()
        s.add(PhoneRecord(raw="139 1234 5678", e164="+8613912345678", contact_id=li.id))
    return sessions


def listed(editor: QuoteEditor) -> list[str]:
    results = editor.contactPicker.results
    return [results.item(r).text() for r in range(results.count())]


def test_a_quote_from_the_sales_window_gets_a_contact_of_its_account(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    editor = QuoteEditor(SalesService(org, REP), pool)
    qtbot.addWidget(editor)
    editor.start()
    settle(qtbot, editor)
    assert not editor.accountEdit.isReadOnly() and editor.contact is None
    editor.accountEdit.setText("Acme")
    editor.contactPicker.search("王")
    settle(qtbot, editor)
    assert listed(editor) == ["王小明"]  # Globex's 王小红 is not Acme's
    editor.contactPicker.search("1234 5678")
    settle(qtbot, editor)
    assert listed(editor) == ["李娜 · +8613912345678"]
    editor.contactPicker.results.itemClicked.emit(editor.contactPicker.results.item(0))
    assert editor.contactPicker.searchEdit.text() == "李娜" and editor.contact is not None
    editor.save()
    settle(qtbot, editor)
    assert editor.number is not None and editor.quote is not None
    assert contacts_of(org, editor.number) == {1: "李娜"}
    # a draft's contact changes in place; a sent quote's in its next revision
    editor.contactPicker.search("小明")
    settle(qtbot, editor)
    editor.contactPicker.results.itemClicked.emit(editor.contactPicker.results.item(0))
    editor.save()
    settle(qtbot, editor)
    assert contacts_of(org, editor.number) == {1: "王小明"}
    editor.set_status(QuoteStatus.SENT)
    settle(qtbot, editor)
    assert not editor.contactPicker.searchEdit.isReadOnly()  # a revision may change it
    editor.contactPicker.search("李")
    settle(qtbot, editor)
    editor.contactPicker.results.itemClicked.emit(editor.contactPicker.results.item(0))
    editor.save()
    settle(qtbot, editor)
    assert contacts_of(org, editor.number) == {1: "王小明", 2: "李娜"}
    editor.lines.item(0, QUANTITY).setText("2")  # and a change of lines keeps it
    editor.save()
    settle(qtbot, editor)
    assert contacts_of(org, editor.number) == {1: "王小明", 2: "李娜"}
    reopened = QuoteEditor(SalesService(org, REP), pool)
    qtbot.addWidget(reopened)
    reopened.start(editor.number)
    settle(qtbot, reopened)
    assert reopened.contactPicker.searchEdit.text() == "李娜"


def contacts_of(sessions: sessionmaker[Session], number: str) -> dict[int, str]:
    """Each revision's contact."""
    with sessions() as s:
        rows = s.execute(
            select(Quote.revision, Contact.first_name, Contact.last_name)
            .join(Contact, Contact.id == Quote.contact_id)
            .where(Quote.number == number)
        )
        return {revision: f"{last}{first}" for revision, first, last in rows}


def test_another_account_typed_forgets_the_contact_picked(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    editor = QuoteEditor(SalesService(org, REP), pool)
    qtbot.addWidget(editor)
    editor.start()
    settle(qtbot, editor)
    editor.accountEdit.setText("Globex")
    editor.contactPicker.search("")  # the List button: all of the account's people
    settle(qtbot, editor)
    assert listed(editor) == ["王小红"]
    editor.contactPicker.results.itemClicked.emit(editor.contactPicker.results.item(0))
    assert editor.contact is not None
    editor.accountEdit.textEdited.emit("Acme")
    assert editor.contact is None and editor.contactPicker.searchEdit.text() == ""
