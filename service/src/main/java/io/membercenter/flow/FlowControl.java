package io.membercenter.flow;

import io.membercenter.api.BadRequestException.FieldError;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The door of flow control for the rules endpoint (degradation's {@code FlowRulesController}, which
 * shows and replaces every kind of rule): the {@code flow} section as GET shows it, and a checked
 * replacement that is applied only when the caller says so — after every other section of the same
 * PUT has been checked too, so one bad section changes nothing.
 *
 * <p>Rules live in this instance's memory and start from configuration. Versioning, persistence across
 * restarts and distribution to every instance within 1 s (issue 13, part 3) belong here: {@link #prepare}'s
 * apply step is the one place a new rule set takes effect, so it is where a change would be written
 * (with who, when, diff) and where a rule set received from another instance would be applied.
 */
public final class FlowControl {

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
        FlowRules rules = FlowRulesJson.parse(section, prefix, errors);
        return rules == null ? null : () -> gate.replace(rules);
    }
}
