package io.membercenter.member;

import io.membercenter.api.BadRequestException;
import io.membercenter.api.BadRequestException.FieldError;
import io.membercenter.search.SearchFilter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads and validates request bodies. Every problem found is reported at once, one entry per
 * field, and nothing is written when there is any.
 */
final class MemberRequests {

    static final Pattern MOBILE = Pattern.compile("\\+[1-9][0-9]{7,14}");
    static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
    static final Pattern PLATFORM = Pattern.compile("[a-z0-9_-]{1,32}");
    static final Pattern EXTERNAL_ID = Pattern.compile("[!-~]{1,128}");
    static final int MAX_BATCH = 100;
    private static final Pattern MEMBER_ID = Pattern.compile("[0-9]{1,19}");

    private static final Set<String> CREATE_FIELDS =
            Set.of("mobile", "email", "nickname", "level", "status", "identities");
    private static final Set<String> PATCH_FIELDS = Set.of("mobile", "email", "nickname", "level", "status");

    /** A validated create request. */
    record NewMember(
            String mobile,
            String email,
            String nickname,
            Member.Level level,
            Member.Status status,
            List<Member.Identity> identities) {}

    private MemberRequests() {}

    static NewMember newMember(JsonNode body) {
        Errors errors = new Errors();
        requireObject(body, CREATE_FIELDS, errors);
        String mobile = optionalText(body, "mobile", errors, MemberRequests::checkMobile);
        String email = optionalText(body, "email", errors, MemberRequests::checkEmail);
        String nickname = optionalText(body, "nickname", errors, MemberRequests::checkNickname);
        Member.Level level = enumField(body, "level", Member.Level.class, Member.Level.NORMAL, errors);
        Member.Status status = enumField(body, "status", Member.Status.class, Member.Status.ACTIVE, errors);
        List<Member.Identity> identities = identities(body.get("identities"), errors);
        if (errors.isEmpty() && mobile == null && email == null && identities.isEmpty()) {
            errors.add("mobile", "a member needs at least one of mobile, email or identities");
        }
        errors.throwIfAny();
        return new NewMember(
                mobile,
                email == null ? null : email.toLowerCase(java.util.Locale.ROOT),
                nickname,
                level,
                status,
                identities);
    }

    /** A JSON merge patch (RFC 7396) as a change to apply to the current member. */
    static UnaryOperator<Member> patch(JsonNode body) {
        Errors errors = new Errors();
        requireObject(body, PATCH_FIELDS, errors);
        List<UnaryOperator<Member>> changes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "mobile" -> {
                    String mobile = nullableText(value, "mobile", errors, MemberRequests::checkMobile);
                    changes.add(m -> m.withMobile(mobile));
                }
                case "email" -> {
                    String email = nullableText(value, "email", errors, MemberRequests::checkEmail);
                    String normalized = email == null ? null : email.toLowerCase(java.util.Locale.ROOT);
                    changes.add(m -> m.withEmail(normalized));
                }
                case "nickname" -> {
                    String nickname = nullableText(value, "nickname", errors, MemberRequests::checkNickname);
                    changes.add(m -> m.withNickname(nickname));
                }
                case "level" -> {
                    Member.Level level = enumField(body, "level", Member.Level.class, null, errors);
                    if (level == null) errors.add("level", "must be one of " + List.of(Member.Level.values()));
                    changes.add(m -> m.withLevel(level));
                }
                case "status" -> {
                    Member.Status status = enumField(body, "status", Member.Status.class, null, errors);
                    if (status == null) errors.add("status", "must be one of " + List.of(Member.Status.values()));
                    changes.add(m -> m.withStatus(status));
                }
                default -> {} // reported by requireObject
            }
        }
        errors.throwIfAny();
        return member -> {
            Member result = member;
            for (UnaryOperator<Member> change : changes) result = change.apply(result);
            return result;
        };
    }

    static Member.Identity identity(JsonNode body) {
        Errors errors = new Errors();
        requireObject(body, Set.of("platform", "externalId"), errors);
        Member.Identity identity = identityFields(body, "", errors);
        errors.throwIfAny();
        return identity;
    }

    static Member.Identity identity(String platform, String externalId) {
        Errors errors = new Errors();
        checkIdentity(platform, externalId, "", errors);
        errors.throwIfAny();
        return new Member.Identity(platform, externalId);
    }

    static List<Long> memberIds(JsonNode body) {
        Errors errors = new Errors();
        requireObject(body, Set.of("memberIds"), errors);
        errors.throwIfAny();
        JsonNode ids = body.get("memberIds");
        if (ids == null || !ids.isArray()) {
            throw BadRequestException.field("memberIds", "must be an array of member ids");
        }
        if (ids.isEmpty() || ids.size() > MAX_BATCH) {
            throw BadRequestException.field("memberIds", "must hold 1 to " + MAX_BATCH + " ids, got " + ids.size());
        }
        Set<Long> result = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            String text = id.isString() ? id.asString() : id.isIntegralNumber() ? id.asString() : null;
            Long parsed = text == null ? null : parseMemberId(text);
            if (parsed == null) {
                errors.add("memberIds[" + i + "]", "must be a member id (a positive decimal number)");
            } else {
                result.add(parsed);
            }
        }
        errors.throwIfAny();
        return List.copyOf(result);
    }

    private static final Set<String> SEARCH_FIELDS =
            Set.of("level", "status", "platform", "createdFrom", "createdTo", "limit", "after");
    static final int MAX_SEARCH_LIMIT = 1000;

    /** A validated search filter; the cursor is opaque to callers (base64url of createdAt:memberId). */
    static SearchFilter searchFilter(JsonNode body) {
        Errors errors = new Errors();
        requireObject(body, SEARCH_FIELDS, errors);
        List<String> levels = enumNames(body.get("level"), "level", Member.Level.class, errors);
        List<String> statuses = enumNames(body.get("status"), "status", Member.Status.class, errors);
        String platform = optionalText(body, "platform", errors, (field, value, e) -> {
            if (!PLATFORM.matcher(value).matches()) e.add(field, "must be 1-32 characters of [a-z0-9_-]");
        });
        Long from = instant(body.get("createdFrom"), "createdFrom", errors);
        Long to = instant(body.get("createdTo"), "createdTo", errors);
        if (from != null && to != null && from >= to) errors.add("createdTo", "must be after createdFrom");
        int limit = 100;
        JsonNode limitNode = body.get("limit");
        if (limitNode != null && !limitNode.isNull()) {
            // canConvertToInt first: asInt/asLong of a number beyond their range fails (e.g. 10^23) instead of
            // answering.
            if (!limitNode.isIntegralNumber()
                    || !limitNode.canConvertToInt()
                    || limitNode.asInt() < 1
                    || limitNode.asInt() > MAX_SEARCH_LIMIT) {
                errors.add("limit", "must be a whole number from 1 to " + MAX_SEARCH_LIMIT);
            } else {
                limit = limitNode.asInt();
            }
        }
        SearchFilter.Position after = cursor(body.get("after"), errors);
        errors.throwIfAny();
        return new SearchFilter(levels, statuses, platform, from, to, limit, after);
    }

    static String cursorOf(SearchFilter.Position position) {
        String raw = position.createdAtMillis() + ":" + position.memberId();
        return java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static SearchFilter.Position cursor(JsonNode value, Errors errors) {
        if (value == null || value.isNull()) return null;
        try {
            String raw = new String(
                    java.util.Base64.getUrlDecoder().decode(value.asString()), java.nio.charset.StandardCharsets.UTF_8);
            String[] parts = raw.split(":");
            return new SearchFilter.Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (RuntimeException e) {
            errors.add("after", "must be a cursor returned as 'next' by a previous search");
            return null;
        }
    }

    private static <E extends Enum<E>> List<String> enumNames(
            JsonNode value, String field, Class<E> type, Errors errors) {
        if (value == null || value.isNull()) return List.of();
        if (!value.isArray()) {
            errors.add(field, "must be an array of " + List.of(type.getEnumConstants()));
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (JsonNode item : value) {
            boolean known = item.isString()
                    && java.util.Arrays.stream(type.getEnumConstants())
                            .anyMatch(c -> c.name().equals(item.asString()));
            if (known) names.add(item.asString());
            else errors.add(field, "must hold only " + List.of(type.getEnumConstants()));
        }
        return names;
    }

    private static Long instant(JsonNode value, String field, Errors errors) {
        if (value == null || value.isNull()) return null;
        try {
            return java.time.OffsetDateTime.parse(value.asString()).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            errors.add(field, "must be an RFC 3339 instant, e.g. 2026-11-22T10:15:30Z");
            return null;
        }
    }

    static long memberId(String text) {
        Long id = parseMemberId(text);
        if (id == null) throw BadRequestException.field("memberId", "must be a positive decimal number");
        return id;
    }

    static String mobile(String text) {
        Errors errors = new Errors();
        checkMobile("mobile", text, errors);
        errors.throwIfAny();
        return text;
    }

    static String email(String text) {
        Errors errors = new Errors();
        checkEmail("email", text, errors);
        errors.throwIfAny();
        return text.toLowerCase(java.util.Locale.ROOT);
    }

    private static Long parseMemberId(String text) {
        if (text == null || !MEMBER_ID.matcher(text).matches()) return null;
        try {
            long id = Long.parseLong(text);
            return id > 0 ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void requireObject(JsonNode body, Set<String> allowed, Errors errors) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("The body must be a JSON object.", List.of());
        }
        for (String name : body.propertyNames()) {
            if (!allowed.contains(name))
                errors.add(name, "unknown or read-only field; allowed: " + new java.util.TreeSet<>(allowed));
        }
    }

    private interface Check {
        void check(String field, String value, Errors errors);
    }

    private static String optionalText(JsonNode body, String field, Errors errors, Check check) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) return null;
        return nullableText(value, field, errors, check);
    }

    private static String nullableText(JsonNode value, String field, Errors errors, Check check) {
        if (value == null || value.isNull()) return null;
        if (!value.isString()) {
            errors.add(field, "must be a string");
            return null;
        }
        check.check(field, value.asString(), errors);
        return value.asString();
    }

    private static <E extends Enum<E>> E enumField(
            JsonNode body, String field, Class<E> type, E fallback, Errors errors) {
        JsonNode value = body.get(field);
        if (value == null) return fallback;
        if (value.isString()) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(value.asString())) return constant;
            }
        }
        errors.add(field, "must be one of " + List.of(type.getEnumConstants()));
        return fallback;
    }

    private static List<Member.Identity> identities(JsonNode value, Errors errors) {
        if (value == null || value.isNull()) return List.of();
        if (!value.isArray()) {
            errors.add("identities", "must be an array of {platform, externalId}");
            return List.of();
        }
        Set<Member.Identity> result = new LinkedHashSet<>();
        Iterator<JsonNode> items = value.iterator();
        for (int i = 0; items.hasNext(); i++) {
            JsonNode item = items.next();
            String prefix = "identities[" + i + "].";
            if (!item.isObject()) {
                errors.add("identities[" + i + "]", "must be an object {platform, externalId}");
                continue;
            }
            for (String name : item.propertyNames()) {
                if (!name.equals("platform") && !name.equals("externalId")) errors.add(prefix + name, "unknown field");
            }
            Member.Identity identity = identityFields(item, prefix, errors);
            if (identity != null && !result.add(identity)) {
                errors.add("identities[" + i + "]", "the same identity is listed twice");
            }
        }
        return List.copyOf(result);
    }

    private static Member.Identity identityFields(JsonNode node, String prefix, Errors errors) {
        JsonNode platform = node.get("platform");
        JsonNode externalId = node.get("externalId");
        if (platform == null || !platform.isString())
            errors.add(prefix + "platform", "is required and must be a string");
        if (externalId == null || !externalId.isString())
            errors.add(prefix + "externalId", "is required and must be a string");
        if (platform == null || !platform.isString() || externalId == null || !externalId.isString()) return null;
        return checkIdentity(platform.asString(), externalId.asString(), prefix, errors)
                ? new Member.Identity(platform.asString(), externalId.asString())
                : null;
    }

    private static boolean checkIdentity(String platform, String externalId, String prefix, Errors errors) {
        boolean ok = true;
        if (!PLATFORM.matcher(platform).matches()) {
            errors.add(prefix + "platform", "must be 1-32 characters of [a-z0-9_-]");
            ok = false;
        }
        if (!EXTERNAL_ID.matcher(externalId).matches()) {
            errors.add(prefix + "externalId", "must be 1-128 printable ASCII characters without space");
            ok = false;
        }
        return ok;
    }

    /**
     * The create's field rules, for a member imported from another store: one reason per broken rule (field name
     * and rule, never the value). The fields are expected normalised already (e-mail lower-case).
     */
    static List<String> importProblems(String mobile, String email, String nickname, List<Member.Identity> identities) {
        Errors errors = new Errors();
        if (mobile != null) checkMobile("mobile", mobile, errors);
        if (email != null) checkEmail("email", email, errors);
        if (nickname != null) checkNickname("nickname", nickname, errors);
        for (int i = 0; i < identities.size(); i++) {
            Member.Identity identity = identities.get(i);
            checkIdentity(identity.platform(), identity.externalId(), "identities[" + i + "].", errors);
        }
        if (mobile == null && email == null && identities.isEmpty()) {
            errors.add("mobile", "a member needs at least one of mobile, email or identities");
        }
        return errors.list.stream().map(e -> e.field() + ": " + e.message()).toList();
    }

    private static void checkMobile(String field, String value, Errors errors) {
        if (!MOBILE.matcher(value).matches()) errors.add(field, "must be E.164: '+' and 8-15 digits");
    }

    private static void checkEmail(String field, String value, Errors errors) {
        if (value.length() > 254 || !EMAIL.matcher(value).matches()) errors.add(field, "must be an e-mail address");
    }

    private static void checkNickname(String field, String value, Errors errors) {
        int codePoints = value.codePointCount(0, value.length());
        if (codePoints < 1 || codePoints > 64) {
            errors.add(field, "must be 1-64 characters");
            return;
        }
        boolean clean = value.codePoints()
                .noneMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE);
        if (!clean) errors.add(field, "must not contain control characters or broken surrogates");
    }

    /** Collects field errors so one answer names them all. */
    private static final class Errors {
        private final List<FieldError> list = new ArrayList<>();

        void add(String field, String message) {
            list.add(new FieldError(field, message));
        }

        boolean isEmpty() {
            return list.isEmpty();
        }

        void throwIfAny() {
            if (!list.isEmpty()) throw new BadRequestException("The request has invalid fields.", list);
        }
    }
}
