"""The quote editor: account, price list, currency and lines; unit prices, tax and the totals
come live from the sales service and ``sales.money`` (the UI computes no amount). Saving a
new quote creates it; saving a draft changes it; saving a sent quote makes its next revision.
Status changes and print / save as PDF (the audited printing service) are buttons here."""

from __future__ import annotations

import uuid
from concurrent.futures import Executor
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.sales import Catalogue, OrderScreen, Priced, SalesService
from agentdesk.sales.catalogue import plain
from agentdesk.sales.documents import DocumentView, LineRequest
from agentdesk.sales.money import MINOR_UNITS, MoneyError, Totals
from agentdesk.sales.opportunity_parties import PartyChoice
from agentdesk.sales.quote_preview import QuoteHeader
from agentdesk.sales.quotes import QuoteRequest
from agentdesk.sales.status import QuoteStatus
from agentdesk.ui.sales.common import (
    NO_DATE,
    TOTAL_STYLE,
    SalesJobs,
    message_label,
    money_text,
    optional_date_edit,
    optional_day,
    status_text,
    to_qdate,
)
from agentdesk.ui.sales.order_dialog import OrderDialog
from agentdesk.ui.sales.pickers import PartyPicker, find_contacts
from agentdesk.ui.sales.quote_lines import LinesTable
from agentdesk.ui.shell.i18n import ui_language

PREVIEW_DELAY_MS = 250


class QuoteEditor(QDialog):
    def __init__(
        self,
        service: SalesService,
        executor: Executor,
        parent: QWidget | None = None,
        *,
        account: str | None = None,
        account_id: str | None = None,
        contact: str | None = None,
        contact_name: str | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Quote"))
        self.resize(980, 620)
        self._executor = executor
        self.message = message_label(self, "quoteMessage")
        self.jobs = SalesJobs(self, service, executor, self.message)
        self.number: str | None = None
        self.quote: DocumentView | None = None
        self.totals: Totals | None = None
        self.account_id = account_id
        self.changeable = True
        """Whether the role may change this quote: read-only otherwise."""
        """The party's account from a call: the name is shown, the id is what is saved."""
        self.language = language or ui_language() or "en"
        """The PDF's language: the UI's unless given (``en`` or ``zh_CN``)."""
        self._seq = 0
        self._list_currency: dict[str, str] = {}

        self.titleLabel = QLabel(self.tr("New quote"), self)
        self.titleLabel.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.accountEdit = QLineEdit(account or "", self)
        self.accountEdit.setPlaceholderText(self.tr("Account name or id"))
        self.priceListCombo = QComboBox(self)
        self.priceListCombo.addItem(self.tr("Standard prices"), None)
        self.currencyCombo = QComboBox(self)
        for code in sorted(MINOR_UNITS):
            self.currencyCombo.addItem(code, code)
        self.currencyCombo.setCurrentIndex(self.currencyCombo.findData("CNY"))
        # the contact among the account's people (the typed account's, or the party's)
        self.contactPicker = PartyPicker(
            self.jobs,
            find_contacts,
            self.tr("Contact's name or phone"),
            self,
            within=self._contacts_of,
        )
        if contact is not None:
            self.contactPicker.set_choice(PartyChoice(uuid.UUID(contact), contact_name or ""))
        self.accountEdit.textEdited.connect(lambda _t: self.contactPicker.set_choice(None))
        self.validEdit = optional_date_edit(self, self.tr("no date"))
        self.termsEdit = QLineEdit(self)
        self.termsEdit.setPlaceholderText(self.tr("Payment and delivery terms"))
        form = QFormLayout()
        form.addRow(self.tr("Account:"), self.accountEdit)
        form.addRow(self.tr("Contact:"), self.contactPicker)
        prices = QHBoxLayout()
        prices.addWidget(self.priceListCombo, 1)
        for text, widget in ((self.tr("Currency:"), self.currencyCombo),
                             (self.tr("Valid until:"), self.validEdit)):  # fmt: skip
            prices.addSpacing(12)
            prices.addWidget(QLabel(text, self))
            prices.addWidget(widget)
        form.addRow(self.tr("Price list:"), prices)
        form.addRow(self.tr("Terms:"), self.termsEdit)

        self.lines = LinesTable(self)
        self.addButton = QPushButton(self.tr("Add line"), self)
        self.removeButton = QPushButton(self.tr("Remove line"), self)
        self.netLabel = QLabel(self)
        self.taxLabel = QLabel(self)
        self.grossLabel = QLabel(self)
        self.grossLabel.setStyleSheet(TOTAL_STYLE)
        lineButtons = QHBoxLayout()
        lineButtons.addWidget(self.addButton)
        lineButtons.addWidget(self.removeButton)
        lineButtons.addStretch(1)
        for label in (self.netLabel, self.taxLabel, self.grossLabel):
            lineButtons.addSpacing(16)
            lineButtons.addWidget(label)

        self.saveButton = QPushButton(self.tr("Save"), self)
        self.sendButton = QPushButton(self.tr("Mark sent"), self)
        self.acceptButton = QPushButton(self.tr("Accepted"), self)
        self.rejectButton = QPushButton(self.tr("Rejected"), self)
        self.pdfButton = QPushButton(self.tr("Save as PDF…"), self)
        self.orderButton = QPushButton(self.tr("Create order"), self)
        self.orders: list[QDialog] = []
        self.closeButton = QPushButton(self.tr("Close"), self)
        actions = QHBoxLayout()
        for button in (
            self.sendButton,
            self.acceptButton,
            self.rejectButton,
            self.pdfButton,
            self.orderButton,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.saveButton)
        actions.addWidget(self.closeButton)

        layout = QVBoxLayout(self)
        layout.addWidget(self.titleLabel)
        layout.addLayout(form)
        layout.addWidget(self.lines, 1)
        layout.addLayout(lineButtons)
        layout.addWidget(self.message)
        layout.addSpacing(6)
        layout.addLayout(actions)

        self.previewTimer = QTimer(self)
        self.previewTimer.setSingleShot(True)
        self.previewTimer.setInterval(PREVIEW_DELAY_MS)
        self.previewTimer.timeout.connect(self.preview)
        self.lines.edited.connect(self.previewTimer.start)
        self.priceListCombo.currentIndexChanged.connect(self._on_price_list)
        self.currencyCombo.currentIndexChanged.connect(lambda _i: self.previewTimer.start())
        self.addButton.clicked.connect(lambda: self.lines.add_line())
        self.removeButton.clicked.connect(self.lines.remove_selected)
        self.saveButton.clicked.connect(self.save)
        self.sendButton.clicked.connect(lambda: self.set_status(QuoteStatus.SENT))
        self.acceptButton.clicked.connect(lambda: self.set_status(QuoteStatus.ACCEPTED))
        self.rejectButton.clicked.connect(lambda: self.set_status(QuoteStatus.REJECTED))
        self.pdfButton.clicked.connect(self.ask_pdf)
        self.orderButton.clicked.connect(self.create_order)
        self.closeButton.clicked.connect(self.close)
        self._show_totals(None)
        self._buttons()

    @property
    def pending(self) -> int:
        """Jobs not finished, a preview waiting for its timer counted as one."""
        return self.jobs.pending + int(self.previewTimer.isActive()) + self.contactPicker.pending

    @property
    def contact(self) -> str | None:
        """The chosen contact's id, as the quote is saved with it."""
        chosen = self.contactPicker.choice_id
        return str(chosen) if chosen is not None else None

    def _contacts_of(self) -> str | None:
        """The account whose people the contact picker searches (on the GUI thread)."""
        return self.account_id or self.accountEdit.text().strip() or None

    def start(self, number: str | None = None) -> None:
        """Read the catalogue, then quote ``number`` (or start a new one with one line)."""
        self.jobs.run(lambda service: service.catalogue(), lambda c: self._on_catalogue(c, number))

    def _on_catalogue(self, catalogue: Catalogue, number: str | None) -> None:
        self.lines.set_products(catalogue.products)
        for name, code in catalogue.price_lists:
            self._list_currency[name] = code
            self.priceListCombo.addItem(f"{name} ({code})", name)
        if number is None:
            self.lines.add_line()
        else:

            def read(service: SalesService) -> tuple[DocumentView, QuoteHeader]:
                return service.show_quote(number), service.quote_header(number)

            self.jobs.run(read, self._on_quote)

    def _on_quote(self, result: tuple[DocumentView, QuoteHeader]) -> None:
        view, header = result
        self.changeable = header.changeable
        contact = header.contact_id
        self.contactPicker.set_choice(
            PartyChoice(contact, header.contact or "") if contact is not None else None
        )
        self.priceListCombo.blockSignals(True)
        self.priceListCombo.setCurrentIndex(max(0, self.priceListCombo.findData(header.price_list)))
        self.priceListCombo.blockSignals(False)
        self.validEdit.setDate(to_qdate(header.valid_until) if header.valid_until else NO_DATE)
        self.show_quote(view)

    def _on_price_list(self, _index: int) -> None:
        code = self._list_currency.get(self.priceListCombo.currentData())
        if code is not None:  # a price list prices in its own currency
            self.currencyCombo.setCurrentIndex(self.currencyCombo.findData(code))
        self.previewTimer.start()

    def show_quote(self, view: DocumentView) -> None:
        self.quote = view
        self.number = view.number
        self.titleLabel.setText(
            self.tr("Quote {number} · revision {revision} · {status}").format(
                number=view.number, revision=view.revision, status=status_text(view.status)
            )
        )
        self.accountEdit.setText(view.account)
        self.termsEdit.setText(view.terms or "")
        self.currencyCombo.setCurrentIndex(self.currencyCombo.findData(view.currency))
        self.lines.setRowCount(0)
        for line in view.lines:
            self.lines.add_line(line.code, plain(line.quantity), plain(line.discount_pct))
        self._buttons()
        self.preview()

    def _buttons(self) -> None:
        status = QuoteStatus(self.quote.status) if self.quote else None
        for widget in (self.priceListCombo, self.currencyCombo, self.validEdit):
            widget.setEnabled(self.quote is None)
        # read-only rather than disabled: the text stays readable
        self.accountEdit.setReadOnly(self.quote is not None or self.account_id is not None)
        self.termsEdit.setReadOnly(self.quote is not None)
        editable = self.changeable and status in (None, QuoteStatus.DRAFT, QuoteStatus.SENT)
        self.lines.set_read_only(not editable)
        self.contactPicker.set_read_only(not editable)  # saved with the lines
        for button in (self.addButton, self.removeButton, self.saveButton):
            button.setEnabled(editable)
        if status is QuoteStatus.SENT:
            self.saveButton.setText(self.tr("Save as new revision"))
        self.sendButton.setEnabled(self.changeable and status is QuoteStatus.DRAFT)
        self.acceptButton.setEnabled(self.changeable and status is QuoteStatus.SENT)
        self.rejectButton.setEnabled(self.changeable and status is QuoteStatus.SENT)
        self.pdfButton.setEnabled(status is not None)
        self.orderButton.setVisible(status is QuoteStatus.ACCEPTED)

    # -- live totals -------------------------------------------------------------------------

    def _requests(self) -> list[LineRequest] | None:
        try:
            return self.lines.requests()
        except MoneyError:
            self.jobs.say(self.tr("Quantity and discount must be numbers above zero."), error=True)
            return None

    def preview(self) -> None:
        """Price the lines through the service; only the newest answer is shown."""
        requests = self._requests()
        if not requests:
            self._show_totals(None)
            return
        self._seq += 1
        seq, number = self._seq, self.number
        plist, code = self.priceListCombo.currentData(), self.currencyCombo.currentData()

        def work(service: SalesService) -> Priced:
            if number is not None:
                return service.price(requests, quote_number=number)
            return service.price(requests, price_list=plist, currency_code=code)

        def done(priced: Priced) -> None:
            if seq != self._seq or len(requests) != self.lines.rowCount():
                return
            prices = priced.preview.prices
            self.lines.show_prices(
                [p.name for p in prices],
                [p.unit_price for p in prices],
                [p.tax_rate for p in prices],
                priced.totals.lines,
            )
            self._show_totals(priced.totals)

        self.jobs.run(work, done)

    def _show_totals(self, totals: Totals | None) -> None:
        self.totals = totals
        code = totals.currency.code if totals else ""
        net = money_text(totals.net, code) if totals else "—"
        tax = money_text(totals.tax, code) if totals else "—"
        gross = money_text(totals.gross, code) if totals else "—"
        self.netLabel.setText(self.tr("Net: {amount}").format(amount=net))
        self.taxLabel.setText(self.tr("Tax: {amount}").format(amount=tax))
        self.grossLabel.setText(self.tr("Gross: {amount}").format(amount=gross))

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> None:
        requests = self._requests()
        if requests is None:
            return
        number = self.number
        if number is None:
            request = QuoteRequest(
                account=self.account_id or self.accountEdit.text().strip(),
                lines=requests,
                contact=self.contact,
                price_list=self.priceListCombo.currentData(),
                currency=self.currencyCombo.currentData(),
                valid_until=optional_day(self.validEdit),
                terms=self.termsEdit.text().strip() or None,
            )

            def create(service: SalesService) -> DocumentView:
                return service.create_quote(request)

            self.jobs.run(create, self._saved, controls=[self.saveButton])
        else:
            contact = self.contact
            self.jobs.run(
                lambda service: service.revise_quote(number, requests, contact),
                self._saved,
                controls=[self.saveButton],
            )

    def _saved(self, view: DocumentView) -> None:
        self.show_quote(view)
        self.jobs.say(self.tr("Quote {number} saved.").format(number=view.number))

    def set_status(self, status: QuoteStatus) -> None:
        number = self.number
        if number is None:
            return
        self.jobs.run(lambda service: service.set_quote_status(number, status), self._saved)

    def create_order(self) -> None:
        """The accepted quote as a draft order (its lines copied), opened."""
        number = self.number
        if number is None:
            return

        def opened(screen: OrderScreen) -> None:
            dialog = OrderDialog(self.jobs.service, self._executor, self)
            self.orders.append(dialog)
            dialog.show_order(screen)
            dialog.start(screen.order.number)
            dialog.show()

        self.jobs.run(lambda service: service.order_from_quote(number), opened)

    def ask_pdf(self) -> None:
        if self.number is None:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save quote as PDF"), f"{self.number}.pdf", self.tr("PDF (*.pdf)")
        )
        if name:
            self.save_pdf(Path(name))

    def save_pdf(self, path: Path) -> None:
        """Print the quote to ``path`` through the audited printing service."""
        number, lang = self.number, self.language
        if number is None:
            return

        def done(out: Path) -> None:
            self.jobs.say(self.tr("Saved {file}.").format(file=out.name))

        self.jobs.run(lambda service: service.print_quote(number, path, lang), done)
