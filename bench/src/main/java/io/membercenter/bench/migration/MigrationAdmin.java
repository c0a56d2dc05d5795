package io.membercenter.bench.migration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The migration's admin API ({@code /admin/migration}) and one read of the member API, as an operator and a caller
 * reach them: over HTTP, with the local profile's keys. The steps are driven as {@code ./mc migrate} drives them:
 * posted again while they answer 202, waited for while another step holds the lease.
 */
final class MigrationAdmin {

    static final String ADMIN_KEY = "local-admin-key";
    static final String ORDER_KEY = "local-order-key";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An answer: its status and its body as JSON (a missing node when it had none). */
    record Answer(int status, JsonNode body) {
        boolean done() {
            return status == 200;
        }

        boolean leaseHeldByAnother() {
            return status == 409 && body.path("type").asString("").contains("migration-step-running");
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    MigrationAdmin(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    JsonNode status() {
        return expect(send("GET", "/admin/migration", ADMIN_KEY), 200, "status");
    }

    /** Posts a step once. */
    Answer post(String step) {
        return send("POST", "/admin/migration/" + step, ADMIN_KEY);
    }

    /** Posts a step until it answers 200; {@code afterEach} sees every answer's status body. */
    JsonNode runToEnd(String step, java.util.function.Consumer<JsonNode> afterEach) throws InterruptedException {
        String next = step;
        while (true) {
            Answer answer = post(next);
            if (answer.leaseHeldByAnother()) {
                Thread.sleep(200);
                continue;
            }
            if (answer.status() != 200 && answer.status() != 202) {
                throw new IllegalStateException(
                        "POST /admin/migration/" + next + " answered " + answer.status() + ": " + answer.body());
            }
            afterEach.accept(answer.body());
            if (answer.done()) return answer.body();
            next = step.replace("?fresh=true", ""); // a fresh verify once, then it goes on where it is
        }
    }

    /** The member's nickname as {@code GET /v1/members/{id}} answers it (null: none or not found). */
    String nickname(long memberId) {
        Answer answer = send("GET", "/v1/members/" + memberId, ORDER_KEY);
        if (answer.status() != 200) return null;
        JsonNode nickname = answer.body().path("nickname");
        return nickname.isString() ? nickname.asString() : null;
    }

    private Answer send(String method, String path, String key) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode body = text == null || text.isBlank() ? JSON.missingNode() : JSON.readTree(text);
            return new Answer(response.statusCode(), body);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }

    private static JsonNode expect(Answer answer, int status, String what) {
        if (answer.status() != status) {
            throw new IllegalStateException(what + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }
}
