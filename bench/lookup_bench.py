"""Caller lookup through the screen-pop service, and the naive ``LIKE '%digits%'`` baseline."""

from __future__ import annotations

import random
import time
from typing import Any

import phonenumbers
from bench_stats import percentiles
from phonenumbers import PhoneNumberFormat
from sqlalchemy import Engine, text

from agentdesk.crm.lookup.caller import CallerLookup
from agentdesk.db.engine import session_factory

UNKNOWN_SHARE = 0.2
NAIVE_SQL = (
    "SELECT id, contact_id, account_id, lead_id FROM phone_numbers "
    "WHERE replace(replace(replace(replace(raw, ' ', ''), '-', ''), '(', ''), ')', '') "
    "LIKE :pattern"
)
Known = list[tuple[str, str, str | None]]


# -- numbers -----------------------------------------------------------------------------------

Sample = tuple[str, str | None, str]  # text as dialled, region to read it in, format name


def sample_numbers(engine: Engine, rng: random.Random, count: int) -> tuple[Known, list[str]]:
    """Known (e164, raw, owner country) rows, and E.164 numbers that are in no record."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.e164, p.raw, coalesce(c.country, a.country, l.country) "
                "FROM phone_numbers p LEFT JOIN contacts c ON c.id = p.contact_id "
                "LEFT JOIN accounts a ON a.id = p.account_id "
                "LEFT JOIN leads l ON l.id = p.lead_id "
                "WHERE p.deleted_at IS NULL ORDER BY random() LIMIT :n"
            ),
            {"n": count},
        ).all()
        unknown: list[str] = []
        while len(unknown) < max(50, int(count * UNKNOWN_SHARE)):
            e164 = f"+1305{rng.randint(2, 9)}{rng.randrange(10**6):06d}"
            hit = conn.scalar(text("SELECT 1 FROM phone_numbers WHERE e164 = :e"), {"e": e164})
            if hit is None:
                unknown.append(e164)
    return [(e, r, c) for e, r, c in rows], unknown


def _spell(rng: random.Random, e164: str, raw: str, country: str | None) -> Sample:
    """One of the ways a caller ID or a pasted number arrives."""
    parsed = phonenumbers.parse(e164)
    international = phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)
    style = rng.choice(("raw", "e164", "international", "00", "011", "tel", "national"))
    if style == "raw":
        return raw, country, style
    if style == "e164":
        return e164, None, style
    if style == "international":
        return international, "US", style
    if style == "00":
        return "00" + international[1:], "DE", style
    if style == "011":
        return "011 " + international[1:], "US", style
    if style == "tel":
        uri = phonenumbers.format_number(parsed, PhoneNumberFormat.RFC3966)
        return uri + (";ext=12" if rng.random() < 0.3 else ""), "US", style
    region = phonenumbers.region_code_for_number(parsed)
    return phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL), region, style


def bench_lookup(
    engine: Engine,
    known: Known,
    unknown: list[str],
    rng: random.Random,
    *,
    samples: int,
    warmup: int,
) -> dict[str, Any]:
    """``CallerLookup.lookup`` of known numbers in mixed spellings and unknown numbers."""
    lookup = CallerLookup(session_factory(engine), "US")
    plan: list[tuple[Sample, bool]] = []
    for _ in range(warmup + samples):
        if rng.random() < UNKNOWN_SHARE or not known:
            e164 = rng.choice(unknown)
            plan.append((_spell(rng, e164, e164, None), False))
        else:
            e164, raw, country = rng.choice(known)
            plan.append((_spell(rng, e164, raw, country), True))
    timings: list[float] = []
    misses = 0
    clock = time.perf_counter
    for index, ((number, region, _style), is_known) in enumerate(plan):
        started = clock()
        result = lookup.lookup(number, region)
        elapsed = (clock() - started) * 1000
        if index >= warmup:
            timings.append(elapsed)
            if is_known and not result.matches:
                misses += 1
    measured = plan[warmup:]
    return {
        **percentiles(timings),
        "warmup": warmup,
        "known": sum(1 for _, k in measured if k),
        "unknown": sum(1 for _, k in measured if not k),
        "known_not_found": misses,
        "includes": "normalise + owners + last 5 calls, open cases/deals, due callbacks",
    }


def bench_baseline(
    engine: Engine, known: Known, *, samples: int, budget_s: float
) -> dict[str, Any]:
    """The naive screen pop: strip a few characters from raw text and LIKE the digits."""
    owner_sql = {
        1: text("SELECT id, first_name, last_name FROM contacts WHERE id = :id"),
        2: text("SELECT id, name FROM accounts WHERE id = :id"),
        3: text("SELECT id, first_name, last_name, company FROM leads WHERE id = :id"),
    }
    timings: list[float] = []
    budget_end = time.monotonic() + budget_s
    with engine.connect() as conn:
        for e164, _raw, _country in known[:samples]:
            national = str(phonenumbers.parse(e164).national_number)
            started = time.perf_counter()
            rows = conn.execute(text(NAIVE_SQL), {"pattern": f"%{national}%"}).all()
            for row in rows:
                for column in (1, 2, 3):
                    if row[column] is not None:
                        conn.execute(owner_sql[column], {"id": row[column]}).first()
            timings.append((time.perf_counter() - started) * 1000)
            if time.monotonic() > budget_end and len(timings) >= 5:
                break
    result = percentiles(timings)
    return {"p50": result["p50"], "p95": result["p95"], "samples": len(timings), "sql": NAIVE_SQL}
