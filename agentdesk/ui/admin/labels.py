"""What the admin screen calls roles, record kinds, actions, depths and capabilities.

The services speak in codes (``sales_rep``, ``department``...); people read these labels, in
the UI language. Tables keyed by the enums, so a new member without a label fails the tests
(``tests/ui/test_admin_labels.py``) rather than showing a raw code.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from agentdesk.domain.access import Action, Capability, Depth, RecordKind
from agentdesk.domain.enums import Role

_CONTEXT = "AdminLabels"

ROLES = {
    Role.AGENT: QT_TRANSLATE_NOOP("AdminLabels", "Agent"),
    Role.SUPERVISOR: QT_TRANSLATE_NOOP("AdminLabels", "Supervisor"),
    Role.SALES_REP: QT_TRANSLATE_NOOP("AdminLabels", "Sales rep"),
    Role.SALES_MANAGER: QT_TRANSLATE_NOOP("AdminLabels", "Sales manager"),
    Role.SERVICE_AGENT: QT_TRANSLATE_NOOP("AdminLabels", "Service agent"),
    Role.ADMIN: QT_TRANSLATE_NOOP("AdminLabels", "Administrator"),
}
KINDS = {
    RecordKind.ACCOUNTS: QT_TRANSLATE_NOOP("AdminLabels", "Accounts"),
    RecordKind.CONTACTS: QT_TRANSLATE_NOOP("AdminLabels", "Contacts"),
    RecordKind.LEADS: QT_TRANSLATE_NOOP("AdminLabels", "Leads"),
    RecordKind.OPPORTUNITIES: QT_TRANSLATE_NOOP("AdminLabels", "Opportunities"),
    RecordKind.QUOTES: QT_TRANSLATE_NOOP("AdminLabels", "Quotes"),
    RecordKind.ORDERS: QT_TRANSLATE_NOOP("AdminLabels", "Orders"),
    RecordKind.CASES: QT_TRANSLATE_NOOP("AdminLabels", "Cases"),
    RecordKind.CALLS: QT_TRANSLATE_NOOP("AdminLabels", "Calls"),
    RecordKind.CALLBACKS: QT_TRANSLATE_NOOP("AdminLabels", "Callbacks"),
    RecordKind.CAMPAIGNS: QT_TRANSLATE_NOOP("AdminLabels", "Campaigns"),
    RecordKind.USERS: QT_TRANSLATE_NOOP("AdminLabels", "Users"),
}
ACTIONS = {
    Action.READ: QT_TRANSLATE_NOOP("AdminLabels", "Read"),
    Action.CREATE: QT_TRANSLATE_NOOP("AdminLabels", "Create"),
    Action.UPDATE: QT_TRANSLATE_NOOP("AdminLabels", "Update"),
    Action.DELETE: QT_TRANSLATE_NOOP("AdminLabels", "Delete"),
}
DEPTHS = {
    Depth.NONE: QT_TRANSLATE_NOOP("AdminLabels", "None"),
    Depth.OWN: QT_TRANSLATE_NOOP("AdminLabels", "Own"),
    Depth.TEAM: QT_TRANSLATE_NOOP("AdminLabels", "Team"),
    Depth.DEPARTMENT: QT_TRANSLATE_NOOP("AdminLabels", "Department"),
    Depth.ALL: QT_TRANSLATE_NOOP("AdminLabels", "All"),
}
CAPABILITIES = {
    Capability.EXPORT: QT_TRANSLATE_NOOP("AdminLabels", "Export"),
    Capability.PRINT: QT_TRANSLATE_NOOP("AdminLabels", "Print"),
    Capability.REASSIGN: QT_TRANSLATE_NOOP("AdminLabels", "Reassign records"),
    Capability.APPROVE_ORDERS: QT_TRANSLATE_NOOP("AdminLabels", "Approve orders"),
    Capability.MANAGE_USERS: QT_TRANSLATE_NOOP("AdminLabels", "Manage users"),
    Capability.VIEW_BOARD: QT_TRANSLATE_NOOP("AdminLabels", "View the supervisor board"),
    Capability.GO_OFFLINE: QT_TRANSLATE_NOOP("AdminLabels", "Go offline"),
}


def _label(text: object) -> str:
    return QCoreApplication.translate(_CONTEXT, str(text))


def role_label(role: Role) -> str:
    return _label(ROLES[role])


def kind_label(kind: RecordKind) -> str:
    return _label(KINDS[kind])


def action_label(action: Action) -> str:
    return _label(ACTIONS[action])


def depth_label(depth: Depth) -> str:
    return _label(DEPTHS[depth])


def capability_label(capability: Capability) -> str:
    return _label(CAPABILITIES[capability])
