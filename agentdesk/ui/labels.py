"""Translations of the wrap-up codes' default labels.

Disposition labels are data the admin configures, stored in one language. The labels AgentDesk
seeds are listed here so the catalogue carries them: a label that still reads as seeded shows
translated, a label the admin wrote shows as written.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_CONTEXT = "Disposition"
# The seeded labels (agentdesk.crm.seed.DEFAULT_DISPOSITIONS), for lupdate to extract.
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
)


def disposition_label(label: str) -> str:
    """``label`` in the UI language when it is a seeded label, else as the admin wrote it."""
    return QCoreApplication.translate(_CONTEXT, label)
