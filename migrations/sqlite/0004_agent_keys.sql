-- Public keys an agent signs its attestations with. A key is never deleted, only revoked,
-- so signatures made while it was valid can still be explained later.
CREATE TABLE agent_keys (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id       INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    algorithm      TEXT NOT NULL CHECK (algorithm IN ('ed25519', 'ecdsa-p256')),
    public_key_pem TEXT NOT NULL,
    fingerprint    TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    revoked_at     TEXT,
    CONSTRAINT agent_keys_agent_fingerprint_key UNIQUE (agent_id, fingerprint)
);
