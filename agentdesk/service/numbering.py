"""Case numbers: ``CS-2026-00001``, per year of the case's opening in the service's zone (its
calendar's, ``cases._local_year``), without gaps or duplicates.

The counter row of the year is incremented in the transaction that inserts the case: a case
rolled back gives its number back, and a concurrent creator waits on the row (PostgreSQL's
row lock, SQLite's single writer) and then takes the next one. Call :func:`next_number` as the
transaction's first write: on SQLite a transaction that read first and then writes cannot wait
for another writer and fails at once (WAL's busy snapshot).
"""

from __future__ import annotations

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.orm import Session

from agentdesk.crm.models import ServiceCase
from agentdesk.db.base import table_of
from agentdesk.service.models import CaseCounter

PREFIX = "CS"

_ENSURE = text(
    "INSERT INTO service_case_counters (year, last) VALUES (:year, 0) ON CONFLICT (year) DO NOTHING"
)
_TAKE = text("UPDATE service_case_counters SET last = last + 1 WHERE year = :year RETURNING last")


def case_number(year: int, seq: int) -> str:
    return f"{PREFIX}-{year}-{seq:05d}"


def next_number(session: Session, year: int) -> str:
    """The next number of ``year``, taken in the session's transaction."""
    session.execute(_ENSURE, {"year": year})
    seq = session.execute(_TAKE, {"year": year}).scalar_one()
    return case_number(year, seq)


def number_unnumbered(session: Session) -> int:
    """Give the cases that have no number yet (bulk-written demo data) theirs, in order of
    creation within each year after the year's last number; returns how many."""
    rows = session.execute(
        select(ServiceCase.id, ServiceCase.created_at)
        .where(ServiceCase.number.is_(None))
        .order_by(ServiceCase.created_at, ServiceCase.id)
    ).all()
    if not rows:
        return 0
    last: dict[int, int] = {
        y: n for y, n in session.execute(select(CaseCounter.year, CaseCounter.last))
    }
    changes = []
    for case_id, created in rows:
        year = created.year
        last[year] = last.get(year, 0) + 1
        changes.append({"case_id": case_id, "n": case_number(year, last[year]), "at": created})
    table = table_of(ServiceCase)
    session.execute(
        update(table)
        .where(table.c.id == bindparam("case_id"))
        .values(number=bindparam("n"), opened_at=bindparam("at")),
        changes,
    )
    for year, seq in last.items():
        session.execute(_ENSURE, {"year": year})
        session.execute(update(CaseCounter).where(CaseCounter.year == year).values(last=seq))
    return len(changes)
