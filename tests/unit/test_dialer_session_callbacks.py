"""The dialer session dialling a campaign callback picked in the Callbacks tab (both engines)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from agentdesk.dialer import outcomes
from agentdesk.dialer.picking import reserve_entry
from agentdesk.domain.clock import utcnow
from tests.ui.dialer_support import Loaded, attempts_of, callbacks_of, entry_row, make_campaign
from tests.unit.test_dialer_session import Dialer, DialerPhase


@pytest.fixture
def dialer(tmp_path: Path, db_url: str) -> Iterator[Dialer]:
    d = Dialer(tmp_path, db_url, preview_seconds=60)
    yield d
    d.close()


def _make_callback(dialer: Dialer, loaded: Loaded, phone: str) -> None:
    sessions = dialer.context.database.sessions
    entry = entry_row(dialer.context, phone).id
    reserve_entry(sessions, loaded.name, "alice", entry)
    outcomes.start_dialing(sessions, entry, "alice")
    outcomes.record_attempt(sessions, entry, "answered", 200, agent="alice")
    due = utcnow() - timedelta(minutes=1)
    outcomes.apply_disposition(sessions, entry, "callback", agent="alice", callback_at=due)


def test_a_running_dialer_is_paused_for_the_callback_and_stays_paused(dialer: Dialer) -> None:
    spring = make_campaign(dialer.context)
    autumn = make_campaign(
        dialer.context, name="Autumn", people=[("Joan", "Clarke", "+12025550201", "Hut 8")]
    )
    _make_callback(dialer, autumn, autumn.phones[0])
    [callback] = dialer.context.executor.submit(dialer.session.callbacks).result(10)
    assert (callback.campaign, callback.name, callback.due) == ("Autumn", "Joan Clarke", True)
    dialer.start(spring.name)
    dialer.wait(lambda: dialer.session.view.phase is DialerPhase.OFFERED)
    refusals: list[tuple[str, str]] = []

    def refused(reason: str, message: str) -> None:
        refusals.append((reason, message))

    assert dialer.session.dial_callback(callback, refused) is None
    # A second click while the pick is judged does not reserve it twice.
    assert dialer.session.dial_callback(callback, refused) == "the dialer is already calling"
    call = dialer.wait_dialled()
    assert call.remote == autumn.phones[0]
    # The offered Spring entry went back to the pool; the dialer stopped, showing Spring still.
    view = dialer.session.view
    assert view.phase is DialerPhase.STOPPED and view.entry is None
    assert view.campaign is not None and view.campaign.name == "Spring"
    # given back by background work the pick started: waited for, not assumed done
    dialer.wait(lambda: entry_row(dialer.context, spring.phones[0]).status == "new")
    assert dialer.session.dial_callback(callback, refused) == "the dialer is already calling"

    dialer.phone.remote_hangup(call.call_id)  # not answered: the retry rules decide
    dialer.wait(lambda: len(attempts_of(dialer.context, callback.id)) == 2)
    dialer.settle()
    row = entry_row(dialer.context, autumn.phones[0])
    # A retry of the callback: still alice's, but no longer a callback the tab lists.
    assert (row.status, row.assigned_agent_id) == ("new", dialer.context.agent_id)
    assert row.next_eligible_at > utcnow()
    last = dialer.session.view.last_result
    assert last is not None and (last.name, last.status) == ("Joan Clarke", "new")
    assert dialer.context.executor.submit(dialer.session.callbacks).result(10) == ()
    # Spring's counts are not Autumn's; nothing was dialled after the call; no CRM callback.
    progress = dialer.session.view.progress
    assert progress is not None and progress.dialed == 0
    assert dialer.session.view.phase is DialerPhase.STOPPED
    assert len(dialer.outbound()) == 1 and callbacks_of(dialer.context) == []
    assert refusals == []

    # A stale pick (the tab not read again yet): the dialer's rules refuse it, with the reason.
    assert dialer.session.dial_callback(callback, refused) is None
    dialer.wait(lambda: bool(refusals))
    assert refusals == [("retry_wait", "the entry cannot be dialled: its next try is not due yet")]
