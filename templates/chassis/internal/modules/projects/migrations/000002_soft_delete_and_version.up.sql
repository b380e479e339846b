-- Soft delete: DELETE sets deleted_at and every query skips such rows;
-- `ctl purge` removes them for good after the retention period.
ALTER TABLE projects ADD COLUMN deleted_at timestamptz;

-- Optimistic locking: every update must name the version it read and
-- increments it, so a stale write is refused instead of lost.
ALTER TABLE projects ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version > 0);

-- Serves purge, which looks for rows deleted long ago.
CREATE INDEX projects_tenant_id_deleted_at_idx ON projects (tenant_id, deleted_at) WHERE deleted_at IS NOT NULL;
