"""PostgreSQL: printing goes through a function that checks the capability and audits

``agentdesk_print_records(kind, ids)`` refuses a login without the ``print`` capability,
writes the audit entry and returns the records to print as JSON objects (row-level security
applies: the function runs as its caller, so a record the login may not read is not
returned), all in the caller's transaction: a print that fails leaves no audit entry, and no
print happens without one. ``kind`` is a record kind (``cases`` reads ``service_cases``; a
later module's kind is the table it names, which must have row security forced). SQLite:
nothing to do.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

SIGNATURE = "agentdesk_print_records(text, uuid[])"
PRINT_RECORDS = """
CREATE FUNCTION agentdesk_print_records(p_kind text, p_ids uuid[]) RETURNS SETOF jsonb
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
DECLARE
  tbl text := CASE p_kind WHEN 'cases' THEN 'service_cases' ELSE p_kind END;
BEGIN
  IF NOT agentdesk_has('print') THEN
    RAISE EXCEPTION 'agentdesk: % may not print', session_user USING ERRCODE = '42501';
  END IF;
  -- only a record table guarded by row security: never a way around the policies
  IF p_kind IN ('users', 'campaigns') OR NOT EXISTS (
       SELECT 1 FROM pg_class
        WHERE relname = tbl AND relnamespace = current_schema()::regnamespace
          AND relrowsecurity AND relforcerowsecurity) THEN
    RAISE EXCEPTION 'agentdesk: % are not records to print', p_kind USING ERRCODE = '22023';
  END IF;
  INSERT INTO audit_log (id, at, user_id, actor, action, entity_kind, entity_id, details)
  VALUES (gen_random_uuid(), now(), agentdesk_uid(), left(session_user::text, 100), 'print',
          p_kind, CASE WHEN cardinality(p_ids) = 1 THEN p_ids[1] END,
          jsonb_build_object('print', p_kind, 'ids', to_jsonb(p_ids)));
  RETURN QUERY EXECUTE format(
    'SELECT to_jsonb(t) FROM %I t WHERE t.id = ANY ($1) AND t.deleted_at IS NULL ORDER BY t.id',
    tbl) USING p_ids;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(PRINT_RECORDS)
    op.execute(f"ALTER FUNCTION {SIGNATURE} OWNER TO agentdesk_owner")
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO agentdesk_desk")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
