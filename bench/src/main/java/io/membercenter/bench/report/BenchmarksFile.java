package io.membercenter.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * BENCHMARKS.md, one section per scenario between marker comments. A run replaces its own section and leaves
 * the rest of the file, written by people or by other scenarios, as it was.
 */
public final class BenchmarksFile {

    /** The top of a BENCHMARKS.md that does not exist yet. */
    static final String INTRO = """
            # Benchmarks

            Measured by `./mc bench suite [scenario ...]` (module `bench`), which starts the local two-data-center
            topology (2 MariaDB, 2 Redis, Kafka, 3 OpenSearch) and the service in one JVM, loads a member population
            (1,000,000 by default) into the service, the naive service and the search clusters, drives everything over
            real HTTP, JDBC, RESP and REST, and rewrites its own section below, with one latency-against-throughput
            chart per swept scenario in `benchmarks/`. Every service row is compared with baselines measured in the
            same run on the same machine (raw Redis GET, raw MariaDB statements, a direct OpenSearch query, and a naive
            member service on one MariaDB table), so ratios mean something even where absolute numbers do not travel
            between machines.

            **Load generator, service, naive service and every server share the machine's cores** (2 on the
            reference machine): absolute throughput is far lower than with servers on machines of their own, and
            every write also pays, on the same cores, for replicating to MariaDB B, Kafka and three OpenSearch nodes.
            Each row says where the cores went while it was measured.

            How to read a row:
            - **closed** loop: N workers, each sends its next request when the previous one answers: the
              maximum throughput at that concurrency; its latencies are the service times at that load.
            - **open** loop (the sweeps): requests leave at a constant rate whatever the answers, latency counted
              from each request's *intended* start (coordinated omission corrected): what callers see at that load.
              *dropped*: requests not sent because the in-flight bound was reached.
            - **sustainable rate**: the highest open-loop rate whose p99 stayed within the bound (10 ms) with no
              error, no drop and the asked throughput kept up: doubled from a start rate, then bisected.
            - ops/s counts successful requests in the measured window (warm-up excluded); latencies are
              HdrHistogram percentiles of those; errors are failed requests (wrong status, exception).
            - **ratio to baseline**: service ÷ baseline for ops/s, p50 and p99 (ops/s ×0.25 = a quarter of the
              baseline's throughput; p50 ×4 = four times its median latency).
            - **CPU cores**: cores kept busy during the measured window by the benchmark's JVM (load generator,
              service and naive service together), by the topology's servers (MariaDB, Redis, Kafka, OpenSearch),
              and by anything else on the machine. JVM + servers near the core count: the machine was the limit.
              *other* well above 0: something unrelated ran at the same time, and the row is not comparable.
            - **I/O stall**: share of the measured window in which some process on the machine waited for the
              disk (Linux pressure stall information). Every durable commit waits for an fsync, so writes
              slow down when this is high, whether the waiting is ours or another program's.
            """;

    private BenchmarksFile() {}

    /** Replaces the section named {@code name} with {@code body}, or appends it; creates the file if needed. */
    public static void writeSection(Path file, String name, String body) throws IOException {
        writeSection(file, name, name, body);
    }

    /**
     * As {@link #writeSection(Path, String, String)}, for a section that {@code ./mc bench COMMAND} writes under
     * another name (one command writing a section per scenario, e.g. {@code failover --scenario redis-a}).
     */
    public static void writeSection(Path file, String name, String command, String body) throws IOException {
        String current = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : INTRO;
        Files.writeString(file, withSection(current, name, command, body), StandardCharsets.UTF_8);
    }

    static String withSection(String document, String name, String body) {
        return withSection(document, name, name, body);
    }

    /**
     * The section is found by its name alone (the marker's start up to the colon), so a section keeps its place when
     * the command said in its marker changes; the colon keeps {@code failover} from matching {@code failover-redis-a}.
     */
    static String withSection(String document, String name, String command, String body) {
        String beginPrefix = "<!-- BEGIN bench " + name + ":";
        String begin =
                beginPrefix + " written by ./mc bench " + command + "; edits inside are replaced at its next run -->";
        String end = "<!-- END bench " + name + " -->";
        String section = begin + "\n" + body.strip() + "\n" + end + "\n";
        int from = document.indexOf(beginPrefix);
        int to = document.indexOf(end);
        if (from >= 0 && to > from) {
            return document.substring(0, from)
                    + section
                    + document.substring(skipLineBreak(document, to + end.length()));
        }
        String separator =
                document.isEmpty() || document.endsWith("\n\n") ? "" : document.endsWith("\n") ? "\n" : "\n\n";
        return document + separator + section;
    }

    private static int skipLineBreak(String document, int index) {
        return index < document.length() && document.charAt(index) == '\n' ? index + 1 : index;
    }
}
