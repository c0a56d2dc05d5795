package io.membercenter.replication;

/**
 * Tells this JVM's relays and its replication checkpoints that an outbox row was appended, so that they may wait long
 * while nothing changes and still start at once when something does (issue 14: an idle topology polled MariaDB every
 * 20 ms per database and Kafka every 100 ms, ~0.3 of the two cores with no request at all).
 *
 * <p>It is only a hint: the row is appended inside the writer's transaction, so a woken relay may find it not yet
 * committed (it then polls again at the fast interval), and another instance's writes never reach this JVM's signal
 * (its relay and checkpoints find them at their idle interval, at most {@code idle-poll-interval} late). Nothing that
 * is proved — what has been applied where ({@link KafkaReplicationProgress}) — depends on the signal, only how soon
 * it is seen.
 */
final class OutboxSignal {

    private static final Object LOCK = new Object();
    private static long appended;

    private OutboxSignal() {}

    static void appended() {
        synchronized (LOCK) {
            appended++;
            LOCK.notifyAll();
        }
    }

    /** How many appends this JVM has seen; compare with a later value to tell whether one happened between. */
    static long count() {
        synchronized (LOCK) {
            return appended;
        }
    }

    /**
     * Waits until an append after {@code seen} or until {@code millis} have passed; true when an append came. A
     * monitor wait does not pin a virtual thread (Java 24 and later).
     */
    static boolean awaitAfter(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (LOCK) {
            while (appended == seen) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) return false;
                LOCK.wait(left);
            }
            return true;
        }
    }
}
