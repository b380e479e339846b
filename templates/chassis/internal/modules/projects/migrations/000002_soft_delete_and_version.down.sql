DROP INDEX projects_tenant_id_deleted_at_idx;
-- Soft-deleted rows would reappear without the column: remove them first.
-- The owner sees every tenant's rows only while the policy is not forced.
ALTER TABLE projects NO FORCE ROW LEVEL SECURITY;
DELETE FROM projects WHERE deleted_at IS NOT NULL;
ALTER TABLE projects FORCE ROW LEVEL SECURITY;
ALTER TABLE projects DROP COLUMN version;
ALTER TABLE projects DROP COLUMN deleted_at;
