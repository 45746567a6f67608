"""The desk through a database outage: a wrap-up that cannot reach the database is kept in the
journal, the agent goes back to available and takes the next call, the status bar says how
many changes wait, and everything reaches the call log once the server is back.

The outage is real: a PostgreSQL server of this test's own is stopped (``pg_ctl -m
immediate``) and started again. On SQLite the same wrap-ups go through the journal too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, text

from agentdesk.app.desk.events import DeskNotice
from agentdesk.app.desktop import start_desktop
from agentdesk.app.notices import NoticeKind
from agentdesk.crm.models import Call
from agentdesk.db import migrate
from agentdesk.db.engine import create_db_engine
from agentdesk.domain.clock import utcnow
from agentdesk.domain.ids import uuid7
from agentdesk.journal.kinds import WRAPUP, wrapup_payload
from agentdesk.journal.models import AppliedEntry
from agentdesk.journal.store import JournalStore
from agentdesk.telephony.port import SipConfig
from agentdesk.ui.shell.main_window import MainWindow
from tests.integration.test_journal import wrapup
from tests.support.fake_softphone import FakeSoftphone
from tests.support.pg_outage import halt, resume
from tests.support.pg_server import INSTALL_HINT, PgServer, start_server
from tests.ui.conftest import Desk, close_desk, open_desk
from tests.ui.desk_support import add_party, make_settings


@pytest.fixture(scope="module")
def own_pg() -> Iterator[PgServer]:
    try:
        server = start_server()
    except Exception as exc:
        pytest.fail(f"cannot start PostgreSQL for the tests: {exc}\n{INSTALL_HINT}", pytrace=False)
    admin = create_db_engine(server.url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("CREATE DATABASE outage"))
        # The test server trades durability for speed; a commit the desk was told of must
        # survive the immediate stop, as on a real server.
        conn.execute(text("ALTER DATABASE outage SET synchronous_commit = on"))
    admin.dispose()
    engine = create_db_engine(server.url_for("outage"))
    migrate.upgrade(engine)
    engine.dispose()
    yield server
    server.stop()


def _pg_desk(qtbot: QtBot, loop: asyncio.AbstractEventLoop, tmp_path: Path, url: str) -> Desk:
    settings = replace(make_settings(tmp_path, wrapup_seconds=120), database_url=url)
    phones: list[FakeSoftphone] = []

    def factory(config: SipConfig) -> FakeSoftphone:
        phones.append(FakeSoftphone(replace(config, recordings_dir=tmp_path / "rec")))
        return phones[-1]

    context = start_desktop(None, settings, phone_factory=factory)
    controller = context.build_controller(loop)
    window = MainWindow(context, controller)
    controller.start()
    window.show()
    return Desk(context, controller, phones[0], window, qtbot)


def _call_and_wrap_up(desk: Desk, number: str, code: str) -> None:
    call_id = desk.phone.offer_call(number)
    assert call_id is not None
    desk.wait(lambda: desk.controller.call is not None)  # accepted: no 480
    desk.controller.answer()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    desk.phone.remote_hangup(call_id)
    panel = desk.window.wrapupPanel
    desk.wait(lambda: panel.wrapup is not None and panel.dispositionCombo.findData(code) > 0)
    panel.dispositionCombo.setCurrentIndex(panel.dispositionCombo.findData(code))
    panel.notesEdit.setPlainText(f"notes of {number}")
    panel.saveButton.click()
    desk.wait(lambda: desk.controller.state.status.value == "available")


def _logged(desk: Desk) -> list[tuple[str | None, str | None]]:
    return sorted(
        (r.remote_e164, r.disposition_code)
        for r in desk.context.services.calls.recent_calls("alice")
    )


def test_wrapups_in_an_outage_are_kept_and_applied_when_the_server_returns(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, own_pg: PgServer
) -> None:
    desk = _pg_desk(qtbot, qloop, tmp_path, own_pg.url_for("outage"))
    banner = desk.window.journalLabel
    try:
        _call_and_wrap_up(desk, "+12025550701", "interested")
        assert _logged(desk) == [("+12025550701", "interested")]
        assert banner.isHidden()

        halt(own_pg)
        try:
            _call_and_wrap_up(desk, "+12025550702", "sale")
            # the call's ring, answer, end and wrap-up wait on this computer
            desk.wait(lambda: banner.isVisible() and "4 change" in banner.text())
            assert "cannot be reached" in banner.text()
            # the next call is taken and wrapped up, still without the database
            _call_and_wrap_up(desk, "+12025550703", "not_interested")
            desk.wait(lambda: "8 change" in banner.text())
            assert desk.context.services.journal.status().pending == 8
        finally:
            resume(own_pg)
        desk.wait(lambda: banner.isHidden(), timeout=30_000)
        assert desk.context.services.journal.status().pending == 0
        assert _logged(desk) == [
            ("+12025550701", "interested"),
            ("+12025550702", "sale"),
            ("+12025550703", "not_interested"),
        ]
        # the recent-calls list reloaded when the kept wrap-ups were applied
        desk.wait(lambda: len(desk.window.recentPanel.calls) == 3)
    finally:
        close_desk(desk)


def test_on_sqlite_a_wrapup_goes_through_the_journal(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    desk = open_desk(qtbot, qloop, tmp_path, wrapup_seconds=120)
    try:
        _call_and_wrap_up(desk, "+12025550704", "sale")
        assert _logged(desk) == [("+12025550704", "sale")]
        entries = desk.context.services.journal.store.entries()
        assert [(e.kind, e.applied_at is not None) for e in entries] == [
            ("call.open", True),
            ("call.update", True),
            ("call.end", True),
            ("call.wrapup", True),
        ]
        assert len({e.record_id for e in entries}) == 1
        with desk.context.database.sessions() as s:
            applied = s.scalar(select(func.count()).select_from(AppliedEntry))
            call_ids = list(s.scalars(select(Call.id)))
        assert applied == 4 and call_ids == [entries[0].record_id]
        assert desk.window.journalLabel.isHidden()
    finally:
        close_desk(desk)


def test_a_desk_closed_in_an_outage_keeps_its_changes_for_the_next_start(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, own_pg: PgServer
) -> None:
    url = own_pg.url_for("outage")
    desk = _pg_desk(qtbot, qloop, tmp_path, url)
    desk.wait(lambda: desk.controller.wrapup_codes)  # loaded at start, before the outage
    halt(own_pg)
    try:
        _call_and_wrap_up(desk, "+12025550711", "sale")  # the codes of no earlier wrap-up
        desk.wait(lambda: "4 change" in desk.window.journalLabel.text())
        desk.window.close()
        desk.wait(lambda: not desk.window.isVisible())
        desk.window.deleteLater()
        assert desk.context.close() == 4  # bounded: it gave up and said what it keeps
    finally:
        resume(own_pg)
    again = _pg_desk(qtbot, qloop, tmp_path, url)
    try:
        again.wait(lambda: again.context.services.journal.status().pending == 0, 15_000)
        assert ("+12025550711", "sale") in _logged(again)
    finally:
        close_desk(again)


def test_a_pop_in_an_outage_says_the_lookup_is_unavailable_and_pops_when_it_returns(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, own_pg: PgServer
) -> None:
    desk = _pg_desk(qtbot, qloop, tmp_path, own_pg.url_for("outage"))
    panel = desk.window.customerPanel
    card = panel.unknownCard
    try:
        ref = add_party(desk.context, "Ada", "Outage", "+12025550721")
        halt(own_pg)
        try:
            call_id = desk.phone.offer_call("+12025550721")
            assert call_id is not None
            desk.wait(lambda: panel.currentWidget() is card and card.isVisible())
            assert card.titleLabel.text() == "Record lookup unavailable"
            assert card.numberLabel.text() == "+12025550721"
            assert not card.createContactButton.isEnabled()
            desk.controller.answer()
            desk.wait(lambda: desk.controller.state.status.value == "talking")
        finally:
            resume(own_pg)
        # tried again while the call lasts: the caller's record pops once the server is back
        desk.wait(lambda: panel.party == ref, timeout=15_000)
        assert panel.currentWidget() is panel.recordView
        desk.phone.remote_hangup(call_id)
        desk.wait(lambda: desk.window.wrapupPanel.wrapup is not None)
        assert desk.window.wrapupPanel.wrapup.party == ref
    finally:
        close_desk(desk)


def test_a_kept_change_refused_when_the_server_returns_is_said_not_dropped(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, own_pg: PgServer
) -> None:
    desk = _pg_desk(qtbot, qloop, tmp_path, own_pg.url_for("outage"))
    journal = desk.context.services.journal
    notices: list[DeskNotice] = []
    desk.controller.subscribe(lambda e: notices.append(e) if isinstance(e, DeskNotice) else None)
    try:
        desk.wait(lambda: desk.controller.wrapup_codes)  # loaded at start, before the outage
        halt(own_pg)
        try:
            _call_and_wrap_up(desk, "+12025550731", "sale")
            # as if an admin retired the code meanwhile: the database will refuse this one
            w = wrapup(31, "retired-code")
            journal.append(WRAPUP, wrapup_payload(w), record_id=w.record_id, actor="alice")
            desk.wait(lambda: "5 change" in desk.window.journalLabel.text())
        finally:
            resume(own_pg)
        desk.wait(lambda: desk.window.journalLabel.isHidden(), timeout=30_000)
        status = journal.status()
        assert (status.pending, status.refused) == (0, 1)
        refused = [n for n in notices if n.notice.kind is NoticeKind.CHANGES_REFUSED]
        assert [n.notice.fields["count"] for n in refused] == ["1"] and refused[0].error
        assert ("+12025550731", "sale") in _logged(desk)  # the rest went on
    finally:
        close_desk(desk)


def _restart_with_a_kept_wrapup(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    code: str,
    *,
    other_file: tuple[str, str] | None = None,
) -> tuple[Desk, list[DeskNotice]]:
    """A desk that stopped with a wrap-up kept in its journal (or, with ``other_file`` = name
    and database address, in another journal file beside it), started again."""
    first = open_desk(qtbot, qloop, tmp_path, wrapup_seconds=120)
    path = first.context.services.journal.store.path
    close_desk(first)
    if other_file is not None:
        name, database = other_file
        store = JournalStore(path.parent / name, database)
    else:
        store = JournalStore(path)
    w = wrapup(41, code)
    store.append(
        WRAPUP,
        wrapup_payload(w),
        record_id=w.record_id,
        base_version=None,
        actor="alice",
        entry_id=uuid7(),
        now=utcnow(),
    )
    store.close()
    again = open_desk(qtbot, qloop, tmp_path, wrapup_seconds=120)
    notices: list[DeskNotice] = []
    again.controller.subscribe(lambda e: notices.append(e) if isinstance(e, DeskNotice) else None)
    return again, notices


def _said(desk: Desk, notices: list[DeskNotice], kind: NoticeKind) -> DeskNotice:
    desk.wait(lambda: [n for n in notices if n.notice.kind is kind])
    [said] = [n for n in notices if n.notice.kind is kind]
    return said


def test_a_change_refused_at_the_first_drain_after_a_start_is_said(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    """The desk stopped with a change kept that the database will refuse: the next start's
    first drain sets it aside, and says so."""
    again, notices = _restart_with_a_kept_wrapup(qtbot, qloop, tmp_path, "retired-code")
    try:
        again.wait(lambda: again.context.services.journal.status().refused == 1)
        said = _said(again, notices, NoticeKind.CHANGES_REFUSED)
        assert said.notice.fields["count"] == "1" and said.error
    finally:
        close_desk(again)


def test_changes_kept_for_another_address_are_said_at_start(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    old_url = "postgresql+psycopg://agentdesk@old-server.example:5432/agentdesk"
    other = ("old-address.sqlite3", old_url)
    again, notices = _restart_with_a_kept_wrapup(qtbot, qloop, tmp_path, "sale", other_file=other)
    try:
        said = _said(again, notices, NoticeKind.KEPT_ELSEWHERE)
        assert said.notice.fields["count"] == "1" and said.notice.fields["database"] == old_url
        assert said.notice.fields["file"].endswith("old-address.sqlite3")
        assert again.context.services.journal.status().pending == 0  # never applied by itself
    finally:
        close_desk(again)
