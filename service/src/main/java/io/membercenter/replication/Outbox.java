package io.membercenter.replication;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/**
 * The write side of change capture: a member change is appended inside the transaction that
 * commits it, so a change is published if and only if it was committed.
 */
public final class Outbox {

    private Outbox() {}

    /** Appends one committed change; call on the connection of the committing transaction. */
    public static void append(Connection transaction, int shard, MemberChange change, long committedAtMillis)
            throws SQLException {
        appendAll(transaction, List.of(new Change(shard, change, committedAtMillis)));
    }

    /** One committed change of a member in a shard; the row's payload is the change's JSON. */
    public record Change(int shard, MemberChange change, long committedAtMillis) {}

    /**
     * Appends many committed changes in one statement, in list order (ids grow in that order, so one
     * member's changes keep theirs); call on the connection of the committing transaction.
     */
    public static void appendAll(Connection transaction, List<Change> changes) throws SQLException {
        if (changes.isEmpty()) return;
        try (PreparedStatement ps = transaction.prepareStatement("INSERT INTO member_outbox "
                + "(shard, member_id, version, payload, created_at) VALUES "
                + String.join(", ", Collections.nCopies(changes.size(), "(?, ?, ?, ?, ?)")))) {
            int p = 1;
            for (Change change : changes) {
                ps.setInt(p++, change.shard());
                ps.setLong(p++, change.change().memberId());
                ps.setLong(p++, change.change().version());
                ps.setString(p++, change.change().toJson());
                ps.setLong(p++, change.committedAtMillis());
            }
            ps.executeUpdate();
        }
        OutboxSignal.appended();
    }
}
