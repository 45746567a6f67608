"""Translations of labels that come from the services as keys or fixed English text.

Disposition labels are data the admin configures, stored in one language. The labels AgentDesk
seeds are listed here so the catalogue carries them: a label that still reads as seeded shows
translated, a label the admin wrote shows as written. Why a picked campaign entry cannot be
dialled comes as a key (``agentdesk.dialer.picking.REASONS``).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_CONTEXT = "Disposition"
# The seeded labels (agentdesk.demo.seed.DEFAULT_DISPOSITIONS), for lupdate to extract.
SEEDED_LABELS = (
    QT_TRANSLATE_NOOP("Disposition", "Sale"),
    QT_TRANSLATE_NOOP("Disposition", "Interested"),
    QT_TRANSLATE_NOOP("Disposition", "Call back"),
    QT_TRANSLATE_NOOP("Disposition", "Not interested"),
    QT_TRANSLATE_NOOP("Disposition", "No answer"),
    QT_TRANSLATE_NOOP("Disposition", "Busy"),
    QT_TRANSLATE_NOOP("Disposition", "Wrong number"),
    QT_TRANSLATE_NOOP("Disposition", "Voicemail left"),
    QT_TRANSLATE_NOOP("Disposition", "Do not call"),
    QT_TRANSLATE_NOOP("Disposition", "Resolved"),
    QT_TRANSLATE_NOOP("Disposition", "Information given"),
    QT_TRANSLATE_NOOP("Disposition", "Wrap-up expired"),
)


def disposition_label(label: str) -> str:
    """``label`` in the UI language when it is a seeded label, else as the admin wrote it."""
    return QCoreApplication.translate(_CONTEXT, label)


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
