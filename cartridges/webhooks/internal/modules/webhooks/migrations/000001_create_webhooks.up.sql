-- Outgoing webhooks (the webhooks cartridge). Every table holds tenant rows
-- under row-level security; the worker's reconciler alone reads, outside
-- any tenant, which deliveries are due (the due_deliveries policy).

CREATE TABLE webhook_endpoints (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    url             text        NOT NULL CHECK (char_length(url) BETWEEN 1 AND 2000),
    description     text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
    -- Empty: every event type.
    event_types     text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(event_types) <= 100),
    disabled        boolean     NOT NULL DEFAULT false,
    disabled_reason text        NOT NULL DEFAULT '' CHECK (char_length(disabled_reason) <= 500),
    -- Attempts per second; NULL: no limit.
    rate_limit      integer     CHECK (rate_limit BETWEEN 1 AND 10000),
    -- Extra request headers, {"name": "value"}.
    headers         jsonb       NOT NULL DEFAULT '{}',
    -- Deliver one message at a time, oldest first.
    ordered         boolean     NOT NULL DEFAULT false,
    -- Since when every attempt failed; NULL after a success.
    failing_since   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_tenant_idx ON webhook_endpoints (tenant_id, created_at, id);

-- Signing secrets, sealed (sealbox): the newest signs; an older one keeps
-- signing too until expires_at, so receivers can rotate.
CREATE TABLE webhook_endpoint_secrets (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    endpoint_id uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    sealed      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz
);
CREATE INDEX webhook_endpoint_secrets_tenant_idx ON webhook_endpoint_secrets (tenant_id, endpoint_id);

CREATE TABLE webhook_messages (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- The publisher's id of the fact: publishing it again is a no-op.
    event_id    text        NOT NULL CHECK (char_length(event_id) BETWEEN 1 AND 300),
    event_type  text        NOT NULL CHECK (char_length(event_type) BETWEEN 1 AND 100),
    payload     jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, event_id)
);
CREATE INDEX webhook_messages_tenant_created_idx ON webhook_messages (tenant_id, created_at, id);

-- One row per message and endpoint: its state and next attempt.
CREATE TABLE webhook_deliveries (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    message_id      uuid        NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
    endpoint_id     uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- When a worker last took it: a lease until next_attempt_at.
    claimed_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (message_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_tenant_idx ON webhook_deliveries (tenant_id, endpoint_id, status);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    delivery_id   uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    message_id    uuid        NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
    endpoint_id   uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    attempted_at  timestamptz NOT NULL DEFAULT now(),
    status_code   integer,
    duration_ms   integer     NOT NULL,
    -- At most 16 KiB of the response.
    response_body text        NOT NULL DEFAULT '',
    -- Empty on success; otherwise timeout, connection, refused_address,
    -- http_status, too_many_redirects, ...
    error_class   text        NOT NULL DEFAULT '',
    error         text        NOT NULL DEFAULT ''
);
CREATE INDEX webhook_attempts_tenant_idx ON webhook_attempts (tenant_id, message_id, attempted_at);
CREATE INDEX webhook_attempts_endpoint_idx ON webhook_attempts (endpoint_id, attempted_at);

ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_endpoints
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE webhook_endpoint_secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoint_secrets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_endpoint_secrets
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE webhook_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_messages
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_deliveries
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE webhook_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_attempts
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- The reconciler runs outside any tenant and must find the deliveries that
-- are due, wherever their doorbell went: outside a tenant the runtime role
-- may read pending deliveries whose time has come, and nothing else. It
-- delivers each in a transaction acting for its tenant.
CREATE POLICY due_deliveries ON webhook_deliveries FOR SELECT
    USING (NULLIF(current_setting('app.tenant_id', true), '') IS NULL AND status = 'pending' AND next_attempt_at <= now());
