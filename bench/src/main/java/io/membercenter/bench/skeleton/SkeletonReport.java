package io.membercenter.bench.skeleton;

import io.membercenter.bench.report.MachineLoad;
import io.membercenter.bench.report.ResultRow;
import io.membercenter.bench.report.ResultTable;
import io.membercenter.bench.report.RunEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The skeleton's section of BENCHMARKS.md: its table, what each row measures, and where it ran. */
final class SkeletonReport {

    /** More than this many cores of unrelated work during a row is called out. */
    private static final double NOISE_CORES = 0.25;

    private SkeletonReport() {}

    static String markdown(List<ResultRow> rows, SkeletonSettings settings, RunEnvironment environment,
            String mariaDbVersion) {
        return """
                ## skeleton: the service against plain JDBC on the same MariaDB

                %s%s
                - **api-create**: `POST /v1/members` over HTTP/1.1 keep-alive, a new mobile each time. Inside (at
                  this commit), a create writes a PENDING row, claims the mobile, commits the row LIVE together
                  with its change-outbox row, and confirms the claim: four durable commits on `mysql-a`;
                  before answering it also invalidates the member in both Redis. Each create is then
                  relayed to Kafka and indexed by three OpenSearch nodes on the same cores.
                - **jdbc-insert** (its baseline): one autocommitted single-row `INSERT` of the same columns into
                  `bench_member` (created `LIKE member` in `member_0`), one durable commit.
                - **api-get-by-id**: `GET /v1/members/{id}` over %,d members created through the API before the
                  reads, keys %s. After its first read a member is answered from the local Redis
                  (`X-Member-Source: cache@A`), so this row measures the cached read path.
                - **jdbc-point-select** (its baseline): the service's `SELECT` of a member row by primary key on
                  the database holding it, same members, same key distribution.
                - Both baselines use HikariCP + MariaDB Connector/J with the service's pool settings (%d
                  connections per member database) against the same master `mysql-a`; `mysql-b` replicates
                  throughout, as it does for the service. MariaDB %s, `sync_binlog=1`,
                  `innodb_flush_log_at_trx_commit=1`. The caller is `%s`.
                - Closed-loop rows: %d workers.
                - %s
                - Every row: %s warm-up, then %s measured, on a machine of %s cores.

                Run:
                - started %s, commit `%s`
                - command: `%s`
                - machine: %s cores (nproc), %s, %s; load average %s when the run began
                - JDK: %s, flags `%s`
                """.formatted(noiseWarning(rows), ResultTable.markdown(rows), settings.members(), settings.describeKeys(),
                settings.concurrency(), mariaDbVersion, settings.apiKey(), settings.concurrency(), openLoopNote(settings),
                seconds(settings.warmup()), seconds(settings.measured()), environment.cores(), environment.startedAt(),
                environment.gitCommit(), environment.command(), environment.cores(), environment.memory(),
                environment.cpuModel(), environment.loadAverage(), environment.jdk(), environment.jvmFlags());
    }

    /** Unrelated work on the machine takes cores from the measurement; the reader must know. */
    private static String noiseWarning(List<ResultRow> rows) {
        double worst = rows.stream().flatMap(row -> row.machine().stream()).mapToDouble(MachineLoad::other)
                .max().orElse(0);
        if (worst < NOISE_CORES) {
            return "";
        }
        return String.format(Locale.ROOT, "**Noisy run**: processes outside this benchmark kept up to %.1f cores busy "
                + "during some rows (*other* in the CPU column); those rows are not comparable with a quiet run.%n%n",
                worst);
    }

    private static String openLoopNote(SkeletonSettings settings) {
        if (settings.openLoopFraction() == 0) {
            return "No open-loop rows (`--open-loop-fraction 0`).";
        }
        return String.format(Locale.ROOT, "Open-loop rows: %.0f %% of the service's closed-loop ops/s, the same rate "
                + "for its%n  baseline, at most %d requests in flight.", settings.openLoopFraction() * 100,
                settings.maxInFlight());
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
