CREATE TABLE tenants (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name           text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    slug           text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    -- Set by the tenants:provision job; NULL until it has run.
    provisioned_at timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);
