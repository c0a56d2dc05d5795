package io.membercenter.degradation;

import io.membercenter.api.BadRequestException.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The door of degradation for the rules endpoint ({@code rules.RulesController}, which shows, replaces, versions
 * and distributes every kind of rule): the {@code degradation} section as GET shows it, and a checked change
 * that is applied only when the caller says so — after every other section of the same change has been checked
 * too, so one bad section changes nothing. The same shape as {@code flow.FlowControl}'s.
 *
 * <p>The section names the dependencies it changes, each with a whole rule (the shape GET shows). Anything
 * wrong — an unknown dependency or field, a value of the wrong type or out of range — is a problem naming the
 * field under the given prefix.
 */
@Component
public final class DegradationRules {

    private final Breakers breakers;

    DegradationRules(Breakers breakers) {
        this.breakers = breakers;
    }

    /** The rule of every registered dependency, by name. */
    public Map<String, Object> rules() {
        return new LinkedHashMap<>(breakers.rules());
    }

    /**
     * Checks a {@code degradation} section. With problems, they are added to {@code errors} and null is
     * returned; otherwise the returned step applies the changed rules at once.
     */
    public Runnable prepare(JsonNode section, String prefix, List<FieldError> errors) {
        int before = errors.size();
        Map<String, BreakerRule> changes = new LinkedHashMap<>();
        if (section == null || !section.isObject()) {
            errors.add(new FieldError(prefix, "must be an object of rules by dependency"));
            return null;
        }
        Map<String, BreakerRule> known = breakers.rules();
        for (Map.Entry<String, JsonNode> dependency : section.properties()) {
            String at = prefix + "." + dependency.getKey();
            BreakerRule rule = rule(dependency.getValue(), at, errors);
            if (!known.containsKey(dependency.getKey())) {
                errors.add(new FieldError(at, "is not a dependency; known: " + known.keySet()));
            } else if (rule != null) {
                rule.problems(at + ".").forEach(p -> errors.add(new FieldError(p.field(), p.message())));
                changes.put(dependency.getKey(), rule);
            }
        }
        if (errors.size() != before) return null;
        return () -> {
            if (changes.isEmpty()) return;
            List<BreakerRule.FieldProblem> problems = breakers.replaceRules(changes, prefix + ".");
            if (!problems.isEmpty()) {
                throw new IllegalStateException("checked rules were refused: " + problems);
            }
        };
    }

    private static BreakerRule rule(JsonNode node, String prefix, List<FieldError> errors) {
        if (!node.isObject()) {
            errors.add(new FieldError(prefix, "must be an object with " + BreakerRule.FIELDS));
            return null;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!BreakerRule.FIELDS.contains(field.getKey())) {
                errors.add(new FieldError(
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

    private static int whole(JsonNode rule, String field, String prefix, List<FieldError> errors) {
        JsonNode value = rule.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
            errors.add(new FieldError(prefix + "." + field, "must be a whole number"));
            return 0;
        }
        return value.intValue();
    }

    private static double ratio(JsonNode rule, String field, String prefix, List<FieldError> errors) {
        JsonNode value = rule.get(field);
        if (value == null || !value.isNumber()) {
            errors.add(new FieldError(prefix + "." + field, "must be a number"));
            return 0;
        }
        return value.doubleValue();
    }
}
