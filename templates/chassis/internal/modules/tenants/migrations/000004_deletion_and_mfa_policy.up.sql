-- Deleting a tenant (v0.3.0) schedules it: purge_after is when the
-- periodic task tenants:purge deletes the tenant and, by cascade, every row
-- of it. Until then an owner may cancel. NULL: not scheduled.
ALTER TABLE tenants ADD COLUMN deletion_requested_at timestamptz;
ALTER TABLE tenants ADD COLUMN purge_after timestamptz;
ALTER TABLE tenants ADD CONSTRAINT tenants_deletion_check CHECK ((deletion_requested_at IS NULL) = (purge_after IS NULL));
CREATE INDEX tenants_purge_after_idx ON tenants (purge_after) WHERE purge_after IS NOT NULL;

-- The purge task runs outside any tenant and must find the tenants due:
-- outside a tenant (app.tenant_id unset), the runtime role may read the
-- rows of tenants whose grace period is over, and nothing else. It deletes
-- each inside a transaction acting for it.
CREATE POLICY purge_due ON tenants FOR SELECT
    USING (NULLIF(current_setting('app.tenant_id', true), '') IS NULL AND purge_after <= now());

-- What remains of a purged tenant: its id and slug, and when it was asked
-- for and purged, so an operator can answer "what happened to tenant X".
-- It holds no tenant data and belongs to no tenant.
CREATE TABLE tenant_purges (
    id                    uuid        PRIMARY KEY,
    slug                  text        NOT NULL,
    deletion_requested_at timestamptz NOT NULL,
    purged_at             timestamptz NOT NULL DEFAULT now()
);

-- Members of a tenant with require_mfa must sign in with a second factor:
-- signing in to, refreshing into or switching to it without one is refused.
ALTER TABLE tenants ADD COLUMN require_mfa boolean NOT NULL DEFAULT false;
