-- The inbox (internal/platform/inbox): the ids of the webhooks received
-- from each provider, written in the transaction that applies the event, so
-- a redelivered event is acknowledged without being applied twice. No
-- tenant_id: a provider's message ids are its own, whichever tenant the
-- event concerns, and only the service's own code reads this table. The
-- runtime role inserts (receive) and deletes (purge after 30 days).
CREATE TABLE inbox (
    provider    text        NOT NULL CHECK (char_length(provider) BETWEEN 1 AND 100),
    message_id  text        NOT NULL CHECK (char_length(message_id) BETWEEN 1 AND 255),
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, message_id)
);

-- What purging deletes.
CREATE INDEX inbox_received_at ON inbox (received_at);
