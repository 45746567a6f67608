from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, Table, delete, func, inspect, select, text, update

from agentdesk.calls.log import CallLog

# Every module that maps tables: the comparison below needs the whole schema registered.
from agentdesk.crm import models as crm_models  # noqa: F401
from agentdesk.crm.models import Disposition
from agentdesk.db import audit as audit_models  # noqa: F401
from agentdesk.db import migrate
from agentdesk.db.base import Base
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.demo.generate import generate
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.dialer import models as dialer_models  # noqa: F401
from agentdesk.dialer.campaigns import create_campaign
from agentdesk.dialer.loader import EntrySpec, load_entries
from agentdesk.dialer.models import CampaignEntry
from agentdesk.journal import models as journal_models  # noqa: F401
from agentdesk.sales import models as sales_models  # noqa: F401
from agentdesk.service import models as service_models  # noqa: F401
from agentdesk.supervision import models as supervision_models  # noqa: F401

# The knowledge base's full-text machinery (migration 0015), which no model declares: SQLite's
# FTS5 table and the tables FTS5 keeps for it; PostgreSQL's generated tsvector and its index.
FTS_TABLES = {
    "kb_search",
    *(f"kb_search_{part}" for part in ("data", "idx", "content", "docsize", "config")),
}
FTS_OTHERS = {("column", "search_vector"), ("index", "ix_kb_articles_search")}


def test_upgrade_downgrade_upgrade(engine: Engine) -> None:
    assert migrate.current_revision(engine) == migrate.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables

    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())

    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_models_match_migrations(engine: Engine) -> None:
    """Autogenerate finds nothing to do: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def declared(name: str | None, kind: str, _parent: object) -> bool:
        return not (kind == "table" and name in FTS_TABLES) and (kind, name) not in FTS_OTHERS

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": declared})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_each_step_down_and_up_keeps_the_data(engine: Engine) -> None:
    """A populated desk can step back one revision at a time and forward again: no migration
    rebuilds a table that others reference (SQLite's batch mode would fail with foreign keys)."""
    generate(engine, 40, seed=3, calls_per_contact=2)
    with engine.connect() as conn:
        before = {t: conn.scalar(select(func.count()).select_from(t)) for t in _counted()}
    revisions = [
        r.revision for r in ScriptDirectory.from_config(migrate._config()).walk_revisions()
    ]
    for target in revisions[1:]:  # newest first; stop above the initial schema
        migrate.downgrade(engine, target)
        migrate.upgrade(engine)
    with engine.connect() as conn:
        after = {t: conn.scalar(select(func.count()).select_from(t)) for t in _counted()}
    assert after == before and before[Base.metadata.tables["calls"]]


def _counted() -> list[Table]:
    names = ("contacts", "calls", "dispositions", "phone_numbers")
    return [Base.metadata.tables[name] for name in names]


def test_entries_left_in_progress_by_an_older_version_get_a_hold(engine: Engine) -> None:
    """An entry an older desk left ``in_progress`` (no hold) gets one at revision 0006, so it
    goes back to the pool like any entry whose desk died."""
    sessions = session_factory(engine)
    create_campaign(sessions, "Old")
    number = "+12125550199"
    load_entries(sessions, "Old", [EntrySpec(number, number, last_name="Old")], source="test")
    migrate.downgrade(engine, "0005")
    with unit_of_work(sessions) as s:
        s.execute(update(CampaignEntry).values(status="in_progress", reserved_until=None))
    before = datetime.now(UTC)
    migrate.upgrade(engine)
    with sessions() as s:
        until = s.scalars(select(CampaignEntry.reserved_until)).one()
    assert until is not None and before < until <= datetime.now(UTC) + timedelta(hours=1)


def _dispositions(engine: Engine) -> dict[str, tuple[str, bool, bool, bool, bool]]:
    d = Disposition
    with engine.connect() as conn:
        rows = conn.execute(
            select(d.code, d.label, d.is_default, d.counts_as_contact, d.is_success, d.is_final)
        )
        return {code: (label, *flags) for code, label, *flags in rows}


def _as_seeded_before_0007(engine: Engine, default: str) -> None:
    """A desk seeded by an older version: no "Wrap-up expired", ``default`` is the default."""
    sessions = session_factory(engine)
    with unit_of_work(sessions) as session:
        ensure_default_dispositions(session)
    migrate.downgrade(engine, "0006")
    with unit_of_work(sessions) as session:
        session.execute(delete(Disposition).where(Disposition.code == "wrapup_expired"))
        session.execute(update(Disposition).values(is_default=Disposition.code == default))


def test_0007_adds_wrapup_expired_as_the_default_instead_of_no_answer(engine: Engine) -> None:
    """An answered call whose wrap-up expired was saved as "No answer" (issue 14)."""
    _as_seeded_before_0007(engine, "no_answer")
    migrate.upgrade(engine)
    codes = _dispositions(engine)
    assert codes["wrapup_expired"] == ("Wrap-up expired", True, False, False, False)
    assert [code for code, row in codes.items() if row[1]] == ["wrapup_expired"]
    assert codes["no_answer"] == ("No answer", False, False, False, False)
    log = CallLog(session_factory(engine))
    default = log.default_disposition()
    assert default is not None and default.code == "wrapup_expired"
    assert log.dispositions()[-1].code == "wrapup_expired"  # listed last


def test_0007_keeps_an_admins_own_default(engine: Engine) -> None:
    _as_seeded_before_0007(engine, "info_given")
    migrate.upgrade(engine)
    codes = _dispositions(engine)
    assert [code for code, row in codes.items() if row[1]] == ["info_given"]
    assert codes["wrapup_expired"][:2] == ("Wrap-up expired", False)


def test_0007_leaves_an_unseeded_desk_to_the_seed(engine: Engine) -> None:
    migrate.downgrade(engine, "0006")
    migrate.upgrade(engine)
    assert _dispositions(engine) == {}
    with unit_of_work(session_factory(engine)) as session:
        ensure_default_dispositions(session)
    defaults = [code for code, row in _dispositions(engine).items() if row[1]]
    assert defaults == ["wrapup_expired"]


def test_0011_gives_the_seeded_codes_their_chinese_labels(engine: Engine) -> None:
    """Dispositions had only English labels, so the Chinese desk showed English (issue 14).
    A desk seeded before gets the seed's Chinese labels; the admin's wording stays as written."""
    from agentdesk.calls.disposition_admin import add_disposition
    from agentdesk.demo.seed import DEFAULT_DISPOSITIONS

    sessions = session_factory(engine)
    with unit_of_work(sessions) as session:
        ensure_default_dispositions(session)
    add_disposition(sessions, "promised", label="Promised to pay", label_zh="承诺付款")
    migrate.downgrade(engine, "0010")
    with unit_of_work(sessions) as session:
        d = Disposition
        seeded = [spec.code for spec in DEFAULT_DISPOSITIONS]
        session.execute(update(d).where(d.code.in_(seeded)).values(label_zh=None))
        session.execute(update(d).where(d.code == "busy").values(label="Line busy"))
        session.execute(update(d).where(d.code == "sale").values(label_zh=""))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        labels = dict(conn.execute(select(Disposition.code, Disposition.label_zh)).all())
    expected = {spec.code: spec.label_zh for spec in DEFAULT_DISPOSITIONS}
    assert labels == {**expected, "busy": None, "promised": "承诺付款"}
    assert labels["no_answer"] == "无人接听" and labels["sale"] == "成交"


def test_0015_numbers_more_than_99999_cases_of_a_year_apart(engine: Engine) -> None:
    """A year with more cases than five digits hold: the numbers grow a digit instead of being
    cut to five (which numbered two cases alike and failed the upgrade on a big database)."""
    migrate.downgrade(engine, "0014")
    count = 100_001
    series = (
        "SELECT generate_series(1, :n) AS n"
        if engine.dialect.name == "postgresql"
        else "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < :n) "
        "SELECT n FROM c"
    )
    uuid_sql = (
        "md5(n::text)::uuid"
        if engine.dialect.name == "postgresql"
        else "lower(hex(randomblob(16)))"
    )
    start = "'2026-01-01 00:00:00+00:00'"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO service_cases (id, subject, status, priority, version, created_at, "
                f"updated_at) SELECT {uuid_sql}, 'case', 'open', 'normal', 1, {start}, {start} "
                f"FROM ({series}) s"
            ),
            {"n": count},
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        numbers = conn.execute(
            text("SELECT count(DISTINCT number), max(length(number)) FROM service_cases")
        ).one()
        last = conn.execute(
            text("SELECT last FROM service_case_counters WHERE year = 2026")
        ).scalar_one()
    assert tuple(numbers) == (count, len("CS-2026-100001"))
    assert last == count
