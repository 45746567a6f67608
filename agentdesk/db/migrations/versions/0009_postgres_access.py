"""PostgreSQL: login roles per user, group roles per application role, row-level security

Every desk user connects with their own login (named after the username); policies identify
them by ``session_user``, which a client cannot change, and read the permission matrix, the
scope table and the shares of revision 0007 through ``SECURITY DEFINER`` helpers. The helpers
are written ``(SELECT f())`` in the policies so PostgreSQL runs them once per statement (an
initplan) and the ``owner_id`` indexes stay usable.

Roles (cluster-wide, created when missing):
- ``agentdesk_owner`` (NOLOGIN) owns the tables; the login that runs this upgrade is made a
  member, and its connection is "the database owner" (may do everything, e.g. the first admin).
- ``agentdesk_security`` (NOLOGIN, BYPASSRLS, CREATEROLE) owns the helpers and the login
  functions; nobody is a member of it, so no login bypasses row-level security.
- ``agentdesk_desk`` holds the table privileges; ``agentdesk_<role>`` (one per application
  role) are its members, and each login is a member of the group of its role.

Creating the roles needs a superuser: run this upgrade as one. SQLite: nothing to do.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

APP_ROLES = ("agent", "supervisor", "sales_rep", "sales_manager", "service_agent", "admin")

# table -> (record kind, owner column) for tables whose rows belong to a user
OWNED = {
    "accounts": ("accounts", "owner_id"),
    "contacts": ("contacts", "owner_id"),
    "leads": ("leads", "owner_id"),
    "opportunities": ("opportunities", "owner_id"),
    "service_cases": ("cases", "owner_id"),
    "calls": ("calls", "agent_id"),
    "callbacks": ("callbacks", "agent_id"),
}
# tables every desk reads and only a user manager writes
CONFIG = ("dispositions", "teams", "org_permissions", "org_capabilities")
CAMPAIGN_CHILDREN = ("dialer_campaign_assignments", "dialer_campaign_zones")

ROLES_SQL = """
DO $roles$
DECLARE r text;
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    RAISE EXCEPTION 'this upgrade creates database roles: run `agentdesk db upgrade` as a '
                    'PostgreSQL superuser once';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentdesk_owner') THEN
    CREATE ROLE agentdesk_owner NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentdesk_security') THEN
    CREATE ROLE agentdesk_security NOLOGIN BYPASSRLS CREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentdesk_desk') THEN
    CREATE ROLE agentdesk_desk NOLOGIN;
  END IF;
  FOREACH r IN ARRAY ARRAY['agent', 'supervisor', 'sales_rep', 'sales_manager',
                           'service_agent', 'admin'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentdesk_' || r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', 'agentdesk_' || r);
    END IF;
    EXECUTE format('GRANT agentdesk_desk TO %I', 'agentdesk_' || r);
    -- PostgreSQL 16 lets a CREATEROLE role grant only roles it administers
    EXECUTE format('GRANT %I TO agentdesk_security WITH ADMIN OPTION', 'agentdesk_' || r);
  END LOOP;
  EXECUTE format('GRANT agentdesk_owner TO %I', session_user);
END
$roles$;
"""

HELPERS_SQL = """
CREATE FUNCTION agentdesk_is_owner() RETURNS boolean LANGUAGE sql STABLE
AS $$ SELECT pg_has_role(session_user, 'agentdesk_owner', 'MEMBER') $$;

CREATE FUNCTION agentdesk_uid() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER
AS $$ SELECT id FROM users WHERE username = session_user AND active AND deleted_at IS NULL $$;

CREATE FUNCTION agentdesk_depth(p_kind text, p_action text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
  SELECT CASE WHEN agentdesk_is_owner() THEN 'all' ELSE coalesce(
    (SELECT p.depth FROM users u JOIN org_permissions p ON p.role = u.role
      WHERE u.username = session_user AND u.active AND u.deleted_at IS NULL
        AND p.kind = p_kind AND p.action = p_action), 'none') END
$$;

CREATE FUNCTION agentdesk_has(p_capability text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
  SELECT agentdesk_is_owner() OR EXISTS (
    SELECT 1 FROM users u JOIN org_capabilities c ON c.role = u.role
     WHERE u.username = session_user AND u.active AND u.deleted_at IS NULL
       AND c.capability = p_capability)
$$;

-- the owners a depth reaches: own -> me, team/department -> the scope table; all and none
-- are decided by the policies before this is consulted
CREATE FUNCTION agentdesk_owners(p_kind text, p_action text) RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
  SELECT CASE agentdesk_depth(p_kind, p_action)
    WHEN 'own' THEN ARRAY[agentdesk_uid()]
    WHEN 'team' THEN ARRAY(SELECT owner_id FROM org_scope
                            WHERE viewer_id = agentdesk_uid() AND depth = 'team')
    WHEN 'department' THEN ARRAY(SELECT owner_id FROM org_scope
                                  WHERE viewer_id = agentdesk_uid())
    ELSE '{}'::uuid[] END
$$;

CREATE FUNCTION agentdesk_shared(p_kind text, p_write boolean) RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
  SELECT ARRAY(SELECT record_id FROM record_shares
                WHERE user_id = agentdesk_uid() AND kind = p_kind AND (can_write OR NOT p_write))
$$;

-- one record, for the few places a policy must judge a row it cannot see (phones, shares):
-- the same precedence as domain/access.py allows()
CREATE FUNCTION agentdesk_can(p_kind text, p_action text, p_owner uuid, p_id uuid)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
AS $$
  SELECT CASE
    WHEN agentdesk_depth(p_kind, p_action) = 'all' THEN true
    WHEN p_action IN ('read', 'update')
         AND p_id = ANY (agentdesk_shared(p_kind, p_action = 'update')) THEN true
    WHEN agentdesk_depth(p_kind, p_action) = 'none' THEN false
    WHEN p_owner IS NULL THEN true
    ELSE p_owner = ANY (agentdesk_owners(p_kind, p_action)) END
$$;

CREATE FUNCTION agentdesk_owner_of(p_kind text, p_id uuid) RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
BEGIN
  RETURN CASE p_kind
    WHEN 'accounts' THEN (SELECT owner_id FROM accounts WHERE id = p_id)
    WHEN 'contacts' THEN (SELECT owner_id FROM contacts WHERE id = p_id)
    WHEN 'leads' THEN (SELECT owner_id FROM leads WHERE id = p_id)
    WHEN 'opportunities' THEN (SELECT owner_id FROM opportunities WHERE id = p_id)
    WHEN 'cases' THEN (SELECT owner_id FROM service_cases WHERE id = p_id)
    WHEN 'calls' THEN (SELECT agent_id FROM calls WHERE id = p_id)
    WHEN 'callbacks' THEN (SELECT agent_id FROM callbacks WHERE id = p_id)
    ELSE NULL END;
END
$$;

-- campaigns a login may work: every one at depth all, else the open ones (no assignment) and
-- those assigned to the user or their team
CREATE FUNCTION agentdesk_campaigns() RETURNS uuid[] LANGUAGE sql STABLE SECURITY DEFINER
AS $$
  SELECT ARRAY(
    SELECT c.id FROM dialer_campaigns c
     WHERE agentdesk_depth('campaigns', 'read') = 'all'
        OR (agentdesk_depth('campaigns', 'read') <> 'none' AND (
              NOT EXISTS (SELECT 1 FROM dialer_campaign_assignments a
                           WHERE a.campaign_id = c.id)
              OR EXISTS (SELECT 1 FROM dialer_campaign_assignments a
                           JOIN users u ON u.username = session_user
                          WHERE a.campaign_id = c.id
                            AND (a.user_id = u.id OR a.team_id = u.team_id)))))
$$;

CREATE FUNCTION agentdesk_guard_owner() RETURNS trigger LANGUAGE plpgsql
AS $$
DECLARE
  old_owner text := to_jsonb(OLD) ->> TG_ARGV[0];
  new_owner text := to_jsonb(NEW) ->> TG_ARGV[0];
BEGIN
  IF new_owner IS DISTINCT FROM old_owner
     AND NOT agentdesk_has('reassign')
     AND NOT (old_owner IS NULL AND new_owner = agentdesk_uid()::text) THEN
    RAISE EXCEPTION 'agentdesk: % may not change who owns a row of %', session_user, TG_TABLE_NAME
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;

CREATE FUNCTION agentdesk_refresh_scope() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
AS $$
BEGIN
  LOCK TABLE org_scope IN EXCLUSIVE MODE;
  DELETE FROM org_scope;
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
  SELECT id, 'department', id FROM users;
  RETURN NULL;
END
$$;
"""

LOGINS_SQL = """
CREATE FUNCTION agentdesk_check_login(p_username text) RETURNS void LANGUAGE plpgsql
SECURITY DEFINER
AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_username)
     AND ((SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = p_username)
          OR NOT pg_has_role(p_username, 'agentdesk_desk', 'MEMBER')) THEN
    RAISE EXCEPTION 'a database role named % exists and is not an AgentDesk login', p_username
      USING ERRCODE = '42501';
  END IF;
END
$$;

CREATE FUNCTION agentdesk_sync_login(p_username text) RETURNS void LANGUAGE plpgsql
SECURITY DEFINER
AS $$
DECLARE
  u users%ROWTYPE;
  r text;
BEGIN
  IF NOT agentdesk_has('manage_users') THEN
    RAISE EXCEPTION 'agentdesk: % may not manage users', session_user USING ERRCODE = '42501';
  END IF;
  SELECT * INTO u FROM users WHERE username = p_username;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'agentdesk: no user %', p_username;
  END IF;
  PERFORM agentdesk_check_login(p_username);
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_username) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', p_username);
  END IF;
  FOREACH r IN ARRAY ARRAY['agent', 'supervisor', 'sales_rep', 'sales_manager',
                           'service_agent', 'admin'] LOOP
    IF r = u.role THEN
      EXECUTE format('GRANT %I TO %I', 'agentdesk_' || r, p_username);
    ELSE
      EXECUTE format('REVOKE %I FROM %I', 'agentdesk_' || r, p_username);
    END IF;
  END LOOP;
  EXECUTE format('ALTER ROLE %I %s', p_username,
                 CASE WHEN u.active AND u.deleted_at IS NULL THEN 'LOGIN' ELSE 'NOLOGIN' END);
END
$$;

CREATE FUNCTION agentdesk_set_password(p_username text, p_verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
AS $$
BEGIN
  IF p_username IS DISTINCT FROM session_user::text AND NOT agentdesk_has('manage_users') THEN
    RAISE EXCEPTION 'agentdesk: % may not set the password of %', session_user, p_username
      USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_username) THEN
    RAISE EXCEPTION 'agentdesk: % has no login yet', p_username;
  END IF;
  PERFORM agentdesk_check_login(p_username);
  IF p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
    RAISE EXCEPTION 'agentdesk: a password is sent as a SCRAM-SHA-256 verifier';
  END IF;
  EXECUTE format('ALTER ROLE %I PASSWORD %L', p_username, p_verifier);
END
$$;
"""

DEFINER_FUNCTIONS = (
    "agentdesk_uid()",
    "agentdesk_depth(text, text)",
    "agentdesk_has(text)",
    "agentdesk_owners(text, text)",
    "agentdesk_shared(text, boolean)",
    "agentdesk_can(text, text, uuid, uuid)",
    "agentdesk_owner_of(text, uuid)",
    "agentdesk_campaigns()",
    "agentdesk_refresh_scope()",
    "agentdesk_check_login(text)",
    "agentdesk_sync_login(text)",
    "agentdesk_set_password(text, text)",
)


# Fast paths. PostgreSQL may not use an index for a condition whose operator is not
# LEAKPROOF (text ranges and LIKE are not) until the row passed the policies, so a search's
# prefix range under a policy like "depth = all OR ..." walks the whole index: 1.5 s on a
# million contacts. A policy whose expression is the constant true is folded away instead.
# So each depth of the matrix that needs no row test has its own policy, granted TO the group
# roles whose matrix cell has it: "all" (true) and "the common pool" (owner IS NULL).
# agentdesk_sync_policies() re-grants them whenever org_permissions changes; the placeholder
# role agentdesk_owner keeps each TO list non-empty.
FAST: list[tuple[str, str, tuple[str, ...], str, str]] = []
"""(table, policy, record kinds, action, rule): rule "all" means every kind's depth is all,
"pool" that none is none."""

_COMMANDS = {"read": "SELECT", "update": "UPDATE", "delete": "DELETE", "create": "INSERT"}


def _fast(table: str, name: str, kinds: tuple[str, ...], action: str, rule: str, expr: str) -> str:
    FAST.append((table, name, kinds, action, rule))
    command = _COMMANDS[action]
    using = "" if command == "INSERT" else f" USING ({expr})"
    check = f" WITH CHECK ({expr})" if command in ("INSERT", "UPDATE") else ""
    return f"CREATE POLICY {name} ON {table} FOR {command} TO agentdesk_owner{using}{check}"


def _owned_policies(table: str, kind: str, owner: str) -> list[str]:
    def scope(action: str) -> str:
        return f"{owner} = ANY ((SELECT agentdesk_owners('{kind}', '{action}'))::uuid[])"

    def shared(write: bool) -> str:
        return f"id = ANY ((SELECT agentdesk_shared('{kind}', {str(write).lower()}))::uuid[])"

    read = f"{scope('read')} OR {shared(False)}"
    update = f"{scope('update')} OR {shared(True)}"
    create = (
        f"(SELECT agentdesk_depth('{kind}', 'create')) <> 'none' AND ({owner} IS NULL OR "
        f"{owner} = (SELECT agentdesk_uid()) OR (SELECT agentdesk_has('reassign')))"
    )
    pool = f"{owner} IS NULL"
    return [
        _fast(table, "all_read", (kind,), "read", "all", "true"),
        _fast(table, "pool_read", (kind,), "read", "pool", pool),
        f"CREATE POLICY scope_read ON {table} FOR SELECT TO agentdesk_desk USING ({read})",
        _fast(table, "all_update", (kind,), "update", "all", "true"),
        _fast(table, "pool_update", (kind,), "update", "pool", pool),
        f"CREATE POLICY scope_update ON {table} FOR UPDATE TO agentdesk_desk USING ({update}) "
        f"WITH CHECK ({update})",
        _fast(table, "all_delete", (kind,), "delete", "all", "true"),
        _fast(table, "pool_delete", (kind,), "delete", "pool", pool),
        f"CREATE POLICY scope_delete ON {table} FOR DELETE TO agentdesk_desk "
        f"USING ({scope('delete')})",
        _fast(table, "all_create", (kind,), "create", "all", "true"),
        f"CREATE POLICY create_ ON {table} FOR INSERT TO agentdesk_desk WITH CHECK ({create})",
        f"CREATE TRIGGER guard_owner BEFORE UPDATE ON {table} FOR EACH ROW "
        f"EXECUTE FUNCTION agentdesk_guard_owner('{owner}')",
    ]


SYNC_POLICIES_SQL = """
CREATE FUNCTION agentdesk_sync_policies() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
  spec record;
  wanted text[];
  current text[];
BEGIN
  FOR spec IN SELECT * FROM (VALUES {specs}) AS s(tbl, pol, kinds, act, rule) LOOP
    SELECT array_agg(grantee ORDER BY grantee) INTO wanted FROM (
      SELECT 'agentdesk_owner' AS grantee
      UNION
      SELECT 'agentdesk_' || p.role FROM org_permissions p
       WHERE p.kind = ANY (spec.kinds) AND p.action = spec.act
         AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentdesk_' || p.role)
       GROUP BY p.role
      HAVING count(*) = cardinality(spec.kinds)
         AND bool_and(CASE spec.rule WHEN 'all' THEN p.depth = 'all'
                                     ELSE p.depth <> 'none' END)) g;
    SELECT array_agg(r::text ORDER BY r::text) INTO current
      FROM pg_policies, unnest(roles) AS r
     WHERE schemaname = current_schema() AND tablename = spec.tbl AND policyname = spec.pol;
    -- ALTER POLICY locks the table: only when the grantees changed
    IF current IS DISTINCT FROM wanted THEN
      EXECUTE format('ALTER POLICY %I ON %I TO %s', spec.pol, spec.tbl,
                     (SELECT string_agg(quote_ident(w), ', ') FROM unnest(wanted) w));
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
"""


def _sync_policies_sql() -> str:
    specs = ", ".join(
        f"('{table}', '{name}', ARRAY[{', '.join(repr(k) for k in kinds)}]::text[], "
        f"'{action}', '{rule}')"
        for table, name, kinds, action, rule in FAST
    )
    return SYNC_POLICIES_SQL.replace("{specs}", specs)


MANAGE = "((SELECT agentdesk_has('manage_users')))"
CAMPAIGN_WRITE = "(SELECT agentdesk_depth('campaigns', 'update')) = 'all'"
CAMPAIGN_SEEN = "(SELECT agentdesk_campaigns())::uuid[]"
IN_SEEN = f"(campaign_id = ANY ({CAMPAIGN_SEEN}))"
PARENTS = (("contact_id", "contacts"), ("account_id", "accounts"), ("lead_id", "leads"))
PARENT_WRITE = " AND ".join(
    f"((SELECT agentdesk_depth('{kind}', 'update')) = 'all' OR phone_numbers.{col} IS NULL "
    f"OR agentdesk_can('{kind}', 'update', agentdesk_owner_of('{kind}', phone_numbers.{col}), "
    f"phone_numbers.{col}))"
    for col, kind in PARENTS
)
# Per row through agentdesk_can (a few index probes), not EXISTS on the parent table, which
# the planner may turn into a hash of every visible parent (a scan of a million contacts).
PARENT_READ = " AND ".join(
    f"((SELECT agentdesk_depth('{kind}', 'read')) = 'all' OR phone_numbers.{col} IS NULL "
    f"OR agentdesk_can('{kind}', 'read', agentdesk_owner_of('{kind}', phone_numbers.{col}), "
    f"phone_numbers.{col}))"
    for col, kind in PARENTS
)
SHARE_JUDGE = (
    "(agentdesk_can(kind, 'update', agentdesk_owner_of(kind, record_id), record_id) "
    "OR (SELECT agentdesk_has('reassign')))"
)


def _writes(name: str, table: str, using: str, check: str | None = None) -> list[str]:
    """INSERT, UPDATE and DELETE policies; never ``FOR ALL``, which would also apply to every
    SELECT (permissive policies are OR-ed) and cost a read what only a write should pay."""
    check = check or using
    return [
        f"CREATE POLICY {name}_insert ON {table} FOR INSERT WITH CHECK ({check})",
        f"CREATE POLICY {name}_update ON {table} FOR UPDATE USING ({using}) WITH CHECK ({check})",
        f"CREATE POLICY {name}_delete ON {table} FOR DELETE USING ({using})",
    ]


def _policies() -> list[str]:
    FAST.clear()  # filled again by the _fast() calls below
    sql: list[str] = []
    for table, (kind, owner) in OWNED.items():
        sql += _owned_policies(table, kind, owner)
    for table in CONFIG:
        sql += [
            f"CREATE POLICY read ON {table} FOR SELECT USING (true)",
            *_writes("manage", table, MANAGE),
        ]
    sql += [
        _fast("users", "all_read", ("users",), "read", "all", "true"),
        "CREATE POLICY scope_read ON users FOR SELECT TO agentdesk_desk USING "
        "(id = (SELECT agentdesk_uid()) "
        "OR id = ANY ((SELECT agentdesk_owners('users', 'read'))::uuid[]))",
        *_writes("manage", "users", MANAGE),
        "CREATE POLICY read ON org_scope FOR SELECT USING "
        f"(viewer_id = (SELECT agentdesk_uid()) OR {MANAGE})",
        "CREATE POLICY read ON record_shares FOR SELECT USING "
        f"(user_id = (SELECT agentdesk_uid()) OR {SHARE_JUDGE})",
        *_writes("write", "record_shares", SHARE_JUDGE),
        "CREATE POLICY read ON audit_log FOR SELECT USING "
        f"(user_id = (SELECT agentdesk_uid()) OR {MANAGE})",
        "CREATE POLICY append ON audit_log FOR INSERT WITH CHECK "
        "((SELECT agentdesk_is_owner()) OR user_id = (SELECT agentdesk_uid()))",
        _fast(
            "phone_numbers", "all_read", ("contacts", "accounts", "leads"), "read", "all", "true"
        ),
        f"CREATE POLICY read ON phone_numbers FOR SELECT TO agentdesk_desk USING ({PARENT_READ})",
        *_writes("write", "phone_numbers", PARENT_WRITE),
        f"CREATE POLICY read ON dialer_campaigns FOR SELECT USING (id = ANY ({CAMPAIGN_SEEN}))",
        "CREATE POLICY create_ ON dialer_campaigns FOR INSERT WITH CHECK "
        "((SELECT agentdesk_depth('campaigns', 'create')) <> 'none')",
        f"CREATE POLICY update_ ON dialer_campaigns FOR UPDATE USING ({CAMPAIGN_WRITE})",
        "CREATE POLICY delete_ ON dialer_campaigns FOR DELETE USING "
        "((SELECT agentdesk_depth('campaigns', 'delete')) = 'all')",
        # an agent moves the entries of campaigns they work, and reserves only for themselves
        f"CREATE POLICY read ON dialer_entries FOR SELECT USING {IN_SEEN}",
        f"CREATE POLICY work ON dialer_entries FOR UPDATE USING {IN_SEEN} "
        f"WITH CHECK ({CAMPAIGN_WRITE} OR reserved_by_id IS NULL "
        "OR reserved_by_id = (SELECT agentdesk_uid()))",
        *_writes("manage", "dialer_entries", CAMPAIGN_WRITE),
        f"CREATE POLICY read ON dialer_attempts FOR SELECT USING {IN_SEEN}",
        *_writes(
            "work",
            "dialer_attempts",
            f"{CAMPAIGN_WRITE} OR agent_id = (SELECT agentdesk_uid())",
            f"{CAMPAIGN_WRITE} OR (agent_id = (SELECT agentdesk_uid()) AND {IN_SEEN})",
        ),
        "CREATE POLICY read ON dialer_dnc FOR SELECT USING (true)",
        # a disposition that adds the number to the do-not-call list is an agent's to make
        "CREATE POLICY add ON dialer_dnc FOR INSERT WITH CHECK (true)",
        *_writes("manage", "dialer_dnc", CAMPAIGN_WRITE),
    ]
    for table in CAMPAIGN_CHILDREN:
        sql += [
            f"CREATE POLICY read ON {table} FOR SELECT USING (campaign_id = ANY ({CAMPAIGN_SEEN}))",
            *_writes("manage", table, CAMPAIGN_WRITE),
        ]
    return sql


SHARED_TABLES = (
    *OWNED,
    *CONFIG,
    "users",
    "org_scope",
    "record_shares",
    "audit_log",
    "phone_numbers",
    "dialer_campaigns",
    "dialer_entries",
    "dialer_attempts",
    "dialer_dnc",
    *CAMPAIGN_CHILDREN,
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(ROLES_SQL)
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar_one()
    op.execute(HELPERS_SQL)
    op.execute(LOGINS_SQL)
    for signature in DEFINER_FUNCTIONS:
        op.execute(f"ALTER FUNCTION {signature} OWNER TO agentdesk_security")
        op.execute(f"ALTER FUNCTION {signature} SET search_path = {schema}, pg_temp")
        # The helpers read small tables; a caller that switched plans off (the search turns
        # sequential scans off for its own statements) must not make them cost 10^10 and pay
        # ~100 ms of JIT compilation per call.
        for setting in ("jit = off", "enable_seqscan = on", "enable_bitmapscan = on"):
            op.execute(f"ALTER FUNCTION {signature} SET {setting}")
    for table in (*SHARED_TABLES, "alembic_version"):
        op.execute(f"ALTER TABLE {table} OWNER TO agentdesk_owner")
    for table in SHARED_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"GRANT SELECT ON {table} TO agentdesk_security")
        if table not in ("audit_log", "org_scope"):
            op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO agentdesk_desk")
    op.execute("GRANT SELECT, INSERT ON audit_log TO agentdesk_desk")
    op.execute("GRANT SELECT ON org_scope, alembic_version TO agentdesk_desk")
    op.execute("GRANT INSERT, DELETE ON org_scope TO agentdesk_security")
    op.execute(f"GRANT USAGE ON SCHEMA {schema} TO agentdesk_desk, agentdesk_security")
    for statement in _policies():
        op.execute(statement)
    for table in ("users", "teams"):
        op.execute(
            f"CREATE TRIGGER refresh_scope AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION agentdesk_refresh_scope()"
        )
    op.execute(_sync_policies_sql())
    op.execute(
        "ALTER FUNCTION agentdesk_sync_policies() OWNER TO agentdesk_owner"
    )  # owns the tables
    op.execute(f"ALTER FUNCTION agentdesk_sync_policies() SET search_path = {schema}, pg_temp")
    op.execute(
        "CREATE TRIGGER sync_policies AFTER INSERT OR UPDATE OR DELETE ON org_permissions "
        "FOR EACH STATEMENT EXECUTE FUNCTION agentdesk_sync_policies()"
    )
    op.execute("UPDATE org_permissions SET depth = depth WHERE false")  # the first grants
    # the scope of the users that exist already
    op.execute("UPDATE teams SET name = name WHERE false")
    op.execute("UPDATE users SET username = username WHERE false")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS sync_policies ON org_permissions")
    op.execute("DROP FUNCTION IF EXISTS agentdesk_sync_policies()")
    for table in ("users", "teams"):
        op.execute(f"DROP TRIGGER IF EXISTS refresh_scope ON {table}")
    for table in OWNED:
        op.execute(f"DROP TRIGGER IF EXISTS guard_owner ON {table}")
    for table in SHARED_TABLES:
        names = op.get_bind().exec_driver_sql(
            f"SELECT policyname FROM pg_policies WHERE tablename = '{table}'"
        )
        for (name,) in names.all():
            op.execute(f"DROP POLICY {name} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for signature in (*DEFINER_FUNCTIONS, "agentdesk_is_owner()", "agentdesk_guard_owner()"):
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
