"""Person names: the order a culture writes them in, and which text is CJK."""

from __future__ import annotations

import unicodedata

_FAMILY_FIRST_COUNTRIES = frozenset({"CN", "TW", "HK", "MO", "JP", "KR"})


def is_cjk_char(ch: str) -> bool:
    """A Han ideograph, Japanese kana or Korean hangul: scripts written without spaces."""
    return (
        "\u4e00" <= ch <= "\u9fff"
        or "\u3400" <= ch <= "\u4dbf"
        or "\u3040" <= ch <= "\u30ff"
        or "\uac00" <= ch <= "\ud7af"
    )


def has_cjk(text: str) -> bool:
    return any(is_cjk_char(ch) for ch in text)


def display_name(first: str | None, last: str | None, country: str | None = None) -> str:
    """A person's name in the order their culture writes it (family name first for CJK)."""
    first = (first or "").strip()
    last = (last or "").strip()
    if not first or not last:
        return first or last
    cjk = has_cjk(first + last)
    if cjk:
        return f"{last}{first}"
    if country in _FAMILY_FIRST_COUNTRIES:
        return f"{last} {first}"
    return f"{first} {last}"


def text_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
