CREATE TABLE projects (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    description text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
    -- The user who created it: members may change and delete only their own.
    -- No foreign key: the project outlives its creator's account.
    created_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Leads with tenant_id: serves every tenant-scoped query, the listing order
-- and the ON DELETE CASCADE lookup from tenants.
CREATE INDEX projects_tenant_id_created_at_id_idx ON projects (tenant_id, created_at, id);

-- Every table with a tenant_id needs these three statements; a test in
-- internal/app fails for any that lacks them. The policy admits only rows of
-- the tenant named by the transaction-local app.tenant_id, for reads
-- (USING) and writes (WITH CHECK).
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE projects FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON projects
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
