"""Names in an import: a full-name cell split into first and last, and duplicate keys.

Light to import: parsing processes load it.
"""

from __future__ import annotations

import re

from agentdesk.domain.names import has_cjk

_SPACES = re.compile(r"\s+")
_COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "令狐", "夏侯", "端木", "独孤", "南宫", "西门", "轩辕", "澹台",
    "钟离", "闻人", "申屠", "太史", "赫连", "呼延", "万俟", "百里", "东郭", "公冶",
})  # fmt: skip


def split_full_name(text: str) -> tuple[str | None, str | None]:
    """``(first, last)`` from one name cell.

    ``Smith, John`` and ``John Smith`` give ``("John", "Smith")``; Chinese names are family
    name first (``张三`` -> ``("三", "张")``, ``欧阳修`` -> ``("修", "欧阳")``); one word is a
    last name.
    """
    name = _SPACES.sub(" ", text).strip()
    if not name:
        return None, None
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip() or None, last.strip() or None
    if has_cjk(name):
        if " " in name:
            last, _, first = name.partition(" ")
            return first or None, last
        size = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
        return name[size:] or None, name[:size]
    first, _, last = name.rpartition(" ")
    return first or None, last


def name_key(first: str | None, last: str | None) -> tuple[str, str]:
    """The duplicate key of a person's name: spaces collapsed, case folded."""
    return (
        _SPACES.sub(" ", first or "").strip().casefold(),
        _SPACES.sub(" ", last or "").strip().casefold(),
    )


def company_key(name: str) -> str:
    """The duplicate key of a company name: spaces collapsed, lower case."""
    return _SPACES.sub(" ", name).strip().lower()
