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
 *   "callers": {"app-backend": QUOTA}                                        // optional: replaces its class's quota
 * }
 * QUOTA = {"groups": {"reads"|"writes"|"search"|"batch": {"requestsPerSecond": n, "concurrent": n}},  // all four
 *          "hotKey": null | {"requestsPerSecond": n,
 *                            "exceptions": [{"key": "member:1", "unlimited": true} | {"key": "...", "requestsPerSecond": n}]}}
 * }</pre>
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
        Map<String, Object> flow = new LinkedHashMap<>();
        flow.put("classes", classes);
        flow.put("callers", callers);
        return flow;
    }

    private static Map<String, Object> view(FlowRules.Quota quota) {
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

    /** The rules of a PUT's {@code flow} section, or null with the problems added to {@code errors}. */
    static FlowRules parse(JsonNode flow, String prefix, List<FieldError> errors) {
        int before = errors.size();
        if (!object(flow, prefix, "must be an object with classes and, optionally, callers", errors)) return null;
        known(flow, prefix, Set.of("classes", "callers"), errors);
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
        return errors.size() == before ? new FlowRules(classes, callers) : null;
    }

    private static TrafficClass trafficClass(String name) {
        for (TrafficClass c : TrafficClass.values()) if (c.name().equals(name)) return c;
        return null;
    }

    private static FlowRules.Quota quota(JsonNode node, String at, List<FieldError> errors) {
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
