"""The quote editor's lines table: a product picker, quantity and discount per line; the unit
price, tax rate and net come back from the service, never computed here."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from agentdesk.sales.catalogue import ProductView, plain
from agentdesk.sales.documents import LineRequest
from agentdesk.sales.money import MoneyError, parse_decimal

PRODUCT, DESCRIPTION, QUANTITY, UNIT_PRICE, DISCOUNT, TAX, NET = range(7)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TYPED = Qt.ItemDataRole.UserRole
"""On a unit price cell: the user typed this price (else it is the service's)."""


class LinesTable(QTableWidget):
    """Emits ``edited`` when a product, quantity or discount changed (and a unit price, when
    ``typed_prices``: the opportunity editor's lines take a price typed by the rep)."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None, *, typed_prices: bool = False) -> None:
        super().__init__(0, 7, parent)
        self.typed_prices = typed_prices
        self._inputs = (QUANTITY, DISCOUNT, UNIT_PRICE) if typed_prices else (QUANTITY, DISCOUNT)
        self.setHorizontalHeaderLabels(
            [
                self.tr("Product"),
                self.tr("Description"),
                self.tr("Quantity"),
                self.tr("Unit price"),
                self.tr("Discount %"),
                self.tr("Tax"),
                self.tr("Net"),
            ]
        )
        self.products: tuple[ProductView, ...] = ()
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(70)
        self.itemChanged.connect(self._on_item)
        self._filling = False

    def set_products(self, products: Sequence[ProductView]) -> None:
        self.products = tuple(products)

    def add_line(
        self, code: str | None = None, quantity: str = "1", discount: str = "0", price: str = ""
    ) -> int:
        self._filling = True
        row = self.rowCount()
        self.insertRow(row)
        combo = QComboBox(self)
        for product in self.products:
            combo.addItem(f"{product.code} · {product.name}", product.code)
        if code is not None:
            combo.setCurrentIndex(max(0, combo.findData(code)))
        combo.currentIndexChanged.connect(lambda _i: self._product_changed(combo))
        self.setCellWidget(row, PRODUCT, combo)
        for col in range(1, 7):
            text = {QUANTITY: quantity, DISCOUNT: discount, UNIT_PRICE: price}.get(col, "")
            item = QTableWidgetItem(text)
            item.setData(TYPED, col == UNIT_PRICE and bool(price))
            if col not in self._inputs:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if col != DESCRIPTION:
                item.setTextAlignment(RIGHT)
            self.setItem(row, col, item)
        self._filling = False
        self.edited.emit()
        return row

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.selectedIndexes()}, reverse=True)
        for row in rows:
            self.removeRow(row)
        if rows:
            self.edited.emit()

    def _on_item(self, item: QTableWidgetItem) -> None:
        if not self._filling and item.column() in self._inputs:
            if item.column() == UNIT_PRICE:  # typed: kept; emptied: the standard price again
                self._filling = True
                item.setData(TYPED, bool(item.text().strip()))
                self._filling = False
            self.edited.emit()

    def _product_changed(self, combo: QComboBox) -> None:
        """Another product: its own price, not the one typed for the last."""
        for row in range(self.rowCount()):
            item = self.item(row, UNIT_PRICE)
            if self.cellWidget(row, PRODUCT) is combo and item is not None:
                self._filling = True
                item.setData(TYPED, False)
                self._filling = False
        self.edited.emit()

    def prices(self) -> list[Decimal | None]:
        """The unit prices the user typed, by line (``None``: the service's price)."""
        typed: list[Decimal | None] = []
        for row in range(self.rowCount()):
            item = self.item(row, UNIT_PRICE)
            mine = item is not None and bool(item.data(TYPED))
            typed.append(parse_decimal(self._text(row, UNIT_PRICE), "unit price") if mine else None)
        return typed

    def product_combo(self, row: int) -> QComboBox:
        combo = self.cellWidget(row, PRODUCT)
        assert isinstance(combo, QComboBox)
        return combo

    def set_cell(self, row: int, col: int, text: str) -> None:
        item = self.item(row, col)
        if item is not None:
            self._filling = True
            item.setText(text)
            self._filling = False

    def requests(self) -> list[LineRequest]:
        """The lines as typed; ``MoneyError`` names the first value that is no number."""
        lines = []
        for row in range(self.rowCount()):
            code = self.product_combo(row).currentData()
            quantity = parse_decimal(self._text(row, QUANTITY) or "0", "quantity")
            discount = parse_decimal(self._text(row, DISCOUNT) or "0", "discount")
            if quantity <= 0:
                raise MoneyError(f"quantity {quantity} must be above zero")
            lines.append(LineRequest(str(code), quantity, discount))
        return lines

    def _text(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return item.text().strip() if item is not None else ""

    def show_prices(
        self,
        names: Sequence[str],
        prices: Sequence[Decimal],
        rates: Sequence[Decimal],
        nets: Sequence[Decimal],
    ) -> None:
        for row, (name, price, rate, net) in enumerate(
            zip(names, prices, rates, nets, strict=True)
        ):
            self.set_cell(row, DESCRIPTION, name)
            self.set_cell(row, UNIT_PRICE, f"{price:,}")
            self.set_cell(row, TAX, f"{plain(rate * 100)} %")
            self.set_cell(row, NET, f"{net:,}")

    def set_read_only(self, read_only: bool) -> None:
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if read_only
            else QAbstractItemView.EditTrigger.AllEditTriggers
        )
        for row in range(self.rowCount()):
            self.product_combo(row).setEnabled(not read_only)
