"""Time per state from the presence state log, over a period (both engines)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.engine import unit_of_work
from agentdesk.org.models import User
from agentdesk.supervision.models import AgentStateLog
from agentdesk.supervision.state_times import state_times

T0 = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


def test_states_are_cut_at_the_period_and_summed_by_reason(
    sessions: sessionmaker[Session],
) -> None:
    with unit_of_work(sessions) as s:
        ada, bob = User(username="ada", display_name="Ada"), User(username="bob", display_name="B")
        s.add_all([ada, bob])
        s.flush()
        log = [  # (who, minutes after T0, state, reason)
            (ada, -30, "available", None),  # in effect when the period starts
            (ada, 10, "talking", None),
            (ada, 15, "wrap_up", None),
            (ada, 16, "not_ready", "Lunch"),
            (ada, 46, "available", None),
            (ada, 50, "not_ready", "Training"),
            (ada, 70, "logged_out", None),
            (bob, 20, "not_ready", None),
            (bob, 90, "available", None),  # after the period
        ]
        s.add_all(
            AgentStateLog(user_id=u.id, state=st, reason=r, at=T0 + timedelta(minutes=m))
            for u, m, st, r in log
        )
        ids = {"ada": ada.id, "bob": bob.id}
    with sessions() as s:
        times = state_times(s, T0, T0 + timedelta(hours=1))
        ongoing = state_times(s, T0, T0 + timedelta(hours=1), now=T0 + timedelta(minutes=48))
    a, b = times[ids["ada"]], times[ids["bob"]]
    assert a.seconds == pytest.approx(
        {"available": 14 * 60, "talking": 300, "wrap_up": 60, "not_ready": 40 * 60}
    )
    assert a.not_ready == pytest.approx({"Lunch": 30 * 60, "Training": 10 * 60})
    assert (b.not_ready_s, b.not_ready, b.available_s) == (40 * 60, {"": 40 * 60}, 0.0)
    # a period not over yet counts up to now
    assert ongoing[ids["ada"]].available_s == pytest.approx(12 * 60)
    assert ongoing[ids["ada"]].not_ready == pytest.approx({"Lunch": 30 * 60})
