package io.membercenter.flow;

import io.membercenter.api.BadRequestException.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The door of flow control for the rules endpoint ({@code rules.RulesController}, which
 * shows, replaces, versions and distributes every kind of rule): the {@code flow} section as GET shows it, and a checked
 * replacement that is applied only when the caller says so — after every other section of the same
 * PUT has been checked too, so one bad section changes nothing.
 *
 * <p>Rules live in this instance's memory and start from configuration; {@code io.membercenter.rules} persists
 * every accepted change as a version and applies the newest on every instance through {@link #prepare}, the one
 * place a new rule set takes effect. The caller registry ({@code io.membercenter.callers}) hands over callers'
 * own quotas through {@link #useCallerQuotas}.
 */
public final class FlowControl {

    /**
     * The request attribute under which flow control leaves the keys a {@code /v1} request asks for (a
     * {@code List<String>} of {@code member:<id>}, {@code mobile:<E.164>}, ...), for the access audit. Personal
     * data: in memory for the request only, never logged or used as a label.
     */
    public static final String REQUEST_KEYS = "member-center.flow.keys";

    private final SentinelFlowGate gate;

    FlowControl(SentinelFlowGate gate) {
        this.gate = gate;
    }

    /** The {@code flow} section as {@code GET /admin/flow-rules} shows it (and a PUT takes it back). */
    public Map<String, Object> rules() {
        return FlowRulesJson.view(gate.rules());
    }

    /**
     * Checks a PUT's {@code flow} section (which replaces all flow rules). With problems, they are added
     * to {@code errors} (fields named under {@code prefix}) and null is returned; otherwise the returned
     * step applies the rules at once, for every request that starts after it.
     */
    public Runnable prepare(JsonNode section, String prefix, List<FieldError> errors) {
        FlowRules rules = FlowRulesJson.parse(section, prefix, errors, gate.configured());
        return rules == null ? null : () -> gate.replace(rules);
    }

    /**
     * Checks a caller's own quota as the caller registry stores it (the shape of a quota in the {@code flow}
     * section: {@code {"groups": {...}, "hotKey": ...}}): its normal form, or null with the problems added to
     * {@code errors} under {@code prefix}.
     */
    public Map<String, Object> checkCallerQuota(JsonNode quota, String prefix, List<FieldError> errors) {
        FlowRules.Quota parsed = FlowRulesJson.quota(quota, prefix, errors);
        return parsed == null ? null : FlowRulesJson.view(parsed);
    }

    /**
     * The callers' own quotas from the caller registry, replacing the last set (a caller left out has none).
     * A quota set for the caller in the rules' {@code callers} section still wins: that section is the
     * operator's run-time override. Quotas were checked when they were written; one that no longer parses is
     * left out (the caller falls back to its class's quota) rather than stopping the others.
     */
    public void useCallerQuotas(Map<String, JsonNode> quotas) {
        Map<String, FlowRules.Quota> parsed = new HashMap<>();
        quotas.forEach((caller, node) -> {
            FlowRules.Quota quota = FlowRulesJson.quota(node, caller, new ArrayList<>());
            if (quota != null) parsed.put(caller, quota);
        });
        gate.useRegistryQuotas(parsed);
    }
}
