-- A diff that is not UTF-8 (submitted as `diff_base64`) is kept as base64 text, so the
-- exact bytes survive on both backends; `diff_encoding` says which form `diff` holds.
ALTER TABLE change_revisions ADD COLUMN diff_encoding TEXT NOT NULL DEFAULT 'utf8'
    CHECK (diff_encoding IN ('utf8', 'base64'));
