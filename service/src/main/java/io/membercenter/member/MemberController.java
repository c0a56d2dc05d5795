package io.membercenter.member;

import io.membercenter.api.BadRequestException;
import io.membercenter.api.NotFoundException;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The /v1 member API of the contract (shared/API.md); HTTP only, the work is in {@link MemberService}. */
@RestController
@RequestMapping("/v1/members")
final class MemberController {

    private static final String SOURCE_HEADER = "X-Member-Source";
    /** On an answer that may be older than an acknowledged write (see the consistency promise in API.md). */
    private static final String STALE_HEADER = "X-Member-Stale";

    private static final Set<String> JSON_TYPES = Set.of("application/json", "application/merge-patch+json");
    private static final java.util.regex.Pattern IDEMPOTENCY_KEY = java.util.regex.Pattern.compile("[!-~]{1,255}");
    private static final java.util.regex.Pattern IF_MATCH =
            java.util.regex.Pattern.compile("(?:W/)?\"?([0-9]{1,18})\"?");

    private final MemberService members;
    /** The migration's gray read switch, when a migration is configured (reads by id only). */
    private final Optional<MemberReadRoute> route;

    private final JsonMapper json;
    private final JsonMapper strictJson;

    MemberController(MemberService members, JsonMapper json, Optional<MemberReadRoute> route) {
        this.route = route;
        this.members = members;
        this.json = json;
        // Duplicate keys are refused, not "last one wins": a caller (or something between it and us) that
        // sends two values for one field must learn which one we would have taken — none.
        this.strictJson = json.rebuild()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    @PostMapping
    ResponseEntity<?> create(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestBody(required = false) byte[] body)
            throws HttpMediaTypeNotSupportedException {
        caller.require(Scope.MEMBER_WRITE);
        MemberRequests.NewMember request = MemberRequests.newMember(parse(body, contentType, false));
        if (idempotencyKey == null) {
            return created(caller, members.create(request));
        }
        if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw BadRequestException.field("Idempotency-Key", "must be 1-255 printable ASCII characters");
        }
        return switch (members.createIdempotent(
                caller.name(),
                idempotencyKey,
                request,
                member -> json.writeValueAsString(MemberView.of(member, caller.has(Scope.PII_READ))))) {
            case MemberService.NewlyCreated fresh -> created(caller, fresh.member());
            case MemberService.Replayed replay -> replayed(replay);
        };
    }

    @GetMapping("/{memberId}")
    ResponseEntity<MemberView> get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String memberId) {
        caller.require(Scope.MEMBER_READ);
        long id = MemberRequests.memberId(memberId);
        MemberLookups.Found found = members.get(id, caller.trafficClass());
        Optional<MemberReadRoute.Routed> routed = route.flatMap(r -> r.route(caller.name(), id, found.member()));
        return routed.isPresent()
                ? found(
                        caller,
                        new MemberLookups.Found(
                                Optional.of(routed.get().member()), routed.get().source()),
                        "")
                : found(caller, found, "No member " + id + ".");
    }

    @GetMapping("/by-mobile/{mobile}")
    ResponseEntity<MemberView> byMobile(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String mobile) {
        caller.require(Scope.MEMBER_READ, Scope.PII_READ);
        IdentifierKey key = IdentifierKey.mobile(MemberRequests.mobile(mobile));
        return found(caller, members.findBy(key, caller.trafficClass()), "No member has this mobile.");
    }

    @GetMapping("/by-email/{email}")
    ResponseEntity<MemberView> byEmail(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String email) {
        caller.require(Scope.MEMBER_READ, Scope.PII_READ);
        IdentifierKey key = IdentifierKey.email(MemberRequests.email(email));
        return found(caller, members.findBy(key, caller.trafficClass()), "No member has this e-mail.");
    }

    @GetMapping("/by-identity/{platform}/{externalId}")
    ResponseEntity<MemberView> byIdentity(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @PathVariable String platform,
            @PathVariable String externalId,
            HttpServletRequest request) {
        caller.require(Scope.MEMBER_READ);
        refuseRawSemicolon(request);
        Member.Identity identity = MemberRequests.identity(platform, externalId);
        IdentifierKey key = IdentifierKey.identity(identity.platform(), identity.externalId());
        return found(caller, members.findBy(key, caller.trafficClass()), "No member has this identity.");
    }

    @PatchMapping("/{memberId}")
    ResponseEntity<MemberView> patch(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @PathVariable String memberId,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestBody(required = false) byte[] body)
            throws HttpMediaTypeNotSupportedException {
        caller.require(Scope.MEMBER_WRITE);
        long id = MemberRequests.memberId(memberId);
        var change = MemberRequests.patch(parse(body, contentType, true));
        return ok(caller, members.patch(id, change, expectedVersion(ifMatch)), HttpStatus.OK);
    }

    @PostMapping("/{memberId}/identities")
    ResponseEntity<MemberView> bind(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @PathVariable String memberId,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestBody(required = false) byte[] body)
            throws HttpMediaTypeNotSupportedException {
        caller.require(Scope.MEMBER_WRITE);
        long id = MemberRequests.memberId(memberId);
        Member.Identity identity = MemberRequests.identity(parse(body, contentType, false));
        MemberService.Bound bound = members.bind(caller.name(), id, identity);
        return ok(caller, bound.member(), bound.changed() ? HttpStatus.CREATED : HttpStatus.OK);
    }

    @DeleteMapping("/{memberId}/identities/{platform}/{externalId}")
    ResponseEntity<Void> unbind(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @PathVariable String memberId,
            @PathVariable String platform,
            @PathVariable String externalId,
            HttpServletRequest request) {
        caller.require(Scope.MEMBER_WRITE);
        refuseRawSemicolon(request);
        long id = MemberRequests.memberId(memberId);
        Member member = members.unbind(id, MemberRequests.identity(platform, externalId));
        return ResponseEntity.noContent()
                .eTag(etag(member))
                .header(SOURCE_HEADER, masterSource())
                .build();
    }

    @PostMapping("/batch-get")
    ResponseEntity<Map<String, Object>> batchGet(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestBody(required = false) byte[] body)
            throws HttpMediaTypeNotSupportedException {
        caller.require(Scope.MEMBER_READ);
        List<Long> ids = MemberRequests.memberIds(parse(body, contentType, false));
        MemberLookups.Batch read = members.batchGet(ids, caller.trafficClass());
        Map<Long, Member> byId = read.members().stream().collect(Collectors.toMap(Member::memberId, m -> m));
        boolean pii = caller.has(Scope.PII_READ);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(
                "items",
                ids.stream()
                        .filter(byId::containsKey)
                        .map(id -> MemberView.of(byId.get(id), pii))
                        .toList());
        answer.put(
                "missing",
                ids.stream()
                        .filter(id -> !byId.containsKey(id))
                        .map(String::valueOf)
                        .toList());
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().header(SOURCE_HEADER, read.source());
        if (read.stale()) ok.header(STALE_HEADER, "true");
        return ok.body(answer);
    }

    @PostMapping("/search")
    ResponseEntity<Map<String, Object>> search(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestBody(required = false) byte[] body)
            throws HttpMediaTypeNotSupportedException {
        caller.require(Scope.MEMBER_READ);
        var filter = MemberRequests.searchFilter(parse(body, contentType, false));
        MemberLookups.SearchResult result = members.search(filter, caller.trafficClass());
        boolean pii = caller.has(Scope.PII_READ);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(
                "items",
                result.members().stream().map(m -> MemberView.of(m, pii)).toList());
        answer.put("next", result.next().map(MemberRequests::cursorOf).orElse(null));
        return ResponseEntity.ok().header(SOURCE_HEADER, result.source()).body(answer);
    }

    // ---------------------------------------------------------------- HTTP helpers

    private JsonNode parse(byte[] body, String contentType, boolean patch) throws HttpMediaTypeNotSupportedException {
        if (body == null || body.length == 0) {
            throw new BadRequestException("The request needs a JSON body.", List.of());
        }
        String type =
                contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!(patch ? JSON_TYPES.contains(type) : type.equals("application/json"))) {
            throw new HttpMediaTypeNotSupportedException(
                    "Send " + (patch ? "application/merge-patch+json or application/json" : "application/json") + ".");
        }
        try {
            return strictJson.readTree(body);
        } catch (JacksonException e) {
            String duplicate = duplicatedKey(e);
            if (duplicate != null) throw BadRequestException.field(duplicate, "is given more than once");
            throw new BadRequestException("The body is not valid JSON.", List.of());
        }
    }

    private static final java.util.regex.Pattern DUPLICATE =
            java.util.regex.Pattern.compile("^Duplicate Object property \"(.*)\"");

    /** The key given twice, from the parser's STRICT_DUPLICATE_DETECTION failure; null for any other failure. */
    private static String duplicatedKey(JacksonException e) {
        if (!(e instanceof StreamReadException) || e.getOriginalMessage() == null) return null;
        var matcher = DUPLICATE.matcher(e.getOriginalMessage());
        return matcher.find() ? matcher.group(1) : null;
    }

    /**
     * Tomcat (and Spring's path matching) treat a raw ';' in a path segment as the start of path parameters
     * and drop it with the rest of the segment, so {@code /by-identity/wechat/ab;cd} would silently become
     * the identity {@code ab}. An identity is refused instead; {@code %3B} is the way to send a ';'.
     */
    private static void refuseRawSemicolon(HttpServletRequest request) {
        String raw = request.getRequestURI();
        if (raw.indexOf(';') < 0) return;
        String[] segments = raw.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (!segments[i].contains(";")) continue;
            String field = i == segments.length - 1 ? "externalId" : i == segments.length - 2 ? "platform" : "path";
            throw BadRequestException.field(field, "must not hold a raw ';' (send it percent-encoded as %3B)");
        }
    }

    private static OptionalLong expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.trim().equals("*")) {
            return OptionalLong.empty();
        }
        var matcher = IF_MATCH.matcher(ifMatch.trim());
        if (!matcher.matches()) {
            throw BadRequestException.field("If-Match", "must be the member's ETag, e.g. \"3\"");
        }
        return OptionalLong.of(Long.parseLong(matcher.group(1)));
    }

    private ResponseEntity<MemberView> found(Caller caller, MemberLookups.Found found, String notFound) {
        Member member = found.member().orElseThrow(() -> new NotFoundException(notFound, answeredBy(found)));
        ResponseEntity.BodyBuilder answer =
                ResponseEntity.ok().eTag(etag(member)).header(SOURCE_HEADER, found.source());
        if (found.stale()) answer.header(STALE_HEADER, "true");
        return answer.body(MemberView.of(member, caller.has(Scope.PII_READ)));
    }

    /** Which copy answered "not found", and whether it may lag: the same headers a found member carries. */
    private static Map<String, String> answeredBy(MemberLookups.Found found) {
        return found.stale()
                ? Map.of(SOURCE_HEADER, found.source(), STALE_HEADER, "true")
                : Map.of(SOURCE_HEADER, found.source());
    }

    private ResponseEntity<MemberView> created(Caller caller, Member member) {
        return ResponseEntity.created(location(member.memberId()))
                .eTag(etag(member))
                .header(SOURCE_HEADER, masterSource())
                .body(MemberView.of(member, caller.has(Scope.PII_READ)));
    }

    private ResponseEntity<MemberView> ok(Caller caller, Member member, HttpStatus status) {
        return ResponseEntity.status(status)
                .eTag(etag(member))
                .header(SOURCE_HEADER, masterSource())
                .body(MemberView.of(member, caller.has(Scope.PII_READ)));
    }

    private ResponseEntity<?> replayed(MemberService.Replayed replay) {
        JsonNode stored = json.readTree(replay.body());
        String memberId = stored.path("memberId").asString();
        return ResponseEntity.status(replay.status())
                .location(location(Long.parseLong(memberId)))
                .eTag("\"" + stored.path("version").asLong() + "\"")
                .header(SOURCE_HEADER, masterSource())
                .header("Idempotent-Replayed", "true")
                .contentType(MediaType.APPLICATION_JSON)
                .body(replay.body());
    }

    /** Writes are answered from what the master committed. */
    private String masterSource() {
        return "db@" + members.masterDataCenter();
    }

    private static URI location(long memberId) {
        return URI.create("/v1/members/" + memberId);
    }

    private static String etag(Member member) {
        return "\"" + member.version() + "\"";
    }
}
