-- Reviewer signing keys (issue 6). Each person has at most one active Ed25519 key; the
-- private key is sealed: XChaCha20-Poly1305 under a key derived from their password with
-- argon2id (`salt`), and is unsealed only for the moment of signing. Retired keys stay so
-- old signatures still verify. Each decision keeps its DSSE envelope and the signing key.

CREATE TABLE user_keys (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    key_id      TEXT NOT NULL UNIQUE,
    public_key  TEXT NOT NULL,
    salt        TEXT NOT NULL,
    nonce       TEXT NOT NULL,
    sealed      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    retired_at  TIMESTAMPTZ
);
CREATE UNIQUE INDEX user_keys_one_active ON user_keys (user_id) WHERE retired_at IS NULL;

ALTER TABLE decisions ADD COLUMN envelope TEXT;
ALTER TABLE decisions ADD COLUMN key_id TEXT;
