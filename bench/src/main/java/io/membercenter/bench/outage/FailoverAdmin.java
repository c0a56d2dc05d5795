package io.membercenter.bench.outage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the failover benchmark asks the service beside the load: the topology record, the history, a switchover and
 * a failback by hand.
 */
final class FailoverAdmin {

    static final String ADMIN_KEY = "local-admin-key";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    FailoverAdmin(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** One switch of {@code GET /admin/failover/history}. */
    record Switch(String from, String to, long epoch, String reason, String by, Instant at) {}

    /** The record the service routes by: its master and the copy it calls stale (empty: none). */
    record Record(String master, long epoch, Optional<String> stale) {}

    Optional<Record> record() {
        JsonNode record = history().path("record");
        if (record.isMissingNode() || record.isNull()) return Optional.empty();
        String stale =
                record.path("stale").isNull() ? null : record.path("stale").asString(null);
        return Optional.of(new Record(
                record.path("master").asString(), record.path("epoch").asLong(), Optional.ofNullable(stale)));
    }

    /** The instance that may run a switch (its id starts with its data center); empty while none leads. */
    Optional<String> leader() {
        JsonNode leader = history().path("leader");
        return leader.isString() ? Optional.of(leader.asString()) : Optional.empty();
    }

    /** The history's automatic promotion recorded at or after {@code wallMillis} (epoch ms), if there is one. */
    Optional<Switch> promotionSince(long wallMillis) {
        return switches().stream()
                .filter(s -> s.by().startsWith("failover-leader"))
                .filter(s -> s.at().toEpochMilli() >= wallMillis)
                .findFirst();
    }

    /** Newest first. */
    List<Switch> switches() {
        List<Switch> switches = new ArrayList<>();
        for (JsonNode item : history().path("items")) {
            switches.add(new Switch(
                    item.path("from").asString(),
                    item.path("to").asString(),
                    item.path("epoch").asLong(),
                    item.path("reason").asString(),
                    item.path("by").asString(),
                    Instant.parse(item.path("at").asString())));
        }
        return switches;
    }

    /** Waits until the record names {@code master} and no stale copy: the leader runs and both copies are complete. */
    void awaitComplete(String master, Duration timeout) throws InterruptedException {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < giveUpAt) {
            Optional<Record> record = record();
            if (record.isPresent()
                    && record.get().master().equals(master)
                    && record.get().stale().isEmpty()) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("the topology record did not name " + master + " with both copies complete"
                + " within " + timeout.toSeconds() + " s: " + record());
    }

    /** {@code POST /admin/failover/db {"to": ..., "reason": ...}}: a planned switchover; its status. */
    int failover(String to, String reason) {
        return postSwitch("/admin/failover/db", Map.of("to", to, "reason", reason));
    }

    /** {@code POST /admin/failback/db}; its status. */
    int failback(String reason) {
        return postSwitch("/admin/failback/db", Map.of("reason", reason));
    }

    private int postSwitch(String path, Map<String, String> body) {
        return send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
                        ADMIN_KEY)
                .statusCode();
    }

    /** The member's nickname as an ORDER read answers it now; empty if it does not answer 200. */
    Optional<String> nickname(long memberId, String orderKey) {
        HttpResponse<String> read = send(
                HttpRequest.newBuilder(URI.create(base + "/v1/members/" + memberId))
                        .GET(),
                orderKey);
        if (read.statusCode() != 200) return Optional.empty();
        return Optional.ofNullable(JSON.readTree(read.body()).path("nickname").asString(null));
    }

    private JsonNode history() {
        HttpResponse<String> answer = send(
                HttpRequest.newBuilder(URI.create(base + "/admin/failover/history"))
                        .GET(),
                ADMIN_KEY);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET /admin/failover/history: " + answer.statusCode() + " " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String key) {
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + key)
                    .build();
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the service did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
