"""The knowledge base: importing articles (Markdown files, folders of them, CSV) and
searching them, best first, with snippets (the search column is ``kb_terms``).

An import publishes what it reads; importing a file again gives its article the new text as
its next revision. On PostgreSQL the row-level security of ``kb_articles`` applies: every
desk reads the published articles, an author or a user manager writes them.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Row, bindparam, select, text
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.importing.csv_encoding import ImportFileError, detect_encoding
from agentdesk.crm.permissions import acting_access
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Capability
from agentdesk.domain.enums import ArticleStatus
from agentdesk.org.users import AgentRef
from agentdesk.service.kb_terms import (
    Group,
    fts5_query,
    index_terms,
    long_runs,
    query_groups,
    snippet,
    tsquery,
)
from agentdesk.service.models import Article

LIMIT = 20
RUN_MARGIN = 4
"""Rows fetched per result wanted when hits must hold a long run as written (kb_terms)."""


class KbFileError(RequestError):
    """A file the import cannot read; the message names it."""


@dataclass(frozen=True, slots=True)
class ArticleText:
    title: str
    body: str
    topic: str | None
    tags: str | None
    source: str


@dataclass(frozen=True, slots=True)
class ImportSummary:
    added: int
    revised: int

    def to_json(self) -> dict[str, int]:
        return {"added": self.added, "revised": self.revised}


@dataclass(frozen=True, slots=True)
class Hit:
    id: uuid.UUID
    title: str
    topic: str | None
    score: float
    snippet: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "title": self.title,
            "topic": self.topic,
            "score": self.score,
            "snippet": self.snippet,
        }


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding=detect_encoding(path))
    except ImportFileError as exc:
        raise KbFileError(str(exc)) from None
    except OSError as exc:
        raise KbFileError(f"{path}: cannot read it ({exc.strerror or exc})") from None


def markdown_article(path: Path, topic: str | None = None) -> ArticleText:
    """A Markdown file: its title is the first ``# `` heading (taken out of the body), else
    the file's name."""
    body = _read(path)
    title = path.stem
    lines = body.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("# ") and line[2:].strip():
            title = line[2:].strip()
            body = "\n".join(lines[:index] + lines[index + 1 :]).strip()
            break
    return ArticleText(title, body, topic, None, str(path.resolve()))


def csv_articles(path: Path) -> Iterator[ArticleText]:
    """A CSV file with a header: ``title`` and ``body`` (required), ``topic``, ``tags``."""
    reader = csv.DictReader(io.StringIO(_read(path), newline=""))
    fields = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    if "title" not in fields or "body" not in fields:
        raise KbFileError(f"{path}: the header needs the columns title and body")
    for number, row in enumerate(reader, start=2):

        def get(key: str, row: dict[str, Any] = row) -> str | None:
            value = row.get(fields[key]) if key in fields else None
            return value.strip() or None if isinstance(value, str) else None

        title, body = get("title"), get("body")
        if title is None or body is None:
            raise KbFileError(f"{path}, line {number}: an article needs a title and a body")
        yield ArticleText(title, body, get("topic"), get("tags"), f"{path.resolve()}:{number}")


def read_articles(paths: list[Path]) -> list[ArticleText]:
    """Every article in ``paths``: Markdown and CSV files, folders searched for both (a file's
    topic is its folder below the one given, ``Billing/Refunds``)."""
    out: list[ArticleText] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".md", ".csv"))
            for file in files:
                folder = file.parent.relative_to(path).as_posix()
                topic = None if folder == "." else folder
                if file.suffix.lower() == ".csv":
                    out.extend(csv_articles(file))
                else:
                    out.append(markdown_article(file, topic))
        elif path.suffix.lower() == ".csv":
            out.extend(csv_articles(path))
        elif path.exists():
            out.append(markdown_article(path))
        else:
            raise KbFileError(f"{path}: file not found")
    return out


def import_articles(
    sessions: sessionmaker[Session], articles: list[ArticleText], agent: AgentRef | None
) -> ImportSummary:
    """Publish the articles in one transaction (``publish_articles``: supervisors and admins
    by default); one already imported from the same source gets the new text as its next
    revision."""
    added = revised = 0
    with unit_of_work(sessions) as session:
        access = acting_access(session, agent)
        if access is not None:
            # an import publishes: what every desk reads is a publisher's to release
            access.require(Capability.PUBLISH_ARTICLES)
        user_id = access.user_id if access else None
        sources = [a.source for a in articles]
        existing = {
            a.source: a
            for chunk in range(0, len(sources), 500)
            for a in session.scalars(
                select(Article).where(Article.source.in_(sources[chunk : chunk + 500]))
            )
        }
        for item in articles:
            terms = index_terms(item.title, item.body)
            row = existing.get(item.source)
            if row is None:
                session.add(
                    Article(
                        title=item.title, body=item.body, topic=item.topic, tags=item.tags,
                        status=ArticleStatus.PUBLISHED, author_id=user_id, approver_id=user_id,
                        source=item.source, search_terms=terms,
                    )
                )  # fmt: skip
                added += 1
            elif (row.title, row.body, row.topic, row.tags) != (
                item.title, item.body, item.topic, item.tags,
            ):  # fmt: skip
                row.title, row.body, row.topic, row.tags = (
                    item.title, item.body, item.topic, item.tags,
                )  # fmt: skip
                row.search_terms, row.revision = terms, row.revision + 1
                row.approver_id = user_id
                revised += 1
    return ImportSummary(added, revised)


WINDOW = 500
"""At most this many matches are ranked. A query matching fewer is ranked in full; one
matching more ranks a bounded set taken from the index alone: on SQLite the newest matches
(the highest rowids of ``kb_search``, an article's latest revision being written last), on
PostgreSQL the first ones the GIN index's bitmap gives in the table's order (mostly the
oldest; a revised article moves to the end). Scoring every match of a common character (most
of the articles hold it) before taking the best 20 is what made a one-character search take
hundreds of milliseconds."""

# kb_search holds the published articles only (migration 0015's triggers): the ranking runs in
# the index, and only the rows returned are read from kb_articles
_SQLITE_FLOOR = text(
    "SELECT rowid FROM kb_search WHERE kb_search MATCH :q ORDER BY rowid DESC LIMIT 1 OFFSET :w"
)
_SQLITE = text(
    "SELECT a.id, a.title, a.topic, a.body, -h.score AS score FROM ("
    "SELECT article_id, bm25(kb_search) AS score FROM kb_search "
    "WHERE kb_search MATCH :q AND rowid >= :floor ORDER BY score LIMIT :n) h "
    "JOIN kb_articles a ON a.id = h.article_id ORDER BY h.score, a.title"
)
# search_vector is to_tsvector('simple', search_terms), stored, with a GIN index
_POSTGRES = text(
    "SELECT c.id, c.title, c.topic, c.body, ts_rank(c.search_vector, c.q) AS score FROM ("
    "SELECT k.id, k.title, k.topic, k.body, k.search_vector, q "
    "FROM kb_articles k, to_tsquery('simple', :q) q "
    "WHERE k.search_vector @@ q AND k.deleted_at IS NULL AND k.status = 'published' "
    "LIMIT :w) c ORDER BY score DESC, c.title LIMIT :n"
).bindparams(bindparam("q"), bindparam("n"), bindparam("w"))
# Under a LIMIT the planner likes a scan that can stop early (the table, or the primary key
# backwards), testing @@ on each row it passes: for a term in a tenth of the articles that is
# ten rows read and their vectors unpacked for each candidate (350 ms at 100,000 articles).
# The GIN index's bitmap finds the candidates without reading a vector: only that plan is
# left, for this search's transaction alone.
_GIN_ONLY = (text("SET LOCAL enable_seqscan = off"), text("SET LOCAL enable_indexscan = off"))


def _fetch(session: Session, groups: list[Group], n: int) -> Sequence[Row[Any]]:
    if session.get_bind().dialect.name == "postgresql":
        for setting in _GIN_ONLY:
            session.execute(setting)
        return session.execute(_POSTGRES, {"q": tsquery(groups), "n": n, "w": WINDOW}).all()
    q = fts5_query(groups)
    floor = session.execute(_SQLITE_FLOOR, {"q": q, "w": WINDOW - 1}).scalar()
    return session.execute(_SQLITE, {"q": q, "floor": floor or 0, "n": n}).all()


def search(sessions: sessionmaker[Session], query: str, limit: int = LIMIT) -> list[Hit]:
    """Published articles matching every word of ``query``, best first (of at most
    :data:`WINDOW` matches)."""
    groups = query_groups(query)
    if not groups:
        return []
    runs = long_runs(query)
    with sessions() as session:
        fetched = _fetch(session, groups, limit * RUN_MARGIN if runs else limit)
        rows = [r for r in fetched if all(run in r.title or run in r.body for run in runs)]
    return [
        Hit(
            id=uuid.UUID(str(row.id)),
            title=row.title,
            topic=row.topic,
            score=round(float(row.score), 6),
            snippet=snippet(row.body, query),
        )
        for row in rows[:limit]
    ]


def article_text(sessions: sessionmaker[Session], article_id: uuid.UUID) -> tuple[str, str]:
    """A published article's title and Markdown body (RequestError when there is none)."""
    with sessions() as session:
        row = session.get(Article, article_id)
        if row is None or row.deleted_at is not None or row.status != ArticleStatus.PUBLISHED:
            raise RequestError(f"no published article {article_id}")
        return row.title, row.body
