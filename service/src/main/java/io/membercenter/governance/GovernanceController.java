package io.membercenter.governance;

import io.membercenter.api.BadRequestException;
import io.membercenter.api.NotFoundException;
import io.membercenter.api.ProblemResponses;
import io.membercenter.governance.Anomalies.Anomaly;
import io.membercenter.governance.AuditLedger.Run;
import io.membercenter.governance.AuditLedger.StepTotals;
import io.membercenter.governance.RelationshipAudit.Progress;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The governance part of the admin API (../shared/API.md): run the audit, list anomalies, act on one. Admin
 * key only. Bad filters are a 400 naming the field; an unknown anomaly a 404; acting on a closed one a 409.
 * Nothing here shows an identifier unmasked: the evidence was masked when it was recorded.
 */
@RestController
final class GovernanceController {

    private static final int MAX_LIMIT = 1000;

    private final RelationshipAudit audit;
    private final Anomalies anomalies;
    private final Clock clock;
    private final JsonMapper json;

    GovernanceController(RelationshipAudit audit, Anomalies anomalies, Clock clock, JsonMapper json) {
        this.audit = audit;
        this.anomalies = anomalies;
        this.clock = clock;
        this.json = json;
    }

    /**
     * One step of the audit run (a new run when the last finished): 202 with the run's progress while shards
     * remain, 200 with its summary once the run is complete. Ask again to continue.
     */
    @PostMapping("/admin/governance/audit")
    ResponseEntity<Map<String, Object>> audit(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @RequestParam(name = "maxRows", required = false) String maxRows) {
        caller.require(Scope.ADMIN);
        long rows = maxRows == null ? Long.MAX_VALUE : wholeNumber("maxRows", maxRows, 1, 100_000_000);
        Progress progress = audit.step(rows);
        return ResponseEntity.status(progress.done() ? 200 : 202).body(view(progress));
    }

    /** Where the latest run stands; 404 before the first. */
    @GetMapping("/admin/governance/audit")
    Map<String, Object> auditStatus(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require(Scope.ADMIN);
        Progress progress = audit.status();
        if (progress == null) throw new NotFoundException("No audit has run yet.");
        return view(progress);
    }

    @GetMapping("/admin/governance/anomalies")
    Map<String, Object> anomalies(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @RequestParam(name = "type", required = false) String type,
            @RequestParam(name = "status", required = false) String status,
            @RequestParam(name = "limit", required = false) String limit) {
        caller.require(Scope.ADMIN);
        List<BadRequestException.FieldError> errors = new ArrayList<>();
        AnomalyType typeFilter = type == null ? null : AnomalyType.parse(type);
        if (type != null && typeFilter == null) {
            errors.add(new BadRequestException.FieldError(
                    "type", "must be one of " + Arrays.toString(AnomalyType.values())));
        }
        AnomalyStatus statusFilter = status == null ? null : AnomalyStatus.parse(status);
        if (status != null && statusFilter == null) {
            errors.add(
                    new BadRequestException.FieldError("status", "must be one of [open, review, resolved, ignored]"));
        }
        int max = MAX_LIMIT;
        try {
            if (limit != null) max = (int) wholeNumber("limit", limit, 1, MAX_LIMIT);
        } catch (BadRequestException bad) {
            errors.addAll(bad.errors());
        }
        if (!errors.isEmpty()) throw new BadRequestException("The filter is invalid.", errors);
        return Map.of(
                "items",
                anomalies.list(typeFilter, statusFilter, max).stream()
                        .map(this::view)
                        .toList());
    }

    /** One anomaly with its trail: every action on it, oldest first. */
    @GetMapping("/admin/governance/anomalies/{id}")
    Map<String, Object> anomaly(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id) {
        caller.require(Scope.ADMIN);
        long anomalyId = idOf(id);
        Anomaly anomaly = anomalies.find(anomalyId).orElseThrow(GovernanceController::unknown);
        Map<String, Object> view = view(anomaly);
        view.put("trail", anomalies.trailOf(anomalyId));
        return view;
    }

    @PostMapping("/admin/governance/anomalies/{id}/resolve")
    ResponseEntity<Object> resolve(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id) {
        return close(caller, id, AnomalyStatus.RESOLVED);
    }

    @PostMapping("/admin/governance/anomalies/{id}/ignore")
    ResponseEntity<Object> ignore(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id) {
        return close(caller, id, AnomalyStatus.IGNORED);
    }

    @ExceptionHandler(RelationshipAudit.StepInProgress.class)
    ResponseEntity<Object> stepInProgress(RelationshipAudit.StepInProgress e) {
        return ResponseEntity.status(409)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(MediaType.parseMediaType(ProblemResponses.MEDIA_TYPE))
                .body(ProblemResponses.problem(409, "audit-step-running", "Conflict", e.getMessage()));
    }

    private ResponseEntity<Object> close(Caller caller, String id, AnomalyStatus to) {
        caller.require(Scope.ADMIN);
        long anomalyId = idOf(id);
        return switch (anomalies.close(anomalyId, to, caller.name(), clock.millis())) {
            case UNKNOWN -> throw unknown();
            case ALREADY_CLOSED ->
                ResponseEntity.status(409)
                        .contentType(MediaType.parseMediaType(ProblemResponses.MEDIA_TYPE))
                        .body(ProblemResponses.problem(
                                409, "anomaly-closed", "Conflict", "The anomaly is already resolved or ignored."));
            case CLOSED -> ResponseEntity.ok(view(anomalies.find(anomalyId).orElseThrow()));
        };
    }

    private static long idOf(String id) {
        if (!id.matches("[0-9]{1,18}")) throw unknown();
        return Long.parseLong(id);
    }

    private static NotFoundException unknown() {
        return new NotFoundException("No such anomaly.");
    }

    private static long wholeNumber(String field, String text, long min, long max) {
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) return value;
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw BadRequestException.field(field, "must be a whole number from " + min + " to " + max);
    }

    private Map<String, Object> view(Anomaly anomaly) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", Long.toString(anomaly.id()));
        view.put("type", anomaly.type().name());
        view.put("memberIds", anomaly.memberIds().stream().map(String::valueOf).toList());
        view.put("evidence", json.readTree(anomaly.evidence()));
        view.put("firstSeen", Instant.ofEpochMilli(anomaly.firstSeen()).toString());
        view.put("lastSeen", Instant.ofEpochMilli(anomaly.lastSeen()).toString());
        view.put("status", anomaly.status().label());
        return view;
    }

    private static Map<String, Object> view(Progress progress) {
        Run run = progress.run();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("runId", Long.toString(run.id()));
        view.put("state", run.finished() ? "done" : "running");
        view.put("shards", progress.shards());
        view.put("shardsDone", progress.shardsDone());
        view.put("startedAt", Instant.ofEpochMilli(run.startedAt()).toString());
        view.put(
                "finishedAt",
                run.finished() ? Instant.ofEpochMilli(run.finishedAt()).toString() : null);
        view.put("steps", run.steps());
        view.put("examined", Map.of("members", run.membersExamined(), "entries", run.entriesExamined()));
        view.put("anomaliesSeen", run.anomaliesSeen());
        view.put("repaired", run.repaired());
        StepTotals step = progress.step();
        Map<String, Object> thisStep = new LinkedHashMap<>();
        thisStep.put("members", step.members());
        thisStep.put("entries", step.entries());
        thisStep.put("repaired", step.repaired());
        thisStep.put("anomaliesSeen", step.anomalies());
        view.put("step", thisStep);
        return view;
    }
}
