package io.membercenter.bench.suite;

import io.membercenter.bench.baseline.SearchBaseline;
import io.membercenter.bench.load.OpenLoop;
import io.membercenter.bench.report.ResultRow;
import io.membercenter.bench.report.ResultRow.Measured;
import io.membercenter.replication.IdentifierKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * How far behind the search clusters are under sustained writes. While an open loop of PATCHes runs at
 * {@code lagRate}, two observers run beside it:
 * <ul>
 *   <li>a probe: one member written again and again; after each acknowledged write it polls every cluster
 *       until the version has arrived, twice: the member document by real-time GET (<i>applied</i>: through
 *       outbox, relay, Kafka and indexer) and the member's mobile entry by search (<i>searchable</i>: after the
 *       cluster's next refresh too — what a lookup by identifier can see);</li>
 *   <li>a sampler: the service's own lag gauges from {@code /actuator/prometheus} four times a second
 *       ({@code member_outbox_lag_seconds}, {@code search_indexer_lag_seconds}, {@code search_indexer_lag_changes}).</li>
 * </ul>
 */
final class ReplicationLag {

    private static final List<String> CLUSTERS = List.of("search-primary", "search-backup", "search-marketing");
    private static final List<String> GAUGES = List.of(
            "member_outbox_lag_seconds",
            "search_indexer_lag_seconds",
            "search_indexer_lag_changes",
            "search_searchable_age_seconds");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);

    private final Suite suite;
    private final Map<String, ConcurrentHistogram> visibleAfterMicros = new LinkedHashMap<>();
    private final Map<String, ConcurrentHistogram> searchableAfterMicros = new LinkedHashMap<>();
    private final Map<String, Double> gaugeMax = new ConcurrentHashMap<>();
    private final Map<String, Long> probeTimeouts = new ConcurrentHashMap<>();

    ReplicationLag(Suite suite) {
        this.suite = suite;
        CLUSTERS.forEach(cluster -> visibleAfterMicros.put(cluster, new ConcurrentHistogram(3)));
        CLUSTERS.forEach(cluster -> searchableAfterMicros.put(cluster, new ConcurrentHistogram(3)));
    }

    ScenarioResult run() throws Exception {
        Duration duration = suite.settings.lagDuration();
        double rate = suite.settings.lagRate();
        suite.progress.accept(String.format(
                Locale.ROOT,
                "replication-lag: PATCH at %,.0f/s for %d s, probing every cluster ...",
                rate,
                duration.toSeconds()));
        AtomicBoolean running = new AtomicBoolean(true);
        int probeKey = suite.population.coldKey(ThreadLocalRandom.current());
        long probeMember = suite.population.memberId(probeKey);
        String probeMobile =
                IdentifierKey.mobile(suite.population.mobile(probeKey)).searchKey();
        Thread probe = Thread.ofPlatform().name("lag-probe").start(() -> probe(probeMember, probeMobile, running));
        Thread sampler = Thread.ofPlatform().name("lag-sampler").start(() -> sample(running));
        Measured load;
        try {
            OpenLoop writes = new OpenLoop(rate, SuiteSettings.MAX_IN_FLIGHT, Duration.ofSeconds(2), duration);
            load = suite.comparison.measure(
                    "service-patch (sustained)",
                    Duration.ofSeconds(2),
                    duration,
                    writes::run,
                    () -> suite.orderApi.patch(
                            suite.population.uniformMemberId(ThreadLocalRandom.current()), Scenarios.nicknamePatch()));
        } finally {
            running.set(false);
        }
        probe.join();
        sampler.join();
        return new ScenarioResult(
                "replication-lag",
                "search replication lag under sustained writes",
                notes(rate, duration),
                List.of(ResultRow.baseline("service-patch (sustained)", load)),
                List.of());
    }

    private List<String> notes(double rate, Duration duration) {
        List<String> notes = new ArrayList<>();
        notes.add(String.format(
                Locale.ROOT,
                "Load: `PATCH /v1/members/{id}` (nickname) at %,.0f/s, open loop, uniform keys, %d s "
                        + "measured (the row below). Beside it, a probe writes one member again and again and times how long "
                        + "each acknowledged version takes to be applied to each cluster (its `members` document, real-time GET) and to "
                        + "be searchable there (its mobile's `member_identifiers` entry found by a search, so after a refresh; the "
                        + "refresh interval is 1 s), polled every 5 ms.",
                rate,
                duration.toSeconds()));
        notes.add("");
        notes.add(
                "| cluster | probes | applied after p50 ms | p99 ms | max ms | searchable after p50 ms | p99 ms | max ms "
                        + "| timeouts (> 60 s) |");
        notes.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String cluster : CLUSTERS) {
            ConcurrentHistogram applied = visibleAfterMicros.get(cluster);
            ConcurrentHistogram searchable = searchableAfterMicros.get(cluster);
            notes.add(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %d |",
                    cluster,
                    applied.getTotalCount(),
                    applied.getValueAtPercentile(50) / 1e3,
                    applied.getValueAtPercentile(99) / 1e3,
                    applied.getMaxValue() / 1e3,
                    searchable.getValueAtPercentile(50) / 1e3,
                    searchable.getValueAtPercentile(99) / 1e3,
                    searchable.getMaxValue() / 1e3,
                    probeTimeouts.getOrDefault(cluster, 0L)));
        }
        notes.add("");
        notes.add("The service's own lag gauges, highest value seen (sampled every 250 ms): "
                + gaugeMax.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> String.format(Locale.ROOT, "`%s` %.2f", e.getKey(), e.getValue()))
                        .reduce((a, b) -> a + ", " + b)
                        .orElse("none could be read")
                + ".");
        return notes;
    }

    private void probe(long memberId, String identifierKey, AtomicBoolean running) {
        Map<String, SearchBaseline> clusters = new LinkedHashMap<>();
        CLUSTERS.forEach(name ->
                clusters.put(name, new SearchBaseline(suite.service.topology().searchUrl(name))));
        try {
            while (running.get()) {
                long version = suite.orderApi.patch(memberId, Scenarios.nicknamePatch());
                long acknowledged = System.nanoTime();
                for (Map.Entry<String, SearchBaseline> cluster : clusters.entrySet()) {
                    SearchBaseline search = cluster.getValue();
                    awaitVersion(
                            cluster.getKey(),
                            visibleAfterMicros,
                            () -> search.memberVersion(memberId),
                            version,
                            acknowledged);
                }
                for (Map.Entry<String, SearchBaseline> cluster : clusters.entrySet()) {
                    SearchBaseline search = cluster.getValue();
                    awaitVersion(
                            cluster.getKey(),
                            searchableAfterMicros,
                            () -> search.searchableIdentifierVersion(identifierKey),
                            version,
                            acknowledged);
                }
            }
        } catch (IOException | RuntimeException e) {
            suite.progress.accept("replication-lag: probe stopped: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clusters.values().forEach(SearchBaseline::close);
        }
    }

    /** A version as one cluster shows it. */
    private interface VersionProbe {
        long version() throws IOException, InterruptedException;
    }

    private void awaitVersion(
            String cluster, Map<String, ConcurrentHistogram> after, VersionProbe probe, long version, long acknowledged)
            throws IOException, InterruptedException {
        while (probe.version() < version) {
            if (System.nanoTime() - acknowledged > PROBE_TIMEOUT.toNanos()) {
                probeTimeouts.merge(cluster, 1L, Long::sum);
                return;
            }
            Thread.sleep(5);
        }
        after.get(cluster).recordValue((System.nanoTime() - acknowledged) / 1_000);
    }

    private void sample(AtomicBoolean running) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest scrape = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + suite.service.port() + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build();
            while (running.get()) {
                try {
                    for (String line : http.send(scrape, HttpResponse.BodyHandlers.ofString())
                            .body()
                            .split("\n")) {
                        record(line);
                    }
                    Thread.sleep(250);
                } catch (IOException e) {
                    suite.progress.accept("replication-lag: scrape failed: " + e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Map<String, Double> gaugeMaxima() {
        return Map.copyOf(gaugeMax);
    }

    /** {@code name{labels} value}: keeps the highest value per series of the lag gauges. */
    void record(String line) {
        for (String gauge : GAUGES) {
            if (line.startsWith(gauge + "{") || line.startsWith(gauge + " ")) {
                int space = line.lastIndexOf(' ');
                String series = line.substring(0, space).replace(",}", "}");
                try {
                    gaugeMax.merge(series, Double.parseDouble(line.substring(space + 1)), Math::max);
                } catch (NumberFormatException ignored) {
                    // not a sample line
                }
            }
        }
    }
}
