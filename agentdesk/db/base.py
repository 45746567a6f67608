"""Declarative base, portable column types and the audit/version/soft-delete mixins."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Dialect, Enum, MetaData, Table, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

from agentdesk.domain.clock import utcnow
from agentdesk.domain.ids import uuid7

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every engine.

    PostgreSQL keeps ``timestamptz``; SQLite has no zone, so values are stored as naive UTC and
    handed back aware. Naive input is refused: a naive datetime is a bug, not a local time.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JsonType = JSON().with_variant(JSONB(), "postgresql")


def str_enum(kind: type[StrEnum], name: str) -> Enum:
    """A code column: stored as a portable VARCHAR, so no native PostgreSQL enum type has to be
    migrated when the codes grow."""
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda e: [m.value for m in e],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        uuid.UUID: Uuid(),
        datetime: UtcDateTime(),
        dict[str, Any]: JsonType,
    }


class UuidPk:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SharedRecord(UuidPk, Timestamps):
    """Rows that several agents edit and the offline replica syncs.

    ``version`` drives optimistic concurrency (a stale UPDATE raises ``StaleDataError``) and
    ``deleted_at`` is a soft delete so deletions can be synced.
    """

    version: Mapped[int] = mapped_column(default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class, for hot paths that skip the ORM's per-row work."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
