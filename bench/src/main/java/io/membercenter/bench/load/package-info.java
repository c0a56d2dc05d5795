/**
 * The load generator: drives an {@link io.membercenter.bench.load.Operation} and measures it.
 *
 * <p>Why our own and not a tool: JMH measures code inside its own JVM, not an HTTP service under a constant
 * arrival rate, and wrk/wrk2 are C programs, not Maven artifacts the build can fetch. What we need is small.
 *
 * <p>Two ways to drive a system, because they answer two different questions:
 * <ul>
 *   <li>{@link io.membercenter.bench.load.ClosedLoop}: N workers, each sends its next request when the previous
 *       one answers. The system sets the pace, so this finds the <em>maximum throughput</em> at a concurrency.
 *       Its latencies are service times at that concurrency, not what users would see at a given load.</li>
 *   <li>{@link io.membercenter.bench.load.OpenLoop}: requests leave at fixed intended start times, whatever the
 *       system does, like independent users. Latency is measured from the <em>intended</em> start, so when
 *       the system stalls, every request that should have left during the stall is charged the time it waited.
 *       A generator that waits for answers before sending the next request quietly skips those requests and
 *       reports one slow sample instead of hundreds ("coordinated omission", Gil Tene); the
 *       {@code OpenLoopTest} shows the difference on a 200 ms stall.</li>
 * </ul>
 *
 * <p>Both count a request as measured when it <em>starts</em> (open loop: is scheduled to start) inside the
 * measured window, after the warm-up; a request that starts in the warm-up is never recorded. Throughput is
 * measured successes divided by the measured duration. Latencies go into HdrHistograms (3 significant
 * digits); failed requests are counted, not timed.
 *
 * <p>{@link io.membercenter.bench.load.RateSweep}, the sweep mode, runs open loops at rising rates to find the
 * highest one a system carries with its p99 under a bound; its steps are the points of a latency-vs-throughput
 * chart.
 */
package io.membercenter.bench.load;
