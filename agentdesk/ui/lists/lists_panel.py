"""The recent-calls list and search as you type (results off the GUI thread, latest wins)."""

from __future__ import annotations

from concurrent.futures import Executor

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.desk.core import DeskServices
from agentdesk.calls.dto import RecentCall
from agentdesk.crm.party_details import PartyRef
from agentdesk.crm.search import SearchHit
from agentdesk.domain import changes
from agentdesk.domain.labels import Label
from agentdesk.ui.desk.pop_views import short_when
from agentdesk.ui.desk.softphone_bar import format_seconds
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.background import run_in_background
from agentdesk.ui.shell.labels import disposition_text


def _party(call: RecentCall) -> PartyRef | None:
    from agentdesk.domain.enums import OwnerKind

    for kind, ident in (
        (OwnerKind.CONTACT, call.contact_id),
        (OwnerKind.LEAD, call.lead_id),
        (OwnerKind.ACCOUNT, call.account_id),
    ):
        if ident is not None:
            return PartyRef(kind, ident)
    return None


class RecentCallsPanel(QWidget):
    openRequested = Signal(object)  # PartyRef
    dialRequested = Signal(str, object)

    def __init__(
        self, services: DeskServices, executor: Executor, agent: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recentCallsPanel")
        self._services = services
        self._executor = executor
        self._agent = agent
        self.calls: list[RecentCall] = []
        self.labels: dict[str, Label] = {}
        self.tree = QTreeWidget(self)
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(
            [self.tr("When"), self.tr("Who"), self.tr("Number"), self.tr("Talk"), self.tr("Result")]
        )
        for column, width in enumerate((130, 170, 130, 60)):
            self.tree.setColumnWidth(column, width)
        self.tree.itemDoubleClicked.connect(lambda *_: self._open())
        self.emptyLabel = QLabel(self.tr("No calls yet."), self)
        self.emptyLabel.setStyleSheet("color: #666;")
        self.callButton = QPushButton(self.tr("Call back"), self)
        self.callButton.clicked.connect(self._dial)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.callButton)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.emptyLabel)
        layout.addLayout(row)

    def reload(self) -> None:
        calls, records = self._services.calls, self._services.records

        def work() -> tuple[tuple[RecentCall, ...], dict[str, Label]]:
            # Labels are read with the rows: the admin may rename a code between two reloads.
            return calls.recent_calls(self._agent, 50), records.disposition_labels()

        def done(result: tuple[tuple[RecentCall, ...], dict[str, Label]]) -> None:
            self.labels = result[1]
            self._render(result[0])

        run_in_background(self, self._executor, work, done, None)

    def refresh(self, changed: frozenset[str]) -> None:
        if changes.CALLS in changed:
            self.reload()

    def _render(self, calls: tuple[RecentCall, ...]) -> None:
        self.calls = list(calls)
        self.tree.clear()
        for index, call in enumerate(calls):
            arrow = "←" if call.direction.value == "inbound" else "→"
            talk = format_seconds(call.talk_seconds) if call.talk_seconds else ""
            item = QTreeWidgetItem(
                [
                    f"{arrow} {short_when(call.started_at, '')}",
                    call.party_name or self.tr("unknown"),
                    call.remote_e164 or "",
                    talk,
                    self._result(call),
                ]
            )
            if call.disposition_code:
                item.setToolTip(4, call.disposition_code)
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            self.tree.addTopLevelItem(item)
        self.emptyLabel.setVisible(not calls)
        self.tree.setVisible(bool(calls))

    def _result(self, call: RecentCall) -> str:
        if call.disposition_code is None:
            return self.tr("missed")
        label = self.labels.get(call.disposition_code)
        return disposition_text(label) if label else call.disposition_code

    def _current(self) -> RecentCall | None:
        item = self.tree.currentItem()
        return self.calls[int(item.data(0, Qt.ItemDataRole.UserRole))] if item else None

    def _open(self) -> None:
        call = self._current()
        ref = _party(call) if call is not None else None
        if ref is not None:
            self.openRequested.emit(ref)

    def _dial(self) -> None:
        call = self._current()
        if call is not None and call.remote_e164:
            self.dialRequested.emit(call.remote_e164, _party(call))


class SearchPanel(QWidget):
    """Search as you type across name, company, phone and email."""

    openRequested = Signal(object)  # PartyRef
    dialRequested = Signal(str, object)

    def __init__(
        self,
        services: DeskServices,
        executor: Executor,
        agent: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self._services = services
        self._agent = agent  # finds only what the agent's role may read
        self._executor = executor
        self._seq = 0
        self.hits: list[SearchHit] = []
        self.queryEdit = QLineEdit(self)
        self.queryEdit.setPlaceholderText(self.tr("Search name, company, phone or email"))
        self.queryEdit.setClearButtonEnabled(True)
        self.queryEdit.textChanged.connect(self._on_text)
        self.tree = QTreeWidget(self)
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(
            [self.tr("Name"), self.tr("Company"), self.tr("Phone"), self.tr("Email")]
        )
        for column, width in enumerate((170, 160, 130)):
            self.tree.setColumnWidth(column, width)
        self.tree.itemDoubleClicked.connect(lambda *_: self._open())
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.assignAction = QAction(self.tr("Assign selected to…"), self.tree)
        self.assignAction.triggered.connect(self._on_assign)
        self.tree.addAction(self.assignAction)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.statusLabel = QLabel(self.tr("Type at least two letters or a few digits."), self)
        self.statusLabel.setStyleSheet("color: #666;")
        self.callButton = QPushButton(self.tr("Call"), self)
        self.callButton.clicked.connect(self._dial)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(80)
        self._debounce.timeout.connect(self.run_query)
        row = QHBoxLayout()
        row.addWidget(self.statusLabel, 1)
        row.addWidget(self.callButton)
        layout = QVBoxLayout(self)
        layout.addWidget(self.queryEdit)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)

    def _on_text(self, _text: str) -> None:
        self._debounce.start()

    def run_query(self) -> None:
        self._seq += 1
        seq = self._seq
        text = self.queryEdit.text()
        search = self._services.search

        def done(hits: tuple[SearchHit, ...]) -> None:
            if seq != self._seq:
                return  # an older query finished late: the latest one wins
            self._render(hits, text)

        def failed(error: BaseException) -> None:
            if seq == self._seq:
                self.statusLabel.setText(
                    self.tr("Search failed: {e}").format(e=request_error_text(error))
                )

        self.statusLabel.setText(self.tr("Searching…"))
        agent = self._agent

        def work() -> tuple[SearchHit, ...]:
            return search.search(text, 50, viewer=agent)

        run_in_background(self, self._executor, work, done, failed)

    def _render(self, hits: tuple[SearchHit, ...], text: str) -> None:
        self.hits = list(hits)
        self.tree.clear()
        for index, hit in enumerate(hits):
            item = QTreeWidgetItem([hit.name, hit.company or "", hit.phone or "", hit.email or ""])
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            self.tree.addTopLevelItem(item)
        if not text.strip():
            self.statusLabel.setText(self.tr("Type at least two letters or a few digits."))
        else:
            self.statusLabel.setText(self.tr("{n} found").format(n=len(hits)))

    def selected(self) -> list[PartyRef]:
        """The records selected in the results, in list order."""
        rows = sorted(int(i.data(0, Qt.ItemDataRole.UserRole)) for i in self.tree.selectedItems())
        return [PartyRef(self.hits[row].kind, self.hits[row].id) for row in rows]

    def _on_assign(self) -> None:
        if not self.selected():
            return
        records = self._services.records

        def chosen(usernames: tuple[str, ...]) -> None:
            user, ok = QInputDialog.getItem(
                self,
                self.tr("Assign records"),
                self.tr("Give the {n} selected records to:").format(n=len(self.selected())),
                list(usernames),
                0,
                False,
            )
            if ok and user:
                self.assign_selected(user)

        run_in_background(self, self._executor, records.agent_usernames, chosen, self._failed)

    def assign_selected(self, to_user: str) -> None:
        """Give the selected records to ``to_user``; the status line says how it went."""
        refs, records, agent = self.selected(), self._services.records, self._agent

        def done(count: int) -> None:
            self.statusLabel.setText(
                self.tr("{n} records assigned to {user}.").format(n=count, user=to_user)
            )

        self.statusLabel.setText(self.tr("Assigning…"))
        run_in_background(
            self,
            self._executor,
            lambda: records.assign(refs, to_user, actor=agent),
            done,
            self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.statusLabel.setText(request_error_text(error))

    def _current(self) -> SearchHit | None:
        item = self.tree.currentItem()
        return self.hits[int(item.data(0, Qt.ItemDataRole.UserRole))] if item else None

    def _open(self) -> None:
        hit = self._current()
        if hit is not None:
            self.openRequested.emit(PartyRef(hit.kind, hit.id))

    def _dial(self) -> None:
        hit = self._current()
        if hit is not None and hit.phone:
            self.dialRequested.emit(hit.phone, PartyRef(hit.kind, hit.id))
