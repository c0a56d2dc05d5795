-- Versioned run-time rules (io.membercenter.rules): every accepted PUT /admin/flow-rules is one row, with the
-- whole rule document it put in force, who asked, when, and what changed. Only the control database (the first
-- physical database) holds rows, as for the caller registry. Times are epoch milliseconds (UTC).
CREATE TABLE flow_rule_version (
    version     BIGINT       NOT NULL,
    -- Every section in force after the change: {"degradation": {...}, "flow": {...}}.
    document    MEDIUMTEXT   NOT NULL,
    -- [{"path": "degradation.mysql-a.errorCount", "from": 5, "to": 9}, ...]
    diff        MEDIUMTEXT   NOT NULL,
    changed_by  VARCHAR(64)  NOT NULL,
    changed_at  BIGINT       NOT NULL,
    PRIMARY KEY (version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
