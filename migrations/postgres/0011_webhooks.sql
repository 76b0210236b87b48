-- Webhooks (issue 7): an agent registers callback URLs; every final status of its changes
-- is queued as one delivery per webhook (an outbox), signed per Standard Webhooks when
-- sent, retried with backoff for a bounded time, and kept as a log admins can replay.
-- The secret is shown once at registration; it is kept here because signing needs it.

CREATE TABLE webhooks (
    id         BIGSERIAL PRIMARY KEY,
    agent_id   BIGINT NOT NULL REFERENCES agents(id),
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    deleted_at TIMESTAMPTZ
);

CREATE TABLE webhook_deliveries (
    id               BIGSERIAL PRIMARY KEY,
    webhook_id       BIGINT NOT NULL REFERENCES webhooks(id),
    message_id       TEXT NOT NULL UNIQUE,
    change_id        BIGINT NOT NULL REFERENCES changes(id),
    event            TEXT NOT NULL,
    payload          TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    last_status      BIGINT,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    delivered_at     TIMESTAMPTZ,
    CONSTRAINT webhook_deliveries_once UNIQUE (webhook_id, change_id, event)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
