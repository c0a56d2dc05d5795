package io.membercenter.bench.naive;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP side: WebMvc.fn routes for the subset of API.md the naive service has (create, get by id, get by
 * mobile, patch of nickname/level/status, batch-get), one table call each, and bearer keys checked against a set.
 */
final class NaiveMemberRoutes {

    static final String SOURCE_HEADER = "X-Member-Source";
    /** Every answer comes from the one database; the naive service has no second data center. */
    private static final String SOURCE = "db@A";

    private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final MediaType MERGE_PATCH_JSON = MediaType.valueOf("application/merge-patch+json");
    private static final int MAX_BATCH = 100;

    private static final Pattern MOBILE = Pattern.compile("\\+[1-9][0-9]{7,14}");
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9_-]{1,32}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[!-~]{1,128}");
    private static final Pattern MEMBER_ID = Pattern.compile("[0-9]{1,19}");
    private static final Set<String> LEVELS = Set.of("NORMAL", "SILVER", "GOLD", "PLATINUM", "DIAMOND");
    private static final Set<String> STATUSES = Set.of("ACTIVE", "FROZEN", "CLOSED");
    private static final Set<String> CREATE_FIELDS =
            Set.of("mobile", "email", "nickname", "level", "status", "identities");
    private static final Set<String> PATCH_FIELDS = Set.of("nickname", "level", "status");

    private static final Logger log = LoggerFactory.getLogger(NaiveMemberRoutes.class);

    private final NaiveMemberTable table;
    private final Set<String> authorizations;
    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** Naive ids: a counter started at the clock's microseconds, far above the seed population's ids. */
    private final AtomicLong lastMemberId = new AtomicLong(System.currentTimeMillis() * 1_000);

    private NaiveMemberRoutes(NaiveMemberTable table, Set<String> apiKeys) {
        this.table = table;
        this.authorizations = apiKeys.stream().map(key -> "Bearer " + key).collect(Collectors.toUnmodifiableSet());
    }

    static RouterFunction<ServerResponse> routes(NaiveMemberTable table, Set<String> apiKeys) {
        NaiveMemberRoutes routes = new NaiveMemberRoutes(table, apiKeys);
        return RouterFunctions.route()
                .POST("/v1/members/batch-get", routes::batchGet)
                .POST("/v1/members", routes::create)
                .GET("/v1/members/by-mobile/{mobile}", routes::byMobile)
                .GET("/v1/members/{memberId}", routes::get)
                .PATCH("/v1/members/{memberId}", routes::patch)
                .filter(routes.authentication())
                .onError(e -> true, routes::problem)
                .build();
    }

    // ---------------------------------------------------------------- handlers

    private ServerResponse create(ServerRequest request) throws Exception {
        JsonNode body = body(request, false);
        onlyFields(body, CREATE_FIELDS);
        String mobile = text(body, "mobile");
        if (mobile != null) mobile = mobile(mobile, "mobile");
        String email = text(body, "email");
        if (email != null) {
            if (email.length() > 254 || !EMAIL.matcher(email).matches())
                throw Problem.invalidField("email", "must be an e-mail address");
            email = email.toLowerCase(Locale.ROOT);
        }
        String nickname = text(body, "nickname");
        if (nickname != null) nickname(nickname);
        String level = oneOf(body, "level", LEVELS, "NORMAL");
        String status = oneOf(body, "status", STATUSES, "ACTIVE");
        List<NaiveMember.Identity> identities = identities(body.get("identities"));
        if (mobile == null && email == null && identities.isEmpty()) {
            throw Problem.invalidField("mobile", "a member needs at least one of mobile, email or identities");
        }
        long now = System.currentTimeMillis();
        NaiveMember member = new NaiveMember(
                lastMemberId.incrementAndGet(), mobile, email, nickname, level, status, identities, 1, now, now);
        try {
            table.insert(member);
        } catch (DuplicateKeyException e) {
            throw conflict(e, member);
        }
        return ServerResponse.created(URI.create("/v1/members/" + member.memberId()))
                .eTag(member.etag())
                .header(SOURCE_HEADER, SOURCE)
                .body(member.json());
    }

    private ServerResponse get(ServerRequest request) {
        long memberId = memberId(request.pathVariable("memberId"));
        return found(table.byId(memberId).orElseThrow(() -> Problem.notFound("No member " + memberId + ".")));
    }

    private ServerResponse byMobile(ServerRequest request) {
        String mobile = mobile(request.pathVariable("mobile"), "mobile");
        return found(table.byMobile(mobile).orElseThrow(() -> Problem.notFound("No member has this mobile.")));
    }

    /** A merge patch of nickname, level and status: one UPDATE that bumps the version, then a SELECT. */
    private ServerResponse patch(ServerRequest request) throws Exception {
        long memberId = memberId(request.pathVariable("memberId"));
        JsonNode body = body(request, true);
        onlyFields(body, PATCH_FIELDS);
        List<String> columns = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (body.has("nickname")) {
            String nickname = text(body, "nickname");
            if (nickname != null) nickname(nickname);
            columns.add("nickname");
            values.add(nickname);
        }
        if (body.has("level")) {
            columns.add("level");
            values.add(oneOf(body, "level", LEVELS, null));
        }
        if (body.has("status")) {
            columns.add("status");
            values.add(oneOf(body, "status", STATUSES, null));
        }
        // An empty patch changes nothing, so it does not bump the version either.
        if (!columns.isEmpty() && !table.update(memberId, columns, values, System.currentTimeMillis())) {
            throw Problem.notFound("No member " + memberId + ".");
        }
        NaiveMember member = table.byId(memberId).orElseThrow(() -> Problem.notFound("No member " + memberId + "."));
        return ServerResponse.ok()
                .eTag(member.etag())
                .header(SOURCE_HEADER, SOURCE)
                .body(member.json());
    }

    private ServerResponse batchGet(ServerRequest request) throws Exception {
        JsonNode body = body(request, false);
        onlyFields(body, Set.of("memberIds"));
        JsonNode ids = body.get("memberIds");
        if (ids == null || !ids.isArray()) throw Problem.invalidField("memberIds", "must be an array of member ids");
        if (ids.isEmpty() || ids.size() > MAX_BATCH) {
            throw Problem.invalidField("memberIds", "must hold 1 to " + MAX_BATCH + " ids, got " + ids.size());
        }
        Set<Long> wanted = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (!id.isString() && !id.isIntegralNumber()) {
                throw Problem.invalidField("memberIds[" + i + "]", "must be a member id (a positive decimal number)");
            }
            wanted.add(memberId(id.asString(), "memberIds[" + i + "]"));
        }
        Map<Long, NaiveMember> byId =
                table.byIds(wanted).stream().collect(Collectors.toMap(NaiveMember::memberId, Function.identity()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(
                "items",
                wanted.stream()
                        .filter(byId::containsKey)
                        .map(id -> byId.get(id).json())
                        .toList());
        answer.put(
                "missing",
                wanted.stream()
                        .filter(id -> !byId.containsKey(id))
                        .map(String::valueOf)
                        .toList());
        return ServerResponse.ok().header(SOURCE_HEADER, SOURCE).body(answer);
    }

    // ---------------------------------------------------------------- cross-cutting

    private HandlerFilterFunction<ServerResponse, ServerResponse> authentication() {
        return (request, next) -> {
            String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
            if (authorization == null || !authorizations.contains(authorization)) {
                Problem problem = Problem.unauthorized();
                return problemResponse(problem)
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                        .body(problem.body());
            }
            return next.handle(request);
        };
    }

    private ServerResponse problem(Throwable error, ServerRequest request) {
        Problem problem = switch (error) {
            case Problem p -> p;
            default -> {
                log.warn("{} {} failed", request.method(), request.path(), error);
                yield Problem.internal();
            }
        };
        return problemResponse(problem).body(problem.body());
    }

    private static ServerResponse.BodyBuilder problemResponse(Problem problem) {
        return ServerResponse.status(problem.status()).contentType(PROBLEM_JSON);
    }

    private static ServerResponse found(NaiveMember member) {
        return ServerResponse.ok()
                .eTag(member.etag())
                .header(SOURCE_HEADER, SOURCE)
                .body(member.json());
    }

    // ---------------------------------------------------------------- reading and checking requests

    private JsonNode body(ServerRequest request, boolean patch) throws Exception {
        MediaType type;
        try {
            type = request.headers().contentType().orElse(null);
        } catch (InvalidMediaTypeException e) {
            type = null;
        }
        boolean json = type != null
                && (MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
                        || patch && MERGE_PATCH_JSON.equalsTypeAndSubtype(type));
        if (!json) {
            throw Problem.unsupportedMediaType(
                    patch ? "application/merge-patch+json or application/json" : "application/json");
        }
        byte[] bytes = request.body(byte[].class);
        if (bytes.length == 0) throw Problem.badRequest("The request needs a JSON body.");
        JsonNode node;
        try {
            node = this.json.readTree(bytes);
        } catch (JacksonException e) {
            throw Problem.badRequest("The body is not valid JSON.");
        }
        if (node == null || !node.isObject()) throw Problem.badRequest("The body must be a JSON object.");
        return node;
    }

    private static void onlyFields(JsonNode body, Set<String> allowed) {
        for (String name : body.propertyNames()) {
            if (!allowed.contains(name)) throw Problem.invalidField(name, "unknown or read-only field");
        }
    }

    /** The string value of a field, null if absent or null. */
    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isString()) throw Problem.invalidField(field, "must be a string");
        return value.asString();
    }

    private static String oneOf(JsonNode body, String field, Set<String> allowed, String otherwise) {
        JsonNode value = body.get(field);
        if (value == null && otherwise != null) return otherwise;
        if (value == null || !value.isString() || !allowed.contains(value.asString())) {
            throw Problem.invalidField(
                    field, "must be one of " + allowed.stream().sorted().toList());
        }
        return value.asString();
    }

    private static String mobile(String value, String field) {
        if (!MOBILE.matcher(value).matches()) throw Problem.invalidField(field, "must be E.164: '+' and 8-15 digits");
        return value;
    }

    private static void nickname(String value) {
        int codePoints = value.codePointCount(0, value.length());
        if (codePoints < 1 || codePoints > 64) throw Problem.invalidField("nickname", "must be 1-64 characters");
    }

    private static List<NaiveMember.Identity> identities(JsonNode value) {
        if (value == null || value.isNull()) return List.of();
        if (!value.isArray()) throw Problem.invalidField("identities", "must be an array of {platform, externalId}");
        Set<NaiveMember.Identity> identities = new LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String field = "identities[" + i + "]";
            if (!item.isObject()) throw Problem.invalidField(field, "must be an object {platform, externalId}");
            onlyFields(item, Set.of("platform", "externalId"));
            String platform = text(item, "platform");
            String externalId = text(item, "externalId");
            if (platform == null || !PLATFORM.matcher(platform).matches()) {
                throw Problem.invalidField(field + ".platform", "must be 1-32 characters of [a-z0-9_-]");
            }
            if (externalId == null || !EXTERNAL_ID.matcher(externalId).matches()) {
                throw Problem.invalidField(
                        field + ".externalId", "must be 1-128 printable ASCII characters without space");
            }
            if (!identities.add(new NaiveMember.Identity(platform, externalId))) {
                throw Problem.invalidField(field, "the same identity is listed twice");
            }
        }
        return List.copyOf(identities);
    }

    private static long memberId(String text) {
        return memberId(text, "memberId");
    }

    private static long memberId(String text, String field) {
        if (text != null && MEMBER_ID.matcher(text).matches()) {
            try {
                long id = Long.parseLong(text);
                if (id > 0) return id;
            } catch (NumberFormatException e) {
                // 19 digits above Long.MAX_VALUE: not an id
            }
        }
        throw Problem.invalidField(field, "must be a positive decimal number");
    }

    /** Which unique key refused the row, told by the key's name in MariaDB's message. */
    private static Problem conflict(DuplicateKeyException e, NaiveMember member) {
        String message = String.valueOf(e.getMostSpecificCause().getMessage());
        if (message.contains("naive_member_email")) return Problem.conflict("EMAIL", maskEmail(member.email()));
        if (message.contains("naive_member_mobile")) return Problem.conflict("MOBILE", maskMobile(member.mobile()));
        throw e; // the primary key: an id the naive generator handed out twice
    }

    /** '+', at most the first 5 and the last 4 digits, at least 4 hidden: +86138****8000. */
    static String maskMobile(String mobile) {
        String digits = mobile.substring(1);
        int shown = Math.max(0, Math.min(5, digits.length() - 8));
        int hidden = digits.length() - shown - 4;
        return "+" + digits.substring(0, shown) + "*".repeat(hidden) + digits.substring(digits.length() - 4);
    }

    /** The first character of the local part and the whole domain: l***@example.com. */
    static String maskEmail(String email) {
        int at = email.indexOf('@');
        return email.charAt(0) + "***" + email.substring(at);
    }
}
