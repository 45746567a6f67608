"""A search-as-you-type picker of an account or a contact: a search field with the matches
listed under it while searching. The search runs on the executor through the sales service
(what it searches is given: the accounts, or one account's people); only the newest answer
is shown, and choosing one fills the field with its name and keeps its id."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.sales import SalesService
from agentdesk.sales.opportunity_parties import PartyChoice
from agentdesk.ui.sales.common import SalesJobs

SEARCH_DELAY_MS = 250
RESULTS_HEIGHT = 120
Lookup = Callable[[SalesService, str, str], tuple[PartyChoice, ...]]
"""Runs on the executor: ``(service, within, text)`` with plain values only, never a widget."""
Within = Callable[[], str | None]
"""Read on the GUI thread when a search starts: what the search is within (an account's id
or name for a contact; ``""`` for an account); ``None``: nothing to search in."""


def everywhere() -> str:
    return ""


def find_accounts(service: SalesService, _within: str, text: str) -> tuple[PartyChoice, ...]:
    return service.accounts(text)


def find_contacts(service: SalesService, account: str, text: str) -> tuple[PartyChoice, ...]:
    """The people of ``account`` (an id or a name) matching ``text``."""
    return service.contacts(account, text)


class PartyPicker(QWidget):
    """Emits ``chosen`` with the :class:`PartyChoice` picked, or ``None`` when cleared."""

    chosen = Signal(object)

    def __init__(
        self,
        jobs: SalesJobs,
        lookup: Lookup,
        placeholder: str,
        parent: QWidget | None = None,
        within: Within = everywhere,
    ) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._lookup = lookup
        self._within = within
        self._seq = 0
        self._searching = 0
        self.choice: PartyChoice | None = None
        self.searchEdit = QLineEdit(self)
        self.searchEdit.setPlaceholderText(placeholder)
        self.searchEdit.setClearButtonEnabled(True)
        self.browseButton = QPushButton(self.tr("List"), self)
        self.browseButton.setToolTip(self.tr("Show the choices"))
        self.results = QListWidget(self)
        self.results.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.searchEdit, 1)
        row.addWidget(self.browseButton)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.results)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(lambda: self.search(self.searchEdit.text()))
        self.searchEdit.textEdited.connect(self._typed)
        self.browseButton.clicked.connect(lambda: self.search(""))
        self.results.itemActivated.connect(self._picked)
        self.results.itemClicked.connect(self._picked)

    @property
    def pending(self) -> int:
        return self._searching + int(self.timer.isActive())

    @property
    def choice_id(self) -> uuid.UUID | None:
        return self.choice.id if self.choice is not None else None

    def set_choice(self, choice: PartyChoice | None) -> None:
        """Show ``choice`` as picked (or none), without telling ``chosen``."""
        self.choice = choice
        self.searchEdit.setText(choice.name if choice is not None else "")
        self.results.hide()

    def set_read_only(self, read_only: bool) -> None:
        self.searchEdit.setReadOnly(read_only)
        self.searchEdit.setClearButtonEnabled(not read_only)
        self.browseButton.setEnabled(not read_only)
        if read_only:
            self.results.hide()

    def _typed(self, text: str) -> None:
        if self.choice is not None:  # typing over a choice starts a new search
            self.choice = None
            self.chosen.emit(None)
        if text.strip():
            self.timer.start()
        else:
            self.timer.stop()
            self.results.hide()

    def search(self, text: str) -> None:
        """List what matches ``text`` (everything the search gives for empty text)."""
        self.timer.stop()
        self._seq += 1
        self._searching += 1
        # widgets are read here, on the GUI thread; the worker gets plain values
        seq, lookup, within = self._seq, self._lookup, self._within()

        def done(found: tuple[PartyChoice, ...]) -> None:
            self._searching -= 1
            if seq == self._seq:
                self.show_results(found)

        def failed(_error: BaseException) -> None:
            self._searching -= 1

        def work(service: SalesService) -> tuple[PartyChoice, ...]:
            return lookup(service, within, text) if within is not None else ()

        self._jobs.run(work, done, failed=failed)

    def show_results(self, found: tuple[PartyChoice, ...]) -> None:
        self.results.clear()
        for choice in found:
            text = f"{choice.name} · {choice.detail}" if choice.detail else choice.name
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, choice)
            self.results.addItem(item)
        if not found:
            item = QListWidgetItem(self.tr("Nothing found"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(item)
        # as tall as its rows (up to the maximum): two people take two lines, not a box
        rows = sum(self.results.sizeHintForRow(r) for r in range(min(self.results.count(), 6)))
        self.results.setFixedHeight(min(RESULTS_HEIGHT, rows + 2 * self.results.frameWidth()))
        self.results.show()

    def _picked(self, item: QListWidgetItem) -> None:
        choice = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(choice, PartyChoice):
            self.set_choice(choice)
            self.chosen.emit(choice)
