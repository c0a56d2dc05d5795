package io.membercenter.failover;

import io.membercenter.api.BadRequestException;
import io.membercenter.api.StoreUnavailableException;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /admin/failover/{kind}} {@code {"to": "B", "reason": "..."}}, {@code POST /admin/failback/{kind}}
 * (back to the configured master's data center) and {@code GET /admin/failover/history}. Only {@code db} can be
 * switched so far; every input is checked before anything moves.
 */
@RestController
final class FailoverController {

    private static final Set<String> KINDS = Set.of("db", "search", "cache");
    private static final Set<String> FIELDS = Set.of("to", "reason");

    private final Optional<Coordination> coordination;
    private final Optional<MasterSwitch> masterSwitch;
    private final String homeMaster;

    FailoverController(Failover failover) {
        this.coordination = failover.coordination();
        this.masterSwitch = failover.masterSwitch();
        this.homeMaster = failover.homeMaster();
    }

    @PostMapping("/admin/failover/{kind}")
    SwitchEntry failover(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @PathVariable String kind,
            @RequestBody(required = false) JsonNode body) {
        caller.require(Scope.ADMIN);
        requireSwitchable(kind);
        Map<String, String> fields = fields(body);
        String to = fields.get("to");
        if (to == null) throw BadRequestException.field("to", "is required: the data center to move to (A or B)");
        String reason = fields.getOrDefault("reason", "failover by hand");
        return kind.equals("db")
                ? switcher().switchTo(to, caller.name(), reason)
                : switcher().switchReads(kind, to, caller.name(), reason);
    }

    @PostMapping("/admin/failback/{kind}")
    SwitchEntry failback(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @PathVariable String kind,
            @RequestBody(required = false) JsonNode body) {
        caller.require(Scope.ADMIN);
        requireSwitchable(kind);
        Map<String, String> fields = fields(body);
        if (fields.containsKey("to")) {
            throw BadRequestException.field("to", "is not taken: failback returns to the configured layout");
        }
        String reason = fields.getOrDefault("reason", "failback by hand");
        return kind.equals("db")
                ? switcher().switchTo(homeMaster, caller.name(), reason)
                : switcher().switchReads(kind, null, caller.name(), reason);
    }

    @GetMapping("/admin/failover/history")
    Map<String, Object> history(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require(Scope.ADMIN);
        if (coordination.isEmpty()) return Map.of("items", List.of());
        try {
            Map<String, Object> answer = new java.util.LinkedHashMap<>();
            // Beside the contract's items: the record every instance routes by now, with the copy that may lack
            // acknowledged writes ("stale"), which an operator must know before a switch by hand, and the instance
            // that may run one (its id starts with its data center), which a switch by hand must be sent to.
            coordination.get().followed().ifPresent(record -> answer.put("record", record));
            coordination.get().leaderId().ifPresent(leader -> answer.put("leader", leader));
            answer.put("items", coordination.get().history());
            return answer;
        } catch (Exception e) {
            throw new StoreUnavailableException("The coordination store cannot be read.", e);
        }
    }

    private MasterSwitch switcher() {
        return masterSwitch.orElseThrow(() -> new StoreUnavailableException(
                "Failover is off: no coordination store is configured (member-center.failover.zookeeper-connect)."));
    }

    private static void requireSwitchable(String kind) {
        if (!KINDS.contains(kind)) {
            throw BadRequestException.field("kind", "must be one of db, search, cache");
        }
    }

    /** The body's text fields; an unknown field or a non-text value is a 400 naming it. */
    private static Map<String, String> fields(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) return Map.of();
        if (!body.isObject()) throw BadRequestException.field("body", "must be a JSON object");
        List<BadRequestException.FieldError> errors = new ArrayList<>();
        Map<String, String> fields = new java.util.HashMap<>();
        for (String name : body.propertyNames()) {
            JsonNode value = body.get(name);
            if (!FIELDS.contains(name)) {
                errors.add(new BadRequestException.FieldError(name, "unknown field"));
            } else if (!value.isString()
                    || value.asString().isBlank()
                    || value.asString().length() > 200) {
                errors.add(new BadRequestException.FieldError(name, "must be a non-blank string of at most 200"));
            } else {
                fields.put(name, value.asString());
            }
        }
        if (!errors.isEmpty()) throw new BadRequestException("The request has an invalid value.", errors);
        return fields;
    }
}
