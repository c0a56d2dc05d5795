package io.membercenter.bench.outage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives the relationship audit as {@code ./mc audit} does: {@code POST /admin/governance/audit}, one step each (at
 * most the service's {@code step-budget}), 202 while shards remain, 200 once the run is complete, 409 while another
 * step of the run holds its lease (asked again a second later). Each step's answer carries the run's totals.
 */
final class AuditSteps {

    /** A step's answer can take the step budget (3 s) and the request deadline's margin. */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the run had done after one step (its totals: the run's, not the step's). */
    record Step(
            int status,
            String runId,
            int shardsDone,
            int shards,
            long steps,
            long members,
            long entries,
            long anomaliesSeen,
            long repaired) {

        boolean done() {
            return status == 200;
        }

        long rows() {
            return members + entries;
        }
    }

    /** The run so far: its last step, and how long steps ran (the time between slices left out). */
    record Progress(Step last, long activeNanos) {

        static final Progress NONE = new Progress(null, 0);

        boolean done() {
            return last != null && last.done();
        }

        Progress plus(Step step, long nanos) {
            return new Progress(step == null ? last : step, activeNanos + nanos);
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final URI audit;
    private final String authorization;

    AuditSteps(int port, String adminKey) {
        this.audit = URI.create("http://127.0.0.1:" + port + "/admin/governance/audit");
        this.authorization = "Bearer " + adminKey;
    }

    /**
     * Steps the run until it is complete or {@code deadlineNanos} has passed (no step starts after it; the one
     * running then is let finish); returns the progress with this call's stepping time added.
     */
    Progress stepUntil(long deadlineNanos, Progress before) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Step last = null;
        while (System.nanoTime() < deadlineNanos) {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(audit)
                            .timeout(STEP_TIMEOUT)
                            .header("Authorization", authorization)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 409) {
                Thread.sleep(1_000);
                continue;
            }
            last = parse(answer.statusCode(), answer.body());
            if (last.done()) break;
        }
        return before.plus(last, System.nanoTime() - start);
    }

    /** A 200 or 202 answer; anything else is an error of the run, with the service's problem text. */
    static Step parse(int status, String body) {
        if (status != 200 && status != 202) {
            throw new IllegalStateException("audit step failed (" + status + "): " + body);
        }
        JsonNode json = JSON.readTree(body);
        return new Step(
                status,
                json.path("runId").asString(""),
                json.path("shardsDone").asInt(),
                json.path("shards").asInt(),
                json.path("steps").asLong(),
                json.path("examined").path("members").asLong(),
                json.path("examined").path("entries").asLong(),
                json.path("anomaliesSeen").asLong(),
                json.path("repaired").asLong());
    }
}
