"""The first start on a new machine: the desk's own user has a day under way, and the name the
scripts say is the one in the settings (issue 14)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from agentdesk.app.desktop import DEMO_CAMPAIGN, start_desktop
from agentdesk.calls.callbacks import CallbackState
from agentdesk.config.settings import AgentSettings
from agentdesk.dialer.selection import next_entry
from agentdesk.org.users import find_user
from tests.support.fake_softphone import FakeSoftphone
from tests.ui.desk_support import make_settings


def test_the_first_user_has_callbacks_due_and_recent_calls(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    context = start_desktop(None, settings, phone_factory=FakeSoftphone)
    try:
        assert context.first_run
        callbacks = context.services.callbacks.for_agent(context.agent)
        mine = [c for c in callbacks if c.agent_username == context.agent]
        states = {c.state for c in mine}
        assert CallbackState.OVERDUE in states and CallbackState.UPCOMING in states
        assert sum(c.state is CallbackState.OVERDUE for c in mine) >= 2
        recent = context.services.calls.recent_calls(context.agent)
        assert len(recent) >= 8
        assert {c.direction for c in recent} == {"inbound", "outbound"}
        assert all(c.party_name for c in recent)  # every call is with a known person
    finally:
        context.close()


def test_scripts_say_the_display_name_from_the_settings(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    context = start_desktop(None, settings, phone_factory=FakeSoftphone)
    context.close()
    # The agent sets their name in Settings; the next start makes it the user's name.
    named = replace(settings, agent=AgentSettings(username="alice", display_name="Wang Fang"))
    context = start_desktop(None, named, phone_factory=FakeSoftphone)
    try:
        # 14:00 UTC next week (the entries are eligible by then): inside the calling window
        # of the European demo numbers.
        day = datetime.now(UTC).date() + timedelta(days=7)
        at = datetime.combine(day, time(14, 0), tzinfo=UTC)
        sessions = context.database.sessions
        offered = next_entry(sessions, DEMO_CAMPAIGN, "alice", now=at, dry_run=True)
        assert offered.entry is not None and offered.entry.script is not None
        assert "this is Wang Fang from AgentDesk" in offered.entry.script
        with sessions() as session:
            assert find_user(session, "alice").display_name == "Wang Fang"
    finally:
        context.close()
