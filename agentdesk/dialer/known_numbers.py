"""Which numbers a campaign, or the DNC lists that bind it, already hold: a fill's duplicate
and do-not-call checks, read in bulk (a campaign or a DNC list may hold millions of numbers).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from agentdesk.dialer.dnc import listed_among, scope
from agentdesk.dialer.models import CampaignEntry, DncNumber

SCAN_THRESHOLD = 50_000
"""Above this many numbers, read the whole DNC scope / campaign once instead of IN queries."""


def campaign_numbers(
    session: Session, campaign_id: uuid.UUID, numbers: set[str] | None
) -> set[str]:
    """Which of ``numbers`` the campaign has (``None``: all of its numbers)."""
    live = and_(CampaignEntry.campaign_id == campaign_id, CampaignEntry.deleted_at.is_(None))
    if numbers is None:
        return _every_value(session, select(CampaignEntry.e164).where(live))
    if len(numbers) > SCAN_THRESHOLD:
        return set(session.scalars(select(CampaignEntry.e164).where(live))) & numbers
    found: set[str] = set()
    ordered = sorted(numbers)
    for start in range(0, len(ordered), 900):
        chunk = ordered[start : start + 900]
        found.update(
            session.scalars(select(CampaignEntry.e164).where(live, CampaignEntry.e164.in_(chunk)))
        )
    return found


def listed_numbers(session: Session, campaign_id: uuid.UUID, numbers: set[str] | None) -> set[str]:
    """Which of ``numbers`` are on a DNC list of the campaign (``None``: all listed numbers)."""
    if numbers is None or len(numbers) > SCAN_THRESHOLD:
        listed = _every_value(session, select(DncNumber.e164).where(scope(campaign_id)))
        return listed if numbers is None else listed & numbers
    return listed_among(session, numbers, campaign_id)


def _every_value(session: Session, query: Select[str]) -> set[str]:
    """The values of a one-column query, read with the driver's own cursor.

    A DNC list or a campaign may hold millions of numbers, and SQLAlchemy's result rows cost
    a few microseconds each (seconds in all). The queries' only parameters are UUIDs, which
    render safely as literals.
    """
    connection = session.connection()
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    driver: Any = connection.connection.driver_connection
    cursor = driver.cursor()
    try:
        cursor.execute(sql)
        return {value for (value,) in cursor.fetchall()}
    finally:
        cursor.close()
