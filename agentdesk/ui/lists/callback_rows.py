"""The rows of the callback queue: one per CRM or campaign callback, overdue ones in red.

The strings keep the panel's translation context (``CallbacksPanel``): the rows are the
panel's, and the catalogue has their words there.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTreeWidgetItem

from agentdesk.calls.callbacks import CallbackItem
from agentdesk.dialer.callbacks import CampaignCallback
from agentdesk.ui.desk.pop_views import short_when

CRM, CAMPAIGN = "crm", "campaign"
COLUMNS = 6
NOTE_COLUMN, CAMPAIGN_COLUMN = 3, 4


def row_key(kind: str, callback_id: uuid.UUID) -> str:
    """What a row carries to name its callback: ``kind`` is :data:`CRM` or :data:`CAMPAIGN`."""
    return f"{kind}:{callback_id}"


def crm_row(cb: CallbackItem) -> QTreeWidgetItem:
    row = QTreeWidgetItem(
        [
            short_when(cb.due_at, ""),
            cb.name or QCoreApplication.translate("CallbacksPanel", "(unknown)"),
            cb.phone_e164 or "",
            cb.note or "",
            "",
            cb.agent_username or QCoreApplication.translate("CallbacksPanel", "anyone"),
        ]
    )
    row.setData(0, Qt.ItemDataRole.UserRole, row_key(CRM, cb.id))
    row.setToolTip(NOTE_COLUMN, cb.note or "")
    _mark_due(row, overdue=cb.overdue, due=cb.due)
    return row


def campaign_row(cb: CampaignCallback, agent: str) -> QTreeWidgetItem:
    """A campaign callback of ``agent`` (campaign callbacks belong to who set them)."""
    paused = QCoreApplication.translate("CallbacksPanel", "Campaign paused")
    row = QTreeWidgetItem(
        [
            short_when(cb.due_at, ""),
            cb.name or QCoreApplication.translate("CallbacksPanel", "(unknown)"),
            cb.phone_e164,
            "" if cb.campaign_active else paused,
            cb.campaign,
            agent,
        ]
    )
    row.setData(0, Qt.ItemDataRole.UserRole, row_key(CAMPAIGN, cb.id))
    row.setToolTip(
        CAMPAIGN_COLUMN,
        QCoreApplication.translate(
            "CallbacksPanel",
            "Campaign callback: dialled through the dialer, which checks the do-not-call "
            "lists and calling hours again.",
        ),
    )
    _mark_due(row, overdue=cb.overdue, due=cb.due)
    return row


def _mark_due(row: QTreeWidgetItem, *, overdue: bool, due: bool) -> None:
    if overdue:
        red = QBrush(QColor("#b3261e"))
        font = row.font(0)
        font.setBold(True)
        for column in range(COLUMNS):
            row.setForeground(column, red)
            row.setFont(column, font)
        row.setToolTip(0, QCoreApplication.translate("CallbacksPanel", "Overdue"))
    elif due:
        font = row.font(0)
        font.setBold(True)
        row.setFont(0, font)
