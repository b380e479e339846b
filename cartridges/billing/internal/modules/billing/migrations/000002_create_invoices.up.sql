-- Invoices (the billing cartridge): one per tenant and ended subscription
-- period, drafted by the renewal that ends the period (afterwards the
-- subscription no longer says what the period was) and finalized by the
-- invoicing task, which prices the period's usage and numbers the
-- invoice. Amounts are integer minor units of the invoice's currency.

-- The last invoice number of each tenant. Finalizing an invoice increments
-- it in the same transaction that sets the invoice's number, so numbers
-- are gapless: drafts have none, and a voided invoice keeps its own.
CREATE TABLE billing_invoice_counters (
    tenant_id   uuid   PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    last_number bigint NOT NULL CHECK (last_number > 0)
);

CREATE TABLE billing_invoices (
    id                uuid        PRIMARY KEY,
    tenant_id         uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- NULL while a draft; INV-000001, INV-000002, ... once finalized.
    number            text        CHECK (number ~ '^INV-[0-9]{6,}$'),
    status            text        NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'uncollectible', 'void')),
    plan_key          text        NOT NULL CHECK (char_length(plan_key) BETWEEN 1 AND 63),
    -- The plan's name when the invoice was drafted, as the invoice shows it.
    plan_name         text        NOT NULL CHECK (char_length(plan_name) <= 200),
    currency          text        NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    period_start      timestamptz NOT NULL,
    period_end        timestamptz NOT NULL CHECK (period_end > period_start),
    subtotal          bigint      NOT NULL DEFAULT 0 CHECK (subtotal >= 0),
    -- What credit lines take off, at most the subtotal.
    credit            bigint      NOT NULL DEFAULT 0 CHECK (credit >= 0 AND credit <= subtotal),
    total             bigint      NOT NULL DEFAULT 0 CHECK (total = subtotal - credit),
    issued_at         timestamptz,
    due_at            timestamptz,
    paid_at           timestamptz,
    voided_at         timestamptz,
    uncollectible_at  timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'draft') = (number IS NULL)),
    CHECK ((status = 'draft') = (issued_at IS NULL)),
    UNIQUE (tenant_id, number),
    -- One invoice per subscription period: a renewal or invoicing run that
    -- is repeated finds the period's invoice and adds none.
    UNIQUE (tenant_id, period_start)
);
CREATE INDEX billing_invoices_drafts_idx ON billing_invoices (period_end) WHERE status = 'draft';

CREATE TABLE billing_invoice_lines (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    invoice_id   uuid        NOT NULL REFERENCES billing_invoices (id) ON DELETE CASCADE,
    position     integer     NOT NULL CHECK (position > 0),
    kind         text        NOT NULL CHECK (kind IN ('subscription', 'usage', 'proration')),
    description  text        NOT NULL CHECK (char_length(description) BETWEEN 1 AND 500),
    quantity     bigint      NOT NULL CHECK (quantity >= 0),
    -- The price of one unit for flat and per-unit prices; NULL for tiered
    -- and package prices, whose amount is not quantity x one price.
    unit_amount  bigint,
    amount       bigint      NOT NULL,
    price_key    text        NOT NULL DEFAULT '',
    meter        text        NOT NULL DEFAULT '',
    period_start timestamptz NOT NULL,
    period_end   timestamptz NOT NULL CHECK (period_end > period_start),
    UNIQUE (invoice_id, position)
);
CREATE INDEX billing_invoice_lines_tenant_idx ON billing_invoice_lines (tenant_id, invoice_id);

-- Every change of an invoice's status, by whom, and whether its event was
-- published: the api and the worker publish in the transaction of the
-- change; the ctl, which has no event bus, leaves published_at NULL and
-- the invoicing task publishes the event within a minute.
CREATE TABLE billing_invoice_transitions (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    invoice_id   uuid        NOT NULL REFERENCES billing_invoices (id) ON DELETE CASCADE,
    from_status  text        NOT NULL,
    to_status    text        NOT NULL,
    -- "system" for the invoicing task, "ctl" for the ctl's commands.
    actor        text        NOT NULL CHECK (char_length(actor) BETWEEN 1 AND 200),
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX billing_invoice_transitions_invoice_idx ON billing_invoice_transitions (invoice_id, id);
CREATE INDEX billing_invoice_transitions_unpublished_idx ON billing_invoice_transitions (tenant_id) WHERE published_at IS NULL;

ALTER TABLE billing_invoice_counters ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_invoice_counters FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_invoice_counters
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE billing_invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_invoices
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- Outside any tenant the invoicing task sees the drafts, and nothing else;
-- it finalizes each acting for its tenant.
CREATE POLICY pending_finalization ON billing_invoices FOR SELECT
    USING (NULLIF(current_setting('app.tenant_id', true), '') IS NULL AND status = 'draft');

ALTER TABLE billing_invoice_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_invoice_lines FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_invoice_lines
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE billing_invoice_transitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_invoice_transitions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_invoice_transitions
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- Outside any tenant the invoicing task sees the transitions whose event
-- is not published yet, and nothing else.
CREATE POLICY pending_publication ON billing_invoice_transitions FOR SELECT
    USING (NULLIF(current_setting('app.tenant_id', true), '') IS NULL AND published_at IS NULL);

-- Prorations of upgrades within a period, waiting for the period's
-- invoice. The invoice prices the plan the period ends on in full; an
-- upgrade made during the period owes the old plan's price until the
-- change and the new plan's after it, so it leaves here a credit of the
-- difference for the time before the change (amount <= 0), which the
-- invoice carries as a line.
CREATE TABLE billing_invoice_adjustments (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    period_start timestamptz NOT NULL,
    description  text        NOT NULL CHECK (char_length(description) BETWEEN 1 AND 500),
    amount       bigint      NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX billing_invoice_adjustments_period_idx ON billing_invoice_adjustments (tenant_id, period_start);
ALTER TABLE billing_invoice_adjustments ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_invoice_adjustments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_invoice_adjustments
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
