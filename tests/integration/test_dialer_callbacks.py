"""The agent's campaign callbacks as the Callbacks tab lists them, on both engines."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.callbacks import CallbackState
from agentdesk.crm.models import Callback
from agentdesk.db.engine import unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.dialer import outcomes
from agentdesk.dialer.callbacks import agent_callbacks
from agentdesk.dialer.campaigns import create_campaign, set_active
from agentdesk.dialer.loader import EntrySpec, load_entries
from agentdesk.dialer.models import Campaign, CampaignEntry
from agentdesk.dialer.picking import reserve_entry
from agentdesk.org.models import User
from agentdesk.org.users import UnknownAgentError

# Monday 2026-11-23 17:00 UTC: 12:00 in New York, inside the default calling window.
NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


def _load(sessions: sessionmaker[Session], campaign: str, numbers: list[str]) -> list[uuid.UUID]:
    create_campaign(sessions, campaign)
    specs = [
        EntrySpec(n, n, first_name="Ada", last_name=f"Caller{i}", company=f"Co{i}")
        for i, n in enumerate(numbers)
    ]
    load_entries(sessions, campaign, specs, source="test", now=NOW - timedelta(days=1))
    ids: list[uuid.UUID] = []
    for number in numbers:
        with sessions() as s:
            ids.append(
                s.scalars(select(CampaignEntry.id).where(CampaignEntry.e164 == number)).one()
            )
    return ids


def _call_back(
    sessions: sessionmaker[Session], campaign: str, entry_id: uuid.UUID, agent: str, due: datetime
) -> None:
    """The real path: the agent picks and dials the entry, it answers, wrap-up sets a callback."""
    reserve_entry(sessions, campaign, agent, entry_id, now=NOW - timedelta(hours=1))
    outcomes.start_dialing(sessions, entry_id, agent, now=NOW - timedelta(hours=1))
    outcomes.record_attempt(sessions, entry_id, "answered", 200, agent=agent, now=NOW)
    outcomes.apply_disposition(
        sessions, entry_id, "callback", agent=agent, callback_at=due, now=NOW
    )


@pytest.fixture
def agents(sessions: sessionmaker[Session]) -> None:
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        s.add_all(
            [User(username="ada", display_name="Ada"), User(username="bob", display_name="Bob")]
        )


def test_lists_the_agents_campaign_callbacks(sessions: sessionmaker[Session], agents: None) -> None:
    winter = _load(sessions, "Winter", [f"+1212555{n:04d}" for n in range(101, 106)])
    (paused,) = _load(sessions, "Paused", ["+12125550201"])
    (gone,) = _load(sessions, "Gone", ["+12125550301"])
    _call_back(sessions, "Winter", winter[0], "ada", NOW + timedelta(hours=2))
    _call_back(sessions, "Winter", winter[1], "ada", NOW - timedelta(minutes=30))
    _call_back(sessions, "Winter", winter[2], "ada", NOW - timedelta(minutes=2))
    _call_back(sessions, "Winter", winter[3], "ada", NOW + timedelta(days=10))  # past the horizon
    _call_back(sessions, "Winter", winter[4], "bob", NOW - timedelta(minutes=30))
    _call_back(sessions, "Paused", paused, "ada", NOW + timedelta(days=1))
    _call_back(sessions, "Gone", gone, "ada", NOW - timedelta(hours=1))
    set_active(sessions, "Paused", False)
    with unit_of_work(sessions) as s:
        s.execute(update(Campaign).where(Campaign.name == "Gone").values(deleted_at=NOW))

    listed = agent_callbacks(sessions, "ada", now=NOW)

    assert [(cb.id, cb.campaign) for cb in listed] == [
        (winter[1], "Winter"),
        (winter[2], "Winter"),
        (winter[0], "Winter"),
        (paused, "Paused"),
    ]
    overdue, due, upcoming, held = listed
    # Overdue as CRM callbacks are: five minutes after the due time.
    assert (overdue.state, overdue.overdue, overdue.due) == (CallbackState.OVERDUE, True, True)
    assert (due.state, due.overdue, due.due) == (CallbackState.DUE, False, True)
    assert (upcoming.state, upcoming.overdue, upcoming.due) == (
        CallbackState.UPCOMING,
        False,
        False,
    )
    assert overdue.due_at == NOW - timedelta(minutes=30)
    assert (overdue.name, overdue.phone_e164) == ("Ada Caller1", "+12125550102")
    assert (overdue.attempts, overdue.last_disposition) == (1, "callback")
    assert overdue.campaign_active and not held.campaign_active
    assert [cb.id for cb in agent_callbacks(sessions, "bob", now=NOW)] == [winter[4]]
    longer = agent_callbacks(sessions, "ada", now=NOW, horizon=timedelta(days=30))
    assert winter[3] in {cb.id for cb in longer}
    # The dialer stays the owner: nothing was copied into the CRM callback list.
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Callback)) == 0


def test_a_dialled_callback_leaves_the_list(sessions: sessionmaker[Session], agents: None) -> None:
    (entry,) = _load(sessions, "Winter", ["+12125550101"])
    _call_back(sessions, "Winter", entry, "ada", NOW - timedelta(minutes=1))
    assert [cb.id for cb in agent_callbacks(sessions, "ada", now=NOW)] == [entry]
    reserve_entry(sessions, "Winter", "ada", entry, now=NOW)
    assert agent_callbacks(sessions, "ada", now=NOW) == ()


def test_unknown_agent(sessions: sessionmaker[Session], agents: None) -> None:
    with pytest.raises(UnknownAgentError):
        agent_callbacks(sessions, "nobody", now=NOW)
