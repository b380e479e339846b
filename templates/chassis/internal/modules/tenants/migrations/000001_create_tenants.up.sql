CREATE TABLE tenants (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name           text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    slug           text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    -- Set by the tenants:provision job; NULL until it has run.
    provisioned_at timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Row-level security: the runtime role sees and writes a tenant's row only
-- inside a transaction whose app.tenant_id names it (see
-- internal/platform/tenancy). FORCE applies the policy to the table owner
-- too. Without the setting, current_setting returns NULL or '' and the
-- comparison is never true: nothing is visible and every write fails.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
