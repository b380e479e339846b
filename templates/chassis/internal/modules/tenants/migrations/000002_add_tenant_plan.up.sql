-- The tenant's plan selects its rate limits (RATE_LIMIT_FREE, _PRO,
-- _ENTERPRISE). Billing, or an operator, changes it.
ALTER TABLE tenants
    ADD COLUMN plan text NOT NULL DEFAULT 'free'
    CHECK (plan IN ('free', 'pro', 'enterprise'));
