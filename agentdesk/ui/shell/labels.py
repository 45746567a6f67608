"""The UI's words for what the services give as data or as keys.

Disposition and opportunity stage labels are data the admin writes in English and Chinese
(``Label``): the UI shows the one of its language (a stage's, as the screens last read the
stages; the seeded codes' words below before that). Enums (a case's status and priority) come
as codes and are worded here. Why a picked campaign entry cannot be dialled comes as a key
(``agentdesk.dialer.picking.REASONS``). Each table is marked with ``QT_TRANSLATE_NOOP`` so the
catalogue carries its words, and looked up in its context at run time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from agentdesk.domain.enums import CasePriority, CaseStatus, OpportunityStage
from agentdesk.domain.labels import Label
from agentdesk.ui.shell.i18n import ui_language


def disposition_text(label: Label) -> str:
    """A disposition's label in the UI language (English where the admin gave no other)."""
    return label.text(ui_language())


_ENUM_CONTEXT = "Enum"
CASE_STATUSES: dict[str, object] = {
    CaseStatus.NEW: QT_TRANSLATE_NOOP("Enum", "new"),
    CaseStatus.ASSIGNED: QT_TRANSLATE_NOOP("Enum", "assigned"),
    CaseStatus.IN_PROGRESS: QT_TRANSLATE_NOOP("Enum", "in progress"),
    CaseStatus.WAITING: QT_TRANSLATE_NOOP("Enum", "waiting on customer"),
    CaseStatus.RESOLVED: QT_TRANSLATE_NOOP("Enum", "resolved"),
    CaseStatus.CLOSED: QT_TRANSLATE_NOOP("Enum", "closed"),
}
CASE_PRIORITIES: dict[str, object] = {
    CasePriority.LOW: QT_TRANSLATE_NOOP("Enum", "low priority"),
    CasePriority.NORMAL: QT_TRANSLATE_NOOP("Enum", "normal priority"),
    CasePriority.HIGH: QT_TRANSLATE_NOOP("Enum", "high priority"),
    CasePriority.URGENT: QT_TRANSLATE_NOOP("Enum", "urgent"),
}
OPPORTUNITY_STAGES: dict[str, object] = {
    OpportunityStage.PROSPECTING: QT_TRANSLATE_NOOP("Enum", "prospecting"),
    OpportunityStage.QUALIFICATION: QT_TRANSLATE_NOOP("Enum", "qualification"),
    OpportunityStage.PROPOSAL: QT_TRANSLATE_NOOP("Enum", "proposal"),
    OpportunityStage.NEGOTIATION: QT_TRANSLATE_NOOP("Enum", "negotiation"),
    OpportunityStage.CLOSED_WON: QT_TRANSLATE_NOOP("Enum", "won"),
    OpportunityStage.CLOSED_LOST: QT_TRANSLATE_NOOP("Enum", "lost"),
}

AGENT_STATES: dict[str, object] = {
    "logged_out": QT_TRANSLATE_NOOP("Enum", "logged out"),
    "not_ready": QT_TRANSLATE_NOOP("Enum", "not ready"),
    "available": QT_TRANSLATE_NOOP("Enum", "available"),
    "ringing": QT_TRANSLATE_NOOP("Enum", "ringing"),
    "talking": QT_TRANSLATE_NOOP("Enum", "on call"),
    "held": QT_TRANSLATE_NOOP("Enum", "on hold"),
    "wrap_up": QT_TRANSLATE_NOOP("Enum", "wrap-up"),
    "lost": QT_TRANSLATE_NOOP("Enum", "lost (the desk went silent)"),
}
"""An agent's state on the supervisor board (``AgentStatus`` values, and ``lost``)."""


def enum_text(words: Mapping[str, object], code: str) -> str:
    """``code``'s word in the UI language; a code the table lacks as it is."""
    text = words.get(code)
    return code if text is None else QCoreApplication.translate(_ENUM_CONTEXT, str(text))


def agent_status_text(code: str) -> str:
    return enum_text(AGENT_STATES, code)


def case_text(status: CaseStatus, priority: CasePriority) -> str:
    """``new · normal priority``, in the UI language."""
    return f"{enum_text(CASE_STATUSES, status)} · {enum_text(CASE_PRIORITIES, priority)}"


_STAGE_LABELS: dict[str, Label] = {}
"""The admin's stage labels by code, as the screens last read them (``remember_stages``)."""


def remember_stages(labels: Iterable[tuple[str, str, str]]) -> None:
    """The stages' ``(code, label, label_zh)`` a screen read: every stage name shown after
    this uses them (a code not among them: the seeded stages' words, else the code)."""
    _STAGE_LABELS.clear()
    _STAGE_LABELS.update((code, Label(en or code, zh or None)) for code, en, zh in labels)


def stage_label(code: str) -> str:
    """A stage's name in the UI language: the admin's label (Chinese where given)."""
    label = _STAGE_LABELS.get(code)
    if label is not None:
        return label.text(ui_language())
    return enum_text(OPPORTUNITY_STAGES, code)


def stage_text(stage: str, amount: Decimal | None = None, currency: str | None = None) -> str:
    """``qualification · 12,000.00 EUR``, in the UI language."""
    text = stage_label(stage)
    if amount is None:
        return text
    return f"{text} · {amount:,.2f} {currency or ''}".rstrip()


_PICK_CONTEXT = "PickRefusal"
# Why the dialer refused a picked entry; the keys are agentdesk.dialer.picking.REASONS'.
PICK_REFUSALS = {
    "gone": QT_TRANSLATE_NOOP("PickRefusal", "it is no longer in the campaign"),
    "paused": QT_TRANSLATE_NOOP("PickRefusal", "the campaign is paused"),
    "reserved": QT_TRANSLATE_NOOP("PickRefusal", "another agent has it"),
    "done": QT_TRANSLATE_NOOP("PickRefusal", "it is finished"),
    "exhausted": QT_TRANSLATE_NOOP("PickRefusal", "it is out of attempts"),
    "invalid": QT_TRANSLATE_NOOP("PickRefusal", "its number is invalid"),
    "dnc": QT_TRANSLATE_NOOP("PickRefusal", "its number is on a do-not-call list"),
    "other_agent": QT_TRANSLATE_NOOP("PickRefusal", "it is another agent's callback"),
    "outside_hours": QT_TRANSLATE_NOOP("PickRefusal", "it is outside calling hours"),
    "unknown_time_zone": QT_TRANSLATE_NOOP("PickRefusal", "its time zone is unknown"),
    "retry_wait": QT_TRANSLATE_NOOP("PickRefusal", "its next try is not due yet"),
    "callback_not_due": QT_TRANSLATE_NOOP("PickRefusal", "it is not due yet"),
}


def pick_refusal(reason: str) -> str | None:
    """Why a picked entry was refused, in the UI language; ``None`` for an unknown key."""
    text = PICK_REFUSALS.get(reason)
    return None if text is None else QCoreApplication.translate(_PICK_CONTEXT, str(text))
