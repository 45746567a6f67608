"""Dialer tables: campaigns, their entries and attempts, do-not-call numbers.

They share ``agentdesk.db.base.Base`` (one metadata, one migration history). Statuses and
outcomes are portable VARCHARs (see ``db.base.str_enum``), their values in
:mod:`agentdesk.dialer.rules`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agentdesk.db.base import Base, JsonType, SharedRecord, UuidPk
from agentdesk.domain.clock import utcnow


class Campaign(SharedRecord, Base):
    """A call list: dialing mode, calling window (callee local time), retry rules, script."""

    __tablename__ = "dialer_campaigns"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    mode: Mapped[str] = mapped_column(String(20), default="preview")
    # Minutes after local midnight, end exclusive; 1440 is the end of the day.
    window_start_minute: Mapped[int] = mapped_column(default=8 * 60)
    window_end_minute: Mapped[int] = mapped_column(default=21 * 60)
    weekdays: Mapped[list[int]] = mapped_column(JsonType, default=lambda: list(range(7)))
    max_attempts: Mapped[int] = mapped_column(default=5)
    retry_rules: Mapped[dict[str, Any]] = mapped_column(default=dict)
    script: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    reservation_minutes: Mapped[int] = mapped_column(default=5)
    source_query: Mapped[dict[str, Any] | None]


class CampaignAssignment(UuidPk, Base):
    """An agent or a team allowed to work a campaign (none at all: everyone may)."""

    __tablename__ = "dialer_campaign_assignments"
    __table_args__ = (UniqueConstraint("campaign_id", "user_id", "team_id"),)

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dialer_campaigns.id"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"))


class CampaignZone(Base):
    """A zone group used by a campaign's entries (see ``rules.zone_key``).

    Selection evaluates the calling window once per group and filters entries by key, so it
    needs the groups of a campaign without a DISTINCT over its entries.
    """

    __tablename__ = "dialer_campaign_zones"

    campaign_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("dialer_campaigns.id"), primary_key=True
    )
    zone_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    zones: Mapped[str] = mapped_column(Text)
    """Space-separated IANA zone names."""


class CampaignEntry(SharedRecord, Base):
    """One number to call in a campaign, with where it came from and where it stands."""

    __tablename__ = "dialer_entries"
    __table_args__ = (
        # The hot query: pool entries of one zone group, earliest eligible first. deleted_at
        # makes it covering for the "why nothing is dialable" counts (NULL nearly always).
        Index(
            "ix_dialer_entries_pick",
            "campaign_id",
            "status",
            "zone_key",
            "next_eligible_at",
            "deleted_at",
        ),
        Index("ix_dialer_entries_e164", "e164"),
    )

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dialer_campaigns.id"))
    phone_raw: Mapped[str] = mapped_column(String(64))
    e164: Mapped[str] = mapped_column(String(16))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    """The explicit zone the list gave, if any (else the number's zones apply)."""
    zone_key: Mapped[str] = mapped_column(String(64))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id"))
    lead_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("leads.id"))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    company: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20), default="new")
    attempts: Mapped[int] = mapped_column(default=0)
    last_outcome: Mapped[str | None] = mapped_column(String(20))
    last_disposition: Mapped[str | None] = mapped_column(String(40))
    next_eligible_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_agent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    reserved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    reserved_until: Mapped[datetime | None]
    contacted: Mapped[bool] = mapped_column(default=False)
    succeeded: Mapped[bool] = mapped_column(default=False)


class Attempt(UuidPk, Base):
    """One dial of an entry: who, when, the SIP outcome and the wrap-up code."""

    __tablename__ = "dialer_attempts"
    __table_args__ = (
        Index("ix_dialer_attempts_entry_started", "entry_id", "started_at"),
        Index("ix_dialer_attempts_started_at", "started_at"),  # a report's period (0024)
    )

    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dialer_entries.id"))
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dialer_campaigns.id"), index=True)
    agent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(20))
    sip_code: Mapped[int | None]
    call_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("calls.id"))
    disposition_code: Mapped[str | None] = mapped_column(String(40))


class DncNumber(UuidPk, Base):
    """A number never to dial: globally (``campaign_id`` NULL) or for one campaign."""

    __tablename__ = "dialer_dnc"
    __table_args__ = (
        # e164 first: the offer-time check is "this number, global or this campaign".
        UniqueConstraint("e164", "campaign_id"),
    )

    e164: Mapped[str] = mapped_column(String(16))
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("dialer_campaigns.id"))
    source: Mapped[str | None] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


# Entries that belong to one agent (callbacks and their retries): few, so a partial index.
Index(
    "ix_dialer_entries_assigned",
    CampaignEntry.campaign_id,
    CampaignEntry.assigned_agent_id,
    sqlite_where=CampaignEntry.assigned_agent_id.is_not(None),
    postgresql_where=CampaignEntry.assigned_agent_id.is_not(None),
)

# Deleting a contact or lead checks the entries that point at it; most entries point at none.
Index(
    "ix_dialer_entries_contact",
    CampaignEntry.contact_id,
    sqlite_where=CampaignEntry.contact_id.is_not(None),
    postgresql_where=CampaignEntry.contact_id.is_not(None),
)
Index(
    "ix_dialer_entries_lead",
    CampaignEntry.lead_id,
    sqlite_where=CampaignEntry.lead_id.is_not(None),
    postgresql_where=CampaignEntry.lead_id.is_not(None),
)

# NULLs are distinct in a unique constraint, so global numbers need their own partial index.
Index(
    "ux_dialer_dnc_global_e164",
    DncNumber.e164,
    unique=True,
    sqlite_where=DncNumber.campaign_id.is_(None),
    postgresql_where=DncNumber.campaign_id.is_(None),
)
