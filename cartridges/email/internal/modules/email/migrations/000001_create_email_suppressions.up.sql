-- Addresses a tenant must not send to any more: they bounced permanently,
-- complained (marked a message as spam) or were refused by the provider.
-- Every send on behalf of the tenant checks this list first.
CREATE TABLE email_suppressions (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- Lower-cased bare address.
    email      text        NOT NULL CHECK (email = lower(email) AND char_length(email) BETWEEN 3 AND 320),
    reason     text        NOT NULL CHECK (reason IN ('bounce', 'complaint', 'invalid_recipient')),
    -- What the provider said, for support; never shown to other tenants.
    detail     text        NOT NULL DEFAULT '' CHECK (char_length(detail) <= 1000),
    provider   text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, email)
);

-- The primary key leads with tenant_id: it serves the lookups before each
-- send and the ON DELETE CASCADE from tenants.
ALTER TABLE email_suppressions ENABLE ROW LEVEL SECURITY;
ALTER TABLE email_suppressions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON email_suppressions
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
