package io.membercenter.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the real running service, as a calling service would use it. */
public final class ApiClient {

    public static final String ORDER_KEY = "local-order-key";
    public static final String MARKETING_KEY = "local-marketing-key";
    public static final String APP_KEY = "local-app-key";
    public static final String ADMIN_KEY = "local-admin-key";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
            .build();

    private final String base;

    public ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A response with its body parsed as JSON when it is JSON. */
    public record Response(int status, java.net.http.HttpHeaders headers, String text) {
        public JsonNode json() {
            return text == null || text.isEmpty() ? JSON.nullNode() : JSON.readTree(text);
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public String contentType() {
            return header("Content-Type").orElse("");
        }

        public String memberId() {
            return json().path("memberId").asString();
        }

        public long version() {
            return json().path("version").asLong();
        }
    }

    public Request request(String method, String path) {
        return new Request(method, path);
    }

    public Response get(String path, String key) {
        return request("GET", path).key(key).send();
    }

    public Response post(String path, String key, String body) {
        return request("POST", path).key(key).json(body).send();
    }

    public Response post(String path, String key, RequestBody body) {
        return post(path, key, body.json());
    }

    public Response patch(String path, String key, String body) {
        return request("PATCH", path)
                .key(key)
                .body("application/merge-patch+json", body)
                .send();
    }

    public Response patch(String path, String key, RequestBody body) {
        return patch(path, key, body.json());
    }

    public Response delete(String path, String key) {
        return request("DELETE", path).key(key).send();
    }

    /** Creates a member with the app-backend caller and returns the answer (expected 201). */
    public Response create(String body) {
        return post("/v1/members", APP_KEY, body);
    }

    public Response create(RequestBody body) {
        return create(body.json());
    }

    /** Creates a member with a fresh mobile and e-mail; fails the test if that does not answer 201. */
    public Response newMember() {
        Response created = create(RequestBody.create(TestData.mobile(), TestData.email()));
        if (created.status() != 201) {
            throw new AssertionError("create failed: " + created.status() + " " + created.text());
        }
        return created;
    }

    /** A request being built. */
    public final class Request {
        private final String method;
        private final String path;
        private final List<String[]> headers = new ArrayList<>();
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();

        private Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        public Request key(String key) {
            return key == null ? this : header("Authorization", "Bearer " + key);
        }

        public Request header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        public Request json(String text) {
            return body("application/json", text);
        }

        public Request json(RequestBody body) {
            return json(body.json());
        }

        public Request body(String contentType, String text) {
            header("Content-Type", contentType);
            body = HttpRequest.BodyPublishers.ofString(text);
            return this;
        }

        public Request bytes(String contentType, byte[] bytes) {
            header("Content-Type", contentType);
            body = HttpRequest.BodyPublishers.ofByteArray(bytes);
            return this;
        }

        /** Sends with a body of unknown length (chunked transfer encoding). */
        public Response send(HttpRequest.BodyPublisher chunked) {
            body = chunked;
            return send();
        }

        public Response send() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body);
            headers.forEach(h -> builder.header(h[0], h[1]));
            try {
                HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(response.statusCode(), response.headers(), response.body());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
