"""The columns of a people/company file and how header cells are matched to them.

Header cells are compared through :func:`header_key` (case, spaces, ``_``, ``-``, full-width
forms ignored) against a column spec such as :data:`CONTACT_COLUMNS`: a canonical name and the
synonyms users type for it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Column(StrEnum):
    """Canonical columns of a people/company file."""

    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FULL_NAME = "full_name"
    COMPANY = "company"
    PHONE = "phone"
    MOBILE = "mobile"
    WORK_PHONE = "work_phone"
    HOME_PHONE = "home_phone"
    EMAIL = "email"
    CITY = "city"
    COUNTRY = "country"
    NOTES = "notes"
    TITLE = "title"


# Synonyms as users type them; they are compared through header_key, so "E-Mail", "e_mail"
# and "EMAIL " all match "email". Keep every synonym unique across columns.
CONTACT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    Column.FIRST_NAME: ("first name", "given name", "forename", "名", "名字"),
    Column.LAST_NAME: ("last name", "surname", "family name", "姓", "姓氏"),
    Column.FULL_NAME: (
        "name", "full name", "contact", "contact name", "contact person", "person",
        "display name", "姓名", "联系人", "联系人姓名", "客户姓名",
    ),
    Column.COMPANY: (
        "company", "company name", "account", "account name", "organization", "organisation",
        "organization name", "org", "business", "employer", "公司", "公司名称", "单位",
        "单位名称", "企业", "企业名称", "工作单位",
    ),
    Column.PHONE: (
        "phone", "telephone", "tel", "phone number", "telephone number", "tel no", "phone no",
        "电话", "电话号码", "联系电话", "座机", "固定电话", "固话",
    ),
    Column.MOBILE: (
        "mobile", "mobile phone", "mobile number", "cell", "cell phone", "cellphone",
        "cell number", "handy", "手机", "手机号", "手机号码", "移动电话",
    ),
    Column.WORK_PHONE: (
        "work phone", "business phone", "office phone", "work tel", "direct line",
        "办公电话", "工作电话", "单位电话", "公司电话",
    ),
    Column.HOME_PHONE: ("home phone", "private phone", "家庭电话", "住宅电话"),
    Column.EMAIL: (
        "email", "email address", "mail", "邮箱", "电子邮件", "电子邮箱", "邮件", "邮箱地址",
    ),
    Column.CITY: ("city", "town", "城市", "所在城市"),
    Column.COUNTRY: (
        "country", "country code", "country/region", "nation", "国家", "国家/地区", "国家地区",
    ),
    Column.NOTES: (
        "notes", "note", "comment", "comments", "remarks", "description", "备注", "说明",
        "附注",
    ),
    Column.TITLE: ("title", "job title", "position", "job", "role", "职位", "职务", "头衔"),
}  # fmt: skip

_HEADER_DROP = str.maketrans("", "", " _-.:*\ufeff\u3000\u00a0\t")


def header_key(text: str) -> str:
    """The comparison form of a header cell: NFKC, case-folded, without spaces ``_ - . : *``."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_HEADER_DROP)


def _build_index(columns: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for column, synonyms in columns.items():
        for synonym in (str(column), *synonyms):
            index.setdefault(header_key(synonym), str(column))
    return index


_INDEX_CACHE: dict[int, tuple[Mapping[str, tuple[str, ...]], dict[str, str]]] = {}


def column_index(columns: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Canonical column by :func:`header_key` of its name and synonyms (built once per spec)."""
    cached = _INDEX_CACHE.get(id(columns))
    if cached is None or cached[0] is not columns:
        cached = (columns, _build_index(columns))
        _INDEX_CACHE[id(columns)] = cached
    return cached[1]


@dataclass(frozen=True)
class HeaderMap:
    """Which file column holds which canonical column.

    ``columns`` maps a canonical column name to its 0-based position (the first when a name
    appears twice); ``repeats`` has the positions of the later ones, which an importer may use
    (several phone columns) or ignore. ``ignored`` lists the headers that match nothing.
    """

    header: tuple[str, ...]
    columns: Mapping[str, int]
    ignored: tuple[str, ...]
    repeats: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def __contains__(self, column: object) -> bool:
        return column in self.columns

    def position(self, column: str) -> int | None:
        return self.columns.get(column)

    def positions(self, column: str) -> tuple[int, ...]:
        """Every position of ``column``, first one first (empty when absent)."""
        first = self.columns.get(column)
        return () if first is None else (first, *self.repeats.get(column, ()))


def match_header(
    header: tuple[str, ...] | list[str], columns: Mapping[str, tuple[str, ...]] = CONTACT_COLUMNS
) -> HeaderMap:
    """Match header cells to the canonical columns of ``columns`` (see :func:`header_key`)."""
    index = column_index(columns)
    found: dict[str, int] = {}
    repeats: dict[str, tuple[int, ...]] = {}
    ignored: list[str] = []
    for position, cell in enumerate(header):
        column = index.get(header_key(cell))
        if column is None:
            ignored.append(cell)
        elif column in found:
            repeats[column] = (*repeats.get(column, ()), position)
        else:
            found[column] = position
    return HeaderMap(header=tuple(header), columns=found, ignored=tuple(ignored), repeats=repeats)
