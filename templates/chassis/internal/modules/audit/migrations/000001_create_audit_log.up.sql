-- The audit log: append-only, one hash chain per tenant. Each entry's hash
-- covers its fields and the previous entry's hash, so changing, inserting or
-- removing an entry breaks the chain from there on (internal/platform/audit
-- Verify finds where).
CREATE TABLE audit_log (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    seq           bigint      NOT NULL CHECK (seq > 0),
    occurred_at   timestamptz NOT NULL,
    actor_id      uuid,
    action        text        NOT NULL CHECK (char_length(action) BETWEEN 1 AND 100),
    resource_type text        NOT NULL DEFAULT '',
    resource_id   text        NOT NULL DEFAULT '',
    request_id    text        NOT NULL DEFAULT '',
    ip            text        NOT NULL DEFAULT '',
    user_agent    text        NOT NULL DEFAULT '',
    -- json, not jsonb: the hash covers these exact bytes.
    changes       json        NOT NULL DEFAULT '{}',
    metadata      json        NOT NULL DEFAULT '{}',
    prev_hash     bytea       NOT NULL,
    hash          bytea       NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- Append-only: no UPDATE, and no DELETE except the cascade when the tenant
-- itself is deleted (which runs one trigger level down).
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
