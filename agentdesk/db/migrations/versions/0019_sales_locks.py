"""PostgreSQL: the sales documents' locks and the number counters held by the database

Found by a review with reps' own logins after 0016: a rep's login could delete an approved
order (its lines went with it), write ``approved`` with a made-up total or an approver's id,
move a number counter anywhere (gaps, or clashes), and reprice a sent quote's lines. Now:

- quotes and orders are never deleted by a desk (no DELETE policy: documents are numbered
  without gaps and their history stays); lines are deleted only while their document is
  open (a draft quote; an order while draft or rejected, or by an approver);
- a counter row starts at 0 and moves by one (a trigger; the owner's connection aside);
- a quote that is no longer a draft changes only its status, along draft -> sent ->
  accepted, rejected or expired; its lines change only while it is a draft;
- ``approved`` and ``fulfilled`` are an approver's to write, except the self-approval of an
  order whose total, computed here from its lines (tax once per rate, half up), is below the
  admin's amount for its currency; the approver's id is only ever the writer's own.

SQLite: nothing to do (one user on one machine; the services apply the same rules).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

FUNCTIONS = """
CREATE FUNCTION agentdesk_guard_counter() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF agentdesk_is_owner() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.last <> 0 THEN
      RAISE EXCEPTION 'agentdesk: a number counter starts at 0' USING ERRCODE = '42501';
    END IF;
  ELSIF NEW.last <> OLD.last + 1 OR (to_jsonb(NEW) - 'last') <> (to_jsonb(OLD) - 'last') THEN
    RAISE EXCEPTION 'agentdesk: numbers are taken one at a time' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;

CREATE FUNCTION agentdesk_guard_quote() RETURNS trigger LANGUAGE plpgsql
AS $$
DECLARE
  kept text[] := ARRAY['status', 'updated_at', 'version'];
BEGIN
  IF agentdesk_is_owner() THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'draft' AND NEW.status IN ('draft', 'sent') THEN
    RETURN NEW;
  END IF;
  IF (to_jsonb(NEW) - kept) <> (to_jsonb(OLD) - kept)
     OR NOT (NEW.status = OLD.status
             OR (OLD.status = 'sent' AND NEW.status IN ('accepted', 'rejected', 'expired'))) THEN
    RAISE EXCEPTION 'agentdesk: quote % revision % is %: a new revision changes it',
      OLD.number, OLD.revision, OLD.status USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;

CREATE FUNCTION agentdesk_order_gross(p_order uuid) RETURNS bigint LANGUAGE sql STABLE
AS $$
  SELECT coalesce(sum(net), 0) + coalesce(sum(round(net * rate / 10000.0)), 0)::bigint
    FROM (SELECT sum(net_minor)::numeric AS net, tax_rate_bp AS rate
            FROM order_lines WHERE order_id = p_order GROUP BY tax_rate_bp) AS per_rate
$$;

CREATE FUNCTION agentdesk_guard_order() RETURNS trigger LANGUAGE plpgsql
AS $$
DECLARE
  below bigint;
BEGIN
  IF agentdesk_has('approve_orders') THEN  -- the owner's connection too
    IF NEW.approved_by_id IS DISTINCT FROM OLD.approved_by_id
       AND NEW.approved_by_id IS DISTINCT FROM agentdesk_uid()
       AND NOT agentdesk_is_owner() THEN
      RAISE EXCEPTION 'agentdesk: an approval is signed by its approver' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.approved_by_id IS DISTINCT FROM OLD.approved_by_id THEN
    RAISE EXCEPTION 'agentdesk: only an approver signs an approval' USING ERRCODE = '42501';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('approved', 'fulfilled') THEN
    SELECT l.below_minor INTO below FROM order_approval_limits l WHERE l.currency = NEW.currency;
    IF NEW.status <> 'approved' OR below IS NULL
       OR NEW.gross_minor <> agentdesk_order_gross(NEW.id)
       OR agentdesk_order_gross(NEW.id) >= below THEN
      RAISE EXCEPTION 'agentdesk: order % needs an approver', NEW.number USING ERRCODE = '42501';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
"""
SIGNATURES = (
    "agentdesk_guard_counter()",
    "agentdesk_guard_quote()",
    "agentdesk_order_gross(uuid)",
    "agentdesk_guard_order()",
)
QUOTE_OPEN = (
    "EXISTS (SELECT 1 FROM quotes p WHERE p.id = quote_lines.quote_id "
    "AND agentdesk_can('quotes', 'update', p.owner_id, p.id) AND p.status = 'draft')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTIONS)
    for signature in SIGNATURES:
        op.execute(f"ALTER FUNCTION {signature} OWNER TO agentdesk_owner")
    for table in ("document_counters", "service_case_counters"):
        op.execute(
            f"CREATE TRIGGER guard_counter BEFORE INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION agentdesk_guard_counter()"
        )
    op.execute(
        "CREATE TRIGGER guard_quote BEFORE UPDATE ON quotes "
        "FOR EACH ROW EXECUTE FUNCTION agentdesk_guard_quote()"
    )
    op.execute(
        "CREATE TRIGGER guard_order BEFORE UPDATE ON orders "
        "FOR EACH ROW EXECUTE FUNCTION agentdesk_guard_order()"
    )
    for table in ("quotes", "orders"):
        op.execute(f"DROP POLICY scope_delete ON {table}")
    for name in ("insert", "update", "delete"):
        op.execute(f"DROP POLICY follow_{name} ON quote_lines")
    op.execute(f"CREATE POLICY follow_insert ON quote_lines FOR INSERT WITH CHECK ({QUOTE_OPEN})")
    op.execute(
        f"CREATE POLICY follow_update ON quote_lines FOR UPDATE USING ({QUOTE_OPEN}) "
        f"WITH CHECK ({QUOTE_OPEN})"
    )
    op.execute(f"CREATE POLICY follow_delete ON quote_lines FOR DELETE USING ({QUOTE_OPEN})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ("document_counters", "service_case_counters"):
        op.execute(f"DROP TRIGGER IF EXISTS guard_counter ON {table}")
    op.execute("DROP TRIGGER IF EXISTS guard_quote ON quotes")
    op.execute("DROP TRIGGER IF EXISTS guard_order ON orders")
    for signature in SIGNATURES:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    # 0016's policies back as they were
    parent = (
        "EXISTS (SELECT 1 FROM quotes p WHERE p.id = quote_lines.quote_id "
        "AND agentdesk_can('quotes', 'update', p.owner_id, p.id) AND (true))"
    )
    for name in ("insert", "update", "delete"):
        op.execute(f"DROP POLICY follow_{name} ON quote_lines")
    op.execute(f"CREATE POLICY follow_insert ON quote_lines FOR INSERT WITH CHECK ({parent})")
    op.execute(
        f"CREATE POLICY follow_update ON quote_lines FOR UPDATE USING ({parent}) "
        f"WITH CHECK ({parent})"
    )
    op.execute(f"CREATE POLICY follow_delete ON quote_lines FOR DELETE USING ({parent})")
    for table, kind in (("quotes", "quotes"), ("orders", "orders")):
        reach = (
            f"((SELECT agentdesk_depth('{kind}', 'delete')) = 'all' OR (owner_id IS NULL AND "
            f"(SELECT agentdesk_depth('{kind}', 'delete')) <> 'none') OR owner_id = ANY "
            f"((SELECT agentdesk_owners('{kind}', 'delete'))::uuid[]))"
        )
        op.execute(f"CREATE POLICY scope_delete ON {table} FOR DELETE USING {reach}")
