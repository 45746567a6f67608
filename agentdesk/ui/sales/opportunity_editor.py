"""The opportunity editor: name, account and contact (pickers), amount typed or from product
lines, close date, owner, stage, probability (``probability_field``), next step, the stage
history. Opened on an opportunity (double-click on the board, the list, the desk's sales box)
or empty for a new one.

The stages and their probabilities come from the sales service (the admin's order); the
prices and line nets from the service too (the UI computes no amount). Saving names the
version read: when someone saved meanwhile the editor says so and keeps the form.
"""

from __future__ import annotations

import uuid
from concurrent.futures import Executor
from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.sales import OpportunityChoices, SalesService
from agentdesk.db.errors import StaleRecordError
from agentdesk.domain.access import Action, RecordKind, Refusal
from agentdesk.sales.catalogue import plain
from agentdesk.sales.documents import LineRequest
from agentdesk.sales.money import MoneyError, parse_decimal
from agentdesk.sales.opportunity_edit import OpportunityDetail, OpportunityForm, StageChoice
from agentdesk.sales.opportunity_lines import LinePrice
from agentdesk.sales.opportunity_parties import PartyChoice
from agentdesk.ui.sales.common import (
    TOTAL_STYLE,
    SalesJobs,
    date_edit,
    from_qdate,
    message_label,
    money_text,
    row_widget,
    single_shot,
    to_qdate,
)
from agentdesk.ui.sales.opportunity_history import HistoryTable
from agentdesk.ui.sales.pickers import PartyPicker, find_accounts, find_contacts
from agentdesk.ui.sales.probability_field import ProbabilityField
from agentdesk.ui.sales.quote_lines import DESCRIPTION, NET, TAX, UNIT_PRICE, LinesTable
from agentdesk.ui.sales.stage_combo import StageCombo
from agentdesk.ui.shell.access_labels import refusal_text

NEW_CURRENCY = "CNY"
BANNER_STYLE = "background: #fff3cd; padding: 6px; border-radius: 4px;"


class OpportunityEditor(QDialog):
    """Emits ``saved`` with the :class:`OpportunityDetail` after each save."""

    saved = Signal(object)

    def __init__(
        self,
        service: SalesService,
        executor: Executor,
        parent: QWidget | None = None,
        *,
        account: PartyChoice | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Opportunity"))
        self.resize(1060, 700)
        self.message = message_label(self, "opportunityMessage")
        self.jobs = SalesJobs(self, service, executor, self.message)
        self.detail: OpportunityDetail | None = None
        self.stages: tuple[StageChoice, ...] = ()  # every stage, retired too (start, reload)
        self.currency = NEW_CURRENCY
        self._seq = 0
        self.titleLabel = QLabel(self.tr("New opportunity"), self)
        self.titleLabel.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.banner = QLabel(self)
        self.banner.setObjectName("opportunityReadOnly")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.nameEdit = QLineEdit(self)
        self.accountPicker = PartyPicker(self.jobs, find_accounts, self.tr("Search accounts"), self)
        self.contactPicker = PartyPicker(
            self.jobs, find_contacts, self.tr("Name or phone"), self, within=self._contacts_of
        )
        self.accountPicker.set_choice(account)
        self.accountPicker.chosen.connect(lambda _c: self.contactPicker.set_choice(None))
        self.amountEdit = QLineEdit(self)
        self.amountEdit.setPlaceholderText("10,000.00")
        self.amountNote = QLabel(self)
        self.amountNote.setStyleSheet("color: #5f6368;")
        self.closeEdit = date_edit(self, date.today() + timedelta(days=30))
        self.ownerCombo = QComboBox(self)
        self.stageCombo = StageCombo(self)
        # filled after the first show
        self.ownerCombo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.probability = ProbabilityField(self)
        self.probabilitySpin = self.probability.spin
        self.probabilityNote = self.probability.note
        self.clearButton = self.probability.clearButton
        self.nextEdit = QLineEdit(self)
        self.nextEdit.setPlaceholderText(self.tr("What happens next, and when"))
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.nameEdit)
        form.addRow(self.tr("Account:"), self.accountPicker)
        form.addRow(self.tr("Contact:"), self.contactPicker)
        form.addRow(self.tr("Amount:"), row_widget(self, self.amountEdit, self.amountNote))
        form.addRow(self.tr("Close date:"), row_widget(self, self.closeEdit))
        form.addRow(self.tr("Owner:"), row_widget(self, self.ownerCombo))
        form.addRow(self.tr("Stage:"), row_widget(self, self.stageCombo))
        form.addRow(self.tr("Probability:"), self.probability)
        form.addRow(self.tr("Next step:"), self.nextEdit)
        self.history = HistoryTable(self)
        historyBox = QGroupBox(self.tr("Stage history"), self)
        QVBoxLayout(historyBox).addWidget(self.history)
        top = QHBoxLayout()
        top.addLayout(form, 3)
        top.addWidget(historyBox, 2)
        self.lines = LinesTable(self, typed_prices=True)
        self.lines.setColumnHidden(TAX, True)  # an opportunity is a net figure
        self.addButton = QPushButton(self.tr("Add line"), self)
        self.removeButton = QPushButton(self.tr("Remove line"), self)
        self.totalLabel = QLabel(self)
        self.totalLabel.setStyleSheet(TOTAL_STYLE)
        lineButtons = QHBoxLayout()
        lineButtons.addWidget(self.addButton)
        lineButtons.addWidget(self.removeButton)
        lineButtons.addStretch(1)
        lineButtons.addWidget(self.totalLabel)
        linesBox = QGroupBox(self.tr("Product lines"), self)
        linesLayout = QVBoxLayout(linesBox)
        linesLayout.addWidget(self.lines, 1)
        linesLayout.addLayout(lineButtons)
        self.saveButton = QPushButton(self.tr("Save"), self)
        self.reloadButton = QPushButton(self.tr("Reload"), self)
        self.reloadButton.hide()
        self.closeButton = QPushButton(self.tr("Close"), self)
        actions = QHBoxLayout()
        actions.addWidget(self.reloadButton)
        actions.addStretch(1)
        actions.addWidget(self.saveButton)
        actions.addWidget(self.closeButton)
        layout = QVBoxLayout(self)
        layout.addWidget(self.titleLabel)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(linesBox, 1)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        self.previewTimer = single_shot(self, 250, self.preview)
        self.lines.edited.connect(self.previewTimer.start)
        self.addButton.clicked.connect(lambda: self.lines.add_line())
        self.removeButton.clicked.connect(self.lines.remove_selected)
        self.stageCombo.currentIndexChanged.connect(lambda _i: self._show_probability())
        self.saveButton.clicked.connect(self.save)
        self.reloadButton.clicked.connect(self.reload)
        self.closeButton.clicked.connect(self.close)
        self._show_total(None)

    @property
    def pending(self) -> int:
        pickers = self.accountPicker.pending + self.contactPicker.pending
        return self.jobs.pending + pickers + int(self.previewTimer.isActive())

    def _contacts_of(self) -> str | None:
        """The account whose people the contact picker searches (on the GUI thread)."""
        account = self.accountPicker.choice_id
        return str(account) if account is not None else None

    # -- reading -----------------------------------------------------------------------------

    def start(self, opportunity: uuid.UUID | None = None) -> None:
        """Read the stages, owners and products, then ``opportunity`` (or start a new one)."""

        def work(service: SalesService) -> tuple[OpportunityChoices, OpportunityDetail | None]:
            choices = service.opportunity_choices()
            return choices, service.opportunity(opportunity) if opportunity else None

        self.jobs.run(work, self._on_start)

    def _on_start(self, result: tuple[OpportunityChoices, OpportunityDetail | None]) -> None:
        choices, detail = result
        self.lines.set_products(choices.products)
        self.stages = choices.stages
        self.ownerCombo.addItem(self.tr("Me"), None)
        for name in choices.owners:
            self.ownerCombo.addItem(name, name)
        self.ownerCombo.setEnabled(choices.may_reassign)
        if detail is not None:
            self.show_detail(detail)
        else:
            self.stageCombo.set_stages(self.stages, None)  # a new one enters an active stage
            self._show_probability()

    def reload(self) -> None:
        """The opportunity and the stages again (the admin may have changed them)."""
        if self.detail is not None:
            opportunity = self.detail.id

            def work(service: SalesService) -> tuple[tuple[StageChoice, ...], OpportunityDetail]:
                return service.editor_stages(), service.opportunity(opportunity)

            self.jobs.run(work, lambda read: self.show_detail(read[1], read[0]))

    def show_detail(self, detail: OpportunityDetail, stages: tuple[StageChoice, ...] = ()) -> None:
        self.detail, self.stages = detail, stages or self.stages
        self.currency = detail.currency
        self.reloadButton.hide()
        self.titleLabel.setText(self.tr("Opportunity {name}").format(name=detail.name))
        self.nameEdit.setText(detail.name)
        account = (
            PartyChoice(detail.account_id, detail.account or "") if detail.account_id else None
        )
        self.accountPicker.set_choice(account)
        contact = (
            PartyChoice(detail.contact_id, detail.contact or "") if detail.contact_id else None
        )
        self.contactPicker.set_choice(contact)
        self.amountEdit.setText(f"{detail.amount:,}" if detail.amount is not None else "")
        if detail.close_date is not None:
            self.closeEdit.setDate(to_qdate(detail.close_date))
        if self.ownerCombo.count() and self.ownerCombo.itemData(0) is None:
            # a saved one keeps its owner unless another is chosen: not "me", nobody or none
            if detail.owner:
                self.ownerCombo.removeItem(0)
            else:
                self.ownerCombo.setItemText(0, self.tr("Nobody"))
        owner = self.ownerCombo.findData(detail.owner) if detail.owner else 0
        if owner < 0 and detail.owner:
            self.ownerCombo.addItem(detail.owner, detail.owner)
            owner = self.ownerCombo.count() - 1
        self.ownerCombo.setCurrentIndex(max(owner, 0))
        self.probability.override = detail.probability_override
        self.stageCombo.set_stages(self.stages, detail.stage)
        self.nextEdit.setText(detail.next_step or "")
        self.lines.blockSignals(True)  # one preview below, not one a line
        self.lines.setRowCount(0)
        for line in detail.lines:
            self.lines.add_line(
                line.code, plain(line.quantity), plain(line.discount_pct), f"{line.unit_price:,}"
            )
        self.lines.blockSignals(False)
        self.history.show_moves(detail.history)
        self._show_probability()
        self._read_only(not detail.editable)
        self.preview()

    def _read_only(self, read_only: bool) -> None:
        refusal = Refusal(Action.UPDATE, RecordKind.OPPORTUNITIES)
        self.banner.setText(refusal_text(refusal) if read_only else "")
        self.banner.setVisible(read_only)
        for edit in (self.nameEdit, self.amountEdit, self.nextEdit):
            edit.setReadOnly(read_only)
        for picker in (self.accountPicker, self.contactPicker):
            picker.set_read_only(read_only)
        for widget in (self.closeEdit, self.stageCombo, self.addButton, self.removeButton,
                       self.saveButton):  # fmt: skip
            widget.setEnabled(not read_only)
        self.probability.show_stage(self.probability.stage, editable=not read_only)
        self.lines.set_read_only(read_only)
        if read_only:
            self.ownerCombo.setEnabled(False)

    # -- probability -------------------------------------------------------------------------

    def _show_probability(self) -> None:
        self.probability.show_stage(self.stageCombo.choice)

    def clear_override(self) -> None:
        self.probability.clear_override()

    # -- lines and amount --------------------------------------------------------------------

    def _requests(self) -> tuple[list[LineRequest], list[Decimal | None]] | None:
        """The lines and the unit prices typed on them, or ``None`` with the reason said."""
        try:
            return self.lines.requests(), self.lines.prices()
        except MoneyError:
            self.jobs.say(self.tr("Quantity, price and discount must be numbers."), error=True)
            return None

    def preview(self) -> None:
        """The lines priced by the service as a save stores them; their sum is the amount."""
        typed = self._requests()
        requests, prices = typed if typed is not None else ([], [])
        locked = self.detail is not None and not self.detail.editable
        self.amountEdit.setReadOnly(bool(requests) or locked)
        if not requests:
            self._show_total(None)
            return
        self._seq += 1
        seq, code = self._seq, self.currency

        def done(priced: tuple[LinePrice, ...]) -> None:
            if seq != self._seq or len(requests) != self.lines.rowCount():
                return
            for row, line in enumerate(priced):
                self.lines.set_cell(row, DESCRIPTION, line.name)
                self.lines.set_cell(row, UNIT_PRICE, f"{line.unit_price:,}")
                self.lines.set_cell(row, NET, f"{line.net:,}")
            total = sum((line.net for line in priced), Decimal(0))
            self.amountEdit.setText(f"{total:,}")
            self._show_total(total)

        self.jobs.run(lambda service: service.price_opportunity(code, requests, prices), done)

    def _show_total(self, total: Decimal | None) -> None:
        if total is None:
            self.amountNote.setText(self.currency)
            self.totalLabel.setText("")
            return
        self.amountNote.setText(self.tr("{currency}, the sum of the lines").format(
            currency=self.currency))  # fmt: skip
        amount = money_text(total, self.currency)
        self.totalLabel.setText(self.tr("Lines: {amount}").format(amount=amount))

    # -- saving ------------------------------------------------------------------------------

    def form(self) -> OpportunityForm | None:
        """The form as typed, or ``None`` with the reason said."""
        account = self.accountPicker.choice_id
        if account is None:
            self.jobs.say(self.tr("Choose the account."), error=True)
            return None
        typed = self._requests()
        if typed is None:
            return None
        requests, prices = typed
        amount = None
        if not requests:
            try:
                amount = parse_decimal(self.amountEdit.text() or "0", "amount")
            except MoneyError:
                self.jobs.say(self.tr("The amount must be a number."), error=True)
                return None
        choice = self.stageCombo.choice
        if choice is None:
            return None
        return OpportunityForm(
            name=self.nameEdit.text(),
            account_id=account,
            stage=choice.stage,
            close=from_qdate(self.closeEdit.date()),
            contact_id=self.contactPicker.choice_id,
            amount=amount,
            lines=tuple(requests),
            prices=tuple(prices),
            owner=self.ownerCombo.currentData(),
            probability=self.probability.saved_override(),
            next_step=self.nextEdit.text(),
        )

    def save(self) -> None:
        form = self.form()
        if form is None:
            return
        detail, code = self.detail, self.currency
        if detail is None:
            self.jobs.run(
                lambda service: service.add_opportunity(form, code),
                self._saved,
                controls=[self.saveButton],
            )
            return
        opportunity, version = detail.id, detail.version
        self.jobs.run(
            lambda service: service.save_opportunity(opportunity, version, form),
            self._saved,
            controls=[self.saveButton],
            failed=self._refused,
        )

    def _saved(self, detail: OpportunityDetail) -> None:
        self.show_detail(detail)
        self.jobs.say(self.tr("Opportunity {name} saved.").format(name=detail.name))
        self.saved.emit(detail)

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, StaleRecordError):
            self.jobs.say(
                self.tr(
                    "Someone else saved this opportunity while you were editing it: nothing "
                    "was changed. Your edits are still in the form; Reload shows theirs."
                ),
                error=True,
            )
            self.reloadButton.show()
