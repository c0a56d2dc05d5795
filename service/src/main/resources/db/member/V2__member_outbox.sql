-- Every committed member change, written in the same transaction as the change itself; the relay
-- publishes unsent rows to Kafka in id order (= commit order per member, whose rows all live in
-- the member's physical database) and then marks them sent.
CREATE TABLE member_outbox (
    id          BIGINT      NOT NULL AUTO_INCREMENT,
    shard       SMALLINT    NOT NULL,
    member_id   BIGINT      NOT NULL,
    version     BIGINT      NOT NULL,
    payload     MEDIUMTEXT  NOT NULL,
    created_at  BIGINT      NOT NULL,
    sent_at     BIGINT      NULL,
    PRIMARY KEY (id),
    KEY outbox_unsent (sent_at, id),
    KEY outbox_by_member (member_id, version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
