package io.membercenter.member;

import io.membercenter.api.LimitExceededException;
import io.membercenter.governance.AbuseFlags;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.shard.ShardedDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three abuse limits of the member write path (issue 16, part 3), each refusing beyond its value and flagging
 * the pattern as a governance anomaly ({@link AbuseFlags}):
 * <ul>
 *   <li><b>identity-rebound</b>: one identity bound to more than {@code identity-members} distinct members within
 *       the sliding {@code identity-window} (a takeover moves an identity from member to member): 409, since waiting
 *       a day is no answer to a takeover, a review is;</li>
 *   <li><b>identifier-churn</b>: a member committing more than {@code identifier-changes} identifier changes per
 *       {@code identifier-window}: 429 with {@code Retry-After} (the window's end);</li>
 *   <li><b>bind-velocity</b>: a caller making more than {@code binds-per-caller} binds per {@code bind-window}: 429
 *       with {@code Retry-After}.</li>
 * </ul>
 * <h2>Where the counts live, and why there</h2>
 * In the home database (the one holding logical shard 0), tables {@code abuse_counter} and
 * {@code abuse_identity_binding} (V10): two instances share the databases, so counts there hold across instances,
 * and they are read on the master, which every write needs anyway. Not in Redis: flow control's shared store
 * ({@code RedisTokenStore}, Redis A) is a best-effort token store whose outage falls back to per-instance shares;
 * a limit that protects accounts must not double when a Redis is down, and the member package may not reach flow
 * control's internals.
 * <h2>Races: the limit is never passed</h2>
 * A count is raised in one statement that only raises it below the limit ({@code UPDATE ... WHERE n < limit}), so
 * any number of threads on any number of instances take at most {@code limit} slots of a window. The identity rule
 * decides under a row lock of the identity ({@code SELECT ... FOR UPDATE} of its lock row): read the members of the
 * window, refuse or add one, commit. A slot is reserved before the write's claims and given back when the write does
 * not commit (a conflict, an error), so a refused or failed write does not use the limit up. The one leak: an
 * instance that dies between reserving and committing keeps the slot until the window ends, so a crash can make a
 * limit stricter, never looser. Fixed windows (churn, velocity) let up to twice the limit through across a window's
 * boundary (the end of one and the start of the next), as any fixed-window counter does.
 * <h2>Cost</h2>
 * Two short statements on the home database's master per identifier change (insert-if-absent and the guarded
 * raise) and per bind (velocity), plus one short transaction per identity added; one row per caller and window takes
 * all of that caller's binds, each holding its lock for one statement. Off ({@code enabled: false}) costs nothing.
 * <h2>No PII</h2>
 * Subjects are member ids, callers' names and the SHA-256 of an identity's hash key; the anomaly's evidence names
 * the identity masked ({@link IdentifierKey#masked()}); logs and the metric {@code member_abuse_refused_total{rule}}
 * carry the rule and ids only.
 */
final class AbuseLimits {

    static final String REBOUND = "identity-rebound";
    static final String CHURN = "identifier-churn";
    static final String VELOCITY = "bind-velocity";

    /** A flag is written at most this often per rule and subject on one instance: a flood refused is one row. */
    private static final long FLAG_EVERY_MILLIS = 2_000;

    private static final Logger log = LoggerFactory.getLogger(AbuseLimits.class);

    /** What a write reserved; given back when the write does not commit. */
    interface Reservation {
        void release();
    }

    private static final Reservation NOTHING = () -> {};

    private final ShardedDatabases databases;
    private final String home;
    private final AbuseProperties properties;
    private final AbuseFlags flags;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Long> lastFlagged = new ConcurrentHashMap<>();

    AbuseLimits(
            ShardedDatabases databases,
            AbuseProperties properties,
            AbuseFlags flags,
            Clock clock,
            MeterRegistry meters) {
        this.databases = databases;
        this.home = databases.databaseOf(0);
        this.properties = properties;
        this.flags = flags;
        this.clock = clock;
        this.meters = meters;
        for (String rule : List.of(REBOUND, CHURN, VELOCITY)) {
            meters.counter("member_abuse_refused_total", "rule", rule);
        }
    }

    /** One bind of {@code caller}, counted whether or not it binds anything; refused beyond the limit. */
    void countBind(String caller, long memberId) {
        if (!properties.enabled()) return;
        long now = clock.millis();
        long window = properties.bindWindow().toMillis();
        long bucket = now / window;
        if (take(VELOCITY, caller, bucket, properties.bindsPerCaller())) return;
        Map<String, Object> evidence = evidence(VELOCITY, properties.bindsPerCaller(), properties.bindWindow());
        evidence.put("caller", caller);
        evidence.put("refusedMemberId", memberId);
        refuse(AbuseFlags.Pattern.BIND_VELOCITY, caller, bucket * window, List.of(memberId), evidence);
        throw new LimitExceededException(
                VELOCITY,
                properties.bindsPerCaller(),
                properties.bindWindow().toString(),
                retryAfter(bucket, window, now),
                "This caller made " + properties.bindsPerCaller() + " binds in this window of "
                        + properties.bindWindow() + "; try again later.");
    }

    /**
     * Reserves what a committing identifier change of {@code memberId} uses: one change of the member (when
     * {@code churn}, i.e. not a create) and one member of each identity it adds. Refused beyond a limit, with
     * nothing reserved.
     */
    Reservation reserveChange(long memberId, Collection<IdentifierKey> added, boolean churn) {
        if (!properties.enabled()) return NOTHING;
        List<Reservation> taken = new ArrayList<>();
        try {
            if (churn) taken.add(reserveChurn(memberId));
            for (IdentifierKey key : added) {
                if (key.kind() == IdentifierKey.Kind.IDENTITY) taken.add(reserveIdentity(key, memberId));
            }
        } catch (RuntimeException e) {
            taken.forEach(Reservation::release);
            throw e;
        }
        return () -> taken.forEach(Reservation::release);
    }

    private Reservation reserveChurn(long memberId) {
        long now = clock.millis();
        long window = properties.identifierWindow().toMillis();
        long bucket = now / window;
        String subject = String.valueOf(memberId);
        if (take(CHURN, subject, bucket, properties.identifierChanges())) {
            return () -> giveBack(CHURN, subject, bucket);
        }
        Map<String, Object> evidence = evidence(CHURN, properties.identifierChanges(), properties.identifierWindow());
        evidence.put("memberId", memberId);
        evidence.put("changes", properties.identifierChanges());
        refuse(AbuseFlags.Pattern.IDENTIFIER_CHURN, subject, bucket * window, List.of(memberId), evidence);
        throw new LimitExceededException(
                CHURN,
                properties.identifierChanges(),
                properties.identifierWindow().toString(),
                retryAfter(bucket, window, now),
                "Member " + memberId + " changed its identifiers " + properties.identifierChanges()
                        + " times in this window of " + properties.identifierWindow() + "; try again later.");
    }

    private Reservation reserveIdentity(IdentifierKey key, long memberId) {
        String subject = sha256(key.hashKey());
        long now = clock.millis();
        long since = now - properties.identityWindow().toMillis();
        int limit = properties.identityMembers();
        databases.onMaster(home, c -> insertCounterRow(c, REBOUND, subject, 0));
        IdentityDecision decision =
                databases.inTransaction(home, c -> decideIdentity(c, subject, memberId, now, since, limit));
        if (decision.allowed()) {
            if (!decision.added()) return NOTHING;
            return () -> databases.onMaster(home, c -> deleteBinding(c, subject, memberId, now));
        }
        List<Long> members = new ArrayList<>(decision.members());
        members.add(memberId);
        Map<String, Object> evidence = evidence(REBOUND, limit, properties.identityWindow());
        evidence.put("identity", key.masked());
        evidence.put("boundMemberIds", decision.members());
        evidence.put("refusedMemberId", memberId);
        evidence.put("distinctMembers", decision.members().size());
        evidence.put("oldestBoundAt", decision.oldest());
        long window = properties.identityWindow().toMillis();
        refuse(AbuseFlags.Pattern.IDENTITY_REBOUND, subject, now / window * window, members, evidence);
        throw new LimitExceededException(
                REBOUND,
                limit,
                properties.identityWindow().toString(),
                0,
                "This identity was bound to " + decision.members().size() + " members within "
                        + properties.identityWindow() + "; binding it to another needs a review.");
    }

    /** The members of the window (the oldest binding first) and whether this member was added now. */
    private record IdentityDecision(boolean allowed, boolean added, List<Long> members, long oldest) {}

    /** Under the identity's lock row: forget bindings older than the window, then refuse or add the member. */
    private static IdentityDecision decideIdentity(
            Connection c, String subject, long memberId, long now, long since, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT n FROM abuse_counter WHERE rule = ? AND subject = ? AND bucket = 0 FOR UPDATE")) {
            ps.setString(1, REBOUND);
            ps.setString(2, subject);
            ps.executeQuery().close();
        }
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM abuse_identity_binding WHERE identity_hash = ? AND bound_at <= ?")) {
            ps.setString(1, subject);
            ps.setLong(2, since);
            ps.executeUpdate();
        }
        List<Long> members = new ArrayList<>();
        long oldest = now;
        try (PreparedStatement ps = c.prepareStatement("SELECT member_id, bound_at FROM abuse_identity_binding "
                + "WHERE identity_hash = ? ORDER BY bound_at, member_id")) {
            ps.setString(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(rs.getLong(1));
                    oldest = Math.min(oldest, rs.getLong(2));
                }
            }
        }
        if (members.contains(memberId)) return new IdentityDecision(true, false, members, oldest);
        if (members.size() >= limit) return new IdentityDecision(false, false, members, oldest);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO abuse_identity_binding (identity_hash, member_id, bound_at) VALUES (?, ?, ?)")) {
            ps.setString(1, subject);
            ps.setLong(2, memberId);
            ps.setLong(3, now);
            ps.executeUpdate();
        }
        return new IdentityDecision(true, true, members, oldest);
    }

    private static int deleteBinding(Connection c, String subject, long memberId, long boundAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM abuse_identity_binding WHERE identity_hash = ? AND member_id = ? AND bound_at = ?")) {
            ps.setString(1, subject);
            ps.setLong(2, memberId);
            ps.setLong(3, boundAt);
            return ps.executeUpdate();
        }
    }

    /** Raises the count of the bucket by one if it is below the limit, in one statement: true when raised. */
    private boolean take(String rule, String subject, long bucket, int limit) {
        return databases.onMaster(home, c -> {
            if (insertCounterRow(c, rule, subject, bucket)) forgetOlderBuckets(c, rule, subject, bucket);
            try (PreparedStatement ps = c.prepareStatement("UPDATE abuse_counter SET n = n + 1 "
                    + "WHERE rule = ? AND subject = ? AND bucket = ? AND n < ?")) {
                ps.setString(1, rule);
                ps.setString(2, subject);
                ps.setLong(3, bucket);
                ps.setInt(4, limit);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private void giveBack(String rule, String subject, long bucket) {
        databases.onMaster(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE abuse_counter SET n = n - 1 "
                    + "WHERE rule = ? AND subject = ? AND bucket = ? AND n > 0")) {
                ps.setString(1, rule);
                ps.setString(2, subject);
                ps.setLong(3, bucket);
                return ps.executeUpdate();
            }
        });
    }

    /** True when the row is new: the subject's first write of this bucket. */
    private static boolean insertCounterRow(Connection c, String rule, String subject, long bucket)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT IGNORE INTO abuse_counter (rule, subject, bucket, n) VALUES (?, ?, ?, 0)")) {
            ps.setString(1, rule);
            ps.setString(2, subject);
            ps.setLong(3, bucket);
            return ps.executeUpdate() == 1;
        }
    }

    /** A subject's old windows are deleted when its new one starts, so the table holds live windows only. */
    private static void forgetOlderBuckets(Connection c, String rule, String subject, long bucket) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM abuse_counter WHERE rule = ? AND subject = ? AND bucket < ? AND bucket > 0")) {
            ps.setString(1, rule);
            ps.setString(2, subject);
            ps.setLong(3, bucket);
            ps.executeUpdate();
        }
    }

    /**
     * Counts the refusal and flags the pattern. A flag that cannot be written is logged and the refusal stands:
     * the limit protects the account whether or not the review queue can be reached.
     */
    private void refuse(
            AbuseFlags.Pattern pattern,
            String subject,
            long windowStart,
            List<Long> memberIds,
            Map<String, Object> evidence) {
        String rule = String.valueOf(evidence.get("rule"));
        meters.counter("member_abuse_refused_total", "rule", rule).increment();
        log.warn("event=abuse_limit_refused rule={} memberIds={}", rule, memberIds);
        long now = clock.millis();
        String flagKey = pattern + "|" + subject + "|" + windowStart;
        Long last = lastFlagged.get(flagKey);
        if (last != null && now - last < FLAG_EVERY_MILLIS) return;
        lastFlagged.put(flagKey, now);
        if (lastFlagged.size() > 10_000) lastFlagged.clear();
        try {
            flags.flag(pattern, subject, windowStart, memberIds, evidence);
        } catch (RuntimeException e) {
            log.warn(
                    "event=abuse_flag_not_written rule={} error={}",
                    rule,
                    e.getClass().getSimpleName());
        }
    }

    private static Map<String, Object> evidence(String rule, int limit, Duration window) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("rule", rule);
        evidence.put("limit", limit);
        evidence.put("window", window.toString());
        return evidence;
    }

    /** Seconds until the bucket ends, at least one. */
    private static long retryAfter(long bucket, long window, long now) {
        return Math.max(1, ((bucket + 1) * window - now + 999) / 1000);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
