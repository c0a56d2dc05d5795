package io.membercenter.bench.outage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The consistency checker's totals per store, as {@code GET /admin/governance/consistency} shows them (counted since
 * the instance started), and the difference of two of them: what was checked in between.
 *
 * @param stores per store name, its members checked and found inconsistent
 * @param inconsistencies how many inconsistencies the answer listed (the newest, at most the service's recent-limit)
 */
record ConsistencySnapshot(Map<String, Counts> stores, int inconsistencies) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One store's members checked and found inconsistent. */
    record Counts(long checked, long inconsistent) {

        /**
         * The service's formula ({@code governance.ConsistencyResults.nines}): {@code -log10(inconsistent / checked)},
         * capped at {@code log10(checked)} while none is inconsistent (what the sample can show), 0 before any check.
         */
        double nines() {
            if (checked == 0) return 0;
            if (inconsistent == 0) return Math.log10(checked);
            return -Math.log10((double) inconsistent / checked);
        }
    }

    static ConsistencySnapshot parse(String body) {
        JsonNode json = JSON.readTree(body);
        Map<String, Counts> stores = new TreeMap<>();
        json.path("stores")
                .properties()
                .forEach(store -> stores.put(
                        store.getKey(),
                        new Counts(
                                store.getValue().path("checked").asLong(),
                                store.getValue().path("inconsistent").asLong())));
        return new ConsistencySnapshot(stores, json.path("inconsistencies").size());
    }

    static ConsistencySnapshot fetch(int port, String adminKey) throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/governance/consistency"))
                                .timeout(Duration.ofSeconds(10))
                                .header("Authorization", "Bearer " + adminKey)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET /admin/governance/consistency: " + answer.statusCode());
        }
        return parse(answer.body());
    }

    /** What was checked since {@code earlier}, per store (a store first seen now counts from 0). */
    ConsistencySnapshot since(ConsistencySnapshot earlier) {
        Map<String, Counts> delta = new TreeMap<>();
        stores.forEach((store, now) -> {
            Counts then = earlier.stores().getOrDefault(store, new Counts(0, 0));
            delta.put(store, new Counts(now.checked() - then.checked(), now.inconsistent() - then.inconsistent()));
        });
        return new ConsistencySnapshot(delta, inconsistencies);
    }
}
