-- The transactional outbox (internal/platform/outbox): tasks stored in the
-- transaction of the change that asks for them and relayed to asynq by the
-- worker once committed. No tenant_id: the tenant travels in the payload,
-- and only the service's own code reads this table. The runtime role needs
-- INSERT (enqueue), SELECT and UPDATE (relay) and DELETE (prune); it gets
-- no TRUNCATE or REFERENCES.
CREATE TABLE outbox (
    id              uuid        PRIMARY KEY,
    task_type       text        NOT NULL CHECK (char_length(task_type) BETWEEN 1 AND 200),
    payload         jsonb       NOT NULL,
    queue           text        CHECK (char_length(queue) BETWEEN 1 AND 200),
    dedupe_key      text        CHECK (char_length(dedupe_key) BETWEEN 1 AND 200),
    max_retry       integer     CHECK (max_retry >= 0),
    process_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    sent_at         timestamptz
);

-- What the relay scans: unsent messages by due time.
CREATE INDEX outbox_unsent ON outbox (next_attempt_at, created_at) WHERE sent_at IS NULL;
-- What pruning deletes.
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
