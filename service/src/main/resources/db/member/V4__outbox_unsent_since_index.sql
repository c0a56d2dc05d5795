-- The replication checkpoint asks every 100 ms for the oldest unsent change
-- (SELECT MIN(created_at) ... WHERE sent_at IS NULL). With (sent_at, id) only, it read the rows of
-- every unsent change to find created_at; with created_at in the index it is answered from the index
-- alone. The same index serves the purge of sent rows older than the retention (a range on sent_at).
ALTER TABLE member_outbox ADD INDEX outbox_unsent_since (sent_at, created_at);
