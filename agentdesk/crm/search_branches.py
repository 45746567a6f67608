"""The index range scans of a search and the ranking of what they find.

Each :class:`Branch` is one ``ORDER BY ... LIMIT`` range scan on an expression index
``lower(col)`` (migration 0002); :func:`run_branches` sends them all in one statement. The
candidates are ranked by :class:`MatchedOn`, then by their order within the branch (index order).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    String,
    Table,
    Uuid,
    bindparam,
    func,
    literal,
    null,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from agentdesk.crm.read_scope import PartyScope
from agentdesk.crm.search_terms import next_prefix
from agentdesk.db.base import Base
from agentdesk.domain.enums import OwnerKind
from agentdesk.domain.names import has_cjk

MAX_WORD_SPLITS = 3
"""Multi-word input tries at most this many first/last splits (each split is two queries)."""

_contacts: Table = Base.metadata.tables["contacts"]


class MatchedOn(IntEnum):
    """Which field matched; the value is the rank (lower is better)."""

    FULL_NAME = 0
    PHONE = 1
    PHONE_END = 2
    LAST_NAME = 3
    COMPANY = 4
    FIRST_NAME = 5
    EMAIL = 6
    COMPANY_MEMBER = 7


@dataclass(frozen=True, slots=True)
class Candidate:
    """A record a branch found, before ranking; ``phone`` is the matched E.164, if any."""

    kind: OwnerKind
    id: uuid.UUID
    matched_on: MatchedOn
    position: int  # order within its branch (index order)
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Branch:
    """One index range scan: rows of ``table`` whose lowered ``key`` columns match."""

    kind: OwnerKind
    table: Table
    matched_on: MatchedOn
    equal: tuple[tuple[str, str], ...]  # (column, lowered value) that must be equal
    prefix: tuple[str, str]  # (column, lowered prefix)
    order: tuple[str, ...]  # columns of the index, in order


def name_branches(query: str, kind: OwnerKind, table: Table) -> list[Branch]:
    """Last name, first name, and every first/last split of the words in both orders."""
    last_first = ("last_name", "first_name")
    first_last = ("first_name", "last_name")
    branches = [
        Branch(kind, table, MatchedOn.LAST_NAME, (), ("last_name", query), last_first),
        Branch(kind, table, MatchedOn.FIRST_NAME, (), ("first_name", query), first_last),
    ]
    words = query.split(" ")
    splits: list[tuple[str, str]] = []
    for i in range(1, len(words)):
        splits.append((" ".join(words[:i]), " ".join(words[i:])))
    if len(words) == 1 and has_cjk(query):
        # 王小明 is written family name first and without a space; family names are one or
        # two characters (王, 欧阳).
        splits.extend((query[:k], query[k:]) for k in (1, 2) if len(query) > k)
    for head, tail in splits[:MAX_WORD_SPLITS]:
        if not tail:
            continue
        # "ada lov" (first then last) and "lovelace ada" / "王 小" (family name first)
        branches.append(
            Branch(
                kind, table, MatchedOn.FULL_NAME, (("first_name", head),), ("last_name", tail),
                first_last,
            )
        )  # fmt: skip
        branches.append(
            Branch(
                kind, table, MatchedOn.FULL_NAME, (("last_name", head),), ("first_name", tail),
                last_first,
            )
        )  # fmt: skip
    return branches


def run_branches(
    session: Session, branches: Sequence[Branch], limit: int, scope: PartyScope | None = None
) -> list[Candidate]:
    """Run every branch in one statement: the ``ORDER BY ... LIMIT`` scans glued by UNION ALL.

    One round trip instead of a dozen; each part keeps its own ordered, limited index scan
    (as a subquery, which SQLite and PostgreSQL both require for a per-part ``LIMIT``).
    """
    parts = [
        _branch_select(index, branch, limit, scope).subquery()
        for index, branch in enumerate(branches)
    ]
    rows: list[Any] = list(session.execute(union_all(*(select(part) for part in parts))))
    # UNION ALL keeps no order across parts: restore each branch's index order.
    rows.sort(key=lambda row: (row.b, row.k1 or "", row.k2 or "", str(row.id)))
    found: list[Candidate] = []
    positions: dict[int, int] = {}
    for row in rows:
        branch = branches[row.b]
        prefix = branch.prefix[1]
        # A linguistic collation (PostgreSQL) may sort strings into the range that do not
        # start with the prefix.
        if row.key is None or not row.key.startswith(prefix):
            continue
        position = positions.get(row.b, 0)
        positions[row.b] = position + 1
        found.append(Candidate(branch.kind, row.id, branch.matched_on, position))
    return found


def _branch_select(index: int, branch: Branch, limit: int, scope: PartyScope | None) -> Select[Any]:
    table = branch.table
    column, prefix = branch.prefix
    key = func.lower(table.c[column])
    conditions: list[ColumnElement[bool]] = [
        func.lower(table.c[name]) == value for name, value in branch.equal
    ]
    conditions += [key >= prefix, key < next_prefix(prefix), table.c.deleted_at.is_(None)]
    if scope is not None:
        conditions.append(scope.condition(branch.kind, table))
    order = [func.lower(table.c[name]) for name in branch.order] or [key]
    sort_keys = [*order, null(), null()][:2]
    return (
        select(
            literal(index).label("b"),
            table.c.id,
            key.label("key"),
            type_coerce(sort_keys[0], String).label("k1"),
            type_coerce(sort_keys[1], String).label("k2"),
        )
        .where(*conditions)
        .order_by(*order)
        .limit(limit)
    )


def company_members(
    session: Session, account_ids: Sequence[uuid.UUID], limit: int, scope: PartyScope | None
) -> list[Candidate]:
    """The contacts of matching accounts, by last then first name."""
    c = _contacts
    readable = scope.condition(OwnerKind.CONTACT, c) if scope is not None else true()
    stmt = (
        select(c.c.id)
        .where(c.c.account_id.in_(ids_param("ids")), c.c.deleted_at.is_(None), readable)
        .order_by(func.lower(c.c.last_name), func.lower(c.c.first_name))
        .limit(limit)
    )
    return [
        Candidate(OwnerKind.CONTACT, row.id, MatchedOn.COMPANY_MEMBER, position)
        for position, row in enumerate(session.execute(stmt, {"ids": list(account_ids)}))
    ]


def rank(candidates: Iterable[Candidate], limit: int) -> list[Candidate]:
    """The best ``limit`` records, each once: by :class:`MatchedOn`, then index order."""
    best: dict[tuple[OwnerKind, uuid.UUID], Candidate] = {}
    for candidate in candidates:
        key = (candidate.kind, candidate.id)
        current = best.get(key)
        if current is None or _order(candidate) < _order(current):
            best[key] = candidate
    return sorted(best.values(), key=_order)[:limit]


def _order(candidate: Candidate) -> tuple[int, int, str]:
    return (candidate.matched_on.value, candidate.position, str(candidate.id))


def ids_param(name: str) -> BindParameter[Any]:
    """An expanding ``IN`` list bound at execution (no per-value coercion when building)."""
    return bindparam(name, expanding=True, type_=Uuid())
