package io.membercenter.bench.api;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The member API's calls over real HTTP/1.1 with keep-alive (java.net.http: in the JDK, pools its connections,
 * and blocking sends suit both platform and virtual threads). The same client drives member-center and the
 * naive service, which serve the same contract. A status other than the expected one is an error of the
 * request; bodies are read to their end and discarded.
 */
public final class MemberApi {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final String SOURCE_HEADER = "X-Member-Source";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final URI members;
    private final String authorization;
    private final MobileNumbers mobiles;

    public MemberApi(int port, String apiKey, MobileNumbers mobiles) {
        this.members = URI.create("http://127.0.0.1:" + port + "/v1/members");
        this.authorization = "Bearer " + apiKey;
        this.mobiles = mobiles;
    }

    /** The same server as another caller. */
    public MemberApi as(String apiKey) {
        return new MemberApi(members.getPort(), apiKey, mobiles);
    }

    /** POST /v1/members with a mobile never used before; returns the new member's id. */
    public long create() throws IOException, InterruptedException {
        String body = "{\"mobile\":\"" + mobiles.next() + "\",\"nickname\":\"bench\"}";
        HttpResponse<Void> response = send(post(members, body), 201);
        // The Location header (/v1/members/{id}) names the member without parsing the JSON body.
        String location = response.headers()
                .firstValue("Location")
                .orElseThrow(() -> new IOException("201 without a Location header"));
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    /** GET /v1/members/{memberId}; returns what answered ({@code X-Member-Source}, empty if the server says nothing). */
    public String get(long memberId) throws IOException, InterruptedException {
        return source(send(get(URI.create(members + "/" + memberId)), 200));
    }

    /** GET /v1/members/by-mobile/{mobile}; returns what answered. */
    public String byMobile(String mobile) throws IOException, InterruptedException {
        return source(send(
                get(URI.create(members + "/by-mobile/" + URLEncoder.encode(mobile, StandardCharsets.UTF_8))), 200));
    }

    /** PATCH /v1/members/{memberId} with a merge patch; returns the new version (from the ETag, {@code "<version>"}). */
    public long patch(long memberId, String mergePatch) throws IOException, InterruptedException {
        HttpResponse<Void> response = send(
                HttpRequest.newBuilder(URI.create(members + "/" + memberId))
                        .timeout(REQUEST_TIMEOUT)
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/merge-patch+json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(mergePatch))
                        .build(),
                200);
        return response.headers()
                .firstValue("ETag")
                .map(tag -> Long.parseLong(tag.replace("\"", "").replace("W/", "")))
                .orElse(0L);
    }

    /** POST /v1/members/batch-get. */
    public void batchGet(long... memberIds) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder("{\"memberIds\":[");
        for (int i = 0; i < memberIds.length; i++) {
            body.append(i == 0 ? "\"" : ",\"").append(memberIds[i]).append('"');
        }
        send(post(URI.create(members + "/batch-get"), body.append("]}").toString()), 200);
    }

    /** POST /v1/members/search with a filter body; returns what answered. */
    public String search(String filter) throws IOException, InterruptedException {
        return source(send(post(URI.create(members + "/search"), filter), 200));
    }

    private HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .GET()
                .build();
    }

    private HttpRequest post(URI uri, String json) {
        return HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private HttpResponse<Void> send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != expected) {
            throw new UnexpectedStatus(
                    request.method() + " " + request.uri().getPath(), response.statusCode(), expected);
        }
        return response;
    }

    private static String source(HttpResponse<?> response) {
        return response.headers().firstValue(SOURCE_HEADER).orElse("");
    }

    /** The service answered, but not what the call expects. */
    public static final class UnexpectedStatus extends IOException {
        private final int status;

        UnexpectedStatus(String request, int status, int expected) {
            super(request + " answered " + status + ", expected " + expected);
            this.status = status;
        }

        /** 503: the contract says nothing was written and the caller may retry. */
        public boolean isRetryable() {
            return status == 503;
        }
    }

    /** Mobiles unique within a run and never in the seed population (+8617...): +861 and an 11-digit counter. */
    public static final class MobileNumbers {
        private final AtomicLong counter;

        public MobileNumbers() {
            this(0);
        }

        /** Starting after {@code first}, so two runs against one database never reuse a mobile. */
        public MobileNumbers(long first) {
            this.counter = new AtomicLong(first);
        }

        public String next() {
            return "+861" + String.format("%011d", counter.incrementAndGet());
        }
    }
}
