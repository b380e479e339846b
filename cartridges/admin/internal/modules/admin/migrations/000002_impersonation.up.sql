-- Impersonations: an operator acting as a user of a tenant, for support.
-- The record of who impersonated whom, when, why and in which mode; like
-- operator_audit it belongs to no tenant and outlives the sessions and
-- users it names, so it has no foreign keys. The session it opened is an
-- ordinary row of sessions (session_id), without a refresh token.
CREATE TABLE impersonations (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    operator_id      uuid        NOT NULL,
    -- The console session that started it: its banner, its stop button.
    operator_session bytea       NOT NULL,
    target_tenant    uuid        NOT NULL,
    -- The tenant's name when it started, for the console's banner.
    tenant_name      text        NOT NULL,
    target_user      uuid        NOT NULL,
    session_id       uuid        NOT NULL,
    reason           text        NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 500),
    read_only        boolean     NOT NULL,
    started_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    ended_at         timestamptz,
    CHECK (expires_at > started_at)
);
-- At most one open impersonation per console session.
CREATE UNIQUE INDEX impersonations_open_idx ON impersonations (operator_session) WHERE ended_at IS NULL;
CREATE INDEX impersonations_tenant_idx ON impersonations (target_tenant, started_at);

-- A tenant's policy: whether its members may refuse impersonation. Without
-- a row they may not (support may impersonate anyone, with a reason).
CREATE TABLE impersonation_policies (
    tenant_id           uuid        PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    members_may_opt_out boolean     NOT NULL DEFAULT false,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE impersonation_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE impersonation_policies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON impersonation_policies
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- The members who refused impersonation, honoured while the tenant's
-- policy lets members opt out.
CREATE TABLE impersonation_opt_outs (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id)
);
ALTER TABLE impersonation_opt_outs ENABLE ROW LEVEL SECURITY;
ALTER TABLE impersonation_opt_outs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON impersonation_opt_outs
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- Bulk actions: one action over many accounts, run by the worker
-- (admin:bulk) while the console shows its progress.
CREATE TABLE admin_bulk_jobs (
    id          uuid        PRIMARY KEY,
    operator_id uuid        NOT NULL,
    action      text        NOT NULL CHECK (action IN ('revoke-sessions', 'lock', 'unlock', 'reset-password')),
    targets     uuid[]      NOT NULL CHECK (cardinality(targets) BETWEEN 1 AND 100),
    done        integer     NOT NULL DEFAULT 0,
    failed      integer     NOT NULL DEFAULT 0,
    last_error  text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    CHECK (done + failed <= cardinality(targets))
);
CREATE INDEX admin_bulk_jobs_operator_idx ON admin_bulk_jobs (operator_id, created_at);
