-- Countersign schema v1 (PostgreSQL). Append-only: never edit once shipped; add a new file.
-- Timestamps are UTC, stored as TIMESTAMPTZ.

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL,
    last_login_at TIMESTAMPTZ
);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('reviewer', 'admin', 'auditor')),
    PRIMARY KEY (user_id, role)
);

CREATE TABLE agents (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    owner_user_id BIGINT REFERENCES users(id),
    quarantined   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE agent_tokens (
    id         BIGSERIAL PRIMARY KEY,
    agent_id   BIGINT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    CONSTRAINT agent_tokens_hash_key UNIQUE (token_hash)
);

CREATE TABLE changes (
    id              BIGSERIAL PRIMARY KEY,
    agent_id        BIGINT NOT NULL REFERENCES agents(id),
    title           TEXT NOT NULL,
    description     TEXT,
    repository      TEXT NOT NULL,
    base            TEXT,
    stakes          TEXT NOT NULL CHECK (stakes IN ('low', 'medium', 'high', 'critical')),
    stakes_rank     BIGINT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn', 'expired')),
    revision        BIGINT NOT NULL,
    digest          TEXT NOT NULL,
    labels          TEXT NOT NULL,
    eval_passed     BIGINT NOT NULL,
    eval_failed     BIGINT NOT NULL,
    eval_errored    BIGINT NOT NULL,
    eval_skipped    BIGINT NOT NULL,
    idempotency_key TEXT,
    request_hash    TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT changes_idempotency_key UNIQUE (agent_id, idempotency_key)
);
CREATE INDEX changes_queue ON changes (status, stakes_rank DESC, created_at, id);
CREATE INDEX changes_by_agent ON changes (agent_id, id DESC);

-- Content lives per revision so that a later revision never overwrites what was decided on.
CREATE TABLE change_revisions (
    change_id           BIGINT NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
    revision            BIGINT NOT NULL,
    digest              TEXT NOT NULL,
    diff_digest         TEXT NOT NULL,
    evals_digest        TEXT NOT NULL,
    attestations_digest TEXT NOT NULL,
    diff                TEXT NOT NULL,
    evals               TEXT NOT NULL,
    attestations        TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (change_id, revision)
);

CREATE TABLE decisions (
    id          BIGSERIAL PRIMARY KEY,
    change_id   BIGINT NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
    revision    BIGINT NOT NULL,
    digest      TEXT NOT NULL,
    reviewer_id BIGINT NOT NULL REFERENCES users(id),
    verdict     TEXT NOT NULL CHECK (verdict IN ('approve', 'reject')),
    comment     TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT decisions_once_per_reviewer UNIQUE (change_id, revision, reviewer_id)
);
CREATE INDEX decisions_by_change ON decisions (change_id, id);

CREATE TABLE audit_events (
    id         BIGSERIAL PRIMARY KEY,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'agent', 'system')),
    actor_id   BIGINT,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    details    TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_events_subject ON audit_events (subject, id);
