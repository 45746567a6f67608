"""A phone that cannot place calls must not burn the call list (issue 14).

The dialer does not start when the phone has no route for numbers (direct mode without an
outbound proxy, register mode not registered), and says which setting to change; a call the
phone refuses to place never counts as an attempt. The session tests run on SQLite and
PostgreSQL (the ``engine`` fixture's ``db_url``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from agentdesk.app.dialer.views import DialerNotice, DialerPhase
from agentdesk.dialer.outcomes import record_attempt, return_undialled, start_dialing
from agentdesk.dialer.rules import Outcome
from agentdesk.dialer.selection import next_entry
from agentdesk.domain.clock import utcnow
from agentdesk.telephony.port import NO_ROUTE_REASONS, NoRoute, SipConfig, number_route
from tests.ui.dialer_support import PEOPLE, attempts_of, entry_row, make_campaign
from tests.unit.test_dialer_session import Dialer

DIRECT = {"mode": "direct", "port": 5099}
REGISTER = {"mode": "register", "registrar": "pbx.test:5070", "username": "1001"}


@pytest.fixture
def open_dialer(tmp_path: Path, db_url: str) -> Iterator[Any]:
    built: list[Dialer] = []

    def make(sip: dict[str, Any], **session: Any) -> Dialer:
        built.append(Dialer(tmp_path, db_url, sip, **session))
        return built[-1]

    yield make
    for dialer in built:
        dialer.close()


def _choose(dialer: Dialer, name: str) -> None:
    campaigns = dialer.context.executor.submit(dialer.session.campaigns).result(10)
    dialer.session.select_campaign(next(c for c in campaigns if c.name == name))


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (SipConfig(), NoRoute.NO_PROXY),
        (SipConfig(outbound_proxy="pbx:5060"), None),
        (SipConfig(mode="register"), NoRoute.NO_REGISTRAR),
        (SipConfig(mode="register", registrar="pbx"), None),
        (SipConfig(mode="register", outbound_proxy="edge"), None),
    ],
)
def test_a_phone_has_a_route_for_numbers_with_a_proxy_or_a_registrar(
    config: SipConfig, expected: NoRoute | None
) -> None:
    assert number_route(config) is expected


def test_the_dialer_does_not_start_without_an_outbound_proxy(open_dialer: Any) -> None:
    dialer = open_dialer(DIRECT)
    loaded = make_campaign(dialer.context, mode="progressive")
    _choose(dialer, loaded.name)
    why = dialer.session.start()
    assert why == NO_ROUTE_REASONS[NoRoute.NO_PROXY]
    assert "outbound_proxy" in why and "Settings > SIP account > Outbound proxy" in why
    dialer.drain()
    assert dialer.session.view.phase is DialerPhase.STOPPED
    assert dialer.outbound() == []
    for phone in loaded.phones:
        row = entry_row(dialer.context, phone)
        assert (row.status, row.attempts) == ("new", 0)


def test_the_dialer_does_not_start_until_the_phone_is_registered(open_dialer: Any) -> None:
    dialer = open_dialer(REGISTER)
    dialer.wait(lambda: dialer.controller.registration.state == "registered")
    dialer.phone.lose_registration()
    dialer.wait(lambda: dialer.controller.registration.state == "failed")
    loaded = make_campaign(dialer.context, mode="progressive")
    _choose(dialer, loaded.name)
    assert dialer.session.start() == NO_ROUTE_REASONS[NoRoute.NOT_REGISTERED]
    dialer.drain()
    assert dialer.session.view.phase is DialerPhase.STOPPED and dialer.outbound() == []


def test_a_call_the_phone_refuses_is_not_an_attempt_and_stops_the_dialer(
    open_dialer: Any,
) -> None:
    dialer = open_dialer(REGISTER, preview_seconds=60)
    dialer.wait(lambda: dialer.controller.registration.state == "registered")
    loaded = make_campaign(dialer.context, people=PEOPLE[:2])
    _choose(dialer, loaded.name)
    assert dialer.session.start() is None
    dialer.wait(lambda: dialer.session.view.phase is DialerPhase.OFFERED)
    offered = dialer.session.view.entry
    assert offered is not None
    dialer.phone.lose_registration()  # the registrar stopped answering meanwhile
    dialer.wait(lambda: dialer.controller.registration.state == "failed")

    assert dialer.session.dial_now() is None  # the phone refuses: "no account"
    dialer.wait(lambda: dialer.session.view.phase is DialerPhase.STOPPED)
    dialer.drain()
    assert dialer.outbound() == [] and dialer.session.view.entry is None
    for phone in loaded.phones:  # the list is as it was: nothing used up, nothing reserved
        row = entry_row(dialer.context, phone)
        assert (row.status, row.attempts, row.last_outcome) == ("new", 0, None)
        assert attempts_of(dialer.context, row.id) == []
    stopped = [e.message for e in dialer.events if isinstance(e, DialerNotice) and e.error]
    assert any(m.startswith("the dialer stopped") and "register first" in m for m in stopped)
    # The offered entry is back in the pool at once, for anyone.
    row = entry_row(dialer.context, offered.phone)
    assert row.reserved_by_id is None and row.next_eligible_at <= utcnow()


def test_an_undialled_entry_goes_back_with_the_attempts_it_had(open_dialer: Any) -> None:
    dialer = open_dialer(DIRECT)
    loaded = make_campaign(dialer.context, people=PEOPLE[:1])
    sessions = dialer.context.database.sessions
    now = utcnow()
    found = next_entry(sessions, loaded.name, "alice", now=now)
    assert found.entry is not None
    entry_id = found.entry.id
    start_dialing(sessions, entry_id, "alice", now=now)
    record_attempt(sessions, entry_id, Outcome.NO_ANSWER, 480, agent="alice", now=now)
    later = now + timedelta(hours=3)  # its retry is due
    assert next_entry(sessions, loaded.name, "alice", now=later).entry is not None
    start_dialing(sessions, entry_id, "alice", now=later)
    state = return_undialled(sessions, entry_id, "alice", now=later)
    assert (state.status, state.attempts, state.last_outcome) == ("new", 1, "no_answer")
    row = entry_row(dialer.context, loaded.phones[0])
    assert (row.reserved_by_id, row.reserved_until) == (None, None)
    assert len(attempts_of(dialer.context, entry_id)) == 1
