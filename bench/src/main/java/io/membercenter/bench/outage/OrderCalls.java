package io.membercenter.bench.outage;

import io.membercenter.bench.outage.Sample.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The ORDER mix's three calls as {@code order-service}, over real HTTP/1.1 with keep-alive, each turned into
 * what its caller would make of it. Unlike the suite's {@code MemberApi}, which throws on any status but the
 * expected one, this keeps the status and the headers an outage is judged by: {@code Retry-After} on a
 * 503 (a clean refusal), {@code X-Member-Stale} on a 200 (an answer that may be old), and {@code X-Member-Source}
 * (who answered: a failover run shows which copy took over from a killed store, and when the store took back).
 */
final class OrderCalls {

    /** Twice the service's request deadline (5 s): a request that takes longer has hung, not been slow. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    static final String SOURCE_HEADER = "X-Member-Source";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final URI members;
    private final String authorization;

    OrderCalls(int port, String apiKey) {
        this.members = URI.create("http://127.0.0.1:" + port + "/v1/members");
        this.authorization = "Bearer " + apiKey;
    }

    /** What came back: the status (0: no answer), its meaning, and who answered (empty: not said). */
    record Answer(int status, Outcome outcome, String source) {

        static final Answer NONE = new Answer(Sample.NO_ANSWER, Outcome.FAILED);

        Answer(int status, Outcome outcome) {
            this(status, outcome, "");
        }
    }

    Answer getById(long memberId) {
        return send(request(URI.create(members + "/" + memberId)).GET().build());
    }

    Answer byMobile(String mobile) {
        return send(request(URI.create(members + "/by-mobile/" + URLEncoder.encode(mobile, StandardCharsets.UTF_8)))
                .GET()
                .build());
    }

    Answer patch(long memberId, String mergePatch) {
        return send(request(URI.create(members + "/" + memberId))
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(mergePatch))
                .build());
    }

    /** {@code POST /v1/members/batch-get} (the DEFAULT mix of {@code ./mc bench audit}). */
    Answer batchGet(String body) {
        return send(request(URI.create(members + "/batch-get"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** {@code POST /v1/members}: a registration, a success when answered 201. */
    Answer create(String body) {
        return send(
                request(members)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                201);
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Authorization", authorization);
    }

    private Answer send(HttpRequest request) {
        return send(request, 200);
    }

    /** {@code success}: the status that means it worked (200, or 201 for a create), read as a 200 would be. */
    private Answer send(HttpRequest request, int success) {
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            boolean retryAfter = response.headers().firstValue("Retry-After").isPresent();
            boolean stale = response.headers()
                    .firstValue("X-Member-Stale")
                    .map("true"::equalsIgnoreCase)
                    .orElse(false);
            return new Answer(
                    response.statusCode(),
                    Outcome.of(response.statusCode() == success ? 200 : response.statusCode(), retryAfter, stale),
                    response.headers().firstValue(SOURCE_HEADER).orElse(""));
        } catch (IOException e) {
            // A timeout, a refused or reset connection: the caller got nothing.
            return Answer.NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.NONE;
        }
    }
}
