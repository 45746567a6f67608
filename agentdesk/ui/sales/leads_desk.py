"""The leads on the desk: View > Leads… opens the Leads window, and a "Convert lead" button in
the status bar is offered while the customer panel shows a lead popped by a call (or chosen
among a number's matches). Converting shows the new contact in the panel.

Kept apart from the customer panel (whose sales part is another screen's): it only listens
to the panel's ``popShown`` and ``partyChosen`` signals and reads its ``party``.
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPushButton

from agentdesk.app.leads import LeadsService
from agentdesk.crm.party_details import PartyRef
from agentdesk.domain.enums import OwnerKind
from agentdesk.sales.lead_convert import Conversion
from agentdesk.ui.sales.leads_window import LeadsWindow
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.background import run_in_background

if TYPE_CHECKING:
    from agentdesk.ui.shell.main_window import MainWindow


class LeadsDesk(QObject):
    def __init__(self, window: MainWindow, service: LeadsService, executor: Executor) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._executor = executor
        self.leadsWindow: LeadsWindow | None = None
        self.lead: PartyRef | None = None
        """The popped lead the button would convert."""
        self.convertButton = QPushButton(self.tr("Convert lead"), window)
        self.convertButton.setObjectName("convertLeadButton")
        self.convertButton.setToolTip(
            self.tr("Make this lead an account, a contact and an opportunity")
        )
        self.convertButton.setVisible(False)
        self.convertButton.clicked.connect(self.convert_popped)
        window.statusBar().addPermanentWidget(self.convertButton)
        panel = window.customerPanel
        panel.popShown.connect(lambda _call_id: self.offer(panel.party))
        panel.partyChosen.connect(self.offer)

    def open(self) -> LeadsWindow:
        if self.leadsWindow is None:
            self.leadsWindow = LeadsWindow(self._service, self._executor, self._window)
        self.leadsWindow.start()
        self.leadsWindow.show()
        self.leadsWindow.raise_()
        return self.leadsWindow

    def offer(self, party: PartyRef | None) -> None:
        """Offer Convert for a lead, hide it for anything else."""
        self.lead = party if party is not None and party.kind is OwnerKind.LEAD else None
        self.convertButton.setVisible(self.lead is not None)

    def convert_popped(self) -> None:
        lead = self.lead
        if lead is None:
            return
        self.convertButton.setEnabled(False)

        def done(conversions: list[Conversion]) -> None:
            self.convertButton.setEnabled(True)
            self.offer(None)
            self._window.notify(self.tr("Lead converted: its contact is shown."))
            contact = PartyRef(OwnerKind.CONTACT, conversions[0].contact_id)
            self._window.customerPanel.show_party(contact)

        def failed(error: BaseException) -> None:
            self.convertButton.setEnabled(True)
            self._window.notify(request_error_text(error), error=True)

        run_in_background(
            self, self._executor, lambda: self._service.convert([lead.id]), done, failed
        )
