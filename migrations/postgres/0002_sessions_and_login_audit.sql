-- Password changes end a user's other sessions: each session remembers the epoch it was
-- signed in under, and a password change bumps it. Audit rows record the client address.
ALTER TABLE users ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_events ADD COLUMN client_addr TEXT;
-- Login throttling counts recent failures per account name from the audit trail.
CREATE INDEX audit_events_action_subject ON audit_events (action, subject, created_at);
