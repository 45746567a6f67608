"""An amount of renminbi in Chinese capitals (大写), as quotes, invoices and cheques write it.

``8727.82`` is 捌仟柒佰贰拾柒元捌角贰分; ``1005.50`` 壹仟零伍元伍角整; ``100000`` 壹拾万元整.
One 零 stands for any run of zeros between digits (within a group of four and across groups);
``整`` closes an amount without 分.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from agentdesk.sales.money import MoneyError

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("仟", "佰", "拾", "")
_GROUPS = ("", "万", "亿")
LIMIT = 10**12


def _group(value: int) -> str:
    """0 < value < 10000, without leading zeros."""
    text = ""
    zero = False
    for place, unit in enumerate(_PLACES):
        digit = value // 10 ** (3 - place) % 10
        if digit == 0:
            zero = bool(text)
        else:
            if zero:
                text += DIGITS[0]
                zero = False
            text += DIGITS[digit] + unit
    return text


def integer_capitals(value: int) -> str:
    if value == 0:
        return DIGITS[0]
    groups: list[int] = []
    while value:
        groups.append(value % 10000)
        value //= 10000
    text = ""
    gap = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = gap or bool(text)
            continue
        if text and (gap or group < 1000):
            text += DIGITS[0]
        text += _group(group) + _GROUPS[index]
        gap = False
    return text


def rmb_capitals(amount: Decimal) -> str:
    """``amount`` (yuan, rounded half up to the fen) in capitals, e.g. 壹佰元整."""
    fen_total = int(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)
    if fen_total < 0:
        raise MoneyError("a negative amount has no capitals here")
    if fen_total >= LIMIT * 100:
        raise MoneyError(f"{amount} is too large for capitals")
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    if rest == 0:
        return f"{integer_capitals(yuan)}元整"
    text = f"{integer_capitals(yuan)}元" if yuan else ""
    if jiao:
        text += f"{DIGITS[jiao]}角"
    elif yuan:
        text += DIGITS[0]
    return text + (f"{DIGITS[fen]}分" if fen else "整")
