package io.membercenter.flow;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a {@code /v1} request is, for flow control: its endpoint group and the keys it asks for — {@code
 * member:<id>}, {@code mobile:<E.164>}, {@code email:<lower case>}, {@code identity:<platform>/<externalId>}.
 * Keys are compared in these normal forms, so {@code /v1/members/007} and {@code "memberIds": [7]} are one
 * key, as an e-mail in any case is. They carry personal data: they stay in memory, never in a log or a
 * metric label. A request the route will refuse (a malformed id or body) is still counted as asked; the
 * controller answers its 400 as before.
 */
final class RequestKeys {

    static final List<String> KINDS = List.of("member", "mobile", "email", "identity");

    record Classified(EndpointGroup group, List<String> keys) {}

    private RequestKeys() {}

    /**
     * @param path the raw request path (percent-encoded, as sent), without the context path
     * @param body the body of a batch-get (null for other requests)
     */
    static Classified classify(String method, String path, byte[] body, JsonMapper json) {
        // Decoded segments without path parameters, empty and "." segments: /v1;x//members/./7 is
        // /v1/members/7 to the router, so it is to flow control. A decoded %2F stays inside its segment.
        List<String> s = new ArrayList<>();
        for (String raw : path.split("/")) {
            String segment = decode(raw);
            if (!segment.isEmpty() && !segment.equals(".")) s.add(segment);
        }
        boolean members = s.size() >= 2 && s.get(0).equals("v1") && s.get(1).equals("members");
        if ("GET".equals(method)) {
            if (!members || s.size() < 3) return new Classified(EndpointGroup.READS, List.of());
            if (s.size() == 3) return new Classified(EndpointGroup.READS, List.of(normal("member", s.get(2))));
            return switch (s.get(2)) {
                case "by-mobile" -> new Classified(EndpointGroup.READS, List.of(normal("mobile", s.get(3))));
                case "by-email" -> new Classified(EndpointGroup.READS, List.of(normal("email", s.get(3))));
                case "by-identity" ->
                    s.size() >= 5
                            ? new Classified(
                                    EndpointGroup.READS, List.of(normal("identity", s.get(3) + "/" + s.get(4))))
                            : new Classified(EndpointGroup.READS, List.of());
                default -> new Classified(EndpointGroup.READS, List.of());
            };
        }
        if ("POST".equals(method) && members && s.size() == 3) {
            if (s.get(2).equals("batch-get")) return new Classified(EndpointGroup.BATCH, batchKeys(body, json));
            if (s.get(2).equals("search")) return new Classified(EndpointGroup.SEARCH, List.of());
        }
        return new Classified(EndpointGroup.WRITES, List.of());
    }

    /** Every id of {@code {"memberIds": [...]}} counts, as often as it is listed; a malformed body counts none. */
    private static List<String> batchKeys(byte[] body, JsonMapper json) {
        if (body == null || body.length == 0) return List.of();
        JsonNode ids;
        try {
            ids = json.readTree(body).path("memberIds");
        } catch (RuntimeException malformed) {
            return List.of();
        }
        if (!ids.isArray()) return List.of();
        List<String> keys = new ArrayList<>(ids.size());
        for (JsonNode id : ids) {
            if (id.isString() || id.isIntegralNumber()) keys.add(normal("member", id.asString()));
        }
        return keys;
    }

    /** The normal form of a key of the given kind, as requests and configured exceptions are compared. */
    static String normal(String kind, String value) {
        return switch (kind) {
            case "member" -> "member:" + canonicalId(value);
            case "email" -> "email:" + value.toLowerCase(Locale.ROOT);
            default -> kind + ":" + value;
        };
    }

    private static String canonicalId(String value) {
        if (value.isEmpty() || value.length() > 19) return value;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') return value;
        }
        try {
            return Long.toString(Long.parseLong(value));
        } catch (NumberFormatException tooLarge) {
            return value;
        }
    }

    /** A path segment without its path parameters ({@code ;x}), percent-decoded; {@code +} stays a plus. */
    private static String decode(String segment) {
        int semicolon = segment.indexOf(';');
        String bare = semicolon < 0 ? segment : segment.substring(0, semicolon);
        try {
            return UriUtils.decode(bare, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return bare;
        }
    }
}
