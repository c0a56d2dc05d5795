-- Every row carries its logical shard, the unit that moves when a physical database is split.
-- Times are epoch milliseconds (UTC), so no driver or session time zone can shift them.

CREATE TABLE member (
    member_id   BIGINT       NOT NULL,
    shard       SMALLINT     NOT NULL,
    -- PENDING: created, identifiers being claimed, invisible to reads.
    -- LIVE: committed. ABORTED: fenced off by the sweeper or a failed create, never visible.
    lifecycle   VARCHAR(8)   NOT NULL,
    -- Bumped by anyone who must stop an in-flight operation of this member from committing
    -- (the claim sweeper); every commit compares it, like a version that readers never see.
    fence       INT          NOT NULL DEFAULT 0,
    mobile      VARCHAR(16)  NULL,
    email       VARCHAR(254) NULL,
    nickname    VARCHAR(64)  NULL,
    level       VARCHAR(10)  NOT NULL,
    status      VARCHAR(8)   NOT NULL,
    identities  TEXT         NOT NULL,
    version     BIGINT       NOT NULL,
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL,
    PRIMARY KEY (member_id),
    KEY member_by_shard (shard),
    KEY member_by_lifecycle (lifecycle, updated_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Who owns each identifier. kind: M mobile, E email, I third-party identity ("platform:externalId").
-- The primary key makes ownership unique; state and token implement claim -> commit -> confirm.
CREATE TABLE identifier_owner (
    kind        CHAR(1)      NOT NULL,
    value       VARCHAR(300) NOT NULL,
    shard       SMALLINT     NOT NULL,
    member_id   BIGINT       NOT NULL,
    state       VARCHAR(9)   NOT NULL,
    token       CHAR(22)     NOT NULL,
    changed_at  BIGINT       NOT NULL,
    PRIMARY KEY (kind, value),
    KEY identifier_by_shard (shard),
    KEY identifier_by_state (state, changed_at),
    KEY identifier_by_member (member_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The first answer to a create with an Idempotency-Key, per caller, kept 24 hours.
CREATE TABLE idempotency_record (
    caller        VARCHAR(64)  NOT NULL,
    idem_key      VARCHAR(255) NOT NULL,
    shard         SMALLINT     NOT NULL,
    request_hash  CHAR(64)     NOT NULL,
    state         VARCHAR(11)  NOT NULL,
    member_id     BIGINT       NOT NULL,
    status_code   INT          NULL,
    response      MEDIUMTEXT   NULL,
    created_at    BIGINT       NOT NULL,
    PRIMARY KEY (caller, idem_key),
    KEY idempotency_by_age (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
