"""Builders for the dialer session's unit and UI tests: a campaign of known contacts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from agentdesk.app.desktop import DesktopContext, start_desktop
from agentdesk.crm.models import Call, Callback
from agentdesk.crm.party_details import PartyRef
from agentdesk.db.audit import AuditEntry
from agentdesk.dialer.campaigns import create_campaign
from agentdesk.dialer.loader import EntrySpec, load_entries
from agentdesk.dialer.models import Attempt, CampaignEntry
from agentdesk.telephony.port import SipConfig
from tests.support.fake_softphone import FakeSoftphone
from tests.ui.desk_support import add_party, make_settings

SCRIPT = "Hello {first_name}, {agent_name} here about {company}."
PEOPLE = (
    ("Ada", "Lovelace", "+12025550101", "Engines Ltd"),
    ("Grace", "Hopper", "+12025550102", "Navy Labs"),
    ("Alan", "Turing", "+12025550103", "Bletchley"),
)


@dataclass(frozen=True)
class Loaded:
    name: str
    parties: tuple[PartyRef, ...]
    phones: tuple[str, ...]


def make_campaign(
    context: DesktopContext,
    *,
    name: str = "Spring",
    mode: str = "preview",
    window: str = "00:00-24:00",
    people: Sequence[tuple[str, str, str, str]] = PEOPLE,
    agents: Sequence[str] = ("alice",),
) -> Loaded:
    """A campaign over new contacts (New York time), assigned to ``agents``."""
    sessions = context.database.sessions
    create_campaign(sessions, name, mode=mode, window=window, script=SCRIPT, agents=agents)
    parties = []
    specs = []
    for first, last, phone, company in people:
        ref = add_party(context, first, last, phone, company=company)
        parties.append(ref)
        specs.append(
            EntrySpec(
                phone,
                phone,
                "America/New_York",
                first,
                last,
                company,
                "Washington",
                "US",
                contact_id=ref.id,
            )
        )
    load_entries(sessions, name, specs, source="test")
    return Loaded(name, tuple(parties), tuple(p[2] for p in people))


def make_desk_on(
    db_url: str, tmp_path: Path, sip: dict[str, Any] | None = None
) -> tuple[DesktopContext, list[FakeSoftphone]]:
    """A desk with the fake phone on an existing migrated, empty database (the ``engine``
    fixture's: SQLite or PostgreSQL), so dialer session tests run on both."""
    settings = replace(make_settings(tmp_path, sip), database_url=db_url)
    phones: list[FakeSoftphone] = []

    def factory(config: SipConfig) -> FakeSoftphone:
        phones.append(FakeSoftphone(replace(config, recordings_dir=tmp_path / "rec")))
        return phones[-1]

    return start_desktop(None, settings, phone_factory=factory), phones


def calls_of(context: DesktopContext) -> list[Call]:
    with context.database.sessions() as session:
        rows = session.scalars(select(Call).order_by(Call.started_at)).all()
        session.expunge_all()
        return list(rows)


def callbacks_of(context: DesktopContext) -> list[Callback]:
    with context.database.sessions() as session:
        rows = session.scalars(select(Callback)).all()
        session.expunge_all()
        return list(rows)


def entry_row(context: DesktopContext, phone: str) -> CampaignEntry:
    with context.database.sessions() as session:
        row = session.scalar(select(CampaignEntry).where(CampaignEntry.e164 == phone))
        assert row is not None
        session.expunge(row)
        return row


def attempts_of(context: DesktopContext, entry_id: uuid.UUID) -> list[Attempt]:
    with context.database.sessions() as session:
        rows = session.scalars(
            select(Attempt).where(Attempt.entry_id == entry_id).order_by(Attempt.started_at)
        ).all()
        session.expunge_all()
        return list(rows)


def audits_of(context: DesktopContext, entity_id: uuid.UUID) -> list[AuditEntry]:
    with context.database.sessions() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == entity_id)).all()
        session.expunge_all()
        return list(rows)
