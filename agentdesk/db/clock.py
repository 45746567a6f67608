"""The database's clock: one clock for every desk, so a desk whose own clock is off cannot date
a document into another day or year than its colleagues'."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session


def database_now(session: Session) -> datetime:
    """Now by the database server (PostgreSQL's transaction time; SQLite's is the machine the
    file is on), aware UTC."""
    if session.get_bind().dialect.name == "postgresql":
        value: datetime = session.execute(select(func.now())).scalar_one()
        return value.astimezone(UTC)
    text = session.execute(select(func.strftime("%Y-%m-%d %H:%M:%f", "now"))).scalar_one()
    return datetime.fromisoformat(str(text)).replace(tzinfo=UTC)
