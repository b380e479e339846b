-- Platform operators: the people who run the service, distinct from the
-- tenants' roles. An operator is an existing user with operator
-- permissions; the rows belong to no tenant. `ctl operator add` creates
-- them, with the second factor every operator must have.
CREATE TABLE operators (
    user_id        uuid        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    permissions    text[]      NOT NULL CHECK (
        cardinality(permissions) > 0 AND
        permissions <@ ARRAY['admin:read', 'admin:write', 'admin:impersonate', 'admin:billing', 'admin:jobs']::text[]),
    -- The TOTP secret, sealed with DATA_ENCRYPTION_KEYS (sealbox); the
    -- last time step accepted, so a code is never accepted twice.
    totp_secret    text        NOT NULL,
    totp_last_step bigint      NOT NULL DEFAULT 0,
    -- SHA-256 (hex) of each unused recovery code.
    recovery_codes text[]      NOT NULL DEFAULT '{}',
    -- Lockout after repeated failed sign-ins.
    failed_attempts integer     NOT NULL DEFAULT 0,
    locked_until   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- A console session: the cookie holds a random token of which only the
-- SHA-256 is stored; csrf_token is the session's anti-forgery token, sent
-- back on every unsafe request. Sessions end at expires_at, never later.
CREATE TABLE operator_sessions (
    token_hash  bytea       PRIMARY KEY,
    operator_id uuid        NOT NULL REFERENCES operators (user_id) ON DELETE CASCADE,
    csrf_token  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX operator_sessions_operator_id_idx ON operator_sessions (operator_id);
CREATE INDEX operator_sessions_expires_at_idx ON operator_sessions (expires_at);

-- What operators did that is no one tenant's: signing in, reading the
-- directory of tenants. Reads of one tenant's rows are recorded in that
-- tenant's own audit log (audit.OperatorTx) and here. Append-only.
CREATE TABLE operator_audit (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    operator_id   uuid        NOT NULL,
    action        text        NOT NULL,
    target_tenant uuid,
    detail        jsonb       NOT NULL DEFAULT '{}',
    ip            text        NOT NULL DEFAULT '',
    user_agent    text        NOT NULL DEFAULT ''
);
CREATE INDEX operator_audit_operator_idx ON operator_audit (operator_id, occurred_at);
COMMENT ON TABLE operator_audit IS 'append-only: the runtime role may SELECT and INSERT';

CREATE FUNCTION operator_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'operator_audit is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER operator_audit_append_only BEFORE UPDATE OR DELETE ON operator_audit
    FOR EACH ROW EXECUTE FUNCTION operator_audit_append_only();

-- The directory of tenants for operators: inside a transaction that names
-- an operator with admin:read (app.operator_id, set only by the console's
-- operator path after authenticating them), the tenants' rows may be read —
-- their names, slugs and plans, nothing of their data. Row-level security
-- stays on: every other table still needs app.tenant_id, which the
-- operator path sets for one tenant at a time, with an audit entry.
CREATE POLICY operator_directory ON tenants FOR SELECT
    USING (EXISTS (
        SELECT 1 FROM operators o
        WHERE o.user_id = NULLIF(current_setting('app.operator_id', true), '')::uuid
          AND 'admin:read' = ANY (o.permissions)));
