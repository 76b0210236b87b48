-- The transparency log (issue 6): an append-only RFC 6962 Merkle tree. `log_entries`
-- holds each leaf's exact bytes (canonical JSON); `log_nodes` the hash of every complete
-- aligned subtree (level, index), written once when its last leaf arrives, so proofs are
-- read, never rebuilt; `log_checkpoints` every signed checkpoint handed out.
-- `server_keys` holds the log's and the system's Ed25519 keys (PKCS#8, base64).

CREATE TABLE log_entries (
    idx        BIGINT PRIMARY KEY,
    leaf       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE log_nodes (
    level BIGINT NOT NULL,
    idx   BIGINT NOT NULL,
    hash  TEXT NOT NULL,
    PRIMARY KEY (level, idx)
);

CREATE TABLE log_checkpoints (
    size       BIGINT PRIMARY KEY,
    root       TEXT NOT NULL,
    note       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE server_keys (
    purpose     TEXT PRIMARY KEY CHECK (purpose IN ('log', 'system')),
    name        TEXT NOT NULL,
    private_key TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
