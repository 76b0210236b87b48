-- Where each decision's log entry is (issue 6), so its page can show and check its inclusion proof.
ALTER TABLE decisions ADD COLUMN log_index INTEGER;
