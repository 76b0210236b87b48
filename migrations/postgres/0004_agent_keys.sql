-- Public keys an agent signs its attestations with. A key is never deleted, only revoked,
-- so signatures made while it was valid can still be explained later.
CREATE TABLE agent_keys (
    id             BIGSERIAL PRIMARY KEY,
    agent_id       BIGINT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    algorithm      TEXT NOT NULL CHECK (algorithm IN ('ed25519', 'ecdsa-p256')),
    public_key_pem TEXT NOT NULL,
    fingerprint    TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    revoked_at     TIMESTAMPTZ,
    CONSTRAINT agent_keys_agent_fingerprint_key UNIQUE (agent_id, fingerprint)
);
