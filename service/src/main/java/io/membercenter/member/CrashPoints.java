package io.membercenter.member;

import io.membercenter.api.StoreUnavailableException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Places between the writes of an operation where a test can make the process "crash": the
 * operation stops there without any of its clean-up, exactly as if the JVM had died. The places
 * after a commit can also be made to <em>fail</em>: the step there throws what a store that does not
 * answer throws ({@link StoreUnavailableException}), and the operation's own error handling runs.
 * Armed only when {@code member-center.member.crash-points-enabled} is true; otherwise
 * {@link #reach} is a no-op, so production code paths are the tested ones.
 */
final class CrashPoints {

    public static final String CREATE_AFTER_CLAIMS = "create.after-claims";
    public static final String CREATE_AFTER_COMMIT = "create.after-commit";

    /** A change (not a create) with its claims made and the entries it removes reclaimed, before its commit. */
    public static final String CHANGE_AFTER_CLAIMS = "change.after-claims";

    /** A change just committed, before any of its {@link PostCommitSteps}: no confirm, no release, no invalidation. */
    public static final String CHANGE_AFTER_COMMIT = "change.after-commit";

    /** The steps a committed create or change runs before it answers (see {@link PostCommitSteps}). */
    public static final String CONFIRM_AFTER_COMMIT = "after-commit.confirm";

    public static final String RELEASE_AFTER_COMMIT = "after-commit.release";
    public static final String INVALIDATE_AFTER_COMMIT = "after-commit.invalidate";
    public static final String REPLICA_WAIT_AFTER_COMMIT = "after-commit.replica-wait";

    /** What a crash point throws; never caught by the operation it stops. */
    public static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String point) {
            super("simulated crash at " + point, null, false, false);
        }
    }

    private final boolean enabled;
    private final Set<String> armed = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failing = new ConcurrentHashMap<>();

    CrashPoints(boolean enabled) {
        this.enabled = enabled;
    }

    /** The next operation that reaches this point crashes there (once). */
    public void arm(String point) {
        if (!enabled) throw new IllegalStateException("crash points are disabled");
        armed.add(point);
    }

    /** The next {@code times} operations that reach this point fail there, as if the store did not answer. */
    public void armFailure(String point, int times) {
        if (!enabled) throw new IllegalStateException("crash points are disabled");
        failing.put(point, times);
    }

    /** Disarms every point, so a test that ended early leaves nothing armed for the next. */
    public void disarmAll() {
        armed.clear();
        failing.clear();
    }

    void reach(String point) {
        if (!enabled) {
            return;
        }
        if (armed.remove(point)) {
            throw new SimulatedCrash(point);
        }
        boolean[] fail = {false};
        failing.computeIfPresent(point, (p, left) -> {
            fail[0] = true;
            return left > 1 ? left - 1 : null;
        });
        if (fail[0]) {
            throw new StoreUnavailableException("Simulated failure at " + point + ".");
        }
    }
}
