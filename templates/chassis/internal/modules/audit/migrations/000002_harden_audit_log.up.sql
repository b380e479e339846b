-- Hardening of the audit log (v0.2.0).
--
-- 1. The append-only trigger refused DELETE only at trigger depth 1, to let
--    the cascade from a deleted tenant through; any role could reach depth 2
--    with a trigger of its own (on a TEMP table, say) and delete entries.
--    Now only the table's owner deletes: the owner role's commands, and the
--    cascade from tenants, which PostgreSQL runs as the owner of audit_log.
--    UPDATE is refused to everyone.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- 2. Other roles (the runtime role) may read and append, nothing else. The
--    comment tells `migrate up` and `db create-role` (database.GrantRuntime)
--    to grant no more than SELECT and INSERT.
COMMENT ON TABLE audit_log IS 'append-only: the runtime role may SELECT and INSERT';
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
             WHERE table_schema = 'public' AND table_name = 'audit_log'
               AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
               AND grantee NOT IN (current_user, 'PUBLIC')
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM %I', r.grantee);
    END LOOP;
END;
$$;

-- 3. Anchors: the SHA-256 chain is unkeyed, so whoever can write rows can
--    recompute it. An anchor records a chain head (seq and hash) with an
--    HMAC-SHA256 under AUDIT_CHAIN_KEY, a key only the owner-role command
--    `ctl audit seal` holds; `ctl audit verify` checks that the chain still
--    passes through every anchor. The runtime role may only read anchors.
CREATE TABLE audit_anchors (
    tenant_id uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    seq       bigint      NOT NULL CHECK (seq > 0),
    hash      bytea       NOT NULL,
    mac       bytea       NOT NULL,
    sealed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, seq)
);
COMMENT ON TABLE audit_anchors IS 'read-only: the runtime role may SELECT';

ALTER TABLE audit_anchors ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_anchors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_anchors
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
