package io.membercenter.migration;

import io.membercenter.api.BadRequestException;
import io.membercenter.api.ProblemResponses;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
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

/**
 * The migration part of the admin API (../shared/API.md): {@code GET /admin/migration} (phase, progress, lag,
 * mismatches), {@code POST /admin/migration/{step}} (202 while the step has more to do: ask again; 200 when it is
 * done), and the full lists behind the counts: {@code GET /admin/migration/quarantine},
 * {@code GET /admin/migration/mismatches} and {@code GET /admin/migration/dual-write-failures}, by key,
 * {@code after} and {@code limit}. Admin key only.
 *
 * <p>An unknown step or a bad parameter is a 400 naming it; a step out of order a 409 saying what must come
 * first, as is a step while another runs (with Retry-After); a legacy store that cannot be reached a 503.
 * Without a legacy store configured every step is a 409 saying so.
 */
@RestController
final class MigrationController {

    private static final int MAX_LIMIT = 10_000;
    private static final Pattern CALLER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Optional<Migration> migration;

    MigrationController(Optional<Migration> migration) {
        this.migration = migration;
    }

    @GetMapping("/admin/migration")
    Map<String, Object> status(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require(Scope.ADMIN);
        return migration().status();
    }

    @PostMapping("/admin/migration/{step}")
    ResponseEntity<Map<String, Object>> step(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @PathVariable("step") String step,
            @RequestParam(name = "maxRows", required = false) String maxRows,
            @RequestParam(name = "members", required = false) String members,
            @RequestParam(name = "firstKey", required = false) String firstKey,
            @RequestParam(name = "wipe", required = false) String wipe,
            @RequestParam(name = "fresh", required = false) String fresh,
            @RequestParam(name = "perSecond", required = false) String perSecond,
            @RequestParam(name = "percent", required = false) String percent,
            @RequestParam(name = "callers", required = false) String callers) {
        caller.require(Scope.ADMIN);
        if (!Migration.STEPS.contains(step)) {
            throw BadRequestException.field("step", "must be one of " + String.join(", ", Migration.STEPS));
        }
        Migration m = migration();
        Migration.Result result = switch (step) {
            case "load" ->
                m.load(
                        (int) number("members", members, 1, 100_000_000, 1_000_000),
                        number("firstKey", firstKey, 1, 1_000_000_000_000L, 1),
                        flag("wipe", wipe, true));
            case "writer-start" ->
                m.writerStart(
                        perSecond == null
                                ? Optional.empty()
                                : Optional.of((int) number("perSecond", perSecond, 1, 10_000, 0)));
            case "writer-stop" -> m.writerStop();
            case "full-sync" -> m.fullSync(number("maxRows", maxRows, 1, 100_000_000, Long.MAX_VALUE));
            case "incremental-sync" -> m.incrementalSync();
            case "verify" -> m.verify(flag("fresh", fresh, false));
            case "dual-write-start" -> m.dualWriteStart();
            case "dual-write-stop" -> m.dualWriteStop();
            case "gray-reads" -> m.grayReads(percent(percent), callerNames(callers));
            case "cutover" -> m.cutover();
            case "rollback" -> m.rollback();
            case "finish" -> m.finish();
            case "reset" -> m.reset();
            default -> throw new IllegalStateException(step);
        };
        return ResponseEntity.status(result.done() ? 200 : 202).body(result.status());
    }

    @GetMapping("/admin/migration/quarantine")
    Map<String, Object> quarantine(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @RequestParam(name = "after", required = false) String after,
            @RequestParam(name = "limit", required = false) String limit) {
        caller.require(Scope.ADMIN);
        Page page = Page.of(after, limit);
        return items(migration().quarantined(page.after(), page.limit()), q -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("legacyKey", Long.toString(q.legacyKey()));
            item.put("reason", q.reason());
            item.put("firstSeen", q.firstSeen());
            item.put("lastSeen", q.lastSeen());
            return item;
        });
    }

    @GetMapping("/admin/migration/mismatches")
    Map<String, Object> mismatches(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @RequestParam(name = "after", required = false) String after,
            @RequestParam(name = "limit", required = false) String limit) {
        caller.require(Scope.ADMIN);
        Page page = Page.of(after, limit);
        return items(migration().mismatches(page.after(), page.limit()), MigrationController::mismatchItem);
    }

    /** What the gray reads' comparisons found, the whole list (the status shows the first hundred). */
    @GetMapping("/admin/migration/gray-mismatches")
    Map<String, Object> grayMismatches(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @RequestParam(name = "after", required = false) String after,
            @RequestParam(name = "limit", required = false) String limit) {
        caller.require(Scope.ADMIN);
        Page page = Page.of(after, limit);
        return items(migration().grayMismatches(page.after(), page.limit()), MigrationController::mismatchItem);
    }

    /** The dual write's failure log: members the legacy store lacks a change of, until the repair job writes them. */
    @GetMapping("/admin/migration/dual-write-failures")
    Map<String, Object> dualWriteFailures(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @RequestParam(name = "after", required = false) String after,
            @RequestParam(name = "limit", required = false) String limit) {
        caller.require(Scope.ADMIN);
        Page page = Page.of(after, limit);
        return items(migration().dualWriteOwed(page.after(), page.limit()), o -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("memberId", Long.toString(o.memberId()));
            item.put("version", o.version());
            item.put("attempts", o.attempts());
            item.put("firstFailedAt", o.firstFailedAt());
            return item;
        });
    }

    /** The {@code after} key and {@code limit} every list endpoint takes, each a 400 naming it when bad. */
    private record Page(long after, int limit) {
        static Page of(String after, String limit) {
            return new Page(
                    number("after", after, 0, Long.MAX_VALUE, 0), (int) number("limit", limit, 1, MAX_LIMIT, 1000));
        }
    }

    private static <T> Map<String, Object> items(List<T> rows, Function<T, Map<String, Object>> item) {
        return Map.of("items", rows.stream().map(item).toList());
    }

    /** A verify mismatch and a gray read's mismatch are one shape: the member, what kind, which fields, when. */
    private static Map<String, Object> mismatchItem(MigrationLedger.Mismatch m) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("memberId", Long.toString(m.memberId()));
        item.put("kind", m.kind());
        item.put("fields", m.fields());
        item.put("foundAt", m.foundAt());
        return item;
    }

    @ExceptionHandler(Migration.OutOfOrder.class)
    ResponseEntity<Object> outOfOrder(Migration.OutOfOrder e) {
        return problem(409, "migration-step-out-of-order", e.getMessage(), false);
    }

    @ExceptionHandler(Migration.StepRunning.class)
    ResponseEntity<Object> running(Migration.StepRunning e) {
        return problem(409, "migration-step-running", e.getMessage(), true);
    }

    @ExceptionHandler(LegacySource.UnavailableException.class)
    ResponseEntity<Object> legacyDown(LegacySource.UnavailableException e) {
        return problem(503, "legacy-store-unavailable", e.getMessage(), true);
    }

    private static ResponseEntity<Object> problem(int status, String type, String detail, boolean retry) {
        var response = ResponseEntity.status(status);
        if (retry) response.header(HttpHeaders.RETRY_AFTER, "1");
        return response.contentType(MediaType.parseMediaType(ProblemResponses.MEDIA_TYPE))
                .body(ProblemResponses.problem(
                        status, type, status == 503 ? "Service Unavailable" : "Conflict", detail));
    }

    private Migration migration() {
        return migration.orElseThrow(
                () -> new Migration.OutOfOrder(
                        "No legacy store is configured (member-center.migration.legacy-jdbc-url); there is nothing to migrate."));
    }

    private static long number(String field, String text, long min, long max, long absent) {
        if (text == null) return absent;
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) return value;
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw BadRequestException.field(field, "must be a whole number from " + min + " to " + max);
    }

    private static int percent(String text) {
        if (text == null) throw BadRequestException.field("percent", "is required: a whole number from 0 to 100");
        return (int) number("percent", text, 0, 100, 0);
    }

    /** Caller names, comma-separated; empty or absent: none. */
    private static List<String> callerNames(String text) {
        if (text == null || text.isEmpty()) return List.of();
        List<String> names = List.of(text.split(",", -1));
        if (names.size() > 20
                || !names.stream().allMatch(n -> CALLER_NAME.matcher(n).matches())) {
            throw BadRequestException.field(
                    "callers", "must be up to 20 caller names (letters, digits, '.', '_', '-'), comma-separated");
        }
        return names;
    }

    private static boolean flag(String field, String text, boolean absent) {
        if (text == null) return absent;
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw BadRequestException.field(field, "must be true or false");
        };
    }
}
