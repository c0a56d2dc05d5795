package io.membercenter.bench.suite;

import io.membercenter.bench.baseline.SearchBaseline;
import io.membercenter.bench.load.OpenLoop;
import io.membercenter.bench.report.ResultRow;
import io.membercenter.bench.report.ResultRow.Measured;
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
 *   <li>a probe: one member written again and again; after each acknowledged write it polls every cluster's
 *       document of that member until its version has arrived: the end-to-end time from acknowledgement to
 *       searchable, per cluster (through outbox, relay, Kafka, indexer and refresh);</li>
 *   <li>a sampler: the service's own lag gauges from {@code /actuator/prometheus} four times a second
 *       ({@code member_outbox_lag_seconds}, {@code search_indexer_lag_seconds}, {@code search_indexer_lag_changes}).</li>
 * </ul>
 */
final class ReplicationLag {

    private static final List<String> CLUSTERS = List.of("search-primary", "search-backup", "search-marketing");
    private static final List<String> GAUGES = List.of("member_outbox_lag_seconds", "search_indexer_lag_seconds",
            "search_indexer_lag_changes");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);

    private final Suite suite;
    private final Map<String, ConcurrentHistogram> visibleAfterMicros = new LinkedHashMap<>();
    private final Map<String, Double> gaugeMax = new ConcurrentHashMap<>();
    private final Map<String, Long> probeTimeouts = new ConcurrentHashMap<>();

    ReplicationLag(Suite suite) {
        this.suite = suite;
        CLUSTERS.forEach(cluster -> visibleAfterMicros.put(cluster, new ConcurrentHistogram(3)));
    }

    ScenarioResult run() throws Exception {
        Duration duration = suite.settings.lagDuration();
        double rate = suite.settings.lagRate();
        suite.progress.accept(String.format(Locale.ROOT, "replication-lag: PATCH at %,.0f/s for %d s, probing every cluster ...",
                rate, duration.toSeconds()));
        AtomicBoolean running = new AtomicBoolean(true);
        long probeMember = suite.population.memberId(suite.population.coldKey(ThreadLocalRandom.current()));
        Thread probe = Thread.ofPlatform().name("lag-probe").start(() -> probe(probeMember, running));
        Thread sampler = Thread.ofPlatform().name("lag-sampler").start(() -> sample(running));
        Measured load;
        try {
            OpenLoop writes = new OpenLoop(rate, SuiteSettings.MAX_IN_FLIGHT, Duration.ofSeconds(2), duration);
            load = suite.comparison.measure("service-patch (sustained)", Duration.ofSeconds(2), duration, writes::run,
                    () -> suite.orderApi.patch(suite.population.uniformMemberId(ThreadLocalRandom.current()),
                            Scenarios.nicknamePatch()));
        } finally {
            running.set(false);
        }
        probe.join();
        sampler.join();
        return new ScenarioResult("replication-lag", "search replication lag under sustained writes", notes(rate, duration),
                List.of(ResultRow.baseline("service-patch (sustained)", load)), List.of());
    }

    private List<String> notes(double rate, Duration duration) {
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "Load: `PATCH /v1/members/{id}` (nickname) at %,.0f/s, open loop, uniform keys, %d s "
                + "measured (the row below). Beside it, a probe writes one member again and again and times how long "
                + "each acknowledged version takes to appear in each cluster's `members` document (polled every 5 ms).",
                rate, duration.toSeconds()));
        notes.add("");
        notes.add("| cluster | probes | visible after p50 ms | p99 ms | max ms | timeouts (> 60 s) |");
        notes.add("|---|---:|---:|---:|---:|---:|");
        visibleAfterMicros.forEach((cluster, histogram) -> notes.add(String.format(Locale.ROOT, "| %s | %,d | %.0f | %.0f | %.0f | %d |",
                cluster, histogram.getTotalCount(), histogram.getValueAtPercentile(50) / 1e3,
                histogram.getValueAtPercentile(99) / 1e3, histogram.getMaxValue() / 1e3, probeTimeouts.getOrDefault(cluster, 0L))));
        notes.add("");
        notes.add("The service's own lag gauges, highest value seen (sampled every 250 ms): " + gaugeMax.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> String.format(Locale.ROOT, "`%s` %.2f", e.getKey(), e.getValue())).reduce((a, b) -> a + ", " + b)
                .orElse("none could be read") + ".");
        return notes;
    }

    private void probe(long memberId, AtomicBoolean running) {
        Map<String, SearchBaseline> clusters = new LinkedHashMap<>();
        CLUSTERS.forEach(name -> clusters.put(name, new SearchBaseline(suite.service.topology().searchUrl(name))));
        try {
            while (running.get()) {
                long version = suite.orderApi.patch(memberId, Scenarios.nicknamePatch());
                long acknowledged = System.nanoTime();
                for (Map.Entry<String, SearchBaseline> cluster : clusters.entrySet()) {
                    awaitVersion(cluster.getKey(), cluster.getValue(), memberId, version, acknowledged);
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

    private void awaitVersion(String cluster, SearchBaseline search, long memberId, long version, long acknowledged)
            throws IOException, InterruptedException {
        while (search.memberVersion(memberId) < version) {
            if (System.nanoTime() - acknowledged > PROBE_TIMEOUT.toNanos()) {
                probeTimeouts.merge(cluster, 1L, Long::sum);
                return;
            }
            Thread.sleep(5);
        }
        visibleAfterMicros.get(cluster).recordValue((System.nanoTime() - acknowledged) / 1_000);
    }

    private void sample(AtomicBoolean running) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + suite.service.port() + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            while (running.get()) {
                try {
                    for (String line : http.send(scrape, HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
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
