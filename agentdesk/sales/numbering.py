"""Document numbers without gaps or duplicates: ``QT-2026-00001``, ``SO-2026-00001``.

``SELECT max(number) + 1`` hands out duplicates under concurrency. Here the number comes from
a counter row per kind and year, incremented by ``UPDATE ... RETURNING``: PostgreSQL locks the
row until the transaction ends (a concurrent taker waits, then reads the committed value);
SQLite's write lock, which the same statement takes, serialises whole transactions. A
transaction that fails after taking a number rolls the counter back with everything else,
so no number is skipped.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from agentdesk.db.base import table_of
from agentdesk.db.clock import database_now
from agentdesk.domain.clock import Zone, system_zone, zone_named
from agentdesk.sales.models import DocumentCounter

QUOTE = "QT"
ORDER = "SO"


def year_at(instant: datetime, zone: Zone) -> int:
    """The year ``instant`` falls in where the business is: 17:00 UTC on 31 December is
    already the next year in Shanghai."""
    return instant.astimezone(zone.tz).year


def document_year(session: Session, zone: str | None = None) -> int:
    """The year a document numbered now belongs to: the database's clock (one for every desk,
    whatever a desk's own clock says) in the business's zone (``zone``: the configured
    ``[sales] timezone``; none configured, the machine's)."""
    where = zone_named(zone) if zone else system_zone()
    return year_at(database_now(session), where)


def take_number(session: Session, kind: str, year: int) -> str:
    """The next number of ``kind`` in ``year``, taken in the session's transaction.

    Call it after the reads that check the request, just before the inserts: the counter is
    held from here to the commit (PostgreSQL's row lock, SQLite's write lock), so this keeps
    the time other creators wait short. On SQLite the reads before it run outside any
    transaction (pysqlite opens one at the first write), so a writer committing meanwhile
    cannot turn this write into a stale snapshot's (SQLITE_BUSY_SNAPSHOT).
    """
    counters = table_of(DocumentCounter)
    dialect = session.get_bind().dialect.name
    row = {"kind": kind, "year": year, "last": 0}
    if dialect == "postgresql":
        session.execute(postgresql.insert(counters).values(row).on_conflict_do_nothing())
    else:
        session.execute(sqlite.insert(counters).values(row).on_conflict_do_nothing())
    last = session.execute(
        update(counters)
        .where(counters.c.kind == kind, counters.c.year == year)
        .values(last=counters.c.last + 1)
        .returning(counters.c.last)
    ).scalar_one()
    return f"{kind}-{year}-{last:05d}"
