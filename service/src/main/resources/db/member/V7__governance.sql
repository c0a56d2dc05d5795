-- Governance of member relationships (io.membercenter.governance). Created in every physical database by
-- the one migration mechanism there is; used only in the governance home database (the one holding logical
-- shard 0): the audit's state and findings span shards, so they live in one place, not with a shard.

-- One audit of every logical shard. A run advances in steps; the step that finds every shard done sets
-- finished_at. lease_until keeps two steps (two instances, two admins) from working on a run at once.
CREATE TABLE governance_audit_run (
    run_id            BIGINT   NOT NULL AUTO_INCREMENT,
    started_at        BIGINT   NOT NULL,
    finished_at       BIGINT   NULL,
    lease_until       BIGINT   NOT NULL DEFAULT 0,
    steps             INT      NOT NULL DEFAULT 0,
    members_examined  BIGINT   NOT NULL DEFAULT 0,
    entries_examined  BIGINT   NOT NULL DEFAULT 0,
    anomalies_seen    BIGINT   NOT NULL DEFAULT 0,
    repaired          BIGINT   NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Where the audit stands in each logical shard: its run, its phase (MEMBERS: member rows by member_id,
-- ENTRIES: owner entries by (kind, value), DONE) and the last key examined in that phase. A cursor of an
-- older run counts as not started.
CREATE TABLE governance_audit_cursor (
    shard         SMALLINT     NOT NULL,
    run_id        BIGINT       NOT NULL,
    phase         VARCHAR(8)   NOT NULL,
    member_after  BIGINT       NOT NULL DEFAULT 0,
    kind_after    CHAR(1)      NOT NULL DEFAULT '',
    value_after   VARCHAR(300) NOT NULL DEFAULT '',
    updated_at    BIGINT       NOT NULL,
    PRIMARY KEY (shard)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One anomaly: what is wrong (type), with which members, the evidence (JSON, identifiers masked), when it
-- was first and last seen. active_fingerprint is the fingerprint while the anomaly is not resolved (open,
-- review, ignored) and NULL after: the same anomaly seen again updates its row; one seen again after it was
-- resolved is a new occurrence, a new row.
CREATE TABLE governance_anomaly (
    id                  BIGINT        NOT NULL AUTO_INCREMENT,
    type                VARCHAR(32)   NOT NULL,
    fingerprint         CHAR(64)      NOT NULL,
    active_fingerprint  CHAR(64)      NULL,
    -- SHA-256 of the identifier's hash key: finds two holders of one identifier without naming it in clear
    identifier_hash     CHAR(64)      NOT NULL,
    member_ids          VARCHAR(200)  NOT NULL,
    evidence            MEDIUMTEXT    NOT NULL,
    first_seen          BIGINT        NOT NULL,
    last_seen           BIGINT        NOT NULL,
    last_run            BIGINT        NOT NULL,
    status              VARCHAR(8)    NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY anomaly_active (active_fingerprint),
    KEY anomaly_by_status (status, id),
    KEY anomaly_by_identifier (identifier_hash, type)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Every action on an anomaly or on the rows it is about: who, when, what, the state before and after (JSON).
CREATE TABLE governance_action (
    id            BIGINT       NOT NULL AUTO_INCREMENT,
    anomaly_id    BIGINT       NOT NULL,
    actor         VARCHAR(64)  NOT NULL,
    action        VARCHAR(16)  NOT NULL,
    at            BIGINT       NOT NULL,
    before_state  MEDIUMTEXT   NULL,
    after_state   MEDIUMTEXT   NULL,
    PRIMARY KEY (id),
    KEY action_by_anomaly (anomaly_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
