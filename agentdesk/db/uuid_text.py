"""UUIDs as SQLAlchemy stores them, from their integer value (no ``uuid.UUID`` per row).

On SQLite a ``Uuid`` column holds 32 lowercase hex digits, on PostgreSQL the dashed form is
what ``COPY`` reads. Apart from :mod:`agentdesk.db.bulk` so that parsing processes can make
ids without importing SQLAlchemy.
"""

from __future__ import annotations


def hex_uuid(value: int) -> str:
    return f"{value:032x}"


def dashed_uuid(value: int) -> str:
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
