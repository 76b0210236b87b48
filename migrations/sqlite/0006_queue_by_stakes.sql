-- The queue across every status (and filtered by stakes alone) is ordered like the
-- pending queue; without this index it sorts the whole table on each request.
CREATE INDEX changes_by_stakes ON changes (stakes_rank DESC, created_at, id);
