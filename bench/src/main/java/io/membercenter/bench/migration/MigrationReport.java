package io.membercenter.bench.migration;

import io.membercenter.bench.report.RunEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The BENCHMARKS.md section of {@code ./mc bench migration}, from what one run measured. */
final class MigrationReport {

    static final double FULL_SYNC_GOAL = 0.5;
    static final long LAG_GOAL_MILLIS = 2_000;

    /** The full sync: rows read (created + already there + quarantined), members created, quarantined, time. */
    record FullSync(long rows, long created, long quarantined, long nanos, int importThreads, int chunkSize) {
        double rowsPerSecond() {
            return rows / (nanos / 1e9);
        }

        double membersPerSecond() {
            return created / (nanos / 1e9);
        }
    }

    /** The incremental sync under the legacy writer: its asked and achieved rate, the markers' lags. */
    record Incremental(
            int writerAsked,
            double writerAchieved,
            long seconds,
            List<LagProbe.Sample> samples,
            int lost,
            long applied) {}

    /** The verify over the whole legacy range. */
    record Verified(long checked, long nanos, long mismatched, long missing, long extra, long quarantined) {
        double rowsPerSecond() {
            return checked / (nanos / 1e9);
        }
    }

    /** Machine load during a phase: cores busy of the machine's, from /proc/stat. */
    record Load(double busyCores, int cores) {}

    record Run(
            int members,
            long loadNanos,
            RawCopy.Result raw,
            Load rawLoad,
            FullSync full,
            Load fullLoad,
            Incremental incremental,
            Load incrementalLoad,
            Verified verify,
            Load verifyLoad,
            ServerCounters.Snapshot rawCounters,
            ServerCounters.Snapshot fullCounters,
            String chartFile) {}

    private MigrationReport() {}

    static String markdown(Run run, RunEnvironment environment) {
        double ratio = run.full().membersPerSecond() / run.raw().membersPerSecond();
        List<Long> lags = lags(run.incremental().samples());
        long p50 = percentile(lags, 50), p99 = percentile(lags, 99);
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "## migration: %,d legacy members, full sync against a raw bulk copy, incremental lag, verify%n%n",
                run.members()));
        out.append(String.format(
                Locale.ROOT,
                "**Goals (issue 15): full sync ≥ %.1f × the raw copy — %s (×%.3f); incremental lag p99 < %d s under the"
                        + " legacy writer — %s (p99 %,d ms).** Verify: %,d rows, %s.%n%n",
                FULL_SYNC_GOAL,
                ratio >= FULL_SYNC_GOAL ? "met" : "not met",
                ratio,
                LAG_GOAL_MILLIS / 1000,
                !lags.isEmpty() && p99 < LAG_GOAL_MILLIS && run.incremental().lost() == 0 ? "met" : "not met",
                p99,
                run.verify().checked(),
                findings(run.verify())));
        out.append("| phase | rows | time | rate | notes | machine busy |\n|---|---:|---:|---:|---|---:|\n");
        out.append(String.format(
                Locale.ROOT,
                "| raw bulk copy (baseline) | %,d members + %,d bindings | %.1f s | **%,.0f members/s** | %d streams:"
                        + " `COPY (SELECT ...) TO STDOUT` → %,d-row INSERTs into plain tables of member_0/member_1 |"
                        + " %s |%n",
                run.raw().members(),
                run.raw().bindings(),
                run.raw().nanos() / 1e9,
                run.raw().membersPerSecond(),
                run.raw().streams(),
                RawCopy.ROWS_PER_INSERT,
                load(run.rawLoad())));
        out.append(String.format(
                Locale.ROOT,
                "| full sync | %,d rows: %,d members created, %,d quarantined | %.1f s | **%,.0f members/s** (%,.0f"
                        + " rows/s), ×%.3f the raw copy | claim protocol + outbox, %d import threads, chunks of %,d |"
                        + " %s |%n",
                run.full().rows(),
                run.full().created(),
                run.full().quarantined(),
                run.full().nanos() / 1e9,
                run.full().membersPerSecond(),
                run.full().rowsPerSecond(),
                ratio,
                run.full().importThreads(),
                run.full().chunkSize(),
                load(run.fullLoad())));
        out.append(String.format(
                Locale.ROOT,
                "| incremental sync | %,d changes applied | %d s | lag p50 **%,d ms**, p90 %,d ms, p99 **%,d ms**,"
                        + " max %,d ms | legacy writer asked %d changes/s, made %.1f/s; %d markers, %d lost | %s |%n",
                run.incremental().applied(),
                run.incremental().seconds(),
                p50,
                percentile(lags, 90),
                p99,
                percentile(lags, 100),
                run.incremental().writerAsked(),
                run.incremental().writerAchieved(),
                lags.size(),
                run.incremental().lost(),
                load(run.incrementalLoad())));
        out.append(String.format(
                Locale.ROOT,
                "| verify | %,d rows | %.1f s | **%,.0f rows/s** | %s; %,d quarantined rows (the population's"
                        + " deliberate breaks) | %s |%n%n",
                run.verify().checked(),
                run.verify().nanos() / 1e9,
                run.verify().rowsPerSecond(),
                findings(run.verify()),
                run.verify().quarantined(),
                load(run.verifyLoad())));
        out.append(String.format(
                Locale.ROOT,
                "Where the full sync's time goes, from the shards' master's own counters (`SHOW GLOBAL STATUS` of"
                        + " mysql-a, both physical databases, before and after each phase): the raw copy cost %s per"
                        + " member, the full sync %s per member.%n%n",
                perMember(run.rawCounters(), run.raw().members()),
                perMember(run.fullCounters(), run.full().rows())));
        if (run.chartFile() != null) {
            out.append("![rows done over time for the full sync and the raw copy, and the incremental lag over time](")
                    .append(run.chartFile())
                    .append(")\n\n");
        }
        out.append("### How this was run\n\n")
                .append(String.format(
                        Locale.ROOT,
                        "- One run, one topology (MariaDB A/B, Redis, Kafka, OpenSearch and the legacy PostgreSQL,"
                                + " kind `legacy`) and the service in the benchmark's JVM. `POST /admin/migration/load`"
                                + " made %,d legacy members (LegacyPopulation, COPY) in %.1f s.%n",
                        run.members(),
                        run.loadNanos() / 1e9))
                .append("- Raw copy: the same rows and their bindings, key ranges split over as many streams as the"
                        + " full sync's import threads; no mapping, no claims, no outbox; the plain tables are dropped"
                        + " afterwards.\n")
                .append("- Full sync: `POST /admin/migration/full-sync` posted until 200, as `./mc migrate full-sync`"
                        + " does (3 s steps); every member through the claim protocol (MemberImport.create) with its"
                        + " outbox row; the throttle (`rows-per-second`) set out of reach, so the rate is what the"
                        + " machine gives. members/s counts members created; a quarantined row is handled but not"
                        + " created.\n")
                .append(String.format(
                        Locale.ROOT,
                        "- Incremental: the legacy writer (`writer-start?perSecond=N`, one row change or insert each)"
                                + " running, `POST /admin/migration/incremental-sync` posted in a loop (again at once"
                                + " when it answered 202, after 100 ms when caught up). Lag = a marker update of one"
                                + " legacy member's nickname, from just before its COMMIT to the first"
                                + " `GET /v1/members/{id}` (polled every %d ms) that answers it; a marker every 500 ms,"
                                + " taking turns over %d clean members, each watched on its own.%n",
                        LagProbe.POLL_MILLIS,
                        MigrationCommand.markerKeys().size()))
                .append("- Verify: writer stopped and the change capture drained, then `verify?fresh=true` to its end:"
                        + " every legacy row compared field by field with its member.\n")
                .append("- machine busy: cores busy of the whole machine during the phase (/proc/stat), other helpers'"
                        + " work included.\n\n")
                .append(environment.markdown());
        return out.toString();
    }

    private static String findings(Verified verify) {
        long total = verify.mismatched() + verify.missing() + verify.extra();
        return total == 0
                ? "0 mismatches"
                : String.format(
                        Locale.ROOT,
                        "%,d findings (%,d mismatched, %,d missing, %,d extra)",
                        total,
                        verify.mismatched(),
                        verify.missing(),
                        verify.extra());
    }

    static String perMember(ServerCounters.Snapshot counters, long rows) {
        if (counters == null || rows == 0) return "n/a";
        return String.format(
                Locale.ROOT,
                "%.3f write statements, %.3f commits (Handler_commit) and %.2f SELECTs",
                counters.writes() / (double) rows,
                counters.commits() / (double) rows,
                counters.selects() / (double) rows);
    }

    private static String load(Load load) {
        return load == null ? "n/a" : String.format(Locale.ROOT, "%.2f of %d cores", load.busyCores(), load.cores());
    }

    static List<Long> lags(List<LagProbe.Sample> samples) {
        List<Long> lags = new ArrayList<>();
        for (LagProbe.Sample s : samples) lags.add(s.lagMillis());
        lags.sort(null);
        return lags;
    }

    /** Nearest-rank percentile of sorted values (0 for none); 100 is the maximum. */
    static long percentile(List<Long> sorted, double percent) {
        if (sorted.isEmpty()) return 0;
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
