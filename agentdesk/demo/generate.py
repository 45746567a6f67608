"""Realistic, deterministic demo data at any scale (a few rows for tests, millions for benchmarks).

``generate`` adds staff and a team (when absent), the default dispositions (when the table is
empty), then accounts, contacts, leads, phone numbers in several countries and human formats,
opportunities, cases, calls with wrap-ups and callbacks. The same seed on the same starting
database gives the same rows, ids included (pass ``now`` to pin the clock; only the staff rows,
made through the ORM, get fresh ids); a later run on a database that already holds demo data
draws from a different stream, so ids and numbers do not collide.

Rows go in through :mod:`agentdesk.db.bulk` (executemany on SQLite, COPY on PostgreSQL),
which is what makes a million contacts a matter of minutes instead of hours.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from agentdesk.crm.models import Contact, Disposition
from agentdesk.db.bulk import BulkWriter, bulk_writer
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.demo.activity import (
    CALL_COLUMNS,
    CALLBACK_COLUMNS,
    CASE_COLUMNS,
    OPPORTUNITY_COLUMNS,
    call_rows,
    callback_rows,
    case_rows,
    opportunity_rows,
)
from agentdesk.demo.parties import (
    ACCOUNT_COLUMNS,
    CONTACT_COLUMNS,
    LEAD_COLUMNS,
    PHONE_COLUMNS,
    PartyRows,
)
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.enums import Role
from agentdesk.org.models import Team, User
from agentdesk.sales.stages import Stage, read_stages
from agentdesk.service.numbering import number_unnumbered

DEMO_TEAM = "Demo team"
DEMO_AGENTS = 20


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """How many rows one :func:`generate` call added, and how long it took."""

    users: int
    accounts: int
    contacts: int
    leads: int
    phone_numbers: int
    opportunities: int
    cases: int
    calls: int
    callbacks: int
    dispositions: int
    seconds: float


def generate(
    engine: Engine,
    contacts: int,
    *,
    seed: int = 1,
    calls_per_contact: float = 1.0,
    now: datetime | None = None,
) -> DemoSummary:
    """Add ``contacts`` demo contacts with everything around them to a migrated database."""
    if contacts < 1:
        raise ValueError("contacts must be at least 1")
    started = time.perf_counter()
    clock = (now or datetime.now(UTC)).astimezone(UTC)
    with unit_of_work(session_factory(engine)) as session:
        dispositions_added = ensure_default_dispositions(session)
        users_added, agents = _ensure_staff(session)
        codes = {code: ident for code, ident in session.execute(_DISPOSITION_IDS)}
        existing = session.scalar(select(func.count()).select_from(Contact)) or 0
        stages = tuple(stage for stage in read_stages(session) if stage.active)
    parties = PartyRows(seed, existing, clock, agents, codes)
    with bulk_writer(engine) as writer:
        counts = _write_all(parties, writer, contacts, calls_per_contact, stages)
        writer.analyze()
    with unit_of_work(session_factory(engine)) as session:
        number_unnumbered(session)
    return DemoSummary(
        users=users_added,
        dispositions=dispositions_added,
        seconds=time.perf_counter() - started,
        **counts,
    )


_DISPOSITION_IDS = select(Disposition.code, Disposition.id)


def _ensure_staff(session: Session) -> tuple[int, list[uuid.UUID]]:
    """The demo team, agents, a supervisor and an admin; returns (added, agent ids)."""
    team = session.scalar(select(Team).where(Team.name == DEMO_TEAM))
    if team is None:
        team = Team(name=DEMO_TEAM)
        session.add(team)
        session.flush()
    wanted = [
        (f"demo.agent{i:02d}", f"Demo Agent {i:02d}", Role.AGENT) for i in range(1, DEMO_AGENTS + 1)
    ]
    wanted += [("demo.supervisor", "Demo Supervisor", Role.SUPERVISOR)]
    wanted += [("demo.admin", "Demo Admin", Role.ADMIN)]
    have = set(session.scalars(select(User.username).where(User.username.like("demo.%"))))
    added = 0
    for index, (username, display, role) in enumerate(wanted):
        if username in have:
            continue
        session.add(
            User(
                username=username,
                display_name=display,
                role=role,
                team_id=team.id,
                email=f"{username}@agentdesk.example",
                sip_extension=str(1000 + index),
            )
        )
        added += 1
    session.flush()
    agents = list(
        session.scalars(
            select(User.id).where(User.role == Role.AGENT, User.active.is_(True)).order_by(User.id)
        )
    )
    return added, agents


def _write_all(
    parties: PartyRows,
    w: BulkWriter,
    contacts: int,
    calls_per_contact: float,
    stages: Sequence[Stage],
) -> dict[str, int]:
    """Every pass in order (each reads what the earlier ones made); rows written per table."""
    n_accounts = max(1, contacts // 5)
    n_leads = max(1, contacts // 10)
    counts: dict[str, int] = {}
    counts["accounts"] = w.write(
        "accounts", ACCOUNT_COLUMNS, parties.account_rows(w, n_accounts), expected=n_accounts
    )
    counts["contacts"] = w.write(
        "contacts", CONTACT_COLUMNS, parties.contact_rows(w, contacts), expected=contacts
    )
    counts["leads"] = w.write(
        "leads", LEAD_COLUMNS, parties.lead_rows(w, n_leads), expected=n_leads
    )
    counts["phone_numbers"] = w.write(
        "phone_numbers", PHONE_COLUMNS, parties.phone_rows(w), expected=int(contacts * 1.8)
    )
    n_opps = max(1, int(n_accounts * 1.5))
    counts["opportunities"] = w.write(
        "opportunities",
        OPPORTUNITY_COLUMNS,
        opportunity_rows(parties, w, n_opps, stages),
        expected=n_opps,
    )
    n_cases = max(1, int(contacts * 0.3))
    counts["cases"] = w.write(
        "service_cases", CASE_COLUMNS, case_rows(parties, w, n_cases), expected=n_cases
    )
    n_calls = round(contacts * calls_per_contact)
    n_lead_calls = round(n_leads * calls_per_contact * 0.5)
    counts["calls"] = w.write(
        "calls",
        CALL_COLUMNS,
        call_rows(parties, w, n_calls, n_lead_calls),
        expected=n_calls + n_lead_calls,
    )
    n_callbacks = max(1, int(contacts * 0.05))
    counts["callbacks"] = w.write(
        "callbacks", CALLBACK_COLUMNS, callback_rows(parties, w, n_callbacks), expected=n_callbacks
    )
    return counts
