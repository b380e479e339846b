ALTER TABLE tenants DROP COLUMN IF EXISTS require_mfa;
DROP TABLE IF EXISTS tenant_purges;
DROP POLICY IF EXISTS purge_due ON tenants;
DROP INDEX IF EXISTS tenants_purge_after_idx;
ALTER TABLE tenants DROP CONSTRAINT IF EXISTS tenants_deletion_check;
ALTER TABLE tenants DROP COLUMN IF EXISTS purge_after;
ALTER TABLE tenants DROP COLUMN IF EXISTS deletion_requested_at;
