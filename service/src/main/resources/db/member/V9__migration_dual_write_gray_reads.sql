-- The migration's dual write (io.membercenter.migration.DualWrite): member-center's committed changes written back
-- to the legacy store. Like V8, created everywhere and used only in the home database.

-- When the dual write was switched on (wall-clock epoch millis, the clock Kafka stamps its records with: the
-- change stream is read from a little before it); 0 while it is off.
ALTER TABLE migration_run ADD COLUMN dual_write_since BIGINT NOT NULL DEFAULT 0;

-- The failure log: members whose latest change could not be written to the legacy store (it was down), one row per
-- member with the newest version owed. The repair job writes the member's current state and deletes the row once
-- the legacy store holds that version or a newer one. No field values: the member store has them.
CREATE TABLE migration_dual_write_failure (
    member_id        BIGINT        NOT NULL,
    version          BIGINT        NOT NULL,
    attempts         INT           NOT NULL,
    reason           VARCHAR(200)  NOT NULL,
    first_failed_at  BIGINT        NOT NULL,
    last_failed_at   BIGINT        NOT NULL,
    PRIMARY KEY (member_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The gray read switch (io.membercenter.migration.GrayReads): the share of reads by id, by member id's bucket
-- 0-99, and the callers (comma-separated names) served from member-center's store and compared with the legacy
-- store; every other read by id is answered from the legacy store. 0 and no callers: off.
ALTER TABLE migration_run ADD COLUMN gray_percent INT NOT NULL DEFAULT 0;
ALTER TABLE migration_run ADD COLUMN gray_callers VARCHAR(500) NOT NULL DEFAULT '';

-- What the gray reads' comparisons found: members whose two stores still differed when compared again a second
-- later (so not a write on its way), with the differing fields, never the values.
CREATE TABLE migration_gray_mismatch (
    member_id   BIGINT        NOT NULL,
    kind        VARCHAR(8)    NOT NULL,
    fields      VARCHAR(200)  NOT NULL,
    found_at    BIGINT        NOT NULL,
    PRIMARY KEY (member_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A rollback under way (io.membercenter.migration.Migration#rollback): when it was asked for (the service's clock);
-- it is done once the dual write has applied every change committed before then and owes nothing. 0: none.
ALTER TABLE migration_run ADD COLUMN rollback_from BIGINT NOT NULL DEFAULT 0;
