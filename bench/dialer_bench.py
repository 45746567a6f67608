"""Dialer next-entry selection on the data set's campaign (N entries, DNC list of N numbers).

Agents work the campaign round robin: each asks for its next entry
(``selection.next_entry(..., explain=False)``, timed: the calling-hours filter over the zone
groups, the reservation and the DNC probe of the chosen number) and then records a
``declined`` attempt for it (not timed), which ends the entry. Ending it keeps the cached data
set usable run after run: a retried entry would come back at the fixed selection time. The
selection time is :data:`bench_data.DIAL_AT` plus 50 ms a selection, so which zones are open
does not depend on when the benchmark runs. ``blocked_counts`` (the "why is nothing
dialable" scan an idle panel asks for) is timed on a few calls beside it, and ``peek_ms`` is
the manual mode's list (``picking.peek_entries``, the next 20 dialable entries, nothing
reserved) over ``min(samples, 500)`` calls.
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

from bench_data import CAMPAIGN, DIAL_AT
from bench_stats import percentiles
from sqlalchemy import Engine, func, select

from agentdesk.db.engine import session_factory
from agentdesk.dialer import outcomes, picking, selection
from agentdesk.dialer.blocked import blocked_counts
from agentdesk.dialer.campaigns import load_campaign, window_of
from agentdesk.dialer.models import CampaignEntry
from agentdesk.dialer.rules import dialable_keys
from agentdesk.org.models import User


def bench_next_entry(
    engine: Engine, *, samples: int, warmup: int, agents: int = 20
) -> dict[str, Any]:
    sessions = session_factory(engine)
    with sessions() as session:
        names = list(
            session.scalars(
                select(User.username)
                .where(User.username.like("demo.agent%"))
                .order_by(User.username)
            )
        )[:agents]
    if not names:
        raise SystemExit("the data set has no demo agents to work the campaign")
    timings: list[float] = []
    held: dict[str, uuid.UUID] = {}
    now = DIAL_AT
    for index in range(warmup + samples):
        agent = names[index % len(names)]
        if agent in held:
            outcomes.record_attempt(sessions, held.pop(agent), "declined", 603, now=now)
        started = time.perf_counter()
        result = selection.next_entry(sessions, CAMPAIGN, agent, now=now, explain=False)
        elapsed = (time.perf_counter() - started) * 1000
        if result.entry is None:
            raise SystemExit(f"nothing dialable after {index} selections: {result}")
        held[agent] = result.entry.id
        if index >= warmup:
            timings.append(elapsed)
        now += timedelta(milliseconds=50)
    for entry_id in held.values():
        outcomes.record_attempt(sessions, entry_id, "declined", 603, now=now)
    peeks: list[float] = []
    for index in range(min(warmup, 50) + min(samples, 500)):
        started = time.perf_counter()
        listed = picking.peek_entries(
            sessions, CAMPAIGN, names[index % len(names)], now=now, explain=False
        )
        elapsed = (time.perf_counter() - started) * 1000
        if not listed.entries:
            raise SystemExit(f"the manual list is empty after {index} peeks: {listed}")
        if index >= min(warmup, 50):
            peeks.append(elapsed)
    explain: list[float] = []
    with sessions() as session:
        campaign = load_campaign(session, CAMPAIGN)
        keys = dialable_keys(
            window_of(campaign), selection.campaign_groups(session, campaign.id), now
        )
        blocked: dict[str, int] = {}
        for _ in range(3):
            started = time.perf_counter()
            blocked = blocked_counts(
                session, campaign.id, active=campaign.active, agent_id=None, now=now, dialable=keys
            )
            explain.append((time.perf_counter() - started) * 1000)
        dialable = session.scalar(
            select(func.count()).where(
                CampaignEntry.campaign_id == campaign.id,
                CampaignEntry.status == "new",
                CampaignEntry.zone_key.in_(sorted(keys)),
            )
        )
    return {
        **percentiles(timings),
        "warmup": warmup,
        "agents": len(names),
        "selected_at": DIAL_AT.isoformat(),
        "dialable_groups": len(keys),
        "dialable_entries_left": dialable,
        "blocked": blocked,
        "blocked_counts_ms": percentiles(explain)["p50"],
        "peek_ms": percentiles(peeks) | {"entries": len(listed.entries)},
        "includes": "calling-hours groups, reservation (write), DNC probe of the chosen number",
    }
