/**
 * {@code ./mc bench outage}: the ORDER mix through a master outage, the benchmark that issue 11 ("reads keep
 * flowing when MySQL fails") asks for. It loads a small population (20,000 by default) into the service
 * and the search clusters, runs the suite's ORDER mix (80 % reads by id, 15 % by mobile, 5 % PATCHes) in one
 * open loop at a fixed rate, stops {@code mysql-a} (the real MariaDB server, through
 * {@code LocalTopology.stop}) at a quarter of the run and starts it at half, and writes its own section of
 * BENCHMARKS.md and a chart ({@code benchmarks/outage.svg}).
 *
 * <h2>What it measures, and how it counts</h2>
 * <ul>
 *   <li>Every request is kept as a {@link io.membercenter.bench.outage.Sample}: its kind, how it ended
 *       (200; 200 with {@code X-Member-Stale: true}; 503 with {@code Retry-After}; anything else or no
 *       answer; dropped), its due time and its answer time. {@code OutageLoad} is the open loop of
 *       {@code load.OpenLoop} with that one difference: OpenLoop folds requests into one histogram, this
 *       needs each request's due time and outcome.</li>
 *   <li>A request belongs to the 250 ms bucket, and to the phase, in which it was <em>due</em>
 *       ({@code Timeline}); its answer time runs from then. So a request sent into the outage that hung
 *       for seconds is charged to the moment its caller sent it, and a stall cannot hide behind the
 *       requests that were not sent during it (coordinated omission).</li>
 *   <li>Phases ({@code OutageResult}): <em>before</em> (end of warm-up to the stop call: the same mix with
 *       no outage, in the same run, the baseline row), <em>down</em> (stop call until
 *       {@code LocalTopology.start} returned, which waits for the server to answer), <em>after</em>.</li>
 *   <li>The write answer time counts every write sent, whatever it was answered: the goal of issue 11 is
 *       that a write whose master is down gets its {@code 503} + {@code Retry-After} in ≤ 100 ms (p99).</li>
 *   <li>Writes after the restart: the first acknowledged after {@code start} was called (by the time its
 *       answer came), and the moment from which every write due, to the end of the run, was acknowledged
 *       (the write after the last one that was not). Both are given from mysql-a being ready.</li>
 *   <li>Percentiles are by nearest rank over all samples ({@code Percentile}), so the p99 of a bucket with
 *       three writes is its slowest, not an interpolation.</li>
 * </ul>
 *
 * <h2>Invariants, and the tests that hold them</h2>
 * <ul>
 *   <li>Every sample is in exactly one bucket, by due time; bucket counts add up to the samples
 *       ({@code TimelineTest}).</li>
 *   <li>Phases are half-open {@code [from, until)}: a sample due at the stop call is "down", not "before"
 *       ({@code TimelineTest}).</li>
 *   <li>"Steady" means no later write failed: one late failure moves it past that failure; a run whose last
 *       write failed never got steady ({@code TimelineTest}).</li>
 *   <li>A 503 is a clean refusal only with {@code Retry-After}; a 200 is stale only with
 *       {@code X-Member-Stale: true} ({@code SampleTest}).</li>
 *   <li>The schedule sends at the asked rate, draws the mix's shares and drops (never delays) requests
 *       beyond the in-flight bound ({@code OutageLoadTest}); the store is stopped and started at the planned
 *       moments and started again if stopping fails ({@code MasterOutageTest}).</li>
 *   <li>The chart shades the outage in every panel and breaks the write p99 line where a bucket had no
 *       writes ({@code TimelineChartTest}).</li>
 * </ul>
 *
 * <h2>{@code ./mc bench flood}</h2>
 * The same ORDER mix and open loop under another disturbance: a MARKETING caller flooding one member and the
 * search endpoint at 10× its caps from {@code hey} processes ({@code HeyFlood}) outside the service's JVM, next to a
 * quiet phase of the same run ({@code FloodCommand}, {@code FloodReport}: goal ORDER p99 ≤ 1.5 × quiet). Tests:
 * {@code HeyFloodTest} (hey's summary read into a rate and statuses, no answer counted as status 0; an output without
 * a summary is an error), {@code FloodReportTest} (percentiles of answered requests only, an ORDER error fails the
 * goal, the flood's multiple of its cap).
 *
 * <h2>{@code ./mc bench audit}</h2>
 * Issue 16's benchmark ({@code AuditCommand}, {@code AuditReport}): a population loaded as the outage's (1,000,000 by
 * default), then the same ORDER mix and open loop in slices taking turns, <em>quiet</em> and <em>audited</em> — while a
 * full relationship audit is stepped as {@code ./mc audit} steps it ({@code AuditSteps}: {@code POST
 * /admin/governance/audit} until 200, 409 asked again) — until the run is complete; the audit's rate is its rows over
 * the time its steps ran, and the goal ORDER p99 audited ≤ 1.5 × quiet (issue 16 gives no number; issue 13's bound).
 * Then the suite's DEFAULT mix ({@code DefaultMix}, as {@code app-backend}) with the consistency checker on (window
 * 4 s), its per-store totals read from {@code GET /admin/governance/consistency} before and after
 * ({@code ConsistencySnapshot}). Tests: {@code AuditStepsTest} (a step's answer read as the run's totals, a failed
 * step an error, stepping time summed over slices), {@code ConsistencySnapshotTest} (per store, the difference of two
 * answers, the service's nines), {@code DefaultMixTest} (the suite's shares, batch bodies), {@code AuditReportTest}
 * (the verdicts, the rate over stepping time, who set the pace, the tables).
 *
 * <h2>{@code ./mc bench failover [--scenario mysql-a|search-primary|redis-a|switchover]}</h2>
 * The same mix with the failover on (the topology with its ZooKeeper ensemble), under one drill of issue 12
 * ({@code FailoverScenario}, run by {@code FailoverCommand} through {@code MasterOutage} and {@code FailoverAdmin}):
 * <ul>
 *   <li>{@code mysql-a} (the default, section {@code failover}): SIGKILL of the master at a quarter of the run, its
 *       restart as a replica at half, a failback by hand ({@code POST /admin/failback/db}) at three quarters;</li>
 *   <li>{@code search-primary}, {@code redis-a}: SIGKILL of the store at a quarter, its restart at half, nothing by
 *       hand (the service reads around them per request); the report follows who answered the reads
 *       ({@code X-Member-Source}, kept per sample): when the first was answered by a stand-in, when the store
 *       answered again, and every phase's sources;</li>
 *   <li>{@code switchover}: {@code POST /admin/failover/db {"to": "B"}} at a quarter, the failback at three
 *       quarters, no store killed; each switch with the requests failed while it ran and in the second after, the
 *       call's time, and the answer times of the writes it held.</li>
 * </ul>
 * Each scenario writes its own section ({@code failover-<scenario>}, but {@code failover} for {@code mysql-a}) and
 * chart. Every write is kept with its nickname ({@code WriteLedger}), and after the run each member written is read
 * back: its nickname must be that of a write no later acknowledged write superseded and that was acknowledged or got
 * no clear answer, else an acknowledged write was lost. {@code FailoverReport} writes every scenario's rows (issue
 * 12's goals — read errors 0, write errors 0 where the master stays, writes acknowledged again ≤ 3 s after a kill,
 * 0 lost, switches by hand that fail no request), phases and sources once; a scenario only lists which of them it
 * shows. Tests: {@code WriteLedgerTest} (superseded writes, overlapping acknowledged writes, unclear and refused
 * answers, unreadable members), {@code FailoverReportTest} (a write in flight at the kill does not count as resumed;
 * each goal missed when it is; a stand-in is the first by answer among the requests due after the kill; a store that
 * never answers again misses its row; each switch's held writes and failures; every scenario's section takes its
 * plan's moments), {@code FailoverScenarioTest} (sections, plans, unknown names), {@code TimelineTest} (sources
 * counted per stretch).
 *
 * <p>Public types, the commands for {@code BenchMain}: {@link io.membercenter.bench.outage.FailoverCommand},
 * {@link io.membercenter.bench.outage.OutageCommand}, {@link io.membercenter.bench.outage.FloodCommand},
 * {@link io.membercenter.bench.outage.AuditCommand} (and {@code DrillCommand}, {@code IdleCommand}). It reuses
 * the suite's {@code Population} (the same keys), {@code report.BenchmarksFile}, {@code ResultTable},
 * {@code MachineMeter} and {@code RunEnvironment}, so its rows read like the suite's.
 */
package io.membercenter.bench.outage;
