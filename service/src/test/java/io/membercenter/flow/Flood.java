package io.membercenter.flow;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test traffic for flow control: threads that ask one instance for a member by an id that is not one (a fresh
 * random one each time, so no hot-key rule ever decides) until a deadline, and what each answer was and when.
 * Flow control admits such a request (it is a read like any other) and the route refuses it with a 400: the
 * cheapest admitted request there is, so the flood passes a cap many times over on two shared cores (a lookup of
 * a missing member reached ~200/s under the test's own load, below the cap it was to pass).
 */
final class Flood {

    /** What an admitted request of a flood is answered. */
    static final int ADMITTED = 400;

    /**
     * One answer: its status, the rule of a 429, and when its request was sent and its answer received (epoch ms).
     * Flow control decided it at some instant between the two, which on a loaded machine may lie in the second
     * after the send: the two times bound the second a per-second cap counted it in, neither names it.
     */
    record Answer(int status, String rule, long sentMillis, long receivedMillis) {
        boolean admitted() {
            return status != 429;
        }

        /** Decided within the second for certain: sent and answered inside it. */
        boolean whollyIn(long second) {
            return sentMillis / 1000 == second && receivedMillis / 1000 == second;
        }

        /** Perhaps decided within the second: in flight at some time of it. */
        boolean touches(long second) {
            return sentMillis / 1000 <= second && receivedMillis / 1000 >= second;
        }
    }

    /**
     * What the answers say of one second: at least {@code atLeast} and at most {@code atMost} admitted requests were
     * decided in it, and {@code refused} requests were refused in it for certain.
     */
    record Second(long second, int atLeast, int atMost, int refused) {
        Second plus(Second other) {
            return new Second(second, atLeast + other.atLeast, atMost + other.atMost, refused + other.refused);
        }
    }

    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

    List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** Starts {@code threads} threads sending GETs with {@code key} to {@code api} until {@code untilMillis}. */
    List<Future<?>> start(ExecutorService pool, ApiClient api, String key, int threads, long untilMillis) {
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            runs.add(pool.submit(() -> {
                while (System.currentTimeMillis() < untilMillis) {
                    String id = "x" + ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
                    long sent = System.currentTimeMillis();
                    Response r = api.get("/v1/members/" + id, key);
                    long received = System.currentTimeMillis();
                    String rule = r.status() == 429 ? r.json().path("rule").asString() : null;
                    answers.add(new Answer(r.status(), rule, sent, received));
                }
                return null;
            }));
        }
        return runs;
    }

    /**
     * What the answers say of each epoch second that lies wholly between {@code fromMillis} and {@code toMillis} (the
     * first and last seconds of a flood are partial and prove nothing about a per-second cap). Bounds, not counts:
     * counting an answer in the second of its send let one second of a capped flood admit 38 against a share of 33
     * and another 89 against a cap of 100 on a loaded machine, where requests sent at a second's end are decided in
     * the next.
     */
    Map<Long, Second> perWholeSecond(long fromMillis, long toMillis) {
        Map<Long, Second> perSecond = new TreeMap<>();
        for (long s = fromMillis / 1000 + 1; s <= toMillis / 1000 - 1; s++) {
            int atLeast = 0;
            int atMost = 0;
            int refused = 0;
            for (Answer a : answers) {
                if (a.admitted() && a.whollyIn(s)) atLeast++;
                if (a.admitted() && a.touches(s)) atMost++;
                if (!a.admitted() && a.whollyIn(s)) refused++;
            }
            perSecond.put(s, new Second(s, atLeast, atMost, refused));
        }
        return perSecond;
    }

    static void await(List<Future<?>> runs) throws Exception {
        for (Future<?> run : runs) run.get();
    }

    static ExecutorService pool() {
        return Executors.newVirtualThreadPerTaskExecutor();
    }

    /** The value of a gauge or the sum of a counter's series on an instance's {@code /actuator/prometheus}. */
    static double metric(ApiClient api, String name, String... labels) {
        return api.get("/actuator/prometheus", null)
                .text()
                .lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .filter(l -> {
                    for (String label : labels) if (!l.contains(label)) return false;
                    return true;
                })
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
