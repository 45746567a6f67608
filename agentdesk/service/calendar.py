"""The service desk's business hours: stored in ``service_calendars``, replaced by an import
of a TOML file, and Monday to Friday 09:00-18:00 in the configured zone until then."""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Capability
from agentdesk.domain.business_time import (
    WEEKDAY_KEYS,
    Calendar,
    CalendarError,
    office_calendar,
    parse_hours,
)
from agentdesk.domain.clock import system_zone, zone_named
from agentdesk.org.access import access_for
from agentdesk.org.identity import current_login
from agentdesk.org.users import AgentRef, user_by_ref
from agentdesk.service.models import BusinessCalendar

NAME = "default"


class CalendarFileError(RequestError):
    """A business-hours file that cannot be used; the message says what to change."""


def default_zone(configured: str | None = None) -> str:
    """The zone of the office hours until a calendar is imported: ``configured`` (``[service]
    timezone``; ``ValueError`` when it is no zone), else the machine's IANA zone, else UTC (a
    machine known only by its offset)."""
    if configured:
        zone_named(configured)
        return configured
    with contextlib.suppress(ValueError):
        return zone_named(system_zone().name).name
    return "UTC"


def parse_calendar(text: str) -> Calendar:
    """A calendar from TOML: ``timezone``, ``mon = "09:00-18:00"``... (a day left out is
    closed) and ``holidays`` (ISO dates)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarFileError(f"not a TOML file: {exc}") from None
    unknown = set(doc) - {"timezone", "holidays", *WEEKDAY_KEYS}
    if unknown:
        raise CalendarFileError(f"unknown keys: {', '.join(sorted(unknown))}")
    zone = doc.get("timezone")
    if not isinstance(zone, str):
        raise CalendarFileError('timezone is missing: write e.g. timezone = "Asia/Shanghai"')
    holidays = doc.get("holidays", [])
    if not isinstance(holidays, list):
        raise CalendarFileError("holidays must be a list of dates")
    try:
        hours = {
            day: parse_hours(_text(doc[key], key))
            for day, key in enumerate(WEEKDAY_KEYS)
            if key in doc
        }
        days = frozenset(_date(value) for value in holidays)
        return Calendar(zone, hours, days)
    except CalendarError as exc:
        raise CalendarFileError(str(exc)) from None


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise CalendarError(f'{key} must be a string such as "09:00-18:00"')
    return value


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CalendarError(f"holiday {value!r} is not an ISO date (2026-10-01)") from None


def _stored(calendar: Calendar) -> dict[str, Any]:
    return {
        "zone": calendar.zone,
        "hours": {
            WEEKDAY_KEYS[day]: f"{start:%H:%M}-{end:%H:%M}"
            for day, (start, end) in sorted(calendar.hours.items())
        },
        "holidays": {"dates": sorted(d.isoformat() for d in calendar.holidays)},
    }


def _loaded(row: BusinessCalendar) -> Calendar:
    hours: Mapping[str, str] = row.hours
    return Calendar(
        row.zone,
        {WEEKDAY_KEYS.index(key): parse_hours(value) for key, value in hours.items()},
        frozenset(date.fromisoformat(d) for d in row.holidays.get("dates", [])),
    )


def load_calendar(session: Session, default_zone: str) -> Calendar:
    """The imported calendar, else the office hours in ``default_zone``."""
    row = session.get(BusinessCalendar, NAME)
    return _loaded(row) if row is not None else office_calendar(default_zone)


def import_calendar(
    sessions: sessionmaker[Session], text: str, agent: AgentRef | None = None
) -> Calendar:
    """Replace the calendar (configuration: needs ``manage_users`` unless the owner acts)."""
    calendar = parse_calendar(text)
    with unit_of_work(sessions) as session:
        login = current_login(session)
        who = login.username if login.username is not None else agent
        if who is not None and not (login.is_owner and user_by_ref(session, who) is None):
            access_for(session, who).require(Capability.MANAGE_USERS)
        session.execute(delete(BusinessCalendar))
        session.add(BusinessCalendar(name=NAME, **_stored(calendar)))
    return calendar


def calendar_json(calendar: Calendar) -> dict[str, Any]:
    stored = _stored(calendar)
    return {
        "timezone": stored["zone"],
        "hours": stored["hours"],
        "holidays": stored["holidays"]["dates"],
    }
