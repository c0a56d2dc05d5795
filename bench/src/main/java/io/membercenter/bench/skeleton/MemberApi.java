package io.membercenter.bench.skeleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two calls of the skeleton over real HTTP/1.1 with keep-alive (java.net.http: in the JDK, pools its
 * connections, and blocking sends suit both platform and virtual threads). A status other than the expected
 * one is an error of the request.
 */
final class MemberApi {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final URI members;
    private final String authorization;
    private final MobileNumbers mobiles;

    MemberApi(int port, String apiKey, MobileNumbers mobiles) {
        this.members = URI.create("http://127.0.0.1:" + port + "/v1/members");
        this.authorization = "Bearer " + apiKey;
        this.mobiles = mobiles;
    }

    /** POST /v1/members with a mobile never used before; returns the new member's id. */
    long create() throws IOException, InterruptedException {
        String body = "{\"mobile\":\"" + mobiles.next() + "\",\"nickname\":\"bench\"}";
        HttpRequest request = HttpRequest.newBuilder(members)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        expect(201, response);
        // The Location header (/v1/members/{id}) names the member without parsing the JSON body.
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new IOException("201 without a Location header"));
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    /** GET /v1/members/{memberId}; the body is read to its end and discarded. */
    void get(long memberId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(members + "/" + memberId))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .GET()
                .build();
        expect(200, http.send(request, HttpResponse.BodyHandlers.discarding()));
    }

    private static void expect(int status, HttpResponse<?> response) throws UnexpectedStatus {
        if (response.statusCode() != status) {
            throw new UnexpectedStatus(response.request().method() + " " + response.uri().getPath(),
                    response.statusCode(), status);
        }
    }

    /** The service answered, but not what the call expects. */
    static final class UnexpectedStatus extends IOException {
        private final int status;

        UnexpectedStatus(String request, int status, int expected) {
            super(request + " answered " + status + ", expected " + expected);
            this.status = status;
        }

        /** 503: the contract says nothing was written and the caller may retry. */
        boolean isRetryable() {
            return status == 503;
        }
    }

    /** Mobiles unique within a run (the topology starts empty every run): +861 and an 11-digit counter. */
    static final class MobileNumbers {
        private final AtomicLong counter = new AtomicLong();

        String next() {
            return "+861" + String.format("%011d", counter.incrementAndGet());
        }
    }
}
