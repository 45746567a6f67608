"""``agentdesk product import``: products from a CSV file, read like contact files.

The same reader (encodings UTF-8, UTF-16 with BOM, GB18030; comma, semicolon or tab;
``crm.importing.csv_reader``) and the same rejects: a bad row is reported with its line and
reason and written to ``<stem>.rejects.csv`` next to the file; the good rows are imported in
one transaction with an audit entry. Headers: ``code, name, unit, spec, category, price,
tax_rate`` or ``编码, 名称, 单位, 规格, 类别, 单价, 税率``. A tax rate is ``13%`` or ``0.13``.
A code already in the catalogue updates that product (a catalogue is re-imported from the ERP); a
code twice in the file is rejected the second time. Needs the ``manage_users`` capability.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.importing.csv_encoding import ImportFileError
from agentdesk.crm.importing.csv_reader import CsvTable, open_csv
from agentdesk.crm.importing.rejects import RejectedRow, RejectWriter, row_dict
from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import audit
from agentdesk.domain.access import Capability
from agentdesk.domain.enums import AuditAction
from agentdesk.org.users import AgentRef, actor_of
from agentdesk.sales.models import Product
from agentdesk.sales.money import (
    PERCENT_STEP,
    Currency,
    MoneyError,
    currency,
    parse_decimal,
    parse_rate,
    to_steps,
)

PRODUCT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "code": ("product code", "sku", "item code", "编码", "产品编码", "物料编码", "编号"),
    "name": ("product name", "product", "名称", "产品名称", "品名"),
    "unit": ("uom", "单位", "计量单位"),
    "spec": ("specification", "model", "规格", "规格型号", "型号"),
    "category": ("product category", "类别", "分类", "产品类别"),
    "price": ("unit price", "standard price", "list price", "单价", "价格", "标准价"),
    "tax_rate": ("tax", "vat", "tax rate", "税率"),
}  # fmt: skip
REQUIRED = ("code", "name", "price", "tax_rate")
LIMITS = {"code": 40, "name": 200, "unit": 20, "spec": 200, "category": 100}


@dataclass(frozen=True, slots=True)
class ProductRow:
    line: int
    code: str
    name: str
    unit: str | None
    spec: str | None
    category: str | None
    price_minor: int
    tax_rate_bp: int


@dataclass(frozen=True)
class ProductImportResult:
    created: int
    updated: int
    rejected: tuple[RejectedRow, ...]
    reject_file: Path | None


def _parse(table: CsvTable, line: int, cells: list[str], money: Currency) -> ProductRow | str:
    positions = table.mapping.columns
    values = {
        column: (cells[i].strip() if i < len(cells) else "") for column, i in positions.items()
    }
    if len(cells) > len(table.header):
        return f"{len(cells)} fields, the header has {len(table.header)}"
    for column in REQUIRED:
        if not values.get(column):
            return f"{column} is empty"
    for column, limit in LIMITS.items():
        if len(values.get(column, "")) > limit:
            return f"{column} is longer than {limit} characters"
    try:
        price = parse_decimal(values["price"], "price")
        if price < 0:
            return f"price {values['price']!r} is negative"
        price_minor = money.to_minor(price)
        rate = parse_rate(values["tax_rate"])
    except MoneyError as exc:
        return str(exc)
    return ProductRow(
        line=line,
        code=values["code"],
        name=values["name"],
        unit=values.get("unit") or None,
        spec=values.get("spec") or None,
        category=values.get("category") or None,
        price_minor=price_minor,
        tax_rate_bp=to_steps(rate * 100, PERCENT_STEP),
    )


def import_products(
    sessions: sessionmaker[Session],
    path: Path,
    *,
    currency_code: str = "CNY",
    encoding: str | None = None,
    actor: AgentRef | None = None,
) -> ProductImportResult:
    """Import or update the products in ``path``; prices are in ``currency_code``.

    Raises :class:`ImportFileError` when the file cannot be read or lacks a required column.
    """
    money = currency(currency_code)
    path = Path(path)
    with open_csv(path, encoding=encoding, columns=PRODUCT_COLUMNS) as table:
        missing = [c for c in REQUIRED if c not in table.mapping]
        if missing:
            found = ", ".join(repr(h) for h in table.header) or "nothing"
            raise ImportFileError(
                f"{path}: the header on line {table.header_line} lacks {', '.join(missing)}; "
                f"found {found}"
            )
        rejects = RejectWriter(path, table.header, table.delimiter)
        rejected: list[RejectedRow] = []
        rows: dict[str, ProductRow] = {}
        try:
            for record in table.records():
                outcome = _parse(table, record.line, record.cells, money)
                if isinstance(outcome, ProductRow) and outcome.code in rows:
                    outcome = f"code {outcome.code} is already on line {rows[outcome.code].line}"
                if isinstance(outcome, str):
                    rejected.append(
                        RejectedRow(record.line, outcome, row_dict(table.header, record.cells))
                    )
                    rejects.write(record.line, outcome, record.cells)
                else:
                    rows[outcome.code] = outcome
            created, updated = _write(sessions, path, list(rows.values()), money, actor)
            reject_file = rejects.finish()
        except BaseException:
            rejects.discard()
            raise
    return ProductImportResult(created, updated, tuple(rejected), reject_file)


def _write(
    sessions: sessionmaker[Session],
    path: Path,
    rows: list[ProductRow],
    money: Currency,
    actor: AgentRef | None,
) -> tuple[int, int]:
    with sessions() as session, session.begin():
        access = acting_access(session, actor)
        if access is not None:
            access.require(Capability.MANAGE_USERS)
        codes = [r.code for r in rows]
        found = session.scalars(select(Product).where(Product.code.in_(codes)))
        existing = {p.code: p for p in found}
        created = 0
        for row in rows:
            product = existing.get(row.code)
            if product is None:
                product = Product(code=row.code, active=True)
                session.add(product)
                created += 1
            product.name = row.name
            product.unit = row.unit
            product.spec = row.spec
            product.category = row.category
            product.currency = money.code
            product.price_minor = row.price_minor
            product.tax_rate_bp = row.tax_rate_bp
            product.deleted_at = None
        who = actor_of(session, access.username if access else actor)
        details = {"file": path.name, "created": created, "updated": len(rows) - created}
        audit(session, who, AuditAction.IMPORT, "product", None, details)
    return created, len(rows) - created
