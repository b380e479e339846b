CREATE TABLE bookmarks (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    url        text        NOT NULL CHECK (char_length(url) BETWEEN 1 AND 2000),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bookmarks_tenant_id_created_at_idx ON bookmarks (tenant_id, created_at);
ALTER TABLE bookmarks ENABLE ROW LEVEL SECURITY;
ALTER TABLE bookmarks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON bookmarks
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
