"""The dialer through a database outage: it pauses by itself with the reason (reservations
live in the shared database) and resumes when the server is back, without the agent.

A PostgreSQL server of the test's own is stopped and started again (the shared session server
stays up for the other tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentdesk.app.dialer.views import DialerChanged, DialerNotice, DialerPhase
from tests.support.pg_outage import halt, resume
from tests.support.pg_server import PgServer
from tests.ui.dialer_support import make_campaign
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


def _phases(dialer: Dialer) -> list[DialerPhase]:
    return [e.view.phase for e in dialer.events if isinstance(e, DialerChanged)]
