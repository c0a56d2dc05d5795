package io.membercenter.migration;

import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * The legacy store, as the migration needs it: its rows in key order, its change stream, its writes. One
 * implementation per kind of legacy database ({@link PostgresLegacySource} today; a SQL Server source would read its
 * CDC tables for {@link #changes}, and its rows with the same range queries). Everything the migration knows of the
 * legacy schema is behind this interface and {@link LegacyMapping}.
 *
 * <p>Keys are the legacy primary key, a positive number; every read returns members with their bindings.
 */
interface LegacySource extends AutoCloseable {

    /** A short name of the kind of store, for the operator ({@code postgresql}). */
    String kind();

    /** Creates the legacy schema if it is not there (a local legacy store starts empty). */
    void ensureSchema();

    /** Empties the legacy tables; for a fresh population and for tests. Drops the change capture too. */
    void wipe();

    /**
     * The smallest and largest key and the number of members now, of the legacy key space only
     * ({@link LegacyMapping#LEGACY_KEYS_BELOW}): members member-center created and the dual write wrote back are
     * not the old system's population.
     */
    KeyRange keyRange();

    record KeyRange(long min, long max, long count) {}

    /** Members with {@code after < key <= upTo}, in key order, at most {@code limit}. */
    List<LegacyMember> readAfter(long after, long upTo, int limit);

    /** The members with these keys that exist now. */
    List<LegacyMember> read(Set<Long> keys);

    // --- the change stream ---

    /**
     * Starts capturing changes, if not yet capturing, and returns the position from which they are kept: every
     * change committed after it is in {@link #changes}. Idempotent: a second call returns the first position.
     */
    String beginCapture();

    /**
     * The transactions committed after the acknowledged position, in commit order, whole, about {@code max}
     * changes in all. Reading does not move the position: {@link #acknowledge} does, once the changes are
     * applied, so a crash in between reads them again.
     */
    List<Committed> changes(int max);

    /**
     * One committed transaction of the legacy store: the members it touched (inserted, updated, or a binding of
     * theirs changed), those it deleted, the position after it (to acknowledge once it is applied) and its commit
     * time (epoch millis).
     */
    record Committed(Set<Long> keys, Set<Long> deleted, String positionAfter, int changes, long commitMillis) {}

    void acknowledge(String position);

    /** How far the store's log is ahead of the acknowledged position, in the store's own unit (bytes of WAL). */
    long captureLag();

    /** Stops capturing and frees what the capture holds in the store (a replication slot). */
    void endCapture();

    boolean capturing();

    // --- writes, as the old system's callers make them ---

    /** Inserts members with their bindings, many per statement; calls {@code progress} with the total so far. */
    void insertAll(List<LegacyMember> members, LongConsumer progress);

    /** A new member under the next key of the store's own sequence; returns the key. */
    long insert(LegacyMember member);

    /** Replaces the member's row and its bindings. */
    void update(LegacyMember member);

    /** The next key the store's sequence would give, moved past {@code key}. */
    void advanceKeysPast(long key);

    // --- writes back from member-center (the dual write) ---

    /**
     * Writes a member-center member back under its id, as of {@code version}, in one transaction that locks the
     * row: nothing is written when the row already holds this version or a newer one (a replay, a repair racing
     * the stream) or when {@code unchanged} says the row already maps to the member (a change that came from the
     * legacy store itself), so a write-back never causes a change the incremental sync would see without reason.
     * A row written is marked as member-center's ({@link #writtenBack}). A member is inserted only outside the
     * legacy key space (one member-center created); a legacy key whose row is gone was deleted by the old system
     * and is not brought back. Returns whether it wrote.
     */
    boolean writeBack(LegacyMember member, long version, Predicate<LegacyMember> unchanged);

    /**
     * The keys among these whose row is still as the dual write left it: no legacy caller changed it since. The
     * incremental sync skips them, since their content came from member-center, which holds it or newer.
     */
    Set<Long> writtenBack(Set<Long> keys);

    @Override
    void close();

    /**
     * What every failure of the legacy store becomes, whatever its kind: a step stops with its cursor where its last
     * chunk ended, the dual write logs what it owes, a gray read is answered by member-center. The message names the
     * kind of failure (a SQL state), never a value.
     */
    final class UnavailableException extends RuntimeException {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
