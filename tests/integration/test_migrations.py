from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, Table, func, inspect, select

# Every module that maps tables: the comparison below needs the whole schema registered.
from agentdesk.crm import models as crm_models  # noqa: F401
from agentdesk.db import audit as audit_models  # noqa: F401
from agentdesk.db import migrate
from agentdesk.db.base import Base
from agentdesk.demo.generate import generate
from agentdesk.dialer import models as dialer_models  # noqa: F401


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

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
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
