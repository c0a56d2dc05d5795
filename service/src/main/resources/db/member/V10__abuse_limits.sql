-- Abuse limits of the member write path (io.membercenter.member.AbuseLimits, issue 16 part 3). Created in every
-- physical database by the one migration mechanism there is; used only in the home database (the one holding
-- logical shard 0): a limit counts across members, identities and callers of every shard, and across every
-- instance, so its counts live in one place every instance writes.

-- A count per rule, subject and window bucket: identifier changes of a member per UTC day, binds of a caller per
-- minute. Raised only below the limit, in one statement (UPDATE ... WHERE n < limit), so concurrent writers of
-- every instance never take the count past the limit. For the identity rule the row of bucket 0 is only the
-- lock that serializes the decisions about one identity. subject is a member id, a caller's name or the SHA-256 of
-- an identity's hash key: never an identifier in clear.
CREATE TABLE abuse_counter (
    rule        VARCHAR(16)  NOT NULL,
    subject     VARCHAR(64)  NOT NULL,
    bucket      BIGINT       NOT NULL,
    n           INT          NOT NULL DEFAULT 0,
    PRIMARY KEY (rule, subject, bucket)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The members one identity was bound to, and when last: the distinct members within the window are the ones
-- whose row is younger than it. identity_hash is the SHA-256 of the identity's hash key.
CREATE TABLE abuse_identity_binding (
    identity_hash  CHAR(64)  NOT NULL,
    member_id      BIGINT    NOT NULL,
    bound_at       BIGINT    NOT NULL,
    PRIMARY KEY (identity_hash, member_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
