"""View > Leads: the leads the user may read, filtered, and what a sales team does with them:
assign the selected ones to a colleague or round-robin over a team, convert them into an
account, a contact and an opportunity, disqualify one with a reason.

Every read and change runs on the executor (``app/leads.py``); the window only renders.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.leads import LeadsService
from agentdesk.domain.enums import LeadStatus
from agentdesk.sales.leads import LeadFilter, LeadView
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.background import run_in_background

ANY = ""


class LeadsWindow(QWidget):
    def __init__(
        self, service: LeadsService, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("leadsWindow")
        self.setWindowTitle(self.tr("Leads"))
        self._service = service
        self._executor = executor
        self.leads: list[LeadView] = []
        self.busy = 0
        """Reads and changes not finished yet (the tests wait for none)."""

        self.statusCombo = QComboBox(self)
        self.statusCombo.addItem(self.tr("Any status"), ANY)
        for status in LeadStatus:
            self.statusCombo.addItem(self.status_text(status.value), status.value)
        self.ownerEdit = QLineEdit(self)
        self.ownerEdit.setPlaceholderText(self.tr("user name, or - for the pool"))
        self.sourceEdit = QLineEdit(self)
        self.fromEdit = QLineEdit(self)
        self.toEdit = QLineEdit(self)
        for edit in (self.fromEdit, self.toEdit):
            edit.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.textEdit = QLineEdit(self)
        self.textEdit.setPlaceholderText(self.tr("name, company or e-mail"))
        self.textEdit.returnPressed.connect(self.reload)
        self.searchButton = QPushButton(self.tr("Search"), self)
        self.searchButton.clicked.connect(self.reload)
        filters = QGridLayout()
        for column, (label, widget) in enumerate(
            (
                (self.tr("Status:"), self.statusCombo),
                (self.tr("Owner:"), self.ownerEdit),
                (self.tr("Source:"), self.sourceEdit),
                (self.tr("Created from:"), self.fromEdit),
                (self.tr("to:"), self.toEdit),
            )
        ):
            filters.addWidget(QLabel(label, self), 0, 2 * column)
            filters.addWidget(widget, 0, 2 * column + 1)
        filters.addWidget(QLabel(self.tr("Text:"), self), 1, 0)
        filters.addWidget(self.textEdit, 1, 1, 1, 7)
        filters.addWidget(self.searchButton, 1, 9)

        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("Company"), self.tr("Status"), self.tr("Source"),
            self.tr("Owner"), self.tr("Created"),
        ])  # fmt: skip
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.userCombo = QComboBox(self)
        self.assignButton = QPushButton(self.tr("Assign selected"), self)
        self.assignButton.clicked.connect(self.assign_selected)
        self.teamCombo = QComboBox(self)
        self.roundRobinButton = QPushButton(self.tr("Round-robin selected"), self)
        self.roundRobinButton.clicked.connect(self.round_robin_selected)
        self.convertButton = QPushButton(self.tr("Convert selected"), self)
        self.convertButton.clicked.connect(self.convert_selected)
        self.disqualifyButton = QPushButton(self.tr("Disqualify…"), self)
        self.disqualifyButton.clicked.connect(self.ask_disqualify)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("To:"), self))
        actions.addWidget(self.userCombo)
        actions.addWidget(self.assignButton)
        actions.addSpacing(12)
        actions.addWidget(QLabel(self.tr("Team:"), self))
        actions.addWidget(self.teamCombo)
        actions.addWidget(self.roundRobinButton)
        actions.addStretch(1)
        actions.addWidget(self.convertButton)
        actions.addWidget(self.disqualifyButton)
        self.messageLabel = QLabel(self)
        self.messageLabel.setObjectName("leadsMessage")
        self.messageLabel.setWordWrap(True)
        self.countLabel = QLabel(self)
        bottom = QHBoxLayout()
        bottom.addWidget(self.messageLabel, 1)
        bottom.addWidget(self.countLabel)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addLayout(bottom)
        self.resize(1000, 600)

    def status_text(self, code: str) -> str:
        texts = {
            "new": self.tr("New"),
            "contacted": self.tr("Contacted"),
            "qualified": self.tr("Qualified"),
            "disqualified": self.tr("Disqualified"),
            "converted": self.tr("Converted"),
        }
        return texts.get(code, code)

    # -- reading -------------------------------------------------------------------------------

    def start(self) -> None:
        """Fill the assign controls and the list."""
        self._run(self._service.choices, self._on_choices)
        self.reload()

    def _on_choices(self, choices: tuple[list[str], list[str]]) -> None:
        users, teams = choices
        self.userCombo.clear()
        self.userCombo.addItems(users)
        self.teamCombo.clear()
        self.teamCombo.addItems(teams)

    def filters(self) -> LeadFilter | None:
        """The filters typed; ``None`` (and a message) when a date cannot be read."""
        days: list[date | None] = []
        for edit in (self.fromEdit, self.toEdit):
            text = edit.text().strip()
            try:
                days.append(date.fromisoformat(text) if text else None)
            except ValueError:
                wrong = self.tr("{text} is not a date (YYYY-MM-DD)").format(text=text)
                self.messageLabel.setText(wrong)
                return None
        status = self.statusCombo.currentData()
        return LeadFilter(
            status=LeadStatus(status) if status else None,
            owner=self.ownerEdit.text().strip() or None,
            source=self.sourceEdit.text().strip() or None,
            created_from=days[0],
            created_to=days[1],
            text=self.textEdit.text().strip() or None,
        )

    def reload(self) -> None:
        filters = self.filters()
        if filters is not None:
            self._run(lambda: self._service.leads(filters), self._on_leads)

    def _on_leads(self, leads: list[LeadView]) -> None:
        self.leads = leads
        self.table.setRowCount(len(leads))
        for row, lead in enumerate(leads):
            cells = (
                lead.name, lead.company or "", self.status_text(lead.status), lead.source or "",
                lead.owner or self.tr("(pool)"), lead.created_at.date().isoformat(),
            )  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.countLabel.setText(self.tr("%n lead(s)", "", len(leads)))

    # -- changing ------------------------------------------------------------------------------

    def selected_ids(self) -> list[uuid.UUID]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.leads[row].id for row in rows if row < len(self.leads)]

    def _selected_or_say(self) -> list[uuid.UUID]:
        ids = self.selected_ids()
        if not ids:
            self.messageLabel.setText(self.tr("Select one or more leads first."))
        return ids

    def assign_selected(self) -> None:
        ids, user = self._selected_or_say(), self.userCombo.currentText()
        if ids and user:
            done = self.tr("Given to {user}.").format(user=user)
            self._change(lambda: self._service.assign(ids, user), done)

    def round_robin_selected(self) -> None:
        ids, team = self._selected_or_say(), self.teamCombo.currentText()
        if ids and team:
            done = self.tr("Dealt out over the members of {team}.").format(team=team)
            self._change(lambda: self._service.round_robin(ids, team), done)

    def convert_selected(self) -> None:
        ids = self._selected_or_say()
        if ids:
            done = self.tr("Converted: an account, a contact and an opportunity each.")
            self._change(lambda: self._service.convert(ids), done)

    def ask_disqualify(self) -> None:
        ids = self._selected_or_say()
        if len(ids) > 1:
            self.messageLabel.setText(self.tr("Disqualify one lead at a time, with its reason."))
            return
        if ids:
            reason, given = QInputDialog.getText(
                self, self.tr("Disqualify lead"), self.tr("Why is this lead disqualified?")
            )
            if given:
                self.disqualify(ids[0], reason)

    def disqualify(self, lead_id: uuid.UUID, reason: str) -> None:
        done = self.tr("The lead is disqualified.")
        self._change(lambda: self._service.disqualify(lead_id, reason), done)

    def _change(self, work: Callable[[], Any], done: str) -> None:
        def changed(_result: Any) -> None:
            self.messageLabel.setText(done)
            self.reload()

        self._run(work, changed)

    def _run(self, work: Callable[[], Any], on_success: Callable[[Any], None]) -> None:
        self.busy += 1

        def success(result: Any) -> None:
            self.busy -= 1
            on_success(result)

        def failure(error: BaseException) -> None:
            self.busy -= 1
            self.messageLabel.setText("⚠ " + request_error_text(error))

        run_in_background(self, self._executor, work, success, failure)
