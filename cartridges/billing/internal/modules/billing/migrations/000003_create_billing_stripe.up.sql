-- Stripe (the billing cartridge's optional provider; see docs/billing.md):
-- each tenant's Stripe customer, the raw events Stripe sends, and the
-- newest event applied per Stripe object. Without STRIPE_SECRET_KEY the
-- tables stay empty.

-- A tenant's Stripe customer, created the first time the tenant opens a
-- checkout or the customer portal, and the subscription its checkout
-- started.
CREATE TABLE billing_stripe_customers (
    tenant_id       uuid        PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    customer_id     text        NOT NULL UNIQUE CHECK (char_length(customer_id) BETWEEN 1 AND 255),
    subscription_id text        CHECK (char_length(subscription_id) BETWEEN 1 AND 255),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE billing_stripe_customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_stripe_customers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_stripe_customers
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- A Stripe event names a customer, not a tenant: outside any tenant the
-- event processor may read which tenant a customer is, and write nothing.
-- It applies the event in a transaction acting for that tenant.
CREATE POLICY stripe_customer_lookup ON billing_stripe_customers FOR SELECT
    USING (NULLIF(current_setting('app.tenant_id', true), '') IS NULL);

-- Stripe's events as received, verified, before they are applied: the
-- webhook stores the event and answers at once, and a task applies it.
-- No tenant_id: which tenant an event concerns is known only once it is
-- read, and only the service's own code reads this table.
CREATE TABLE billing_stripe_events (
    id           text        PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 255),
    type         text        NOT NULL CHECK (char_length(type) BETWEEN 1 AND 255),
    -- The event's created, in Unix seconds, as Stripe gives it.
    created      bigint      NOT NULL,
    payload      jsonb       NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    -- NULL until applied (or found to concern nothing of ours).
    processed_at timestamptz
);
CREATE INDEX billing_stripe_events_received_idx ON billing_stripe_events (received_at);

-- The newest event applied to each Stripe object (a subscription, a
-- checkout session): an event older than it, by created and then id, is
-- not applied, so events delivered out of order never put back an older
-- state.
CREATE TABLE billing_stripe_watermarks (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    object_id     text        NOT NULL CHECK (char_length(object_id) BETWEEN 1 AND 255),
    event_created bigint      NOT NULL,
    event_id      text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, object_id)
);

ALTER TABLE billing_stripe_watermarks ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_stripe_watermarks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_stripe_watermarks
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
