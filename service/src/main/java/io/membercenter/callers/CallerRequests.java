package io.membercenter.callers;

import io.membercenter.api.BadRequestException;
import io.membercenter.api.BadRequestException.FieldError;
import io.membercenter.flow.FlowControl;
import io.membercenter.traffic.Scope;
import io.membercenter.traffic.TrafficClass;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bodies of {@code POST /admin/callers} and {@code PATCH /admin/callers/{name}}, checked whole: every bad
 * field is named in one 400, and nothing is written unless all are good.
 *
 * <pre>{@code
 * POST  {"name": "crm-service", "trafficClass": "DEFAULT", "scopes": ["member:read"], "limits": null | QUOTA}
 * PATCH {"trafficClass": ..., "scopes": [...], "limits": null | QUOTA, "rotateKey": true, "revokeKey": "<key id>"}
 * }</pre>
 * QUOTA is the shape of a quota in {@code /admin/flow-rules}' {@code flow} section, checked by flow control.
 */
final class CallerRequests {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{" + RegisteredCaller.Key.ID_LENGTH + ",64}");
    private static final Set<String> CREATE_FIELDS = Set.of("name", "trafficClass", "scopes", "limits");
    private static final Set<String> CHANGE_FIELDS =
            Set.of("trafficClass", "scopes", "limits", "rotateKey", "revokeKey");

    record Create(String name, TrafficClass trafficClass, Set<Scope> scopes, String limits) {}

    private final FlowControl flow;
    private final JsonMapper json;

    CallerRequests(FlowControl flow, JsonMapper json) {
        this.flow = flow;
        this.json = json;
    }

    Create create(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        object(body, CREATE_FIELDS, errors);
        if (!errors.isEmpty()) throw invalid(errors);
        JsonNode name = body.get("name");
        if (name == null || !name.isString() || !NAME.matcher(name.asString()).matches()) {
            errors.add(new FieldError(
                    "name", "is required: 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit"));
        }
        TrafficClass trafficClass = body.has("trafficClass") ? trafficClass(body.get("trafficClass"), errors) : null;
        Set<Scope> scopes = scopes(body.get("scopes"), errors);
        String limits = body.has("limits") ? limits(body.get("limits"), errors) : null;
        if (!errors.isEmpty()) throw invalid(errors);
        return new Create(name.asString(), trafficClass, scopes, limits);
    }

    /** A PATCH's change; {@code newKeySha256} is the hash of the key the caller will be shown, when rotating. */
    CallerStore.Change change(JsonNode body, String newKeySha256) {
        List<FieldError> errors = new ArrayList<>();
        object(body, CHANGE_FIELDS, errors);
        if (!errors.isEmpty()) throw invalid(errors);
        if (body.isEmpty()) {
            errors.add(new FieldError("body", "must change something: one of " + CHANGE_FIELDS));
        }
        boolean changesClass = body.has("trafficClass");
        TrafficClass trafficClass = changesClass ? trafficClass(body.get("trafficClass"), errors) : null;
        Set<Scope> scopes = body.has("scopes") ? scopes(body.get("scopes"), errors) : null;
        boolean changesLimits = body.has("limits");
        String limits = changesLimits ? limits(body.get("limits"), errors) : null;
        boolean rotate = false;
        if (body.has("rotateKey")) {
            JsonNode r = body.get("rotateKey");
            if (!r.isBoolean()) errors.add(new FieldError("rotateKey", "must be true or false"));
            else rotate = r.booleanValue();
        }
        String revoke = null;
        if (body.has("revokeKey")) {
            JsonNode r = body.get("revokeKey");
            if (!r.isString() || !KEY_ID.matcher(r.asString()).matches()) {
                errors.add(new FieldError(
                        "revokeKey",
                        "must be the id of a key (its first " + RegisteredCaller.Key.ID_LENGTH
                                + " or more hex digits of SHA-256, as GET shows it)"));
            } else {
                revoke = r.asString();
            }
        }
        if (!errors.isEmpty()) throw invalid(errors);
        return new CallerStore.Change(
                trafficClass, changesClass, scopes, limits, changesLimits, rotate ? newKeySha256 : null, revoke);
    }

    private static void object(JsonNode body, Set<String> fields, List<FieldError> errors) {
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("body", "must be a JSON object"));
            return;
        }
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!fields.contains(e.getKey())) {
                errors.add(new FieldError(e.getKey(), "is not a field here; known: " + fields));
            }
        }
    }

    /** null (an admin-only caller, authenticated as DEFAULT) or ORDER, MARKETING, DEFAULT. */
    private static TrafficClass trafficClass(JsonNode node, List<FieldError> errors) {
        if (node.isNull()) return null;
        if (node.isString()) {
            for (TrafficClass c : TrafficClass.values()) if (c.name().equals(node.asString())) return c;
        }
        errors.add(new FieldError("trafficClass", "must be ORDER, MARKETING, DEFAULT or null"));
        return null;
    }

    private static Set<Scope> scopes(JsonNode node, List<FieldError> errors) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (node == null || !node.isArray() || node.isEmpty()) {
            errors.add(new FieldError(
                    "scopes", "is required: a non-empty array of member:read, member:write, pii:read, admin"));
            return scopes;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode label = node.get(i);
            Scope scope = label.isString() ? Scope.ofLabel(label.asString()) : null;
            if (scope == null) {
                errors.add(new FieldError(
                        "scopes[" + i + "]", "is not a scope; known: member:read, member:write, pii:read, admin"));
            } else {
                scopes.add(scope);
            }
        }
        return scopes;
    }

    /** The quota in its normal form, as JSON text, or null for "its class's quota". */
    private String limits(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) return null;
        Map<String, Object> normal = flow.checkCallerQuota(node, "limits", errors);
        return normal == null ? null : json.writeValueAsString(normal);
    }

    private static BadRequestException invalid(List<FieldError> errors) {
        return new BadRequestException("The caller is invalid; nothing was changed.", errors);
    }
}
