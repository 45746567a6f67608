"""Renminbi in capitals as banks and tax invoices write them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agentdesk.sales.chinese_amount import rmb_capitals
from agentdesk.sales.money import MoneyError


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("1", "壹元整"),
        ("10", "壹拾元整"),
        ("100", "壹佰元整"),
        ("101", "壹佰零壹元整"),
        ("1005.50", "壹仟零伍元伍角整"),
        ("1005.05", "壹仟零伍元零伍分"),
        ("8727.82", "捌仟柒佰贰拾柒元捌角贰分"),
        ("100000", "壹拾万元整"),
        ("100001", "壹拾万零壹元整"),
        ("1010000", "壹佰零壹万元整"),
        ("10000100", "壹仟万零壹佰元整"),
        ("100000000", "壹亿元整"),
        ("100010000", "壹亿零壹万元整"),
        ("123456789.01", "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分"),
        ("200000000000.99", "贰仟亿元玖角玖分"),
    ],
)
def test_capitals(amount: str, capitals: str) -> None:
    assert rmb_capitals(Decimal(amount)) == capitals


def test_out_of_range() -> None:
    with pytest.raises(MoneyError):
        rmb_capitals(Decimal("-1"))
    with pytest.raises(MoneyError):
        rmb_capitals(Decimal(10**12))
