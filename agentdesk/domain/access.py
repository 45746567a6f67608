"""Who may do what: record kinds, actions, visibility depths, capabilities and the default matrix.

Pure rules. The permission table (``org_permissions``) starts as :data:`DEFAULT_PERMISSIONS`
and the admin changes it; the services (``org/access.py``) and, on PostgreSQL, the row-level
security policies read the table, so both apply the same rule (:func:`allows`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from agentdesk.domain.enums import Role


class RecordKind(StrEnum):
    ACCOUNTS = "accounts"
    CONTACTS = "contacts"
    LEADS = "leads"
    OPPORTUNITIES = "opportunities"
    QUOTES = "quotes"
    ORDERS = "orders"
    CASES = "cases"
    CALLS = "calls"
    CALLBACKS = "callbacks"
    CAMPAIGNS = "campaigns"
    USERS = "users"


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class Depth(StrEnum):
    """How far an action reaches, from nothing to every record."""

    NONE = "none"
    OWN = "own"
    TEAM = "team"
    DEPARTMENT = "department"
    ALL = "all"


class Capability(StrEnum):
    EXPORT = "export"
    PRINT = "print"
    REASSIGN = "reassign"
    APPROVE_ORDERS = "approve_orders"
    MANAGE_USERS = "manage_users"
    VIEW_BOARD = "view_board"
    GO_OFFLINE = "go_offline"
    PUBLISH_ARTICLES = "publish_articles"


class Reach(IntEnum):
    """How close a record's owner is to the acting user (smaller is closer)."""

    SELF = 0
    TEAM = 1
    DEPARTMENT = 2
    OTHER = 3


class Share(StrEnum):
    """A record shared with one colleague, to read or to read and write."""

    READ = "read"
    WRITE = "write"


@dataclass(frozen=True, slots=True)
class Refusal:
    """What a role was refused, in codes: the CLI prints :meth:`english`, the UI words it in
    its own language from the same fields.

    Exactly one of ``action`` (with ``kind``) and ``capability`` is set; ``recipient`` names the
    user a record was to be given to when the giving is what was refused.
    """

    action: Action | None = None
    kind: RecordKind | None = None
    capability: Capability | None = None
    recipient: str | None = None

    def __post_init__(self) -> None:
        if (self.capability is None) == (self.action is None or self.kind is None):
            raise ValueError("a refusal names an action on a kind, or a capability")

    def english(self) -> str:
        if self.capability is not None:
            return self.capability.value.replace("_", " ")
        assert self.action is not None and self.kind is not None  # __post_init__
        if self.recipient is not None:
            return f"give {self.kind.value} to {self.recipient}"
        return f"{self.action.value} these {self.kind.value}"


_DEPTH_REACH = {
    Depth.NONE: None,
    Depth.OWN: Reach.SELF,
    Depth.TEAM: Reach.TEAM,
    Depth.DEPARTMENT: Reach.DEPARTMENT,
    Depth.ALL: Reach.OTHER,
}


def allows(depth: Depth, action: Action, reach: Reach | None, share: Share | None) -> bool:
    """Whether ``action`` on a record is allowed, in this order of precedence:

    1. depth ``all`` allows every record;
    2. a share allows what it grants whatever the depth: a read share reading, a write share
       reading and updating; a share never allows deleting (nor creating, which has no record);
    3. depth ``none`` refuses;
    4. a record nobody owns (``reach`` is ``None``: the common pool the Chinese CRMs call 公海)
       is allowed at any other depth, so an unassigned caller can be worked and claimed;
    5. otherwise the owner must be within the depth: ``own`` the user, ``team`` the user's
       team, ``department`` the user's team and every team below it.
    """
    if depth is Depth.ALL:
        return True
    if share is not None and (
        action is Action.READ or (action is Action.UPDATE and share is Share.WRITE)
    ):
        return True
    limit = _DEPTH_REACH[depth]
    if limit is None:
        return False
    return reach is None or reach <= limit


Matrix = Mapping[RecordKind, Mapping[Action, Depth]]

_PARTIES = (RecordKind.ACCOUNTS, RecordKind.CONTACTS, RecordKind.LEADS)
_SALES = (RecordKind.OPPORTUNITIES, RecordKind.QUOTES, RecordKind.ORDERS)
_R, _C, _U, _D = Action.READ, Action.CREATE, Action.UPDATE, Action.DELETE
_NONE, _OWN, _TEAM, _DEPT, _ALL = (
    Depth.NONE,
    Depth.OWN,
    Depth.TEAM,
    Depth.DEPARTMENT,
    Depth.ALL,
)


def _row(read: Depth, create: Depth, update: Depth, delete: Depth) -> dict[Action, Depth]:
    return {_R: read, _C: create, _U: update, _D: delete}


def _matrix(
    rows: Mapping[RecordKind, dict[Action, Depth]],
) -> dict[RecordKind, dict[Action, Depth]]:
    none = _row(_NONE, _NONE, _NONE, _NONE)
    return {kind: dict(rows.get(kind, none)) for kind in RecordKind}


def _same(
    kinds: tuple[RecordKind, ...], row: dict[Action, Depth]
) -> dict[RecordKind, dict[Action, Depth]]:
    return {kind: row for kind in kinds}


# Agents read every party and its history (a screen pop must find any caller and show what
# happened before) and change what they own, what is shared with them and the common pool.
_AGENT = _matrix({
    **_same(_PARTIES, _row(_ALL, _OWN, _OWN, _NONE)),
    **_same(_SALES, _row(_OWN, _OWN, _OWN, _NONE)),
    RecordKind.OPPORTUNITIES: _row(_ALL, _OWN, _OWN, _NONE),
    RecordKind.CASES: _row(_ALL, _OWN, _OWN, _NONE),
    RecordKind.CALLS: _row(_ALL, _OWN, _OWN, _NONE),
    RecordKind.CALLBACKS: _row(_ALL, _OWN, _OWN, _OWN),
    RecordKind.CAMPAIGNS: _row(_OWN, _NONE, _NONE, _NONE),
    RecordKind.USERS: _row(_ALL, _NONE, _NONE, _NONE),
})  # fmt: skip
_SERVICE_AGENT = _matrix({
    **_AGENT,
    RecordKind.CASES: _row(_ALL, _OWN, _TEAM, _NONE),
})  # fmt: skip
_SUPERVISOR = _matrix({
    **_same(_PARTIES, _row(_ALL, _OWN, _DEPT, _NONE)),
    **_same(_SALES, _row(_DEPT, _OWN, _DEPT, _NONE)),
    RecordKind.CASES: _row(_ALL, _OWN, _DEPT, _NONE),
    RecordKind.CALLS: _row(_DEPT, _OWN, _DEPT, _NONE),
    RecordKind.CALLBACKS: _row(_DEPT, _OWN, _DEPT, _DEPT),
    RecordKind.CAMPAIGNS: _row(_ALL, _ALL, _ALL, _NONE),
    RecordKind.USERS: _row(_ALL, _NONE, _NONE, _NONE),
})  # fmt: skip
# Sales reps own their accounts, leads and opportunities and see only those (and the pool).
_SALES_REP = _matrix({
    **_same(_PARTIES, _row(_OWN, _OWN, _OWN, _OWN)),
    **_same(_SALES, _row(_OWN, _OWN, _OWN, _OWN)),
    RecordKind.CASES: _row(_OWN, _OWN, _OWN, _NONE),
    RecordKind.CALLS: _row(_OWN, _OWN, _OWN, _NONE),
    RecordKind.CALLBACKS: _row(_OWN, _OWN, _OWN, _OWN),
    RecordKind.CAMPAIGNS: _row(_OWN, _NONE, _NONE, _NONE),
    RecordKind.USERS: _row(_ALL, _NONE, _NONE, _NONE),
})  # fmt: skip
_SALES_MANAGER = _matrix({
    **_same(_PARTIES, _row(_DEPT, _OWN, _DEPT, _DEPT)),
    **_same(_SALES, _row(_DEPT, _OWN, _DEPT, _DEPT)),
    RecordKind.CASES: _row(_DEPT, _OWN, _DEPT, _NONE),
    RecordKind.CALLS: _row(_DEPT, _OWN, _DEPT, _NONE),
    RecordKind.CALLBACKS: _row(_DEPT, _OWN, _DEPT, _DEPT),
    RecordKind.CAMPAIGNS: _row(_ALL, _ALL, _ALL, _NONE),
    RecordKind.USERS: _row(_ALL, _NONE, _NONE, _NONE),
})  # fmt: skip
_ADMIN = _matrix(_same(tuple(RecordKind), _row(_ALL, _ALL, _ALL, _ALL)))

DEFAULT_PERMISSIONS: Mapping[Role, Matrix] = {
    Role.AGENT: _AGENT,
    Role.SERVICE_AGENT: _SERVICE_AGENT,
    Role.SUPERVISOR: _SUPERVISOR,
    Role.SALES_REP: _SALES_REP,
    Role.SALES_MANAGER: _SALES_MANAGER,
    Role.ADMIN: _ADMIN,
}

_EVERYONE = {Capability.PRINT, Capability.GO_OFFLINE}
DEFAULT_CAPABILITIES: Mapping[Role, frozenset[Capability]] = {
    Role.AGENT: frozenset(_EVERYONE),
    Role.SERVICE_AGENT: frozenset(_EVERYONE),
    Role.SALES_REP: frozenset(_EVERYONE),
    Role.SUPERVISOR: frozenset(
        _EVERYONE
        | {
            Capability.EXPORT,
            Capability.REASSIGN,
            Capability.VIEW_BOARD,
            Capability.PUBLISH_ARTICLES,
        }
    ),
    Role.SALES_MANAGER: frozenset(
        _EVERYONE
        | {Capability.EXPORT, Capability.REASSIGN, Capability.APPROVE_ORDERS, Capability.VIEW_BOARD}
    ),
    Role.ADMIN: frozenset(Capability),
}
