"""What the UI calls roles, record kinds, actions, depths and capabilities, and how it words
a role's refusal.

The services speak in codes (``sales_rep``, ``department``...); people read these labels, in
the UI language. Tables keyed by the enums, so a new member without a label fails the tests
(``tests/ui/test_admin.py``) rather than showing a raw code.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from agentdesk.domain.access import Action, Capability, Depth, RecordKind, Refusal
from agentdesk.domain.enums import Role
from agentdesk.org.access import AccessDeniedError

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
    Capability.PUBLISH_ARTICLES: QT_TRANSLATE_NOOP("AdminLabels", "Publish articles"),
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


def refusal_text(refusal: Refusal) -> str:
    """A refused request in the UI language, from the codes the service refused it with."""
    if refusal.capability is not None:
        text = _label(QT_TRANSLATE_NOOP("AdminLabels", "Your role does not allow this: {what}."))
        return text.format(what=capability_label(refusal.capability))
    assert refusal.action is not None and refusal.kind is not None  # Refusal's invariant
    kind = kind_label(refusal.kind)
    if refusal.recipient is not None:
        text = _label(
            QT_TRANSLATE_NOOP(
                "AdminLabels",
                "Your role does not allow you to give {kind} to {user}: they are outside "
                "the records you may change.",
            )
        )
        return text.format(kind=kind.lower(), user=refusal.recipient)
    text = _label(
        QT_TRANSLATE_NOOP("AdminLabels", "Your role does not allow you to {action} these {kind}.")
    )
    return text.format(action=action_label(refusal.action).lower(), kind=kind.lower())


def request_error_text(error: BaseException) -> str:
    """An error for the user: a role's refusal worded here in the UI language, any other as
    its service worded it (those name a field or a value)."""
    if isinstance(error, AccessDeniedError):
        return refusal_text(error.refusal)
    return str(error)
