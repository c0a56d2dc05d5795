package io.membercenter.bench.http;

import io.membercenter.bench.load.LoadResult;
import io.membercenter.bench.report.RunEnvironment;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/** The http section of BENCHMARKS.md: every run, the sustainable rates, and issue 14's goals against them. */
final class HttpReport {

    static final double P99_LIMIT_MILLIS = 10;

    private HttpReport() {}

    /** One measured run; {@code serverCores} is the CPU of the server process (NaN for the in-JVM JDBC baseline). */
    record Row(
            String group,
            String name,
            int connections,
            double perSecond,
            double p50,
            double p90,
            double p99,
            long errors,
            double serverCores) {

        static Row of(String group, String name, Wrk.Result r, double cores) {
            return new Row(group, name, r.connections(), r.perSecond(), r.p50(), r.p90(), r.p99(), r.errors(), cores);
        }

        static Row of(String group, String name, LoadResult r) {
            return new Row(
                    group,
                    name,
                    r.concurrency(),
                    r.throughputPerSecond(),
                    r.latency().p50().toNanos() / 1e6,
                    r.latency().p90().toNanos() / 1e6,
                    r.latency().p99().toNanos() / 1e6,
                    r.errors(),
                    Double.NaN);
        }
    }

    /** A connection sweep of one scenario. */
    record Sweep(String name, List<Wrk.Result> steps) {

        /** The best throughput of a step whose p99 stayed within the limit and that had no error. */
        Optional<Wrk.Result> sustainable() {
            return steps.stream()
                    .filter(s -> s.p99() <= P99_LIMIT_MILLIS && s.errors() == 0)
                    .max((a, b) -> Double.compare(a.perSecond(), b.perSecond()));
        }
    }

    static String markdown(List<Row> rows, List<Sweep> sweeps, int members, RunEnvironment environment) {
        StringBuilder out = new StringBuilder(
                "## http: the service in its own process under wrk, against the HTTP ceiling of the same server\n\n");
        out.append("### Against the goals of issue 14\n\n");
        goals(out, rows, sweeps);
        out.append("\n### Every run\n\n")
                .append(
                        "| group | contender | connections | req/s | p50 ms | p90 ms | p99 ms | errors | server CPU cores |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %,.0f | %.2f | %.2f | %.2f | %d | %s |%n",
                    r.group(),
                    r.name(),
                    r.connections(),
                    r.perSecond(),
                    r.p50(),
                    r.p90(),
                    r.p99(),
                    r.errors(),
                    Double.isNaN(r.serverCores()) ? "–" : String.format(Locale.ROOT, "%.2f", r.serverCores())));
        }
        out.append("\n### Sustainable rate at p99 ≤ 10 ms (connection sweep)\n\n")
                .append("| contender | connections: req/s (p99 ms) | sustainable |\n|---|---|---:|\n");
        for (Sweep s : sweeps) {
            StringBuilder steps = new StringBuilder();
            for (Wrk.Result step : s.steps()) {
                if (!steps.isEmpty()) steps.append(", ");
                steps.append(String.format(
                        Locale.ROOT, "%d: %,.0f (%.1f)", step.connections(), step.perSecond(), step.p99()));
            }
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s |%n",
                    s.name(),
                    steps,
                    s.sustainable()
                            .map(r -> String.format(Locale.ROOT, "**%,.0f/s**", r.perSecond()))
                            .orElse("none held")));
        }
        out.append("\n### How this was run\n\n")
                .append(String.format(
                        Locale.ROOT,
                        "- %,d members bulk-loaded into the shards (and the naive service's table) and indexed; the service"
                                + " (profile local, data center A only, 1 GiB heap) and the naive service each in a JVM of"
                                + " its own on the same servers; the load from Debian's `wrk` (a native process) with a Lua"
                                + " script that picks a random member per request; every scenario warmed up first.%n",
                        members))
                .append("- `ceiling`: `GET /v1/ceiling` as `order-service` — Tomcat, authentication, flow control, the"
                        + " access audit, Spring MVC and the scope check, then a fixed member-sized JSON body: what any"
                        + " read of this server costs before member-center's own work.\n")
                .append("- `service-get-by-id` / `service-by-mobile`: the cached paths (after the warm-up the members'"
                        + " entries are in the local Redis); `naive-*`: one SELECT on one table, no cache.\n")
                .append("- `service-patch` / `naive-patch`: a merge patch of the nickname, random members;"
                        + " `jdbc-update-transaction`: the raw single-row UPDATE and COMMIT of `bench_member`, 16 threads of"
                        + " the bench JVM with the service's pool settings.\n")
                .append(
                        "- wrk is a closed loop: the sustainable rates are lower bounds of what an open loop would hold.\n")
                .append("- Server CPU: utime + stime of the server's process over the run, from /proc.\n\n")
                .append(environment.markdown());
        return out.toString();
    }

    private static void goals(StringBuilder out, List<Row> rows, List<Sweep> sweeps) {
        OptionalDouble ceiling = rate(rows, "ceiling");
        for (String read : List.of("service-get-by-id", "service-by-mobile")) {
            OptionalDouble r = rate(rows, read);
            if (ceiling.isPresent() && r.isPresent()) {
                double ratio = r.getAsDouble() / ceiling.getAsDouble();
                out.append(String.format(
                        Locale.ROOT,
                        "- %s ≥ 0.8 × the ceiling: **×%.2f** (%,.0f/s against %,.0f/s) — %s%n",
                        read,
                        ratio,
                        r.getAsDouble(),
                        ceiling.getAsDouble(),
                        ratio >= 0.8 ? "met" : "not met"));
            }
        }
        for (Sweep s : sweeps) {
            if (s.name().equals("ceiling")) continue;
            double sustainable = s.sustainable().map(Wrk.Result::perSecond).orElse(0.0);
            out.append(String.format(
                    Locale.ROOT,
                    "- %s sustainable at p99 ≤ 10 ms ≥ 5,000/s: **%,.0f/s** — %s%n",
                    s.name(),
                    sustainable,
                    sustainable >= 5_000 ? "met" : "not met"));
        }
        OptionalDouble patch = rate(rows, "service-patch");
        OptionalDouble naive = rate(rows, "naive-patch");
        OptionalDouble jdbc = rate(rows, "jdbc-update-transaction");
        if (patch.isPresent() && naive.isPresent()) {
            out.append(String.format(
                    Locale.ROOT,
                    "- PATCH ≥ the naive service's PATCH: **×%.2f** (%,.0f/s against %,.0f/s) — %s%n",
                    patch.getAsDouble() / naive.getAsDouble(),
                    patch.getAsDouble(),
                    naive.getAsDouble(),
                    patch.getAsDouble() >= naive.getAsDouble() ? "met" : "not met"));
        }
        if (patch.isPresent() && jdbc.isPresent()) {
            out.append(String.format(
                    Locale.ROOT,
                    "- PATCH ≥ 0.5 × the raw single-row update transaction: **×%.2f** (%,.0f/s against %,.0f/s) — %s%n",
                    patch.getAsDouble() / jdbc.getAsDouble(),
                    patch.getAsDouble(),
                    jdbc.getAsDouble(),
                    patch.getAsDouble() >= 0.5 * jdbc.getAsDouble() ? "met" : "not met"));
        }
    }

    private static OptionalDouble rate(List<Row> rows, String name) {
        return rows.stream()
                .filter(r -> r.name().equals(name))
                .mapToDouble(Row::perSecond)
                .findFirst();
    }
}
