package io.membercenter.member;

import io.membercenter.replication.IdentifierKey;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransactionRollbackException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Owner entries as rows of the {@code identifier_owner} table and back. Every change to an entry is
 * matched by the token it was read with, so an entry another operation took over meanwhile is left
 * alone (see {@link IdentifierClaims}).
 */
final class OwnerEntries {

    /** An identifier's owner entry. */
    record Owner(IdentifierKey key, long memberId, ClaimState state, String token, long changedAt) {
        boolean claimed() {
            return state == ClaimState.CLAIMED;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SELECTED_COLUMNS = "kind, value, member_id, state, token, changed_at";

    /** The columns an INSERT of an owner entry names; {@link #INSERTED_VALUES} are its placeholders. */
    static final String INSERTED_COLUMNS = "kind, value, shard, member_id, state, token, changed_at";

    static final String INSERTED_VALUES = "(?, ?, ?, ?, ?, ?, ?)";

    private OwnerEntries() {}

    /** A claim's token: 16 random bytes, 22 characters. */
    static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Binds one entry's seven parameters from {@code first}; returns the index after them. */
    static int bind(
            PreparedStatement ps,
            int first,
            IdentifierKey key,
            int shard,
            long memberId,
            ClaimState state,
            String token,
            long changedAt)
            throws SQLException {
        int p = first;
        ps.setString(p++, key.code());
        ps.setString(p++, key.value());
        ps.setInt(p++, shard);
        ps.setLong(p++, memberId);
        ps.setString(p++, state.name());
        ps.setString(p++, token);
        ps.setLong(p++, changedAt);
        return p;
    }

    /**
     * A new CLAIMED entry; false when the identifier has an entry already (the primary key decides), or when InnoDB
     * chose this insert as a deadlock's victim: claimers that waited on an entry and insert together the moment it is
     * deleted lock each other out, and all but one lose. That is a lost race, not a failure; the caller reads again.
     */
    static boolean insertClaim(Connection c, IdentifierKey key, int shard, long memberId, String token, long now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO identifier_owner (" + INSERTED_COLUMNS + ") VALUES " + INSERTED_VALUES)) {
            bind(ps, 1, key, shard, memberId, ClaimState.CLAIMED, token, now);
            return ps.executeUpdate() == 1;
        } catch (SQLIntegrityConstraintViolationException | SQLTransactionRollbackException lostRace) {
            return false;
        }
    }

    static int confirm(Connection c, IdentifierKey key, String token, long now) throws SQLException {
        return Statements.update(
                c,
                "UPDATE identifier_owner SET state = ?, changed_at = ? WHERE kind = ? AND value = ? AND token = ?",
                ClaimState.CONFIRMED,
                now,
                key.code(),
                key.value(),
                token);
    }

    /**
     * Before a change's commit, the CONFIRMED entries of the member among {@code keys} (all in one physical
     * database) become this operation's claims, in one statement; returns how many did. The statement is its own
     * compare-and-set: an entry of another member, a claim, or a missing entry is left alone.
     */
    static int reclaim(Connection c, List<IdentifierKey> keys, long memberId, String token, long now)
            throws SQLException {
        List<Object> parameters =
                new ArrayList<>(List.of(ClaimState.CLAIMED, token, now, memberId, ClaimState.CONFIRMED));
        try {
            return Statements.update(
                    c,
                    "UPDATE identifier_owner SET state = ?, token = ?, changed_at = ? WHERE member_id = ? AND state = ? AND "
                            + anyOf(keys, parameters),
                    parameters.toArray());
        } catch (SQLTransactionRollbackException deadlockVictim) {
            return 0; // as for insertClaim: the caller reads the entries and takes them one by one
        }
    }

    /** Confirms this operation's entries among {@code keys} (one physical database), in one statement. */
    static int confirm(Connection c, List<IdentifierKey> keys, String token, long now) throws SQLException {
        List<Object> parameters = new ArrayList<>(List.of(ClaimState.CONFIRMED, now, token));
        return Statements.update(
                c,
                "UPDATE identifier_owner SET state = ?, changed_at = ? WHERE token = ? AND " + anyOf(keys, parameters),
                parameters.toArray());
    }

    /** Deletes this operation's entries in {@code state} among {@code keys} (one physical database), at once. */
    static int delete(Connection c, List<IdentifierKey> keys, String token, ClaimState state) throws SQLException {
        List<Object> parameters = new ArrayList<>(List.of(token, state));
        return Statements.update(
                c,
                "DELETE FROM identifier_owner WHERE token = ? AND state = ? AND " + anyOf(keys, parameters),
                parameters.toArray());
    }

    /** {@code ((kind = ? AND value = ?) OR ...)}, a primary-key range the optimizer reads key by key. */
    private static String anyOf(List<IdentifierKey> keys, List<Object> parameters) {
        StringBuilder sql = new StringBuilder("(");
        for (IdentifierKey key : keys) {
            if (sql.length() > 1) sql.append(" OR ");
            sql.append("(kind = ? AND value = ?)");
            parameters.add(key.code());
            parameters.add(key.value());
        }
        return sql.append(')').toString();
    }

    /** A CONFIRMED entry of the member becomes this operation's claim. */
    static boolean takeOver(Connection c, Owner owner, String token, long now) throws SQLException {
        return Statements.update(
                        c,
                        "UPDATE identifier_owner SET state = ?, token = ?, changed_at = ? "
                                + "WHERE kind = ? AND value = ? AND token = ? AND state = ?",
                        ClaimState.CLAIMED,
                        token,
                        now,
                        owner.key().code(),
                        owner.key().value(),
                        owner.token(),
                        ClaimState.CONFIRMED)
                == 1;
    }

    /**
     * A merge's claim passes to another member (the survivor): same token, still CLAIMED, aged from now, so the
     * sweeper judges it by the new member's row ({@code MemberMerge}).
     */
    static boolean handOver(Connection c, IdentifierKey key, String token, long toMemberId, long now)
            throws SQLException {
        return Statements.update(
                        c,
                        "UPDATE identifier_owner SET member_id = ?, changed_at = ? "
                                + "WHERE kind = ? AND value = ? AND token = ? AND state = ?",
                        toMemberId,
                        now,
                        key.code(),
                        key.value(),
                        token,
                        ClaimState.CLAIMED)
                == 1;
    }

    /** Puts back the state and token an entry had before this operation's token took it over. */
    static int restore(Connection c, Owner old, String token) throws SQLException {
        return Statements.update(
                c,
                "UPDATE identifier_owner SET state = ?, token = ? WHERE kind = ? AND value = ? AND token = ?",
                old.state(),
                old.token(),
                old.key().code(),
                old.key().value(),
                token);
    }

    static int delete(Connection c, IdentifierKey key, String token, ClaimState state) throws SQLException {
        return Statements.update(
                c,
                "DELETE FROM identifier_owner WHERE kind = ? AND value = ? AND token = ? AND state = ?",
                key.code(),
                key.value(),
                token,
                state);
    }

    static Optional<Owner> select(Connection c, IdentifierKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + SELECTED_COLUMNS + " FROM identifier_owner WHERE kind = ? AND value = ?")) {
            ps.setString(1, key.code());
            ps.setString(2, key.value());
            return owners(ps).stream().findFirst();
        }
    }

    /** CLAIMED entries last changed before a time, oldest first. */
    static List<Owner> claimedBefore(Connection c, long changedBefore, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SELECTED_COLUMNS + " FROM identifier_owner "
                + "WHERE state = ? AND changed_at < ? ORDER BY changed_at LIMIT ?")) {
            ps.setString(1, ClaimState.CLAIMED.name());
            ps.setLong(2, changedBefore);
            ps.setInt(3, limit);
            return owners(ps);
        }
    }

    private static List<Owner> owners(PreparedStatement ps) throws SQLException {
        List<Owner> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                IdentifierKey key = new IdentifierKey(IdentifierKey.Kind.ofCode(rs.getString(1)), rs.getString(2));
                result.add(new Owner(
                        key, rs.getLong(3), ClaimState.valueOf(rs.getString(4)), rs.getString(5), rs.getLong(6)));
            }
        }
        return result;
    }
}
