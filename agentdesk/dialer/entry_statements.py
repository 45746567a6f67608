"""The prebuilt Core statements over campaign entries that selection and picking share.

The hot path runs prebuilt Core statements with bound parameters: building SQLAlchemy
expressions and ORM queries per call cost far more than the queries themselves (about 20 ms
per selection on this machine, mostly expression coercion), and a prebuilt statement hits the
compiled-SQL cache every time. So every statement here is built once (``functools.cache``)
and run on the session's connection.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from agentdesk.db.base import table_of
from agentdesk.dialer.models import (
    Campaign,
    CampaignAssignment,
    CampaignEntry,
    CampaignZone,
    DncNumber,
)
from agentdesk.dialer.rules import EntryStatus
from agentdesk.org.models import User

Executor = Session | Connection
"""Where the selection's statements run (the hot path passes the session's connection)."""

UNION_CHUNK = 200
"""Group heads per statement (SQLite allows 500 terms in a compound SELECT)."""
GROUP_SEPARATOR = "\n"
"""Between the campaign's zone groups in the context row ("key zone zone ..." each)."""


ENTRIES = table_of(CampaignEntry)
_C = table_of(Campaign)
_U = table_of(User)
_A = table_of(CampaignAssignment)
_Z = table_of(CampaignZone)
_D = table_of(DncNumber)

ENTRY_COLUMNS = tuple(
    ENTRIES.c[name]
    for name in (
        "id", "e164", "phone_raw", "first_name", "last_name", "company", "city", "country",
        "contact_id", "lead_id", "status", "attempts", "last_outcome", "zone_key", "version",
    )
)  # fmt: skip
"""What an offer is made of: the entry's columns the selection reads and returns."""


def status_literal(status: EntryStatus) -> Any:
    """A status as a literal in the SQL, not a parameter.

    psycopg prepares a statement after a few runs and PostgreSQL may then plan it generically:
    with the status a parameter the planner cannot see that it picks a few rows, and it chose
    a hashed sub-plan over the whole table (0.7 s) for the context's ``EXISTS`` probes.
    """
    return literal_column(f"'{status.value}'")


def _eligible(status: EntryStatus, e: Any = ENTRIES) -> Any:
    return and_(
        e.c.campaign_id == bindparam("cid"),
        e.c.status == status_literal(status),
        e.c.next_eligible_at <= bindparam("now"),
        e.c.deleted_at.is_(None),
        or_(e.c.assigned_agent_id.is_(None), e.c.assigned_agent_id == bindparam("agent")),
    )


def pool_where(key: str | Any, e: Any = ENTRIES) -> Any:
    """New or retry entries of one zone group: ``key`` names its parameter, or is an expression."""
    return and_(
        _eligible(EntryStatus.NEW, e),
        e.c.zone_key == (bindparam(key) if isinstance(key, str) else key),
        e.c.attempts < bindparam("max_attempts"),
    )


def _held() -> Any:
    """Reserved, or on a call: both hold the entry until ``reserved_until`` (a desk that died
    mid-call loses its entry like an expired reservation)."""
    return or_(
        ENTRIES.c.status == status_literal(EntryStatus.RESERVED),
        ENTRIES.c.status == status_literal(EntryStatus.IN_PROGRESS),
    )


def _callbacks_where(e: Any = ENTRIES) -> Any:
    return and_(
        _eligible(EntryStatus.CALLBACK, e), e.c.zone_key.in_(bindparam("keys", expanding=True))
    )


@cache
def statements() -> dict[str, Any]:
    """The selection's fixed statements by name (built on first use, then reused)."""
    pool = (
        select(*ENTRY_COLUMNS)
        .where(pool_where("key"))
        .order_by(ENTRIES.c.next_eligible_at)
        .limit(bindparam("limit"))
    )
    # A callback is a promise: max attempts do not hold it back, calling hours do.
    callbacks = (
        select(*ENTRY_COLUMNS)
        .where(_callbacks_where())
        .order_by(ENTRIES.c.assigned_agent_id.is_(None), ENTRIES.c.next_eligible_at)
        .limit(bindparam("limit"))
    )
    return {
        "context": _context_statement(),
        "groups": select(_Z.c.zone_key, _Z.c.zones).where(_Z.c.campaign_id == bindparam("cid")),
        "release": update(ENTRIES)
        .where(
            ENTRIES.c.campaign_id == bindparam("cid"),
            _held(),
            ENTRIES.c.reserved_until <= bindparam("now"),
        )
        .values(
            status=EntryStatus.NEW.value,
            reserved_by_id=None,
            reserved_until=None,
            updated_at=bindparam("now"),
            version=ENTRIES.c.version + 1,
        ),
        "callbacks": callbacks,
        "pool": pool,
        "set_status": update(ENTRIES)
        .where(ENTRIES.c.id == bindparam("eid"), ENTRIES.c.version == bindparam("old_version"))
        .values(
            status=bindparam("new_status"),
            reserved_by_id=bindparam("by"),
            reserved_until=bindparam("until"),
            updated_at=bindparam("now"),
            version=ENTRIES.c.version + 1,
        ),
    }  # fmt: skip


def _context_statement() -> Any:
    """Everything a selection needs to know before it looks at entries, in one round trip.

    The campaign, the agent (outer-joined, so a missing agent is told apart from a missing
    campaign), whether the agent may work the campaign, the zone groups, and two cheap flags
    that let the common case skip statements: whether any reservation has run out (else
    nothing to release) and whether any callback is due for this agent (else no callback
    query). Four to six round trips were most of a selection's time on PostgreSQL.
    """
    c, u, a, z, e = _C, _U, _A, _Z, ENTRIES
    agent_join = and_(u.c.username == bindparam("agent_name"), u.c.active, u.c.deleted_at.is_(None))
    mine = or_(a.c.user_id == u.c.id, and_(a.c.team_id.is_not(None), a.c.team_id == u.c.team_id))
    assigned = or_(
        ~exists().where(a.c.campaign_id == c.c.id),
        exists().where(a.c.campaign_id == c.c.id, mine),
    )
    groups = (
        select(func.aggregate_strings(z.c.zone_key + " " + z.c.zones, GROUP_SEPARATOR))
        .where(z.c.campaign_id == c.c.id)
        .scalar_subquery()
    )
    expired = exists().where(
        e.c.campaign_id == c.c.id,
        _held(),
        e.c.reserved_until <= bindparam("now"),
    )
    callbacks_due = exists().where(
        e.c.campaign_id == c.c.id,
        e.c.status == status_literal(EntryStatus.CALLBACK),
        e.c.next_eligible_at <= bindparam("now"),
        e.c.deleted_at.is_(None),
        or_(e.c.assigned_agent_id.is_(None), e.c.assigned_agent_id == u.c.id),
    )
    columns = (
        c.c.id, c.c.name, c.c.active, c.c.window_start_minute, c.c.window_end_minute,
        c.c.weekdays, c.c.max_attempts, c.c.script, c.c.reservation_minutes,
        u.c.id.label("agent_id"), u.c.username.label("agent_username"),
        u.c.display_name.label("agent_display_name"), u.c.team_id.label("agent_team_id"),
        assigned.label("assigned"), groups.label("groups"), expired.label("expired"),
        callbacks_due.label("callbacks_due"),
    )  # fmt: skip
    return (
        select(*columns)
        .select_from(c.outerjoin(u, agent_join))
        .where(c.c.name == bindparam("name"), c.c.deleted_at.is_(None))
    )


@cache
def reserve_statement(source: str) -> Any:
    """PostgreSQL: pick, DNC-check and reserve the next entry of ``source`` in one statement.

    ``source`` is ``"callbacks"`` (due callbacks in the dialable groups ``:keys``, the agent's
    own first) or ``"pool"``: the head of each dialable group (a ``LATERAL`` index seek per
    group over ``unnest(:keys)``), and of those the earliest. Candidates are read with
    ``FOR UPDATE SKIP LOCKED``: a head another agent is taking is skipped for the next entry of
    its group, and a row changed since the statement began is re-checked on its committed
    version. The chosen number is probed against the DNC lists in the same read, and the
    UPDATE marks the entry ``reserved`` for the agent, or ``dnc`` when listed. RETURNING gives
    the row as it now is. Run in autocommit it is its own transaction: one round trip and one
    commit per offer, where reading the group heads, locking, probing and updating took four.
    """
    cand = ENTRIES.alias("cand")

    def listed(e164: Any) -> Any:
        scope = or_(_D.c.campaign_id.is_(None), _D.c.campaign_id == bindparam("cid"))
        return exists().where(_D.c.e164 == e164, scope).label("listed")

    if source == "callbacks":
        pick = (
            select(cand.c.id, listed(cand.c.e164))
            .where(_callbacks_where(cand))
            .order_by(cand.c.assigned_agent_id.is_(None), cand.c.next_eligible_at)
            .limit(1)
            .with_for_update(skip_locked=True)
            .subquery("pick")
        )
    else:
        keys = (
            func.unnest(bindparam("keys", type_=postgresql.ARRAY(String)))
            .table_valued("key")
            .render_derived(name="k")
        )
        head = (
            select(cand.c.id, cand.c.e164, cand.c.next_eligible_at)
            .where(pool_where(keys.c.key, cand))
            .order_by(cand.c.next_eligible_at)
            .limit(1)
            .with_for_update(skip_locked=True)
            .lateral("head")
        )
        pick = (
            select(head.c.id, listed(head.c.e164))
            .select_from(keys.join(head, true()))
            .order_by(head.c.next_eligible_at, keys.c.key)
            .limit(1)
            .subquery("pick")
        )
    by = bindparam("by", type_=ENTRIES.c.reserved_by_id.type)
    until = bindparam("until", type_=ENTRIES.c.reserved_until.type)
    return (
        update(ENTRIES)
        .where(ENTRIES.c.id == pick.c.id)
        .values(
            status=case(
                (pick.c.listed, status_literal(EntryStatus.DNC)),
                else_=status_literal(EntryStatus.RESERVED),
            ),
            reserved_by_id=case((pick.c.listed, None), else_=by),
            reserved_until=case((pick.c.listed, None), else_=until),
            updated_at=bindparam("now"),
            version=ENTRIES.c.version + 1,
        )
        .returning(*ENTRY_COLUMNS)
    )


@cache
def heads_statement(count: int) -> Any:
    """The eligible head of each of ``count`` groups (parameters key0..key{count-1})."""
    parts = [
        select(
            select(ENTRIES.c.zone_key, ENTRIES.c.next_eligible_at)
            .where(pool_where(f"key{i}"))
            .order_by(ENTRIES.c.next_eligible_at)
            .limit(1)
            .subquery()
        )
        for i in range(count)
    ]
    return parts[0] if count == 1 else union_all(*parts)


def set_status(
    session: Executor,
    entry: Row[Any],
    status: EntryStatus,
    now: datetime,
    by: uuid.UUID | None = None,
    until: datetime | None = None,
) -> bool:
    """Move ``entry`` to ``status`` if its version is still the one read; False if it changed."""
    result = session.execute(
        statements()["set_status"],
        {
            "eid": entry.id,
            "old_version": entry.version,
            "new_status": status.value,
            "by": by,
            "until": until,
            "now": now,
        },
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]
