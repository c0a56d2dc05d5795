-- The migration from the legacy member database (io.membercenter.migration). Created in every physical database
-- by the one migration mechanism there is; used only in the home database (the one holding logical shard 0): a
-- migration spans every shard, so its state lives in one place.

-- The one migration: its phase, where each step stands (cursors are legacy keys: the last one whose chunk is
-- done), its totals, and the lease that keeps two steps (two instances, two operators) from running at once.
CREATE TABLE migration_run (
    id                   TINYINT      NOT NULL,
    phase                VARCHAR(24)  NOT NULL,
    capture_position     VARCHAR(64)  NULL,
    full_started_at      BIGINT       NOT NULL DEFAULT 0,
    full_finished_at     BIGINT       NOT NULL DEFAULT 0,
    full_target          BIGINT       NOT NULL DEFAULT 0,
    full_cursor          BIGINT       NOT NULL DEFAULT 0,
    full_created         BIGINT       NOT NULL DEFAULT 0,
    full_already_there   BIGINT       NOT NULL DEFAULT 0,
    full_refused         BIGINT       NOT NULL DEFAULT 0,
    full_busy_millis     BIGINT       NOT NULL DEFAULT 0,
    incr_applied         BIGINT       NOT NULL DEFAULT 0,
    incr_last_commit_at  BIGINT       NOT NULL DEFAULT 0,
    incr_last_applied_at BIGINT       NOT NULL DEFAULT 0,
    verify_started_at    BIGINT       NOT NULL DEFAULT 0,
    verify_finished_at   BIGINT       NOT NULL DEFAULT 0,
    verify_target        BIGINT       NOT NULL DEFAULT 0,
    verify_cursor        BIGINT       NOT NULL DEFAULT 0,
    verify_checked       BIGINT       NOT NULL DEFAULT 0,
    lease_until          BIGINT       NOT NULL DEFAULT 0,
    updated_at           BIGINT       NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Legacy rows today's rules refuse (a duplicate identifier, an invalid value), with the reason (field and rule,
-- never the value): listed for the operator and the governance audit, never dropped. A row that is imported
-- later (the legacy system fixed it) leaves the list.
CREATE TABLE migration_quarantine (
    legacy_key   BIGINT        NOT NULL,
    reason       VARCHAR(500)  NOT NULL,
    first_seen   BIGINT        NOT NULL,
    last_seen    BIGINT        NOT NULL,
    PRIMARY KEY (legacy_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- What the last verify found: every member id whose member differs from its legacy row (MISMATCH, with the
-- differing fields), has no member (MISSING) or has no legacy row (EXTRA). Emptied when a verify starts.
CREATE TABLE migration_mismatch (
    member_id   BIGINT        NOT NULL,
    kind        VARCHAR(8)    NOT NULL,
    fields      VARCHAR(200)  NOT NULL,
    found_at    BIGINT        NOT NULL,
    PRIMARY KEY (member_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
