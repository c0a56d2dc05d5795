package io.membercenter.bench.naive;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.bench.population.SeedMember;
import io.membercenter.bench.population.SeedMembers;
import io.membercenter.topology.LocalTopology;
import io.membercenter.topology.StoreKind;
import io.membercenter.topology.TopologyOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The naive service against a real MariaDB (the master of a DB-only local topology of its own). */
class NaiveMemberServiceTest {

    private static final String KEY = "naive-test-key";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private static LocalTopology topology;
    private static NaiveMemberService service;
    private static Map<Object, Object> systemPropertiesAfterStart;
    private static Map<Object, Object> systemPropertiesBeforeStart;

    @BeforeAll
    static void start() {
        Path workDir = Path.of("target", "naive-topology").toAbsolutePath();
        topology = LocalTopology.start(
                new TopologyOptions(workDir, List.of("member_0", "member_1"), EnumSet.of(StoreKind.DB)));
        systemPropertiesBeforeStart = snapshot(System.getProperties());
        service = NaiveMemberService.start(
                topology.jdbcUrl("mysql-a", "member_0"),
                topology.appUser(),
                topology.appPassword(),
                8,
                Set.of(KEY, "other-key"));
        systemPropertiesAfterStart = snapshot(System.getProperties());
    }

    @AfterAll
    static void stop() {
        if (service != null) service.close();
        if (topology != null) topology.close();
    }

    @Test
    void aCreatedMemberIsReadByIdAndMobileEachPatchBumpsTheVersionAndBatchGetListsTheMissing() throws Exception {
        HttpResponse<String> created = send("POST", "/v1/members", """
                {"mobile": "+8613800138000", "email": "Li.Lei@Example.com", "nickname": "Li Lei",
                 "identities": [{"platform": "wechat", "externalId": "o6_bmjrPTlm6"}]}""", "application/json", KEY);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode member = JSON.readTree(created.body());
        String id = member.get("memberId").asString();
        assertThat(created.headers().firstValue("Location")).hasValue("/v1/members/" + id);
        assertThat(created.headers().firstValue("ETag")).hasValue("\"1\"");
        assertThat(member.get("mobile").asString()).isEqualTo("+8613800138000");
        assertThat(member.get("email").asString()).isEqualTo("li.lei@example.com");
        assertThat(member.get("nickname").asString()).isEqualTo("Li Lei");
        assertThat(member.get("level").asString()).isEqualTo("NORMAL");
        assertThat(member.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(member.get("identities").toString())
                .isEqualTo("[{\"platform\":\"wechat\",\"externalId\":\"o6_bmjrPTlm6\"}]");
        assertThat(member.get("version").asLong()).isEqualTo(1);
        assertThat(Instant.parse(member.get("createdAt").asString()))
                .isEqualTo(Instant.parse(member.get("updatedAt").asString()));

        HttpResponse<String> byId = get("/v1/members/" + id);
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(byId.body())).isEqualTo(member);
        assertThat(byId.headers().firstValue("X-Member-Source")).hasValue("db@A");

        HttpResponse<String> byMobile = get("/v1/members/by-mobile/%2B8613800138000");
        assertThat(byMobile.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(byMobile.body())).isEqualTo(member);
        assertThat(get("/v1/members/by-mobile/+8613800138000").statusCode()).isEqualTo(200);

        HttpResponse<String> patched = send(
                "PATCH",
                "/v1/members/" + id,
                "{\"nickname\": \"Han Meimei\", \"level\": \"GOLD\"}",
                "application/merge-patch+json",
                KEY);
        assertThat(patched.statusCode()).isEqualTo(200);
        JsonNode after = JSON.readTree(patched.body());
        assertThat(after.get("version").asLong()).isEqualTo(2);
        assertThat(after.get("nickname").asString()).isEqualTo("Han Meimei");
        assertThat(after.get("level").asString()).isEqualTo("GOLD");
        assertThat(after.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(after.get("mobile").asString()).isEqualTo("+8613800138000");
        assertThat(patched.headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(JSON.readTree(get("/v1/members/" + id).body())).isEqualTo(after);
        // application/json is accepted for patches too; an empty patch changes nothing
        HttpResponse<String> status =
                send("PATCH", "/v1/members/" + id, "{\"status\": \"FROZEN\"}", "application/json", KEY);
        assertThat(JSON.readTree(status.body()).get("version").asLong()).isEqualTo(3);
        assertThat(JSON.readTree(send("PATCH", "/v1/members/" + id, "{}", "application/json", KEY)
                                .body())
                        .get("version")
                        .asLong())
                .isEqualTo(3);

        HttpResponse<String> batch = send(
                "POST",
                "/v1/members/batch-get",
                "{\"memberIds\": [\"" + id + "\", \"999\", " + id + "]}",
                "application/json",
                KEY);
        assertThat(batch.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(batch.body());
        assertThat(answer.get("items")).hasSize(1);
        assertThat(answer.get("items").get(0).get("memberId").asString()).isEqualTo(id);
        assertThat(answer.get("items").get(0).get("version").asLong()).isEqualTo(3);
        assertThat(answer.get("missing").toString()).isEqualTo("[\"999\"]");
    }

    @Test
    void answersProblemsForMissingInvalidUnauthorizedAndConflicting() throws Exception {
        assertProblem(get("/v1/members/12345"), 404);
        assertProblem(get("/v1/members/by-mobile/%2B8613999999999"), 404);
        assertProblem(send("PATCH", "/v1/members/12345", "{\"nickname\": \"x\"}", "application/json", KEY), 404);

        assertProblem(create("{\"mobile\": \"13800138000\"}"), 400);
        assertProblem(create("{\"mobile\": \"+0123456789\"}"), 400);
        assertProblem(create("{\"nickname\": \"nobody\"}"), 400);
        assertProblem(create("{\"mobile\": \"+8613700000001\", \"level\": \"BRONZE\"}"), 400);
        assertProblem(create("{\"mobile\": \"+8613700000001\", \"unknown\": 1}"), 400);
        assertProblem(create("{\"mobile\": "), 400);
        assertProblem(send("POST", "/v1/members", "{\"mobile\": \"+8613700000001\"}", "text/plain", KEY), 415);
        assertProblem(get("/v1/members/by-mobile/12345"), 400);
        assertProblem(get("/v1/members/abc"), 400);
        assertProblem(send("POST", "/v1/members/batch-get", "{\"memberIds\": []}", "application/json", KEY), 400);
        String tooMany = IntStream.rangeClosed(1, 101)
                .mapToObj(Integer::toString)
                .toList()
                .toString();
        assertProblem(
                send("POST", "/v1/members/batch-get", "{\"memberIds\": " + tooMany + "}", "application/json", KEY),
                400);

        assertProblem(send("GET", "/v1/members/12345", null, null, null), 401);
        assertProblem(send("GET", "/v1/members/12345", null, null, "wrong-key"), 401);
        assertProblem(send("POST", "/v1/members", "{\"mobile\": \"+8613700000002\"}", "application/json", null), 401);
        assertThat(send("GET", "/v1/members/12345", null, null, "other-key").statusCode())
                .isEqualTo(404);

        HttpResponse<String> first = create("{\"mobile\": \"+8613700000003\", \"email\": \"dup@example.com\"}");
        assertThat(first.statusCode()).isEqualTo(201);
        HttpResponse<String> sameMobile = create("{\"mobile\": \"+8613700000003\"}");
        assertProblem(sameMobile, 409);
        assertThat(JSON.readTree(sameMobile.body()).get("identifier").toString())
                .isEqualTo("{\"type\":\"MOBILE\",\"value\":\"+86137****0003\"}");
        HttpResponse<String> sameEmail = create("{\"mobile\": \"+8613700000004\", \"email\": \"DUP@example.com\"}");
        assertProblem(sameEmail, 409);
        assertThat(JSON.readTree(sameEmail.body()).get("identifier").get("type").asString())
                .isEqualTo("EMAIL");
        // nothing of the refused creates was written
        assertProblem(get("/v1/members/by-mobile/%2B8613700000004"), 404);
    }

    @Test
    void loadsThePopulationInConcurrentChunksAndServesIt() throws Exception {
        int members = 3_000;
        try (ExecutorService loaders = Executors.newFixedThreadPool(3)) {
            List<Future<?>> loads = new ArrayList<>();
            for (int from = 0; from < members; from += 1_000) {
                List<SeedMember> chunk = IntStream.range(from, from + 1_000)
                        .mapToObj(SeedMembers::member)
                        .toList();
                loads.add(loaders.submit(() -> service.load(chunk)));
            }
            for (Future<?> load : loads) load.get();
        }
        service.load(IntStream.range(0, 1_000).mapToObj(SeedMembers::member).toList()); // again: ignored

        for (int index : new int[] {0, 1, 49, 1_234, 2_999}) {
            SeedMember seed = SeedMembers.member(index);
            JsonNode byId = JSON.readTree(get("/v1/members/" + seed.memberId()).body());
            assertSeedMember(byId, seed);
            HttpResponse<String> byMobile =
                    get("/v1/members/by-mobile/" + seed.mobile().replace("+", "%2B"));
            assertThat(byMobile.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(byMobile.body())).isEqualTo(byId);
        }
        List<String> ids = IntStream.range(2_950, 3_000)
                .mapToObj(i -> "\"" + SeedMembers.memberId(i) + "\"")
                .toList();
        JsonNode batch = JSON.readTree(
                send("POST", "/v1/members/batch-get", "{\"memberIds\": " + ids + "}", "application/json", KEY)
                        .body());
        assertThat(batch.get("items")).hasSize(50);
        assertThat(batch.get("missing")).isEmpty();
    }

    @Test
    void concurrentPatchesOfOneMemberEachBumpTheVersion() throws Exception {
        HttpResponse<String> created = create("{\"mobile\": \"+8613600000001\", \"nickname\": \"hot\"}");
        String id = JSON.readTree(created.body()).get("memberId").asString();
        int threads = 16;
        int patchesEach = 10;
        List<Future<List<Integer>>> results = new ArrayList<>();
        try (ExecutorService patchers = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(patchers.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < patchesEach; i++) {
                        statuses.add(send(
                                        "PATCH",
                                        "/v1/members/" + id,
                                        "{\"nickname\": \"n-" + thread + "-" + i + "\"}",
                                        "application/merge-patch+json",
                                        KEY)
                                .statusCode());
                    }
                    return statuses;
                }));
            }
        }
        for (Future<List<Integer>> result : results) {
            assertThat(result.get()).containsOnly(200);
        }
        JsonNode member = JSON.readTree(get("/v1/members/" + id).body());
        assertThat(member.get("version").asLong()).isEqualTo(1L + threads * patchesEach);
        assertThat(member.get("nickname").asString()).startsWith("n-");
    }

    /** What the real service's component scan of io.membercenter would find in this package: nothing. */
    @Test
    void hasNothingForAComponentScanToPickUp() {
        var scanner = new ClassPathScanningCandidateComponentProvider(true);
        assertThat(scanner.findCandidateComponents(NaiveMemberService.class.getPackageName()))
                .isEmpty();
    }

    @Test
    void leavesSystemPropertiesAsTheyWere() {
        Map<Object, Object> changed = new HashMap<>(systemPropertiesAfterStart);
        changed.entrySet().removeAll(systemPropertiesBeforeStart.entrySet());
        assertThat(changed).isEmpty();
        assertThat(systemPropertiesBeforeStart.keySet()).isSubsetOf(systemPropertiesAfterStart.keySet());
    }

    @Test
    void runsNeitherActuatorNorMetrics() throws Exception {
        assertThat(NaiveMemberService.excludedAutoConfigurations())
                .anyMatch(name -> name.contains(".actuate."))
                .anyMatch(name -> name.endsWith("MetricsAutoConfiguration"))
                .noneMatch(NaiveMemberService.AUTO_CONFIGURATIONS::contains);
        assertThat(send("GET", "/actuator/health", null, null, KEY).statusCode())
                .isEqualTo(404);
    }

    private static void assertSeedMember(JsonNode json, SeedMember seed) {
        assertThat(json.get("memberId").asString()).isEqualTo(Long.toString(seed.memberId()));
        assertThat(json.get("mobile").asString()).isEqualTo(seed.mobile());
        assertThat(json.get("email").asString()).isEqualTo(seed.email());
        assertThat(json.get("nickname").asString()).isEqualTo(seed.nickname());
        assertThat(json.get("level").asString()).isEqualTo(seed.level());
        assertThat(json.get("status").asString()).isEqualTo(seed.status());
        assertThat(json.get("version").asLong()).isEqualTo(1);
        assertThat(Instant.parse(json.get("createdAt").asString()).toEpochMilli())
                .isEqualTo(seed.createdAtMillis());
        assertThat(json.get("updatedAt").asString())
                .isEqualTo(json.get("createdAt").asString());
        String identities = seed.identity()
                .map(i -> "[{\"platform\":\"" + i.platform() + "\",\"externalId\":\"" + i.externalId() + "\"}]")
                .orElse("[]");
        assertThat(json.get("identities").toString()).isEqualTo(identities);
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
    }

    private static HttpResponse<String> create(String body) throws Exception {
        return send("POST", "/v1/members", body, "application/json", KEY);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, null, KEY);
    }

    private static HttpResponse<String> send(String method, String path, String body, String contentType, String key)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) request.header("Content-Type", contentType);
        if (key != null) request.header("Authorization", "Bearer " + key);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<Object, Object> snapshot(Properties properties) {
        return new HashMap<>(properties);
    }
}
