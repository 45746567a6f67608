"""The bulk writer below the fills: rows come back as written, several to an INSERT or not."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.bulk import bulk_writer
from agentdesk.db.bulk_writers import ROWS_PER_INSERT
from agentdesk.dialer import commands
from agentdesk.dialer.campaigns import load_campaign
from agentdesk.dialer.models import CampaignZone

COLUMNS = ("campaign_id", "zone_key", "zones")


def test_rows_come_back_as_written(sessions: sessionmaker[Session]) -> None:
    commands.campaign_create(sessions, "Bulk")
    with sessions() as session:
        campaign_id = load_campaign(session, "Bulk").id
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    count = 3 * ROWS_PER_INSERT + 7  # whole INSERTs of several rows, and a rest
    with bulk_writer(engine) as writer:
        value = writer.uuid(campaign_id.int)
        rows = [(value, f"zone-{n:04d}", f"Zone/{n}") for n in range(count)]
        assert writer.write("dialer_campaign_zones", COLUMNS, iter(rows), expected=count) == count
    with sessions() as session:
        stored = session.execute(
            select(CampaignZone.zone_key, CampaignZone.zones).order_by(CampaignZone.zone_key)
        ).all()
    assert [tuple(r) for r in stored] == [(f"zone-{n:04d}", f"Zone/{n}") for n in range(count)]


def test_a_row_of_the_wrong_width_is_refused_and_nothing_is_written(
    sessions: sessionmaker[Session],
) -> None:
    commands.campaign_create(sessions, "Bulk")
    with sessions() as session:
        campaign_id = load_campaign(session, "Bulk").id
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    with bulk_writer(engine) as writer:
        value = writer.uuid(campaign_id.int)
        rows: list[tuple[str, ...]] = [
            (value, f"z{n}", "Zone/x") for n in range(2 * ROWS_PER_INSERT)
        ]
        # One short row and one long one: the value count is right, the rows are not.
        rows[10] = (value, "short")
        rows[20] = (value, "long", "Zone/x", "extra")
        with pytest.raises(Exception, match=r"3 values each|extra data|missing data"):
            writer.write("dialer_campaign_zones", COLUMNS, iter(rows), expected=len(rows))
    with sessions() as session:
        assert session.scalars(select(CampaignZone.zone_key)).all() == []
