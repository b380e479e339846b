-- Account management (v0.3.0): display names, e-mail changes, members'
-- last activity, one pending invitation per address, multi-factor
-- authentication and API keys.

ALTER TABLE users ADD COLUMN name text NOT NULL DEFAULT '' CHECK (char_length(name) <= 200);

-- An e-mail change is a mailed token to the new address; the address takes
-- effect when the token is spent, so new_email is set only on those tokens.
ALTER TABLE user_tokens DROP CONSTRAINT user_tokens_purpose_check;
ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'reset_password', 'change_email'));
ALTER TABLE user_tokens ADD COLUMN new_email text
    CHECK (new_email = lower(new_email) AND (new_email IS NULL) = (purpose <> 'change_email'));

-- When the member last signed in to, refreshed into or switched to the
-- tenant (at most one write per token refresh).
ALTER TABLE memberships ADD COLUMN last_active_at timestamptz;

-- One pending invitation per address and tenant. Earlier releases allowed
-- duplicates: keep the newest of each. The owner role runs migrations and is
-- bound by the forced row-level security, so it lifts it for the clean-up.
ALTER TABLE invitations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE invitations DISABLE ROW LEVEL SECURITY;
DELETE FROM invitations a USING invitations b
    WHERE a.tenant_id = b.tenant_id AND a.email = b.email
      AND a.accepted_at IS NULL AND b.accepted_at IS NULL
      AND (a.created_at, a.id) < (b.created_at, b.id);
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE UNIQUE INDEX invitations_pending_email_idx ON invitations (tenant_id, email) WHERE accepted_at IS NULL;

-- TOTP (RFC 6238) second factor of a user. The secret is sealed
-- (sealbox: AES-256-GCM bound to the user's id), never stored in clear;
-- confirmed_at is set once the user proved their authenticator with a code.
-- last_step is the time step of the last accepted code: a code is refused
-- unless its step is later, so no code works twice. failed_attempts and
-- locked_until count wrong codes like wrong passwords.
CREATE TABLE user_mfa (
    user_id         uuid        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_sealed   text        NOT NULL,
    confirmed_at    timestamptz,
    last_step       bigint      NOT NULL DEFAULT 0,
    failed_attempts integer     NOT NULL DEFAULT 0,
    lockouts        integer     NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Single-use recovery codes: only their SHA-256 is stored.
CREATE TABLE mfa_recovery_codes (
    user_id   uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash text        NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- A sign-in of a user with MFA (or into a tenant requiring it) gets a
-- challenge instead of tokens: a short-lived token (only its SHA-256 is
-- stored) that, with a code, opens the session. purpose enrol: the user has
-- no MFA yet and must set it up to sign in to a tenant that requires it. It
-- remembers the tenant asked for and the device.
CREATE TABLE mfa_challenges (
    token_hash bytea       PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text        NOT NULL CHECK (purpose IN ('verify', 'enrol')),
    acting_tenant_id uuid,
    user_agent text        NOT NULL DEFAULT '',
    ip         text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX mfa_challenges_user_id_idx ON mfa_challenges (user_id);

-- API keys of machine clients: a key acts in its tenant as its creator,
-- limited to its scopes (a subset of the creator's permissions when it was
-- made, and never more than the creator's current role). Only the SHA-256
-- of the secret is stored; the key id is part of the key, for lookups.
CREATE TABLE api_keys (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    created_by   uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash  bytea       NOT NULL,
    scopes       text[]      NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_keys_tenant_id_idx ON api_keys (tenant_id, created_at);
CREATE INDEX api_keys_created_by_idx ON api_keys (created_by);

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- Authenticating a key: the key names its id, not its tenant, so the
-- lookup transaction names the key (app.api_key_id) and may read that one
-- row, to learn its tenant. Reading only.
CREATE POLICY key_lookup ON api_keys FOR SELECT
    USING (id = NULLIF(current_setting('app.api_key_id', true), '')::uuid);
