"""How many records the database holds, for the desk's start screen."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Call, Contact, Lead


@dataclass(frozen=True)
class RecordCounts:
    """Rows of each kind, deleted ones included (the start screen's counts)."""

    contacts: int
    accounts: int
    leads: int
    calls: int


def record_counts(sessions: sessionmaker[Session]) -> RecordCounts:
    """Count contacts, accounts, leads and calls (one read transaction)."""
    with sessions() as session:

        def count(model: type) -> int:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)

        return RecordCounts(count(Contact), count(Account), count(Lead), count(Call))
