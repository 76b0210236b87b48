-- Webhooks (issue 7): an agent registers callback URLs; every final status of its changes
-- is queued as one delivery per webhook (an outbox), signed per Standard Webhooks when
-- sent, retried with backoff for a bounded time, and kept as a log admins can replay.
-- The secret is shown once at registration; it is kept here because signing needs it.

CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id   INTEGER NOT NULL REFERENCES agents(id),
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT
);

CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id       INTEGER NOT NULL REFERENCES webhooks(id),
    message_id       TEXT NOT NULL UNIQUE,
    change_id        INTEGER NOT NULL REFERENCES changes(id),
    event            TEXT NOT NULL,
    payload          TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_status      INTEGER,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    delivered_at     TEXT,
    CONSTRAINT webhook_deliveries_once UNIQUE (webhook_id, change_id, event)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
