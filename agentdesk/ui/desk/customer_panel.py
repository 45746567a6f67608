"""The customer panel: the screen pop, the record (editable) and its history timeline."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from agentdesk.app.desk.core import DeskServices
from agentdesk.app.desk.events import ScreenPop
from agentdesk.app.records import SavedEdit
from agentdesk.crm.lookup.summaries import Match
from agentdesk.crm.party_details import PartyDetails, PartyRef, PhoneView
from agentdesk.db.errors import StaleRecordError
from agentdesk.domain import changes
from agentdesk.domain.enums import OwnerKind
from agentdesk.domain.labels import Label
from agentdesk.ui.desk.pop_views import MatchChooser, UnknownCallerCard, show_queue
from agentdesk.ui.desk.record_timeline import CASE_ROLE
from agentdesk.ui.desk.record_view import RecordView
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.background import run_in_background

_REFRESH_ON = frozenset(
    {
        changes.CALLS,
        changes.CALLBACKS,
        changes.CASES,
        changes.OPPORTUNITIES,
        changes.CONTACTS,
        changes.LEADS,
        changes.ACCOUNTS,
    }
)


class CustomerPanel(QStackedWidget):
    """Shows whoever the agent is dealing with. Every database read runs on the executor."""

    popShown = Signal(str)  # call id: the panel is filled for this call's pop
    dialRequested = Signal(str, object)  # number, PartyRef
    partyCreated = Signal(object)  # PartyRef
    partyChosen = Signal(object)  # PartyRef
    noticeRaised = Signal(str)
    partyLoading = Signal(object)  # PartyRef: boxes under the record (sales) follow it
    caseOpenRequested = Signal(object)  # a case's id: View > Cases opens it

    def __init__(
        self,
        services: DeskServices,
        executor: Executor,
        agent: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("customerPanel")
        self._services = services
        self._executor = executor
        self._agent = agent
        self.party: PartyRef | None = None
        self._load_seq = 0

        self.emptyPage = QWidget(self)
        empty = QVBoxLayout(self.emptyPage)
        self.emptyLabel = QLabel(
            self.tr(
                "No caller yet.\nIncoming calls pop the caller's record here; "
                "search results, recent calls and callbacks open here too."
            ),
            self.emptyPage,
        )
        self.emptyLabel.setWordWrap(True)
        self.emptyLabel.setStyleSheet("color: #666; font-size: 11pt;")
        empty.addStretch(1)
        empty.addWidget(self.emptyLabel)
        empty.addStretch(2)
        self.unknownCard = UnknownCallerCard(self)
        self.chooser = MatchChooser(self)
        self.recordView = RecordView(self)
        for page in (self.emptyPage, self.unknownCard, self.chooser, self.recordView):
            self.addWidget(page)

        self.unknownCard.createRequested.connect(self._on_unknown_create)
        self.chooser.chosen.connect(self._on_chooser_chosen)
        self.recordView.dialRequested.connect(
            lambda number: self.dialRequested.emit(number, self.party)
        )
        self.recordView.saveRequested.connect(self._on_record_save)
        self.recordView.phoneAddRequested.connect(self._on_phone_add)
        self.recordView.phoneRemoveRequested.connect(self._on_phone_remove)
        self.recordView.playRequested.connect(self._on_play)
        self.recordView.timeline.itemDoubleClicked.connect(
            lambda item, _: self._open_case(item.data(0, CASE_ROLE))
        )
        # The pop shows the caller's last calls before the full record loads: with labels.
        run_in_background(
            self,
            executor,
            services.records.disposition_labels,
            self._on_labels,
            None,
        )

    def _on_labels(self, labels: dict[str, Label]) -> None:
        self.recordView.dispositionLabels = labels

    # -- what to show --------------------------------------------------------------------------

    def show_pop(self, pop: ScreenPop) -> None:
        for view in (self.recordView, self.chooser, self.unknownCard):
            show_queue(view.queueLabel, pop.queue)
        if pop.kind == "one" and pop.chosen is not None:
            self._show_match(pop.chosen)
        elif pop.kind == "unavailable":
            self.party = None
            self.unknownCard.show_unavailable(pop.number)
            self.setCurrentWidget(self.unknownCard)
        elif pop.kind == "several":
            self.party = None
            self.chooser.show_matches(pop.number, pop.matches)
            self.setCurrentWidget(self.chooser)
        else:
            self.party = None
            self.unknownCard.show_number(pop.number, pop.inbound)
            self.setCurrentWidget(self.unknownCard)
        self.popShown.emit(pop.call_id)

    def _show_match(self, match: Match) -> None:
        # The pop's own data first (no wait), the full record right after.
        self.party = PartyRef(match.kind, match.id)
        self.recordView.show_match(match)
        self.setCurrentWidget(self.recordView)
        self.load(self.party)

    def show_party(self, ref: PartyRef) -> None:
        self.party = ref
        self.recordView.show_loading()
        self.setCurrentWidget(self.recordView)
        self.load(ref)

    def clear(self) -> None:
        self.party = None
        self.setCurrentWidget(self.emptyPage)

    def refresh(self, changed: frozenset[str]) -> None:
        """Reload the record only when a kind of data it shows changed."""
        if self.party is not None and changed & _REFRESH_ON:
            self.load(self.party)

    def load(self, ref: PartyRef) -> None:
        self._load_seq += 1
        self.partyLoading.emit(ref)
        seq = self._load_seq

        def loaded(result: tuple[PartyDetails, dict[str, Label]]) -> None:
            details, labels = result
            self.recordView.dispositionLabels = labels
            if seq == self._load_seq and self.party == ref:
                self.recordView.show_details(details)

        def failed(error: BaseException) -> None:
            if seq == self._load_seq:
                self.noticeRaised.emit(
                    self.tr("Cannot load the record: {e}").format(e=request_error_text(error))
                )

        records = self._services.records

        def work() -> tuple[PartyDetails, dict[str, Label]]:
            # The labels the next pop shows, read again with each record: an admin may have
            # added or renamed a code since the desk started.
            return records.details(ref, viewer=self._agent), records.disposition_labels()

        run_in_background(self, self._executor, work, loaded, failed)

    # -- actions -------------------------------------------------------------------------------

    def _on_chooser_chosen(self, match: Match) -> None:
        self._show_match(match)
        self.partyChosen.emit(PartyRef(match.kind, match.id))

    def _on_unknown_create(self, kind: OwnerKind, fields: dict[str, str]) -> None:
        def work() -> PartyRef:
            return self._services.records.create_party(
                kind,
                first_name=fields["first_name"],
                last_name=fields["last_name"],
                phone=fields["phone"],
                company=fields["company"] or None,
                actor=self._agent,
            )

        def created(ref: PartyRef) -> None:
            self.show_party(ref)
            self.partyCreated.emit(ref)

        def failed(error: BaseException) -> None:
            self.unknownCard.errorLabel.setText(request_error_text(error))

        run_in_background(self, self._executor, work, created, failed)

    def _on_record_save(self, ref: PartyRef, version: int, changes: dict[str, Any]) -> None:
        view = self.recordView
        records = self._services.records

        def work() -> SavedEdit:
            return records.save_party(ref, version, changes, actor=self._agent)

        def saved(result: SavedEdit) -> None:
            if self.party != result.ref:
                return  # the agent moved on to another record while this one saved
            view.saved(result.version)
            self.load(result.ref)

        def failed(error: BaseException) -> None:
            if self.party == ref:
                view.save_failed(error)
            else:
                self.noticeRaised.emit(
                    self.tr("Not saved: {e}").format(e=request_error_text(error))
                )

        run_in_background(self, self._executor, work, saved, failed)

    def _on_phone_add(self, ref: PartyRef, number: str, kind: str) -> None:
        records = self._services.records

        def added(_: object) -> None:
            if self.party == ref:
                self.recordView.phones_changed(self.tr("Number added."))
                self.load(ref)

        self._phone_job(ref, lambda: records.add_phone(ref, number, kind, actor=self._agent), added)

    def _on_phone_remove(self, ref: PartyRef, phone: PhoneView) -> None:
        records = self._services.records

        def removed(_: object) -> None:
            if self.party == ref:
                self.recordView.phones_changed(self.tr("Number removed."))
                self.load(ref)

        self._phone_job(ref, lambda: records.remove_phone(phone, actor=self._agent), removed)

    def _phone_job(
        self, ref: PartyRef, work: Callable[[], object], done: Callable[[object], None]
    ) -> None:
        def failed(error: BaseException) -> None:
            if self.party == ref:
                self.recordView.phone_failed(error)
                if isinstance(error, StaleRecordError):
                    self.load(ref)  # show the numbers as they are now

        run_in_background(self, self._executor, work, done, failed)

    def _on_play(self, path: str) -> None:
        # QtMultimedia is not in PySide6-Essentials: the system player opens the WAV.
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(path)):
            self.noticeRaised.emit(self.tr("No player for {path}").format(path=path))

    def _open_case(self, case_id: object) -> None:
        if case_id is not None:
            self.caseOpenRequested.emit(case_id)
