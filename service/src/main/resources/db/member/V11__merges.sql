-- Merges of two members who are one person (issue 16 part 4; io.membercenter.member.MemberMerge, asked for through
-- io.membercenter.governance.MemberMerges). Created in every physical database by the one migration mechanism there
-- is; member_merge is used only in the home database (the one holding logical shard 0), member.merged_into in every
-- shard.

-- The member a MERGED member was merged into (NULL for every other row): the merged row is kept, closed, as history.
ALTER TABLE member ADD COLUMN merged_into BIGINT NULL;

-- One merge: the intent while it runs (state 'started': its token, its plan - the identifiers to move and to
-- release, in clear, because a resumed merge must find their entries - and the lease of the request running it),
-- then its record ('done': what moved, was released or lost, masked; the versions before and after; who, when, why;
-- the plan is emptied). A member is merged once (merge_of), and a pair is merged one way only (merge_pair), so two
-- opposite merges of one pair never close both members.
CREATE TABLE member_merge (
    id                       BIGINT        NOT NULL AUTO_INCREMENT,
    survivor_id              BIGINT        NOT NULL,
    merged_id                BIGINT        NOT NULL,
    pair_low                 BIGINT        NOT NULL,
    pair_high                BIGINT        NOT NULL,
    state                    VARCHAR(8)    NOT NULL,
    token                    CHAR(22)      NOT NULL,
    plan                     MEDIUMTEXT    NULL,
    outcome                  MEDIUMTEXT    NULL,
    survivor_version_before  BIGINT        NOT NULL,
    survivor_version_after   BIGINT        NULL,
    merged_version_before    BIGINT        NOT NULL,
    merged_version_after     BIGINT        NULL,
    actor                    VARCHAR(64)   NOT NULL,
    reason                   VARCHAR(500)  NOT NULL,
    started_at               BIGINT        NOT NULL,
    finished_at              BIGINT        NULL,
    lease_until              BIGINT        NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY merge_of (merged_id),
    UNIQUE KEY merge_pair (pair_low, pair_high),
    KEY merge_by_survivor (survivor_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A merge is an action of the trail too, with or without an anomaly it resolves: one row per merge (merge_id).
ALTER TABLE governance_action MODIFY anomaly_id BIGINT NULL;
ALTER TABLE governance_action ADD COLUMN merge_id BIGINT NULL;
ALTER TABLE governance_action ADD UNIQUE KEY action_of_merge (merge_id);
