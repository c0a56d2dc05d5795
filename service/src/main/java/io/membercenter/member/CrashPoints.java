package io.membercenter.member;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Places between the writes of an operation where a test can make the process "crash": the
 * operation stops there without any of its clean-up, exactly as if the JVM had died. Armed only
 * when {@code member-center.member.crash-points-enabled} is true; otherwise {@link #reach} is a
 * no-op, so production code paths are the tested ones.
 */
final class CrashPoints {

    public static final String CREATE_AFTER_CLAIMS = "create.after-claims";
    public static final String CREATE_AFTER_COMMIT = "create.after-commit";

    /** What a crash point throws; never caught by the operation it stops. */
    public static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String point) {
            super("simulated crash at " + point, null, false, false);
        }
    }

    private final boolean enabled;
    private final Set<String> armed = ConcurrentHashMap.newKeySet();

    CrashPoints(boolean enabled) {
        this.enabled = enabled;
    }

    /** The next operation that reaches this point crashes there (once). */
    public void arm(String point) {
        if (!enabled) throw new IllegalStateException("crash points are disabled");
        armed.add(point);
    }

    void reach(String point) {
        if (enabled && armed.remove(point)) {
            throw new SimulatedCrash(point);
        }
    }
}
