-- The stakes policy (issue 5). Policy documents are versioned and never edited in place;
-- a change records the version that governs it, its final tier and why, the requirement
-- that tier demands (only ever made stricter while it is pending), the facts the tier was
-- decided from (so a new policy can be previewed and applied without re-reading content),
-- and a one-line progress for the queue.

CREATE TABLE policies (
    version    BIGINT PRIMARY KEY,
    hash       TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TIMESTAMPTZ NOT NULL
);

ALTER TABLE changes
    ADD COLUMN declared_stakes TEXT CHECK (declared_stakes IN ('low', 'medium', 'high', 'critical')),
    ADD COLUMN policy_hash TEXT,
    ADD COLUMN requirement TEXT,
    ADD COLUMN tier_reasons TEXT,
    ADD COLUMN facts TEXT,
    ADD COLUMN progress TEXT,
    ADD COLUMN provenance_ok BOOLEAN NOT NULL DEFAULT TRUE,
    ADD COLUMN expires_at TIMESTAMPTZ,
    ADD COLUMN override_by BIGINT REFERENCES users(id),
    ADD COLUMN override_reason TEXT;
CREATE INDEX changes_expiry ON changes (status, expires_at);

-- Decisions by the system (agent-only approval) have no reviewer. Each decision now also
-- records the roles its maker held and the policy version in force.
ALTER TABLE decisions
    ALTER COLUMN reviewer_id DROP NOT NULL,
    ADD COLUMN roles TEXT NOT NULL DEFAULT '[]',
    ADD COLUMN policy_hash TEXT,
    ADD COLUMN reason TEXT,
    ADD CONSTRAINT decisions_maker CHECK (reviewer_id IS NOT NULL OR reason IS NOT NULL);
UPDATE decisions d SET roles = COALESCE(
    (SELECT json_agg(role ORDER BY role)::text FROM user_roles r WHERE r.user_id = d.reviewer_id), '[]');
