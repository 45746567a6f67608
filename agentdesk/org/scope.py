"""The scope table: whose records a viewer's ``team`` and ``department`` depths reach.

A viewer's team scope is every user of their team; the department scope is every user of their
team and of every team below it (a manager's team is the department they manage). Each viewer
is in both of their own scopes. The table is rebuilt whole after any change to users or teams:
it has one row per pair of colleagues, small next to the records it guards.

On PostgreSQL a trigger on ``users`` and ``teams`` runs the same statement (frozen in migration
0009), so a change made with raw SQL keeps the scope true too; ``tests/integration/
test_rls.py`` checks that both give the same rows.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

REBUILD_SQL = """
INSERT INTO org_scope (viewer_id, depth, owner_id)
WITH RECURSIVE below(root_id, team_id) AS (
    SELECT id, id FROM teams WHERE deleted_at IS NULL
    UNION
    SELECT below.root_id, t.id FROM teams t JOIN below ON t.parent_id = below.team_id
    WHERE t.deleted_at IS NULL
)
SELECT v.id, 'department', u.id
FROM users v JOIN below ON below.root_id = v.team_id JOIN users u ON u.team_id = below.team_id
UNION
SELECT v.id, 'team', u.id FROM users v JOIN users u ON u.team_id = v.team_id
UNION
SELECT id, 'team', id FROM users
UNION
SELECT id, 'department', id FROM users
"""


def rebuild_scope(session: Session) -> None:
    """Rebuild the scope table in the caller's transaction (SQLite; a trigger does it on
    PostgreSQL, where desk logins may not write the table)."""
    if session.get_bind().dialect.name == "postgresql":
        return
    session.flush()
    session.execute(text("DELETE FROM org_scope"))
    session.execute(text(REBUILD_SQL))
