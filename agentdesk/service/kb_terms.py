"""The knowledge base's search terms, written by the application so stock SQLite (FTS5,
``unicode61``) and PostgreSQL (``to_tsvector('simple', ...)``) index Chinese without an
extension: jieba's words, every pair of neighbouring CJK characters, every CJK character
alone (a one-character query must find it) and the lower-cased Latin words, separated by
spaces. Traditional and simplified characters are different characters, so they are kept
apart: 退款 does not find 退費 nor 帳戶 账户.

A query is turned into terms the index holds, all required: a CJK run of one character is
that character, a longer run its character pairs (or jieba's longer word for it, which ranks
a text where it is a word above one where the characters only meet); Latin words
lower-cased.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import jieba

jieba.setLogLevel(logging.WARNING)  # its dictionary load notes would go to the terminal

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_RUN = re.compile(f"[{_CJK}]+")
_LATIN = re.compile(r"[0-9a-z]+")
_TOKEN = re.compile(f"[{_CJK}]+|[0-9a-z]+")
_MARKUP = re.compile(r"[#*_`>|]+")  # Markdown's marks, not worth a snippet's room
TITLE_WEIGHT = 2
"""A title's terms are written this many times: a title match ranks above a body match."""
SNIPPET = 80
"""Characters of body text around the first match."""


_FOLD = {
    code: folded
    for code in range(0x80, 0x10000)
    if (folded := unicodedata.normalize("NFKC", chr(code))).isascii() and folded.isalnum()
}
"""Characters whose NFKC form is plain Latin letters or digits (full-width ＶＰＮ, ２．３'s
digits, ligatures): only those, so CJK punctuation stays as written and traditional and
simplified characters (which NFKC keeps apart anyway) are untouched."""


def fold(text: str) -> str:
    """Full-width and other compatibility forms of Latin letters and digits as plain ones."""
    return text.translate(_FOLD)


def _run_terms(run: str) -> Iterator[str]:
    for word in jieba.cut_for_search(run):
        if len(word) > 2 and _RUN.fullmatch(word):
            yield word  # pairs and single characters below cover the shorter words
    yield from (run[i : i + 2] for i in range(len(run) - 1))
    yield from run


def index_terms(title: str, body: str) -> str:
    """The search column of an article."""
    return " ".join([*[_terms(title)] * TITLE_WEIGHT, _terms(body)]).strip()


def _terms(text: str) -> str:
    out: list[str] = []
    for token in _TOKEN.findall(fold(text).lower()):
        if _RUN.fullmatch(token):
            out.extend(_run_terms(token))
        else:
            out.append(token)
    return " ".join(out)


@dataclass(frozen=True, slots=True)
class Group:
    """One word of a query: the terms it requires, and jieba's longer words for it, any of
    which also matches (a text holding the word holds its pairs) and ranks the text up."""

    required: tuple[str, ...]
    words: tuple[str, ...] = ()


def query_groups(query: str) -> list[Group]:
    """The groups a query requires, all of them (empty: nothing to search for)."""
    groups: dict[str, Group] = {}
    for token in _TOKEN.findall(fold(query).lower()):
        if _RUN.fullmatch(token) and len(token) > 1:
            pairs = tuple(dict.fromkeys(token[i : i + 2] for i in range(len(token) - 1)))
            words = tuple(w for w in dict.fromkeys(jieba.cut_for_search(token)) if len(w) > 2)
            groups[token] = Group(pairs, words)
        else:
            groups[token] = Group((token,))
    return list(groups.values())


def long_runs(query: str) -> list[str]:
    """The query's CJK runs of three characters or more: their pairs can meet in a text
    without the run (信用 … 用卡), so a hit must hold each run as written."""
    return [run for run in _RUN.findall(query) if len(run) > 2]


def fts5_query(groups: list[Group]) -> str:
    """An FTS5 MATCH expression (terms hold no quotes: they are CJK or [0-9a-z])."""

    def one(group: Group) -> str:
        required = " AND ".join(f'"{t}"' for t in group.required)
        words = "".join(f' OR "{w}"' for w in group.words)
        return f"(({required}){words})"

    return " AND ".join(one(g) for g in groups)


def tsquery(groups: list[Group]) -> str:
    """A ``to_tsquery('simple', ...)`` text of the same meaning."""

    def one(group: Group) -> str:
        required = " & ".join(f"'{t}'" for t in group.required)
        words = "".join(f" | '{w}'" for w in group.words)
        return f"(({required}){words})"

    return " & ".join(one(g) for g in groups)


def _marks(query: str) -> list[str]:
    """What to highlight: the query's CJK runs and Latin words, longest first."""
    return sorted(set(_TOKEN.findall(fold(query).lower())), key=len, reverse=True)


def snippet(text: str, query: str, width: int = SNIPPET) -> str:
    """A piece of ``text`` around the first match, the matches in ``<mark>``, the rest
    escaped as HTML; the text's start when nothing matches literally."""
    flat = " ".join(_MARKUP.sub(" ", fold(text)).split())
    marks = _marks(query)
    if not marks:
        return html.escape(flat[:width])
    pattern = re.compile("|".join(re.escape(m) for m in marks), re.IGNORECASE)
    first = pattern.search(flat)
    start = max(0, first.start() - width // 3) if first else 0
    piece = flat[start : start + width]
    out: list[str] = ["…" if start > 0 else ""]
    last = 0
    for hit in pattern.finditer(piece):
        out += [html.escape(piece[last : hit.start()]), f"<mark>{html.escape(hit.group())}</mark>"]
        last = hit.end()
    out.append(html.escape(piece[last:]))
    if start + width < len(flat):
        out.append("…")
    return "".join(out)
