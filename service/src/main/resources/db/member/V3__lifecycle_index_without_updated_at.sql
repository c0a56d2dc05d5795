-- (lifecycle, updated_at) changed on every update, so every write locked entries of an index the
-- sweeper range-scans: deadlocks under load. The sweeper only looks for the rare PENDING and
-- ABORTED rows, and lifecycle alone never changes on a normal update.
ALTER TABLE member DROP INDEX member_by_lifecycle, ADD INDEX member_by_lifecycle (lifecycle);
