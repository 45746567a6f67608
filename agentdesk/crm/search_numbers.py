"""The phone part of a search: index range scans on a number's start and on its end, and the
country codes of the stored numbers (whose national forms a search also reads).

A number's start is a range of ``phone_numbers.e164``; its end a range of its digits last first
(:data:`agentdesk.crm.models.E164_REVERSED_SQL`, migration 0011). Every range is one part of a
single ``UNION ALL`` statement, each part an ordered scan with a small ``LIMIT``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, literal, select, union_all
from sqlalchemy.orm import Session

from agentdesk.crm.models import e164_reversed
from agentdesk.crm.read_scope import PartyScope
from agentdesk.crm.search_branches import Candidate, MatchedOn
from agentdesk.crm.search_terms import next_digits_prefix, next_number_prefix
from agentdesk.db.base import Base
from agentdesk.domain.enums import OwnerKind
from agentdesk.domain.phone import country_code_of

_phones: Table = Base.metadata.tables["phone_numbers"]

CODES_TTL_S = 60.0
"""How long the stored country codes are reused: a number from a country the desk had no
number of is read in its national form a minute after it was added, at the latest."""


def phone_candidates(
    session: Session,
    prefixes: Sequence[str],
    end: str | None,
    limit: int,
    scope: PartyScope | None = None,
) -> list[Candidate]:
    """Numbers starting with one of ``prefixes`` (E.164) or ending with ``end`` (a key of
    :func:`~agentdesk.crm.search_terms.number_end`), up to ``limit`` a range."""
    parts = [
        _part(index, _phones.c.e164, prefix, next_number_prefix(prefix), limit, scope)
        for index, prefix in enumerate(prefixes)
    ]
    if end is not None:
        parts.append(_part(len(parts), e164_reversed(), end, next_digits_prefix(end), limit, scope))
    if not parts:
        return []
    rows: list[Any] = list(session.execute(union_all(*(select(part) for part in parts))))
    # UNION ALL keeps no order across parts: each part's own is its key's.
    rows.sort(key=lambda row: (row.b, row.key))
    found: list[Candidate] = []
    positions: dict[int, int] = {}
    for row in rows:
        position = positions.get(row.b, 0)
        positions[row.b] = position + 1
        if row.contact_id is not None:
            kind, owner = OwnerKind.CONTACT, row.contact_id
        elif row.lead_id is not None:
            kind, owner = OwnerKind.LEAD, row.lead_id
        else:
            kind, owner = OwnerKind.ACCOUNT, row.account_id
        matched = MatchedOn.PHONE_END if row.b == len(prefixes) else MatchedOn.PHONE
        found.append(Candidate(kind, owner, matched, position, row.e164))
    return found


def _part(
    index: int,
    key: ColumnElement[str],
    low: str,
    high: str | None,
    limit: int,
    scope: PartyScope | None,
) -> Any:
    p = _phones.c
    conditions = [key >= low, p.deleted_at.is_(None)]
    if scope is not None:
        conditions.append(scope.phone_condition(_phones))
    if high is not None:
        conditions.append(key < high)
    stmt: Select[Any] = (
        select(
            literal(index).label("b"),
            key.label("key"),
            p.e164,
            p.contact_id,
            p.account_id,
            p.lead_id,
        )
        .where(*conditions)
        .order_by(key)
        .limit(limit)
    )
    return stmt.subquery()


def stored_country_codes(session: Session) -> tuple[int, ...]:
    """The country calling codes of the stored numbers, smallest first.

    One index probe a code (a loose scan of ``e164``): the first number from a bound, then the
    bound moves past its country code. A desk with numbers of seven countries costs eight.
    """
    e164 = _phones.c.e164
    codes: list[int] = []
    bound = "+"
    while True:
        first = session.scalar(select(e164).where(e164 >= bound).order_by(e164).limit(1))
        if first is None:
            return tuple(codes)
        code = country_code_of(first)
        head = f"+{code}" if code is not None else first[:4]  # an unassigned code: skip it
        if not head[1:].isdigit():
            return tuple(codes)
        if code is not None:
            codes.append(code)
        bound = next_number_prefix(head)
        if bound == "+:":
            return tuple(codes)


class StoredCodes:
    """:func:`stored_country_codes`, read again once :data:`CODES_TTL_S` have passed."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._read_at: float | None = None
        self._codes: tuple[int, ...] = ()

    def get(self, session: Session) -> tuple[int, ...]:
        with self._lock:
            now = self._clock()
            if self._read_at is None or now - self._read_at >= CODES_TTL_S:
                self._codes = stored_country_codes(session)
                self._read_at = now
            return self._codes
