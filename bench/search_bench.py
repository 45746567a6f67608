"""Search as you type: every keystroke prefix of names, companies, e-mails and numbers.

The inputs are drawn from the data set itself (random contacts' last names, full names and
e-mail addresses, random accounts' names, random stored phone numbers as they were typed, and
the last seven digits of random stored numbers, as agents read them out),
plus a few fixed ones the demo data has in several scripts and one that matches nothing. Each
keystroke from the second character (the third for numbers) is one
``ContactSearch.search(prefix, limit=50)`` call, as the search box issues them.
"""

from __future__ import annotations

import random
import time
from typing import Any

from bench_stats import percentiles
from sqlalchemy import Engine, text

from agentdesk.crm.search import ContactSearch
from agentdesk.db.engine import session_factory

FIXED = (
    ("name", "smith john"),
    ("name", "müller"),
    ("name", "王伟"),
    ("company", "北京华信"),
    ("phone", "+44 20 79"),
    ("phone", "(415) 55"),
    ("name", "zzzzqx"),
)
KINDS = ("name", "company", "email", "phone", "phone_end")


def sample_inputs(engine: Engine, per_kind: int) -> list[tuple[str, str]]:
    """(kind, text) inputs from random rows of the data set, then the fixed ones."""
    queries = {
        "name": "SELECT first_name, last_name FROM contacts WHERE last_name IS NOT NULL "
        "ORDER BY random() LIMIT :n",
        "company": "SELECT name, NULL FROM accounts ORDER BY random() LIMIT :n",
        "email": "SELECT email, NULL FROM contacts WHERE email IS NOT NULL "
        "ORDER BY random() LIMIT :n",
        "phone": "SELECT raw, NULL FROM phone_numbers ORDER BY random() LIMIT :n",
        "phone_end": "SELECT e164, NULL FROM phone_numbers ORDER BY random() LIMIT :n",
    }
    found: list[tuple[str, str]] = []
    with engine.connect() as conn:
        for kind, sql in queries.items():
            for index, (first, second) in enumerate(conn.execute(text(sql), {"n": per_kind})):
                if kind == "phone_end":
                    value = first[-7:]
                elif kind == "name" and second is not None:
                    # Half typed as the family name alone, half as "first last".
                    value = second if index % 2 else f"{first or ''} {second}".strip()
                else:
                    value = first
                if value:
                    found.append((kind, value))
    return found + list(FIXED)


def keystrokes(kind: str, value: str) -> list[str]:
    start = 3 if kind.startswith("phone") else 2
    return [value[:n] for n in range(min(start, len(value)), len(value) + 1)]


def bench_search(
    engine: Engine, rng: random.Random, *, samples: int, warmup: int, region: str = "US"
) -> dict[str, Any]:
    """Time ``samples`` keystroke searches after ``warmup`` untimed ones."""
    inputs = sample_inputs(engine, per_kind=max(8, samples // 40))
    rng.shuffle(inputs)
    plan = [(kind, prefix) for kind, value in inputs for prefix in keystrokes(kind, value)]
    while len(plan) < samples + warmup:  # a small data set has few inputs: type them again
        plan += plan
    plan = plan[: samples + warmup]
    search = ContactSearch(session_factory(engine), default_region=region)
    timings: list[float] = []
    by_kind: dict[str, list[float]] = {kind: [] for kind in KINDS}
    empty = 0
    clock = time.perf_counter
    for index, (kind, prefix) in enumerate(plan):
        started = clock()
        hits = search.search(prefix)
        elapsed = (clock() - started) * 1000
        if index >= warmup:
            timings.append(elapsed)
            by_kind[kind].append(elapsed)
            empty += not hits
    slowest = sorted(zip(timings, plan[warmup:], strict=True), reverse=True)[:5]
    return {
        **percentiles(timings),
        "warmup": warmup,
        "inputs": len(inputs),
        "without_hits": empty,
        "p95_by_kind": {k: percentiles(v)["p95"] for k, v in by_kind.items() if v},
        "slowest": [{"ms": round(ms, 2), "kind": k, "text": p} for ms, (k, p) in slowest],
        "region": region,
    }
