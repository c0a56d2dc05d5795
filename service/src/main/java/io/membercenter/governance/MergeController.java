package io.membercenter.governance;

import io.membercenter.api.BadRequestException;
import io.membercenter.api.NotFoundException;
import io.membercenter.api.ProblemResponses;
import io.membercenter.governance.MemberMerges.Merge;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Merges of two members who are one person (issue 16, part 4), admin key only. {@code POST
 * /admin/governance/merges} with {@code {"survivor", "merged", "reason"}} and optionally the {@code anomalyId} the
 * merge resolves: 201 with the merge record, 200 with the same record when the pair was merged already (a retry moves
 * nothing again). Everything that can be refused is refused before anything is written: a bad body is a 400 naming
 * the field, an unknown member or anomaly a 404, a member that is not LIVE, the same member twice or a closed anomaly
 * a 409. {@code GET /admin/governance/merges?memberId=} lists a member's merges with their trail rows. The work is the
 * member package's ({@link MemberMerges}); the trail and the anomaly are governance's ({@link Anomalies}).
 */
@RestController
final class MergeController {

    private static final Set<String> FIELDS = Set.of("survivor", "merged", "reason", "anomalyId");
    private static final int MAX_REASON = 500;

    private final MemberMerges merges;
    private final Anomalies anomalies;
    private final Clock clock;

    MergeController(MemberMerges merges, Anomalies anomalies, Clock clock) {
        this.merges = merges;
        this.anomalies = anomalies;
        this.clock = clock;
    }

    /** A merge request, validated. */
    private record Request(long survivor, long merged, String reason, Long anomalyId) {}

    @PostMapping(value = "/admin/governance/merges", consumes = "application/json")
    ResponseEntity<Object> merge(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @RequestBody JsonNode body) {
        caller.require(Scope.ADMIN);
        Request request = parse(body);
        if (request.anomalyId() != null) {
            switch (anomalies.checkForMerge(request.anomalyId())) {
                case UNKNOWN -> throw new NotFoundException("No such anomaly.");
                case ALREADY_CLOSED -> {
                    return conflict("anomaly-closed", "The anomaly is already resolved or ignored.");
                }
                case FITS -> {}
            }
        }
        return switch (merges.merge(request.survivor(), request.merged(), request.reason(), caller.name())) {
            case MemberMerges.Unknown unknown ->
                throw new NotFoundException("No member " + unknown.memberId() + " (" + unknown.field() + ").");
            case MemberMerges.Refused refused -> conflict("merge-refused", refused.reason());
            case MemberMerges.InProgress ignored ->
                ResponseEntity.status(409)
                        .header(HttpHeaders.RETRY_AFTER, "1")
                        .contentType(MediaType.parseMediaType(ProblemResponses.MEDIA_TYPE))
                        .body(ProblemResponses.problem(
                                409, "merge-in-progress", "Conflict", "This pair is being merged now."));
            case MemberMerges.Done done -> {
                Merge merge = done.merge();
                anomalies.merged(
                        merge.id(),
                        request.anomalyId(),
                        caller.name(),
                        Map.of(
                                "survivorVersion", merge.survivorVersionBefore(),
                                "mergedVersion", merge.mergedVersionBefore(),
                                "mergedLifecycle", "LIVE"),
                        trailAfter(merge),
                        clock.millis());
                yield ResponseEntity.status(done.replayed() ? 200 : 201).body(view(merge));
            }
        };
    }

    @GetMapping("/admin/governance/merges")
    Map<String, Object> list(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @RequestParam(name = "memberId", required = false) String memberId) {
        caller.require(Scope.ADMIN);
        if (memberId == null || !memberId.matches("[0-9]{1,19}")) {
            throw BadRequestException.field("memberId", "must be a member id (a decimal number)");
        }
        long id = parseId(memberId).orElseThrow(() -> BadRequestException.field("memberId", "is out of range"));
        return Map.of("items", merges.mergesOf(id).stream().map(this::view).toList());
    }

    private static Request parse(JsonNode body) {
        List<BadRequestException.FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new BadRequestException("The body must be a JSON object.", List.of());
        }
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) errors.add(new BadRequestException.FieldError(name, "is not a known field"));
        }
        Long survivor = id(body, "survivor", true, errors);
        Long merged = id(body, "merged", true, errors);
        Long anomalyId = id(body, "anomalyId", false, errors);
        JsonNode reason = body.get("reason");
        if (reason == null || !reason.isString() || reason.asString().isBlank()) {
            errors.add(new BadRequestException.FieldError("reason", "is required: why the two are one person"));
        } else if (reason.asString().codePointCount(0, reason.asString().length()) > MAX_REASON) {
            errors.add(new BadRequestException.FieldError("reason", "must be at most " + MAX_REASON + " characters"));
        }
        if (!errors.isEmpty()) throw new BadRequestException("The merge request is invalid.", errors);
        return new Request(survivor, merged, reason.asString().strip(), anomalyId);
    }

    /** A member or anomaly id: a decimal string (as the API writes ids) or a whole number. */
    private static Long id(JsonNode body, String field, boolean required, List<BadRequestException.FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) errors.add(new BadRequestException.FieldError(field, "is required"));
            return null;
        }
        String text = node.isString() ? node.asString() : node.isIntegralNumber() ? node.asString() : null;
        Optional<Long> parsed = text != null && text.matches("[0-9]{1,19}") ? parseId(text) : Optional.empty();
        if (parsed.isEmpty() || parsed.get() <= 0) {
            errors.add(new BadRequestException.FieldError(field, "must be an id (a positive decimal number)"));
            return null;
        }
        return parsed.get();
    }

    private static Optional<Long> parseId(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static ResponseEntity<Object> conflict(String type, String detail) {
        return ResponseEntity.status(409)
                .contentType(MediaType.parseMediaType(ProblemResponses.MEDIA_TYPE))
                .body(ProblemResponses.problem(409, type, "Conflict", detail));
    }

    private static Map<String, Object> trailAfter(Merge merge) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("survivorVersion", merge.survivorVersionAfter());
        after.put("mergedVersion", merge.mergedVersionAfter());
        after.put("mergedLifecycle", "MERGED");
        after.put("moved", merge.moved());
        after.put("released", merge.released());
        after.put("lost", merge.lost());
        return after;
    }

    private Map<String, Object> view(Merge merge) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", Long.toString(merge.id()));
        view.put("survivor", Long.toString(merge.survivor()));
        view.put("merged", Long.toString(merge.merged()));
        view.put("state", merge.done() ? "done" : "started");
        view.put("moved", merge.moved());
        view.put("released", merge.released());
        view.put("lost", merge.lost());
        view.put("survivorVersion", versions(merge.survivorVersionBefore(), merge.survivorVersionAfter()));
        view.put("mergedVersion", versions(merge.mergedVersionBefore(), merge.mergedVersionAfter()));
        view.put("by", merge.actor());
        view.put("reason", merge.reason());
        view.put("startedAt", Instant.ofEpochMilli(merge.startedAt()).toString());
        view.put(
                "finishedAt",
                merge.finishedAt() == null
                        ? null
                        : Instant.ofEpochMilli(merge.finishedAt()).toString());
        view.put("trail", anomalies.trailOfMerge(merge.id()).orElse(null));
        return view;
    }

    private static Map<String, Object> versions(long before, Long after) {
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("before", before);
        versions.put("after", after);
        return versions;
    }
}
