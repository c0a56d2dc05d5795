/**
 * {@code ./mc bench flow}: the overhead of the flow-control check per request, the JMH figure issue 13 asks for
 * (goal ≤ 5 µs). The check is what {@code FlowControlFilter} adds to every {@code /v1} request:
 * {@code SentinelFlowGate.enter(caller, trafficClass, group, keys)} and the passage's close, reached through the
 * service's door {@code flow.FlowCheck} (the gate is package-private) on a gate of its own.
 *
 * <h2>What it measures</h2>
 * {@link io.membercenter.bench.flow.FlowCheckBenchmark}, in one run, each at 1 and 2 threads (the same caller
 * from both, as one client's requests on two request threads):
 * <ol type="a">
 *   <li>{@code empty}: JMH's floor, a method that does nothing — the baseline each row is read against;</li>
 *   <li>{@code noHotKeys}: a MARKETING search (no member asked for): the caller rule's QPS and concurrency entry,
 *       system protection, the global cap;</li>
 *   <li>{@code oneHotKey}: a read by id: (b) and the hot-key rule with one key;</li>
 *   <li>{@code batchOf20Keys}: a batch-get of 20 ids, each counted by the hot-key rule;</li>
 *   <li>{@code oneHotKeyWithTokenStore}: (c) with the global cap counted in a token store that answers, Redis A of
 *       a cache-only local topology that {@link io.membercenter.bench.flow.FlowCommand} starts; (b)–(d) have no token
 *       store, so their global cap is on the local share (what an instance does while its store is gone).</li>
 * </ol>
 * Every limit is out of reach ({@code FlowCheck.LIMIT}), so every check is admitted; a refused check, or a token
 * store that stopped answering, fails the run instead of giving a figure of a shorter path.
 *
 * <h2>Why these settings</h2>
 * One fork per benchmark and thread count, 5 warm-up and 5 measured iterations of 1 s: the whole run takes about
 * two and a half minutes on the two shared cores (the brief: at most three). With 3 warm-up iterations the first
 * measured one was still up to 1.5 × the others in some cases, so the warm-up is as long as the measurement. Mode average time (ns per check and thread), so the row minus the empty method is the check's own
 * cost. The forks get {@code ./mc}'s flags and a fixed
 * 1 GiB heap.
 *
 * <h2>Tests</h2>
 * {@code FlowReportTest}: the section's rows are read against the empty method of the same thread count, the verdict
 * names the most expensive check against the goal (met, missed), and the section states the command, the machine and
 * the JMH settings. The door itself: {@code FlowCheckTest} in the service.
 */
package io.membercenter.bench.flow;
