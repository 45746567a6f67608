"""PostgreSQL login roles: one per user, named after the username, in the group of their role.

The roles are created and changed by ``SECURITY DEFINER`` functions of migration 0009, which
check the caller's ``manage_users`` capability; a desk login needs no ``CREATEROLE`` of its own.
Passwords leave this process only as a SCRAM-SHA-256 verifier (RFC 5802/7677), so the clear
password is in no statement, no server log and no ``pg_stat_activity`` row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata

from sqlalchemy import text
from sqlalchemy.orm import Session

SCRAM_ITERATIONS = 4096


def scram_verifier(password: str, *, salt: bytes | None = None) -> str:
    """The ``SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`` PostgreSQL stores.

    NFKC is the mapping step of SASLprep, which the server and libpq apply to the password.
    """
    salt = salt if salt is not None else os.urandom(16)
    normalized = unicodedata.normalize("NFKC", password).encode("utf-8")
    salted = hashlib.pbkdf2_hmac("sha256", normalized, salt, SCRAM_ITERATIONS)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${SCRAM_ITERATIONS}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def sync_login(session: Session, username: str) -> None:
    """Create or update ``username``'s login role from the users table (role group, active)."""
    if _postgres(session):
        session.execute(text("SELECT agentdesk_sync_login(:u)"), {"u": username})


def set_password(session: Session, username: str, password: str) -> None:
    session.execute(
        text("SELECT agentdesk_set_password(:u, :v)"),
        {"u": username, "v": scram_verifier(password)},
    )


def sync_all_logins(session: Session) -> int:
    """Create login roles for users that have none yet (a database upgraded from before
    logins); returns how many users were synced."""
    if not _postgres(session):
        return 0
    names = session.scalars(text("SELECT username FROM users WHERE deleted_at IS NULL")).all()
    for name in names:
        sync_login(session, name)
    return len(names)
