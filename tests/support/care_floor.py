"""A service team on a frozen week for the escalation tests: the Care team (care.boss, its lead
as its first supervisor by name; care.lead, a supervisor who runs the pass; care.ann, an
agent), Monday to Friday 09:00-18:00 in Shanghai, and one contact to open cases for."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Contact
from agentdesk.db.engine import unit_of_work
from agentdesk.org.admin import add_team, add_user
from agentdesk.service.calendar import import_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
ZONE = "UTC"
CALENDAR = 'timezone = "Asia/Shanghai"\n' + "".join(
    f'{d} = "09:00-18:00"\n' for d in ("mon", "tue", "wed", "thu", "fri")
)
OPENED = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
NEARLY = datetime(2026, 12, 7, 9, 50, tzinfo=SHANGHAI)  # 50 of an urgent case's 60 minutes


def care_floor(sessions: sessionmaker[Session]) -> uuid.UUID:
    """The team, its calendar and the contact's id."""
    add_team(sessions, "Care")
    # the team's lead is its first supervisor by name: care.boss; care.lead only escalates
    add_user(sessions, "care.lead", name="Lead", role="supervisor", team="Care")
    add_user(sessions, "care.boss", name="Boss", role="supervisor", team="Care")
    add_user(sessions, "care.ann", name="Ann", role="service_agent", team="Care")
    import_calendar(sessions, CALENDAR)
    with unit_of_work(sessions) as s:
        contact = Contact(first_name="Li", last_name="Wei")
        s.add(contact)
        s.flush()
        return contact.id
