"""PostgreSQL: exports go through a function that checks the capability and audits

``agentdesk_export_calls(since)`` refuses a login without the ``export`` capability, writes
the audit entry and returns the calls the login may read (row-level security applies: the
function runs as its caller), all in the caller's transaction: an export that fails leaves
no audit entry, and no export happens without one. SQLite: nothing to do.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

EXPORT_CALLS = """
CREATE FUNCTION agentdesk_export_calls(p_since timestamptz) RETURNS SETOF calls
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
BEGIN
  IF NOT agentdesk_has('export') THEN
    RAISE EXCEPTION 'agentdesk: % may not export', session_user USING ERRCODE = '42501';
  END IF;
  INSERT INTO audit_log (id, at, user_id, actor, action, entity_kind, entity_id, details)
  VALUES (gen_random_uuid(), now(), agentdesk_uid(), left(session_user::text, 100), 'export',
          'call', NULL, jsonb_build_object('export', 'calls', 'since', p_since));
  RETURN QUERY
    SELECT * FROM calls
     WHERE deleted_at IS NULL AND (p_since IS NULL OR started_at >= p_since)
     ORDER BY started_at, id;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(EXPORT_CALLS)
    op.execute("ALTER FUNCTION agentdesk_export_calls(timestamptz) OWNER TO agentdesk_owner")
    op.execute("REVOKE ALL ON FUNCTION agentdesk_export_calls(timestamptz) FROM PUBLIC")
    op.execute("GRANT EXECUTE ON FUNCTION agentdesk_export_calls(timestamptz) TO agentdesk_desk")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS agentdesk_export_calls(timestamptz)")
