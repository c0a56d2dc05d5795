package io.membercenter.bench.outage;

import io.membercenter.bench.report.RunEnvironment;
import java.util.Locale;

/**
 * The whole-data-center drill's section of BENCHMARKS.md ({@code ./mc drill dc-a}): the goals and phases of the
 * failover's report ({@link FailoverReport#goals}, {@link FailoverReport#phases}; the moments are the same — lost,
 * writes back, back as a replica, failback), under its own description of what was lost.
 */
final class DrillReport {

    private DrillReport() {}

    static String markdown(FailoverReport.Run run, OutageSettings settings, RunEnvironment environment, String chart) {
        OutageWindow window = run.window();
        StringBuilder out = new StringBuilder(
                "## drill-dc-a: the whole of data center A lost under the ORDER mix, served from B, failback by hand\n\n");
        out.append(String.format(
                Locale.ROOT,
                """
                `./mc drill dc-a`: the suite's ORDER mix (80 %% reads by id, 15 %% by mobile, 5 %% `PATCH` of the \
                nickname, as `order-service`) in one open loop at %s/s for %d s against the service's instance in \
                data center **B** (a second instance runs in A; the failover leader is B's). At %s s every server of \
                data center A gets SIGKILL — `%s` — and the instance in A is closed with them; at %s s they are \
                started again (mysql-a in the replica role) with a new instance in A; at %s s the database is failed \
                back by hand. The third ZooKeeper node is in a third site, so the ensemble keeps its quorum. Every \
                write is kept with its nickname and checked at the end. In the table, "the kill" is the loss of A.
                """,
                TimelineChart.number(settings.ratePerSecond()),
                settings.length().toSeconds(),
                OutageReport.seconds(window.stopCalledNanos()),
                String.join("`, `", DrillCommand.SERVERS_OF_A),
                OutageReport.seconds(window.startCalledNanos()),
                OutageReport.seconds(run.failbackCalledNanos())));
        out.append("\n### Against the goals of issue 12\n\n")
                .append(FailoverReport.goals(run))
                .append('\n');
        out.append("### The phases\n\n").append(FailoverReport.phases(run)).append('\n');
        out.append("![throughput, errors and write answer time against time through the loss of data center A](")
                .append(chart)
                .append(")\n\n");
        out.append(String.format(
                Locale.ROOT,
                """
                ### How this was run

                - Population: %,d members loaded through the instance in A into the shards and all three search \
                clusters before the load; Zipfian keys s = %s, writes to uniform keys.
                - Load: open loop at %s/s, at most %d in flight, client timeout %d s, in the JVM of both instances, \
                on the same 2 cores as every server.
                - Moments: A lost at %s s (every kill returned and the instance in A closed at %s s); A's servers \
                started at %s s, all ready and the new instance in A up at %s s; failback called at %s s, answered \
                at %s s.
                - Lost writes: after the run each member written is read through the instance in B (B caught up \
                with A, the master again) and judged by `WriteLedger`, as in the failover run.

                """,
                settings.members(),
                OutageSettings.ZIPF_EXPONENT,
                TimelineChart.number(settings.ratePerSecond()),
                OutageSettings.MAX_IN_FLIGHT,
                OrderCalls.REQUEST_TIMEOUT.toSeconds(),
                OutageReport.seconds(window.stopCalledNanos()),
                OutageReport.seconds(window.stoppedNanos()),
                OutageReport.seconds(window.startCalledNanos()),
                OutageReport.seconds(window.readyNanos()),
                OutageReport.seconds(run.failbackCalledNanos()),
                OutageReport.seconds(run.failbackReturnedNanos())));
        out.append(environment.markdown());
        return out.toString();
    }
}
