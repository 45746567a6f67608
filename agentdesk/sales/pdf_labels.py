"""The words of a printed quote, per language (the PDF is not Qt: no tr() here)."""

from __future__ import annotations

from collections.abc import Mapping

LABELS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "title": "Quotation",
        "number": "Number",
        "revision": "Revision",
        "date": "Date",
        "valid_until": "Valid until",
        "customer": "Customer",
        "code": "Code",
        "description": "Description",
        "quantity": "Quantity",
        "unit_price": "Unit price",
        "discount": "Disc.",
        "tax_rate": "Tax",
        "net": "Net",
        "net_total": "Net total",
        "tax_at": "Tax {rate}% on {base}",
        "gross_total": "Total",
        "capitals": "Amount in words",
        "terms": "Terms",
        "page": "{number} · page {page}",
    },
    "zh_CN": {
        "title": "报价单",
        "number": "编号",
        "revision": "版本",
        "date": "日期",
        "valid_until": "有效期至",
        "customer": "客户",
        "code": "编码",
        "description": "名称",
        "quantity": "数量",
        "unit_price": "单价",
        "discount": "折扣",
        "tax_rate": "税率",
        "net": "金额",
        "net_total": "不含税合计",
        "tax_at": "税额 {rate}%（计税金额 {base}）",
        "gross_total": "价税合计",
        "capitals": "价税合计（大写）",
        "terms": "条款",
        "page": "{number} · 第 {page} 页",
    },
}
