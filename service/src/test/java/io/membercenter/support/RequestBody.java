package io.membercenter.support;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON request body of the /v1 API (create, patch, bind, batch-get, search), built with Jackson so every value is
 * escaped as JSON requires: an external id with a quote or a backslash in it stays one string. Bodies that must be
 * malformed (the 400 tests) are written out as text instead.
 *
 * <pre>{@code
 * RequestBody.create(mobile, email)                                  // {"mobile":..,"email":..,"nickname":"Test"}
 * RequestBody.object().with("nickname", "x").with("email", null)    // a merge patch: null removes
 * RequestBody.bind("wechat", externalId)                             // {"platform":"wechat","externalId":..}
 * RequestBody.batchGet(a, b)                                         // {"memberIds":[a,b]}
 * RequestBody.object().with("platform", p).withArray("level", "GOLD").with("limit", 4)   // a search filter
 * }</pre>
 */
public final class RequestBody {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectNode node;

    private RequestBody(ObjectNode node) {
        this.node = node;
    }

    /** {@code {}} */
    public static RequestBody object() {
        return new RequestBody(JSON.createObjectNode());
    }

    /** A create with the nickname {@code Test}; a null mobile or e-mail is left out. */
    public static RequestBody create(String mobile, String email) {
        RequestBody body = object();
        if (mobile != null) body.with("mobile", mobile);
        if (email != null) body.with("email", email);
        return body.with("nickname", "Test");
    }

    /** The body of {@code POST /v1/members/{id}/identities}. */
    public static RequestBody bind(String platform, String externalId) {
        return object().with("platform", platform).with("externalId", externalId);
    }

    /** The body of {@code POST /v1/members/batch-get}, the ids as strings. */
    public static RequestBody batchGet(String... memberIds) {
        return object().withArray("memberIds", memberIds);
    }

    /** Sets a string field; {@code null} writes JSON {@code null} (in a merge patch: remove). */
    public RequestBody with(String field, String value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
        return this;
    }

    public RequestBody with(String field, long value) {
        node.put(field, value);
        return this;
    }

    /** Sets a field to an array of strings. */
    public RequestBody withArray(String field, String... values) {
        ArrayNode array = node.putArray(field);
        for (String value : values) array.add(value);
        return this;
    }

    /** Appends a number to an array field (batch-get also takes ids as JSON numbers). */
    public RequestBody withNumberIn(String field, long value) {
        arrayOf(field).add(value);
        return this;
    }

    /** Appends {@code {"platform":..,"externalId":..}} to {@code identities}. */
    public RequestBody withIdentity(String platform, String externalId) {
        arrayOf("identities").addObject().put("platform", platform).put("externalId", externalId);
        return this;
    }

    /** The body as JSON text. */
    public String json() {
        return JSON.writeValueAsString(node);
    }

    @Override
    public String toString() {
        return json();
    }

    private ArrayNode arrayOf(String field) {
        return node.get(field) instanceof ArrayNode array ? array : node.putArray(field);
    }
}
