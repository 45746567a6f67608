"""What happened around the demo people: opportunities, cases, calls and callbacks.

Each generator draws from the run's :class:`~agentdesk.demo.parties.PartyRows` after the people
and numbers are made, in a fixed order, so the same seed gives the same rows.
"""

from __future__ import annotations

from bisect import bisect
from collections.abc import Iterator, Sequence
from datetime import timedelta
from decimal import Decimal
from math import log
from typing import Any

from agentdesk.db.bulk import BulkWriter
from agentdesk.demo import words
from agentdesk.demo.parties import SHARED_COLUMNS, PartyRows, cumulative, opt_uuid
from agentdesk.domain.cases import DEFAULT_TARGETS
from agentdesk.domain.enums import (
    CallbackStatus,
    CallDirection,
    CasePriority,
    CaseStatus,
)
from agentdesk.sales.stages import Stage

_ANSWERED_CODES = {
    "sale": 5, "interested": 10, "callback": 10, "not_interested": 15, "resolved": 20,
    "info_given": 30, "do_not_call": 2, "wrong_number": 3,
}  # fmt: skip
_CALLBACK_NOTES = (
    "Call back about the quote",
    "Customer asked to call after 3pm",
    "Follow up on the case",
    "回电确认订单",
)
_MISSED_CODES = {"no_answer": 50, "busy": 15, "voicemail": 35}

OPPORTUNITY_COLUMNS = (
    *SHARED_COLUMNS, "name", "account_id", "contact_id", "stage", "amount", "currency",
    "close_date", "probability", "chance", "owner_id",
)  # fmt: skip
CASE_COLUMNS = (
    *SHARED_COLUMNS, "subject", "description", "status", "priority", "contact_id", "account_id",
    "owner_id", "due_at", "first_response_minutes", "resolution_minutes",
)  # fmt: skip
CALL_COLUMNS = (
    *SHARED_COLUMNS, "direction", "remote_e164", "remote_raw", "local_party", "agent_id",
    "sip_call_id", "started_at", "answered_at", "ended_at", "ring_seconds", "talk_seconds",
    "hold_seconds", "end_reason", "disposition_id", "notes", "recording_path", "contact_id",
    "account_id", "lead_id", "opportunity_id", "case_id",
)  # fmt: skip
CALLBACK_COLUMNS = (
    *SHARED_COLUMNS, "due_at", "agent_id", "contact_id", "lead_id", "phone_e164", "note",
    "status", "call_id", "completed_at",
)  # fmt: skip


_STAGE_WEIGHTS = {"negotiation": 10}
"""How often the demo puts a deal in a stage (else 15 open, 25 won, 20 lost)."""


def opportunity_rows(
    parties: PartyRows, w: BulkWriter, count: int, stages: Sequence[Stage]
) -> Iterator[tuple[Any, ...]]:
    """Deals of the run's accounts, some with one of their contacts, in the admin's active
    stages (a rep's probability typed on some of the seeded ones)."""
    rng, ids = parties.rng, parties.ids["opp"]
    if not stages:
        raise ValueError("no active opportunity stage to put the demo's deals in")
    probability = {"prospecting": 10, "qualification": 25, "proposal": 50, "negotiation": 75}
    weights = [_STAGE_WEIGHTS.get(s.code, 25 if s.won else 20 if s.lost else 15) for s in stages]
    today = parties.now.date()
    for _ in range(count):
        company = rng.choice(parties.accounts)
        contact = (
            parties.contacts[rng.choice(company.contacts)]
            if company.contacts and rng.random() < 0.7
            else None
        )
        chosen = rng.choices(stages, weights=weights)[0]
        stage, closed = chosen.code, not chosen.is_open
        offset = -rng.randint(1, 400) if closed else rng.randint(-20, 180)
        typed = chosen.probability if closed else probability.get(stage, chosen.probability)
        yield (
            *parties.shared(w, ids.next(), parties.past(500)),
            f"{rng.choice(words.OPPORTUNITY_NAMES)} {rng.randint(2024, 2027)}",
            w.uuid(company.id),
            opt_uuid(w, contact.id if contact else None),
            stage,
            w.money(Decimal(rng.randint(5, 5000) * 100) + Decimal("0.50")),
            {"CN": "CNY", "GB": "GBP", "DE": "EUR", "FR": "EUR", "AU": "AUD", "HK": "HKD"}.get(
                company.country, "USD"
            ),
            w.day(today + timedelta(days=offset)),
            typed,
            typed,  # the chance: every demo deal has its probability typed (100/0 when closed)
            opt_uuid(w, parties.agent()),
        )


def case_rows(parties: PartyRows, w: BulkWriter, count: int) -> Iterator[tuple[Any, ...]]:
    """Service cases of contacts; open ones have a due time."""
    rng, ids = parties.rng, parties.ids["case"]
    statuses = list(CaseStatus)
    priorities = list(CasePriority)
    for _ in range(count):
        person = rng.choice(parties.contacts)
        status = rng.choices(statuses, weights=(10, 10, 10, 5, 30, 35))[0]
        due = parties.now + timedelta(hours=rng.randint(-72, 240)) if status.is_open else None
        account = parties.accounts[person.account].id if person.account >= 0 else None
        shared = parties.shared(w, ids.next(), parties.past(300))
        subject = rng.choice(words.CASE_SUBJECTS)
        description = "Reported by phone." if rng.random() < 0.5 else None
        priority = rng.choices(priorities, weights=(20, 55, 20, 5))[0]
        targets = DEFAULT_TARGETS[priority]  # what a case opened by the desk would store
        yield (
            *shared,
            subject,
            description,
            status.value,
            priority.value,
            w.uuid(person.id),
            opt_uuid(w, account),
            opt_uuid(w, parties.agent()),
            w.ts(due),
            targets.first_response,
            targets.resolution,
        )


def call_rows(
    parties: PartyRows, w: BulkWriter, count: int, lead_count: int
) -> Iterator[tuple[Any, ...]]:
    """``count`` calls with contacts, then ``lead_count`` with leads, over the past year."""
    # The hot loop of a large run (five calls per contact): plain random() arithmetic and
    # pre-formatted ids instead of rng.choice/choices and per-row uuid formatting.
    rnd, ids, ts, fmt_uuid = parties.rng.random, parties.ids["call"], w.ts, w.uuid
    answered_codes = [c for c in _ANSWERED_CODES if c in parties.codes]
    missed_codes = [c for c in _MISSED_CODES if c in parties.codes]
    answered_refs = [fmt_uuid(parties.codes[c]) for c in answered_codes]
    missed_refs = [fmt_uuid(parties.codes[c]) for c in missed_codes]
    answered_cum = cumulative(_ANSWERED_CODES[c] for c in answered_codes)
    missed_cum = cumulative(_MISSED_CODES[c] for c in missed_codes)
    agents: list[str | None] = [fmt_uuid(a) for a in parties.agents] or [None]
    n_agents = len(agents)
    inbound, outbound = CallDirection.INBOUND.value, CallDirection.OUTBOUND.value
    contacts = [
        (fmt_uuid(p.id), p.phone, p.raw, parties.account_ref(w, p)) for p in parties.contacts
    ]
    leads = [(fmt_uuid(p.id), p.phone, p.raw, None) for p in parties.leads]
    notes, n_notes = words.CALL_NOTES, len(words.CALL_NOTES)
    year = 365 * 86400.0
    now = parties.now
    for serial in range(count + lead_count):
        is_lead = serial >= count
        pool = leads if is_lead else contacts
        ref, phone, raw, account = pool[int(rnd() * len(pool))]
        started = now - timedelta(seconds=rnd() * year)
        ring = round(2 + rnd() * 23, 1)
        answered = rnd() < 0.65
        disposition: str | None = None
        if answered and answered_refs:
            disposition = answered_refs[bisect(answered_cum, rnd() * answered_cum[-1])]
        elif not answered and missed_refs:
            disposition = missed_refs[bisect(missed_cum, rnd() * missed_cum[-1])]
        talk = round(-180.0 * log(1.0 - rnd()), 1) if answered else None
        ended = started + timedelta(seconds=ring + (talk or 0.0))
        ended_s = ts(ended)
        direction = inbound if rnd() < 0.45 else outbound
        yield (
            fmt_uuid(ids.next()),
            ended_s,
            ended_s,
            1,
            None,
            direction,
            phone,
            raw,
            "sip:queue@pbx.example" if direction == inbound else None,
            agents[int(rnd() * n_agents)],
            f"{int(rnd() * 2**53):014x}@pbx.example",
            ts(started),
            ts(started + timedelta(seconds=ring)) if answered else None,
            ended_s,
            ring,
            talk,
            round(rnd() * 30, 1) if answered and rnd() < 0.2 else None,
            "hangup" if answered else "no_answer",
            disposition,
            notes[int(rnd() * n_notes)] if answered and rnd() < 0.4 else None,
            None,
            None if is_lead else ref,
            account,
            ref if is_lead else None,
            None,
            None,
        )


def callback_rows(parties: PartyRows, w: BulkWriter, count: int) -> Iterator[tuple[Any, ...]]:
    """Callbacks due overdue, today or in the coming weeks; a fifth of them for leads."""
    rng, ids = parties.rng, parties.ids["cb"]
    statuses = list(CallbackStatus)
    for _ in range(count):
        is_lead = rng.random() < 0.2
        person = rng.choice(parties.leads if is_lead else parties.contacts)
        status = rng.choices(statuses, weights=(80, 15, 5))[0]
        roll = rng.random()
        if roll < 0.35:  # overdue
            due = parties.now - timedelta(minutes=rng.randint(10, 5 * 1440))
        elif roll < 0.7:  # due today
            due = parties.now + timedelta(minutes=rng.randint(5, 600))
        else:
            due = parties.now + timedelta(days=rng.randint(2, 20))
        done = status is not CallbackStatus.PENDING
        yield (
            *parties.shared(w, ids.next(), due - timedelta(days=rng.randint(1, 14))),
            w.ts(due),
            opt_uuid(w, parties.agent()),
            None if is_lead else w.uuid(person.id),
            w.uuid(person.id) if is_lead else None,
            person.phone,
            rng.choice(_CALLBACK_NOTES),
            status.value,
            None,
            w.ts(due) if done else None,
        )
