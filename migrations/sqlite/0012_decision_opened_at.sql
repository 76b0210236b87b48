-- When the reviewer opened the decision form (issue 7's oversight signals: decisions made
-- within seconds of opening a large diff).
ALTER TABLE decisions ADD COLUMN opened_at TEXT;
