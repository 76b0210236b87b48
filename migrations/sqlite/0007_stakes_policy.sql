-- The stakes policy (issue 5). Policy documents are versioned and never edited in place;
-- a change records the version that governs it, its final tier and why, the requirement
-- that tier demands (only ever made stricter while it is pending), the facts the tier was
-- decided from (so a new policy can be previewed and applied without re-reading content),
-- and a one-line progress for the queue.

CREATE TABLE policies (
    version    INTEGER PRIMARY KEY,
    hash       TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);

ALTER TABLE changes ADD COLUMN declared_stakes TEXT
    CHECK (declared_stakes IN ('low', 'medium', 'high', 'critical'));
ALTER TABLE changes ADD COLUMN policy_hash TEXT;
ALTER TABLE changes ADD COLUMN requirement TEXT;
ALTER TABLE changes ADD COLUMN tier_reasons TEXT;
ALTER TABLE changes ADD COLUMN facts TEXT;
ALTER TABLE changes ADD COLUMN progress TEXT;
ALTER TABLE changes ADD COLUMN provenance_ok BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE changes ADD COLUMN expires_at TEXT;
ALTER TABLE changes ADD COLUMN override_by INTEGER REFERENCES users(id);
ALTER TABLE changes ADD COLUMN override_reason TEXT;
CREATE INDEX changes_expiry ON changes (status, expires_at);

-- Decisions by the system (agent-only approval) have no reviewer, so the table is rebuilt
-- with a nullable reviewer (SQLite cannot drop NOT NULL in place). Each decision now also
-- records the roles its maker held and the policy version in force.
CREATE TABLE decisions_v2 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id   INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
    revision    INTEGER NOT NULL,
    digest      TEXT NOT NULL,
    reviewer_id INTEGER REFERENCES users(id),
    verdict     TEXT NOT NULL CHECK (verdict IN ('approve', 'reject')),
    comment     TEXT,
    created_at  TEXT NOT NULL,
    roles       TEXT NOT NULL DEFAULT '[]',
    policy_hash TEXT,
    reason      TEXT,
    CONSTRAINT decisions_once_per_reviewer UNIQUE (change_id, revision, reviewer_id),
    CHECK (reviewer_id IS NOT NULL OR reason IS NOT NULL)
);
INSERT INTO decisions_v2 (id, change_id, revision, digest, reviewer_id, verdict, comment, created_at, roles)
    SELECT d.id, d.change_id, d.revision, d.digest, d.reviewer_id, d.verdict, d.comment, d.created_at,
           COALESCE((SELECT json_group_array(role) FROM user_roles r WHERE r.user_id = d.reviewer_id), '[]')
    FROM decisions d;
DROP TABLE decisions;
ALTER TABLE decisions_v2 RENAME TO decisions;
CREATE INDEX decisions_by_change ON decisions (change_id, id);
