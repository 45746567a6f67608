"""The dialer through a database outage: it pauses by itself with the reason (reservations
live in the shared database) and resumes when the server is back, without the agent.

A PostgreSQL server of the test's own is stopped and started again (the shared session server
stays up for the other tests).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentdesk.app.desk.events import WrapupFinished
from agentdesk.app.desk.wrapup import WrapupForm
from agentdesk.app.dialer.views import DialerChanged, DialerNotice, DialerPhase
from agentdesk.app.notices import NoticeKind
from agentdesk.dialer.models import CampaignEntry
from tests.support.pg_outage import halt, resume
from tests.support.pg_server import PgServer
from tests.ui.dialer_support import attempts_of, calls_of, make_campaign
from tests.ui.test_journal_outage import own_pg
from tests.unit.test_dialer_session import Dialer

__all__ = ["own_pg"]  # the fixture: a server of this module's own


@pytest.fixture
def outage_dialer(tmp_path: Path, own_pg: PgServer) -> Iterator[Dialer]:
    d = Dialer(tmp_path, own_pg.url_for("outage"))
    yield d
    d.close()


def test_the_dialer_pauses_in_an_outage_and_resumes_by_itself(
    outage_dialer: Dialer, own_pg: PgServer
) -> None:
    dialer = outage_dialer
    loaded = make_campaign(dialer.context, name="Outage", mode="progressive")
    assert dialer.controller.set_not_ready("briefing") is None
    dialer.start(loaded.name)
    dialer.wait(lambda: dialer.session.view.phase is DialerPhase.WAITING)

    halt(own_pg)
    try:
        assert dialer.controller.set_available() is None  # the dialer would dial now
        dialer.wait(lambda: dialer.session.view.phase is DialerPhase.OUTAGE)
        assert dialer.session.view.running and dialer.session.view.entry is None
        assert dialer.outbound() == []
        # asked again, still away: it keeps saying why instead of stopping
        dialer.wait(lambda: _phases(dialer).count(DialerPhase.OUTAGE) >= 2)
        assert not [e for e in dialer.events if isinstance(e, DialerNotice) and e.error]
    finally:
        resume(own_pg)
    call = dialer.wait_dialled()  # by itself, on the next ask
    assert call.remote in loaded.phones
    seen = _phases(dialer)
    outage = seen.index(DialerPhase.OUTAGE)
    assert DialerPhase.STOPPED not in seen[outage:]
    assert DialerPhase.LOADING not in seen[outage:]  # retries keep the reason on screen


def test_a_campaign_call_that_ends_in_an_outage_reaches_the_campaign_when_it_returns(
    outage_dialer: Dialer, own_pg: PgServer
) -> None:
    """The attempt and the wrap-up are kept on the desk; the agent is free at once; when the
    server is back both reach the campaign, linked to the call's row, once."""
    dialer = outage_dialer
    loaded = make_campaign(dialer.context, name="Kept", mode="manual")
    dialer.start(loaded.name)
    dialer.wait(lambda: dialer.session.view.phase is DialerPhase.CHOOSING)
    picked = next(e for e in dialer.session.view.choices if e.phone == loaded.phones[0])
    assert dialer.session.pick(picked.id) is None
    call = dialer.wait_dialled()
    dialer.phone.remote_answer(call.call_id)
    dialer.wait(lambda: dialer.controller.state.status.value == "talking")

    halt(own_pg)
    try:
        dialer.phone.remote_hangup(call.call_id)
        dialer.wait(lambda: dialer.controller.wrapup is not None)
        dialer.wait(lambda: _said(dialer, NoticeKind.ATTEMPT_KEPT), 15)
        assert dialer.controller.save_wrapup(WrapupForm("sale", "kept notes")) is None
        dialer.wait(lambda: [e for e in dialer.desk_events if isinstance(e, WrapupFinished)], 15)
        [finished] = [e for e in dialer.desk_events if isinstance(e, WrapupFinished)]
        assert finished.saved is None  # kept: the agent is done with the call
        assert dialer.controller.wrapup is None
        assert dialer.controller.journal.pending >= 2
    finally:
        resume(own_pg)
    # The module's other test dialled the same numbers: read this campaign's entry by its id.
    dialer.wait(lambda: _entry(dialer, picked.id).status == "done", 30)
    dialer.wait(lambda: dialer.controller.journal.pending == 0, 15)
    entry = _entry(dialer, picked.id)
    assert (entry.attempts, entry.last_disposition) == (1, "sale")
    [attempt] = attempts_of(dialer.context, entry.id)
    assert (attempt.outcome, attempt.disposition_code) == ("answered", "sale")
    [row] = [c for c in calls_of(dialer.context) if c.id == attempt.call_id]
    assert row.notes == "kept notes" and row.disposition_id is not None


def _entry(dialer: Dialer, entry_id: uuid.UUID) -> CampaignEntry:
    with dialer.context.database.sessions() as session:
        row = session.get(CampaignEntry, entry_id)
        assert row is not None
        session.expunge(row)
        return row


def _said(dialer: Dialer, kind: NoticeKind) -> bool:
    return any(isinstance(e, DialerNotice) and e.notice.kind is kind for e in dialer.events)


def _phases(dialer: Dialer) -> list[DialerPhase]:
    return [e.view.phase for e in dialer.events if isinstance(e, DialerChanged)]
