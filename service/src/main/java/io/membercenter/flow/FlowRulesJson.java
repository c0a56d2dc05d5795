package io.membercenter.flow;

import io.membercenter.api.BadRequestException.FieldError;
import io.membercenter.traffic.TrafficClass;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The {@code flow} section of {@code GET/PUT /admin/flow-rules}: the view GET shows and the parse of
 * a PUT, which is the same shape. Every problem is collected with the path of its field; a section with
 * any problem is not applied.
 *
 * <pre>{@code
 * "flow": {
 *   "classes": {"ORDER": QUOTA, "MARKETING": QUOTA, "DEFAULT": QUOTA},      // all three
 *   "callers": {"app-backend": QUOTA},                                       // optional: replaces its class's quota
 *   "global": {"ORDER"|"MARKETING"|"DEFAULT": {"requestsPerSecond": n}},    // optional (all three): caps across instances
 *   "system": {"maxConcurrent": n, "marketingShedAt": r, "defaultShedAt": r, "cpuShedAt": r}  // optional
 * }
 * QUOTA = {"groups": {"reads"|"writes"|"search"|"batch": {"requestsPerSecond": n, "concurrent": n}},  // all four
 *          "hotKey": null | {"requestsPerSecond": n,
 *                            "exceptions": [{"key": "member:1", "unlimited": true} | {"key": "...", "requestsPerSecond": n}]}}
 * }</pre>
 * A PUT without {@code global} or {@code system} puts the configured ones ({@code member-center.flow.global},
 * {@code .system}) in force, as a PUT without {@code callers} has none: the section is replaced whole, and
 * documents persisted before those fields existed still parse.
 */
final class FlowRulesJson {

    private static final Pattern CALLER_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private FlowRulesJson() {}

    static Map<String, Object> view(FlowRules rules) {
        Map<String, Object> classes = new LinkedHashMap<>();
        for (TrafficClass c : TrafficClass.values()) {
            FlowRules.Quota q = rules.classes().get(c);
            if (q != null) classes.put(c.name(), view(q));
        }
        Map<String, Object> callers = new LinkedHashMap<>();
        rules.callers().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> callers.put(e.getKey(), view(e.getValue())));
        Map<String, Object> global = new LinkedHashMap<>();
        for (TrafficClass c : TrafficClass.values()) {
            Integer cap = rules.global().get(c);
            if (cap != null) global.put(c.name(), Map.of("requestsPerSecond", cap));
        }
        FlowRules.SystemLimits s = rules.system();
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("maxConcurrent", s.maxConcurrent());
        system.put("marketingShedAt", s.marketingShedAt());
        system.put("defaultShedAt", s.defaultShedAt());
        system.put("cpuShedAt", s.cpuShedAt());
        Map<String, Object> flow = new LinkedHashMap<>();
        flow.put("classes", classes);
        flow.put("callers", callers);
        flow.put("global", global);
        flow.put("system", system);
        return flow;
    }

    static Map<String, Object> view(FlowRules.Quota quota) {
        Map<String, Object> groups = new LinkedHashMap<>();
        for (EndpointGroup g : EndpointGroup.values()) {
            FlowRules.GroupLimit limit = quota.groups().get(g);
            groups.put(
                    g.json, Map.of("requestsPerSecond", limit.requestsPerSecond(), "concurrent", limit.concurrent()));
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("groups", groups);
        if (quota.hotKey() == null) {
            view.put("hotKey", null);
        } else {
            List<Map<String, Object>> exceptions = new ArrayList<>();
            for (FlowRules.KeyException e : quota.hotKey().exceptions()) {
                exceptions.add(
                        e.unlimited()
                                ? Map.of("key", e.key(), "unlimited", true)
                                : Map.of("key", e.key(), "requestsPerSecond", e.requestsPerSecond()));
            }
            Map<String, Object> hotKey = new LinkedHashMap<>();
            hotKey.put("requestsPerSecond", quota.hotKey().requestsPerSecond());
            hotKey.put("exceptions", exceptions);
            view.put("hotKey", hotKey);
        }
        return view;
    }

    /**
     * The rules of a PUT's {@code flow} section, or null with the problems added to {@code errors}; a missing
     * {@code global} or {@code system} is {@code configured}'s.
     */
    static FlowRules parse(JsonNode flow, String prefix, List<FieldError> errors, FlowRules configured) {
        int before = errors.size();
        if (!object(flow, prefix, "must be an object with classes and, optionally, callers, global, system", errors))
            return null;
        known(flow, prefix, Set.of("classes", "callers", "global", "system"), errors);
        Map<TrafficClass, FlowRules.Quota> classes = new EnumMap<>(TrafficClass.class);
        JsonNode classesNode = flow.get("classes");
        String classesAt = prefix + ".classes";
        if (object(classesNode, classesAt, "must be an object with a quota for ORDER, MARKETING and DEFAULT", errors)) {
            for (Map.Entry<String, JsonNode> e : classesNode.properties()) {
                TrafficClass c = trafficClass(e.getKey());
                if (c == null) {
                    errors.add(new FieldError(
                            classesAt + "." + e.getKey(), "is not a traffic class; known: ORDER, MARKETING, DEFAULT"));
                    continue;
                }
                FlowRules.Quota q = quota(e.getValue(), classesAt + "." + e.getKey(), errors);
                if (q != null) classes.put(c, q);
            }
            for (TrafficClass c : TrafficClass.values()) {
                if (!classesNode.has(c.name())) errors.add(new FieldError(classesAt + "." + c.name(), "is required"));
            }
        }
        Map<String, FlowRules.Quota> callers = new LinkedHashMap<>();
        JsonNode callersNode = flow.get("callers");
        String callersAt = prefix + ".callers";
        if (callersNode != null
                && !callersNode.isNull()
                && object(callersNode, callersAt, "must be an object of quotas by caller name", errors)) {
            for (Map.Entry<String, JsonNode> e : callersNode.properties()) {
                String at = callersAt + "." + e.getKey();
                if (!CALLER_NAME.matcher(e.getKey()).matches()) {
                    errors.add(new FieldError(at, "is not a caller name (1-64 of a-z, 0-9, '.', '_', '-')"));
                    continue;
                }
                FlowRules.Quota q = quota(e.getValue(), at, errors);
                if (q != null) callers.put(e.getKey(), q);
            }
        }
        Map<TrafficClass, Integer> global = global(flow.get("global"), prefix + ".global", errors, configured.global());
        FlowRules.SystemLimits system = system(flow.get("system"), prefix + ".system", errors, configured.system());
        return errors.size() == before ? new FlowRules(classes, callers, global, system) : null;
    }

    /** {@code "global": {"ORDER": {"requestsPerSecond": n}, ...}}: all three classes, each at least 1 request/s. */
    private static Map<TrafficClass, Integer> global(
            JsonNode node, String at, List<FieldError> errors, Map<TrafficClass, Integer> configured) {
        if (node == null || node.isNull()) return configured;
        Map<TrafficClass, Integer> caps = new EnumMap<>(TrafficClass.class);
        if (!object(node, at, "must be an object with a cap for ORDER, MARKETING and DEFAULT", errors)) return caps;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            TrafficClass c = trafficClass(e.getKey());
            String capAt = at + "." + e.getKey();
            if (c == null) {
                errors.add(new FieldError(capAt, "is not a traffic class; known: ORDER, MARKETING, DEFAULT"));
                continue;
            }
            if (!object(e.getValue(), capAt, "must be an object with requestsPerSecond", errors)) continue;
            known(e.getValue(), capAt, Set.of("requestsPerSecond"), errors);
            caps.put(c, whole(e.getValue(), "requestsPerSecond", capAt, 1, errors));
        }
        for (TrafficClass c : TrafficClass.values()) {
            if (!node.has(c.name())) errors.add(new FieldError(at + "." + c.name(), "is required"));
        }
        return caps;
    }

    private static FlowRules.SystemLimits system(
            JsonNode node, String at, List<FieldError> errors, FlowRules.SystemLimits configured) {
        if (node == null || node.isNull()) return configured;
        if (!object(
                node, at, "must be an object with maxConcurrent, marketingShedAt, defaultShedAt, cpuShedAt", errors))
            return configured;
        known(node, at, Set.of("maxConcurrent", "marketingShedAt", "defaultShedAt", "cpuShedAt"), errors);
        int before = errors.size();
        int maxConcurrent = whole(node, "maxConcurrent", at, 1, errors);
        double marketing = ratio(node, "marketingShedAt", at, errors);
        double dflt = ratio(node, "defaultShedAt", at, errors);
        double cpu = ratio(node, "cpuShedAt", at, errors);
        FlowRules.SystemLimits limits = new FlowRules.SystemLimits(maxConcurrent, marketing, dflt, cpu);
        if (errors.size() == before)
            checkSystem(limits, (field, message) -> errors.add(new FieldError(at + "." + field, message)));
        return limits;
    }

    private static double ratio(JsonNode node, String field, String at, List<FieldError> errors) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            errors.add(new FieldError(at + "." + field, "must be a number from 0 to 1"));
            return 0;
        }
        return value.doubleValue();
    }

    /**
     * The ranges of system protection's thresholds, for a PUT and for configuration alike: MARKETING is shed no
     * later than DEFAULT, both before ORDER ({@code maxConcurrent}); {@code cpuShedAt} is 0 (off) or a share of CPU.
     */
    static void checkSystem(FlowRules.SystemLimits s, java.util.function.BiConsumer<String, String> problem) {
        if (s.maxConcurrent() < 1) problem.accept("maxConcurrent", "must be a whole number of at least 1");
        if (!(s.marketingShedAt() > 0 && s.marketingShedAt() <= 1))
            problem.accept("marketingShedAt", "must be more than 0 and at most 1");
        if (!(s.defaultShedAt() > 0 && s.defaultShedAt() <= 1))
            problem.accept("defaultShedAt", "must be more than 0 and at most 1");
        else if (s.defaultShedAt() < s.marketingShedAt())
            problem.accept("defaultShedAt", "must be at least marketingShedAt (MARKETING is shed first)");
        if (!(s.cpuShedAt() >= 0 && s.cpuShedAt() <= 1))
            problem.accept("cpuShedAt", "must be 0 (off) or more than 0 and at most 1");
    }

    private static TrafficClass trafficClass(String name) {
        for (TrafficClass c : TrafficClass.values()) if (c.name().equals(name)) return c;
        return null;
    }

    static FlowRules.Quota quota(JsonNode node, String at, List<FieldError> errors) {
        int before = errors.size();
        if (!object(node, at, "must be an object with groups and hotKey", errors)) return null;
        known(node, at, Set.of("groups", "hotKey"), errors);
        Map<EndpointGroup, FlowRules.GroupLimit> groups = new EnumMap<>(EndpointGroup.class);
        JsonNode groupsNode = node.get("groups");
        String groupsAt = at + ".groups";
        if (object(groupsNode, groupsAt, "must be an object with reads, writes, search and batch", errors)) {
            Set<String> names = new HashSet<>();
            for (EndpointGroup g : EndpointGroup.values()) names.add(g.json);
            known(groupsNode, groupsAt, names, errors);
            for (EndpointGroup g : EndpointGroup.values()) {
                JsonNode limit = groupsNode.get(g.json);
                String limitAt = groupsAt + "." + g.json;
                if (!object(limit, limitAt, "must be an object with requestsPerSecond and concurrent", errors))
                    continue;
                known(limit, limitAt, Set.of("requestsPerSecond", "concurrent"), errors);
                int rps = whole(limit, "requestsPerSecond", limitAt, 1, errors);
                int concurrent = whole(limit, "concurrent", limitAt, 1, errors);
                groups.put(g, new FlowRules.GroupLimit(rps, concurrent));
            }
        }
        FlowRules.HotKey hotKey = null;
        JsonNode hot = node.get("hotKey");
        String hotAt = at + ".hotKey";
        if (hot != null
                && !hot.isNull()
                && object(hot, hotAt, "must be null (no hot-key limit) or an object with requestsPerSecond", errors)) {
            known(hot, hotAt, Set.of("requestsPerSecond", "exceptions"), errors);
            int rps = whole(hot, "requestsPerSecond", hotAt, 1, errors);
            List<FlowRules.KeyException> exceptions = new ArrayList<>();
            JsonNode list = hot.get("exceptions");
            if (list != null && !list.isNull()) {
                if (!list.isArray()) {
                    errors.add(new FieldError(hotAt + ".exceptions", "must be an array"));
                } else {
                    Set<String> keys = new HashSet<>();
                    for (int i = 0; i < list.size(); i++) {
                        FlowRules.KeyException e = keyException(list.get(i), hotAt + ".exceptions[" + i + "]", errors);
                        if (e != null && !keys.add(e.key())) {
                            errors.add(new FieldError(hotAt + ".exceptions[" + i + "].key", "is listed twice"));
                        } else if (e != null) {
                            exceptions.add(e);
                        }
                    }
                }
            }
            hotKey = new FlowRules.HotKey(rps, exceptions);
        }
        return errors.size() == before ? new FlowRules.Quota(groups, hotKey) : null;
    }

    private static FlowRules.KeyException keyException(JsonNode node, String at, List<FieldError> errors) {
        int before = errors.size();
        if (!object(node, at, "must be an object with key and either unlimited: true or requestsPerSecond", errors))
            return null;
        known(node, at, Set.of("key", "unlimited", "requestsPerSecond"), errors);
        JsonNode key = node.get("key");
        String normal = null;
        int colon = key != null && key.isString() ? key.asString().indexOf(':') : -1;
        if (colon <= 0
                || colon == key.asString().length() - 1
                || !RequestKeys.KINDS.contains(key.asString().substring(0, colon))) {
            errors.add(new FieldError(at + ".key", "must be kind:value with a kind of " + RequestKeys.KINDS));
        } else {
            normal = RequestKeys.normal(
                    key.asString().substring(0, colon), key.asString().substring(colon + 1));
        }
        JsonNode unlimited = node.get("unlimited");
        boolean hasLimit = node.has("requestsPerSecond");
        Integer rps = null;
        if (unlimited != null) {
            if (!unlimited.isBoolean() || !unlimited.booleanValue()) {
                errors.add(new FieldError(at + ".unlimited", "must be true (or be left out)"));
            } else if (hasLimit) {
                errors.add(new FieldError(at + ".requestsPerSecond", "must be left out when unlimited is true"));
            }
        } else if (!hasLimit) {
            errors.add(new FieldError(at + ".requestsPerSecond", "is required unless unlimited is true"));
        } else {
            rps = whole(node, "requestsPerSecond", at, 0, errors);
        }
        return errors.size() == before ? new FlowRules.KeyException(normal, rps) : null;
    }

    private static boolean object(JsonNode node, String at, String message, List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(at, message));
            return false;
        }
        return true;
    }

    private static void known(JsonNode node, String at, Set<String> fields, List<FieldError> errors) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!fields.contains(e.getKey())) {
                errors.add(new FieldError(at + "." + e.getKey(), "is not a field here; known: " + fields));
            }
        }
    }

    private static int whole(JsonNode node, String field, String at, int min, List<FieldError> errors) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min) {
            errors.add(new FieldError(at + "." + field, "must be a whole number of at least " + min));
            return 0;
        }
        return value.intValue();
    }
}
