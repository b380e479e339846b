-- Billing (the billing cartridge): the catalog, synced from the code
-- (catalog.go) when the service starts, and the tenants' usage ledger
-- with its hourly and daily aggregates. The catalog is the same for every
-- tenant; every other table holds tenant rows under row-level security.

CREATE TABLE billing_meters (
    key         text        PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
    name        text        NOT NULL,
    aggregation text        NOT NULL CHECK (aggregation IN ('sum', 'count', 'max', 'unique_count', 'latest')),
    -- false: no longer in the catalog (kept: usage refers to it).
    active      boolean     NOT NULL DEFAULT true,
    synced_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE billing_plans (
    key             text        PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
    name            text        NOT NULL,
    rate_limit_tier text        NOT NULL CHECK (rate_limit_tier IN ('free', 'pro', 'enterprise')),
    trial_days      integer     NOT NULL CHECK (trial_days BETWEEN 0 AND 730),
    entitlements    jsonb       NOT NULL,
    active          boolean     NOT NULL DEFAULT true,
    synced_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE billing_prices (
    key        text        PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
    plan_key   text        NOT NULL REFERENCES billing_plans (key),
    model      text        NOT NULL CHECK (model IN ('flat', 'per_unit', 'graduated', 'volume', 'package')),
    currency   text        NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    "interval" text        NOT NULL CHECK ("interval" IN ('month', 'year')),
    meter      text        NOT NULL DEFAULT '',
    -- The model's amounts, tiers and package, in minor units.
    definition jsonb       NOT NULL,
    active     boolean     NOT NULL DEFAULT true,
    synced_at  timestamptz NOT NULL DEFAULT now()
);

-- The usage ledger: one row per recorded event, its idempotency key unique
-- per tenant and meter for ever, so a retried recording counts once.
CREATE TABLE billing_usage_events (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    meter           text        NOT NULL CHECK (char_length(meter) BETWEEN 1 AND 63),
    quantity        bigint      NOT NULL CHECK (quantity >= 0),
    -- What unique_count meters count distinct values of; '' otherwise.
    subject         text        NOT NULL DEFAULT '' CHECK (char_length(subject) <= 200),
    idempotency_key text        NOT NULL CHECK (char_length(idempotency_key) BETWEEN 1 AND 200),
    occurred_at     timestamptz NOT NULL,
    ingested_at     timestamptz NOT NULL DEFAULT now(),
    -- NULL until the aggregator has counted it.
    aggregated_at   timestamptz,
    UNIQUE (tenant_id, meter, idempotency_key)
);
CREATE INDEX billing_usage_events_tenant_idx ON billing_usage_events (tenant_id, meter, occurred_at);
CREATE INDEX billing_usage_events_pending_idx ON billing_usage_events (tenant_id) WHERE aggregated_at IS NULL;

-- A meter's aggregate per hour and per day, recomputed from the ledger by
-- the aggregator for every bucket an event arrived in.
CREATE TABLE billing_usage_aggregates (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    meter        text        NOT NULL,
    granularity  text        NOT NULL CHECK (granularity IN ('hour', 'day')),
    bucket_start timestamptz NOT NULL,
    value        bigint      NOT NULL,
    events       bigint      NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, meter, granularity, bucket_start)
);

-- A tenant's subscription: its plan, status and current period. The
-- active plan sets tenants.plan (the rate-limit tier) in the same
-- transaction.
CREATE TABLE billing_subscriptions (
    tenant_id            uuid        PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    plan_key             text        NOT NULL CHECK (char_length(plan_key) BETWEEN 1 AND 63),
    status               text        NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'canceled')),
    -- The day and time periods renew at (a period started on the 31st ends
    -- on the last day of a shorter month, and the next on the 31st again).
    billing_anchor       timestamptz NOT NULL,
    current_period_start timestamptz NOT NULL,
    current_period_end   timestamptz NOT NULL CHECK (current_period_end > current_period_start),
    trial_end            timestamptz,
    cancel_at_period_end boolean     NOT NULL DEFAULT false,
    -- A downgrade waiting for the end of the period; NULL: none.
    pending_plan_key     text,
    canceled_at          timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX billing_subscriptions_due_idx ON billing_subscriptions (current_period_end) WHERE status <> 'canceled';

ALTER TABLE billing_subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_subscriptions
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- Outside any tenant the renewal task sees the subscriptions whose period
-- is over, and nothing else; it renews each acting for its tenant.
CREATE POLICY due_renewals ON billing_subscriptions FOR SELECT
    USING (NULLIF(current_setting('app.tenant_id', true), '') IS NULL AND status <> 'canceled' AND current_period_end <= now());

ALTER TABLE billing_usage_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_usage_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_usage_events
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE billing_usage_aggregates ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_usage_aggregates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_usage_aggregates
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- The aggregator runs outside any tenant and must find the tenants with
-- events not yet counted: outside a tenant the runtime role may read those
-- events, and nothing else. It counts each tenant's in a transaction acting
-- for that tenant.
CREATE POLICY pending_aggregation ON billing_usage_events FOR SELECT
    USING (NULLIF(current_setting('app.tenant_id', true), '') IS NULL AND aggregated_at IS NULL);
