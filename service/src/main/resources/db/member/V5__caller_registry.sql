-- The caller registry (io.membercenter.callers). Like every table here it is created in each physical
-- database, but only the control database (the first configured, the one of logical shard 0) holds rows:
-- the schema has one migration path, and a registry of a few hundred rows needs no sharding.
-- Times are epoch milliseconds (UTC).

CREATE TABLE caller (
    name          VARCHAR(64)  NOT NULL,
    -- ORDER, MARKETING or DEFAULT; NULL for an admin-only caller (treated as DEFAULT).
    traffic_class VARCHAR(16)  NULL,
    -- Scope labels separated by one space ("member:read pii:read").
    scopes        VARCHAR(255) NOT NULL,
    -- The caller's own flow-control quota, JSON in the shape of a quota of /admin/flow-rules; NULL: its class's.
    limits        TEXT         NULL,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL,
    -- Grows by one on every change of the caller or its keys.
    version       BIGINT       NOT NULL,
    PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Every key a caller ever had, live or revoked, by its SHA-256 (never the key). At most two live ones per
-- caller (rotation), which the registry checks under the row lock of caller_registry_version.
CREATE TABLE caller_key (
    key_sha256    CHAR(64)     NOT NULL,
    caller_name   VARCHAR(64)  NOT NULL,
    created_at    BIGINT       NOT NULL,
    revoked_at    BIGINT       NULL,
    PRIMARY KEY (key_sha256),
    KEY caller_key_by_caller (caller_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row: bumped in the same transaction as every change of the registry. Each instance polls it (a
-- primary-key read) and reloads its in-memory snapshot when it moved; the update also serialises changes.
CREATE TABLE caller_registry_version (
    id            TINYINT      NOT NULL,
    version       BIGINT       NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB;
INSERT INTO caller_registry_version (id, version) VALUES (1, 0);
