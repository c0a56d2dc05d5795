package io.membercenter.degradation;

import io.membercenter.api.BadRequestException;
import io.membercenter.flow.FlowControl;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET/PUT /admin/flow-rules}: the rules in force, changeable at run time. The body has one
 * section per kind of rule: {@code degradation} (breakers, by dependency) and {@code flow} (flow
 * control's quotas, owned by {@link FlowControl}); a PUT carries one or both. In {@code degradation} a
 * PUT names the dependencies it changes, each with a whole rule (the shape GET shows); {@code flow}, when
 * present, replaces all flow rules. Anything wrong in either section — an unknown section, dependency or
 * field, a value of the wrong type or out of range — is a 400 naming the field, and nothing changes in
 * either: flow is checked first and applied only after degradation's rules were accepted.
 * Rules live in this instance's memory: a restart starts from configuration again.
 */
@RestController
final class FlowRulesController {

    private static final String DEGRADATION = "degradation";
    private static final String FLOW = "flow";
    private final Breakers breakers;
    private final FlowControl flow;

    FlowRulesController(Breakers breakers, FlowControl flow) {
        this.breakers = breakers;
        this.flow = flow;
    }

    @GetMapping("/admin/flow-rules")
    Map<String, Object> rules(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require(Scope.ADMIN);
        return Map.of(DEGRADATION, breakers.rules(), FLOW, flow.rules());
    }

    @PutMapping(value = "/admin/flow-rules", consumes = "application/json")
    Map<String, Object> replace(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @RequestBody JsonNode body) {
        caller.require(Scope.ADMIN);
        List<BadRequestException.FieldError> errors = new ArrayList<>();
        Map<String, BreakerRule> changes = parse(body, errors);
        Runnable applyFlow = body != null && body.isObject() && body.has(FLOW)
                ? flow.prepare(body.get(FLOW), FLOW, errors)
                : () -> {};
        if (errors.isEmpty() && !changes.isEmpty()) {
            breakers.replaceRules(changes, DEGRADATION + ".")
                    .forEach(p -> errors.add(new BadRequestException.FieldError(p.field(), p.message())));
        }
        if (!errors.isEmpty()) {
            throw new BadRequestException("The rules are invalid; nothing was changed.", errors);
        }
        applyFlow.run();
        return Map.of(DEGRADATION, breakers.rules(), FLOW, flow.rules());
    }

    private static Map<String, BreakerRule> parse(JsonNode body, List<BadRequestException.FieldError> errors) {
        Map<String, BreakerRule> changes = new LinkedHashMap<>();
        if (body == null || !body.isObject()) {
            errors.add(new BadRequestException.FieldError(
                    "", "must be a JSON object with a degradation or a flow section, or both"));
            return changes;
        }
        for (Map.Entry<String, JsonNode> section : body.properties()) {
            if (!section.getKey().equals(DEGRADATION) && !section.getKey().equals(FLOW)) {
                errors.add(new BadRequestException.FieldError(
                        section.getKey(), "is not a kind of rule; known: [" + DEGRADATION + ", " + FLOW + "]"));
            }
        }
        if (!body.has(DEGRADATION) && !body.has(FLOW)) {
            errors.add(new BadRequestException.FieldError(DEGRADATION, "a degradation or a flow section is required"));
            return changes;
        }
        if (!body.has(DEGRADATION)) return changes;
        JsonNode degradation = body.get(DEGRADATION);
        if (degradation == null || !degradation.isObject()) {
            errors.add(new BadRequestException.FieldError(DEGRADATION, "must be an object of rules by dependency"));
            return changes;
        }
        for (Map.Entry<String, JsonNode> dependency : degradation.properties()) {
            String prefix = DEGRADATION + "." + dependency.getKey();
            BreakerRule rule = rule(dependency.getValue(), prefix, errors);
            if (rule != null) changes.put(dependency.getKey(), rule);
        }
        return changes;
    }

    private static BreakerRule rule(JsonNode node, String prefix, List<BadRequestException.FieldError> errors) {
        if (!node.isObject()) {
            errors.add(new BadRequestException.FieldError(prefix, "must be an object with " + BreakerRule.FIELDS));
            return null;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!BreakerRule.FIELDS.contains(field.getKey())) {
                errors.add(new BadRequestException.FieldError(
                        prefix + "." + field.getKey(), "is not a rule field; known: " + BreakerRule.FIELDS));
            }
        }
        int before = errors.size();
        BreakerRule rule = new BreakerRule(
                whole(node, "slowCallMillis", prefix, errors),
                ratio(node, "slowCallRatio", prefix, errors),
                ratio(node, "errorRatio", prefix, errors),
                whole(node, "errorCount", prefix, errors),
                whole(node, "minimumCalls", prefix, errors),
                whole(node, "statIntervalMillis", prefix, errors),
                whole(node, "openSeconds", prefix, errors));
        return errors.size() == before ? rule : null;
    }

    private static int whole(JsonNode rule, String field, String prefix, List<BadRequestException.FieldError> errors) {
        JsonNode value = rule.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
            errors.add(new BadRequestException.FieldError(prefix + "." + field, "must be a whole number"));
            return 0;
        }
        return value.intValue();
    }

    private static double ratio(
            JsonNode rule, String field, String prefix, List<BadRequestException.FieldError> errors) {
        JsonNode value = rule.get(field);
        if (value == null || !value.isNumber()) {
            errors.add(new BadRequestException.FieldError(prefix + "." + field, "must be a number"));
            return 0;
        }
        return value.doubleValue();
    }
}
