package io.membercenter.migration;

import io.membercenter.member.Member;
import io.membercenter.member.MemberImport;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The legacy schema mapped onto member-center's: what each legacy column becomes, normalised to today's forms.
 * Values that cannot be mapped are reasons, never guesses; today's field rules are then the member store's own
 * ({@link MemberImport#problems}). Full sync, incremental sync and verify all map through here, so verify
 * compares the same normal form the syncs wrote.
 *
 * <ul>
 *   <li>{@code user_no} is the member id: legacy keys are small positive numbers, far below the ids member-center
 *       generates (milliseconds since 2026 shifted left 22 bits), so the two never meet, and a re-run finds the
 *       member an earlier run created.</li>
 *   <li>{@code mobile_no}: spaces, dashes, dots and brackets dropped; {@code 00} becomes {@code +}; eleven digits
 *       starting with 1 are a mainland number ({@code +86}); {@code 86} and eleven digits likewise. What is still
 *       not E.164 is refused.</li>
 *   <li>{@code email_addr}: trimmed, lower-cased (the old system stored what was typed).</li>
 *   <li>{@code vip_grade} 0-4: NORMAL to DIAMOND; {@code state_cd} A/F/C: ACTIVE, FROZEN, CLOSED.</li>
 *   <li>{@code reg_time}: the old system's local time (Asia/Shanghai), to the millisecond.</li>
 *   <li>{@code t_user_bind}: {@code WX} is {@code wechat}, {@code QQ} {@code qq}, {@code ALIPAY} {@code alipay},
 *       others lower-cased; a binding listed twice counts once.</li>
 * </ul>
 *
 * <p>The dual write maps the other way ({@link #toLegacy}): today's forms go back as they are (an E.164 mobile, a
 * lower-case e-mail, which map to themselves), the level as its grade, the status as its letter, the creation
 * time in the old system's zone, the platforms as their codes; so a member written back maps to itself again and
 * the incremental sync finds nothing to change.
 */
final class LegacyMapping {

    static final ZoneId LEGACY_ZONE = ZoneId.of("Asia/Shanghai");

    /**
     * Legacy keys are below this; member-center's generated ids (milliseconds since 2026 shifted left 22 bits) are
     * above it since 2026-01-03, so a member created in member-center and written back by the dual write sits in
     * the legacy store outside its key space, and the full sync, verify and the legacy writer, which work on that
     * key space, never take it for one of the old system's members.
     */
    static final long LEGACY_KEYS_BELOW = 1_000_000_000_000_000L;

    private static final Member.Level[] GRADES = Member.Level.values();
    private static final Map<String, Member.Status> STATES =
            Map.of("A", Member.Status.ACTIVE, "F", Member.Status.FROZEN, "C", Member.Status.CLOSED);
    private static final Map<String, String> PLATFORMS = Map.of("WX", "wechat", "QQ", "qq", "ALIPAY", "alipay");

    /** A mapped member, or the reasons it cannot be one (no value in clear). */
    sealed interface Mapped {}

    record Valid(MemberImport.Imported member) implements Mapped {}

    record Invalid(String reason) implements Mapped {}

    private final MemberImport members;

    LegacyMapping(MemberImport members) {
        this.members = members;
    }

    static long memberIdOf(long legacyKey) {
        return legacyKey;
    }

    Mapped map(LegacyMember legacy) {
        List<String> problems = new ArrayList<>();
        Member.Level level = Member.Level.NORMAL;
        if (legacy.grade() != null) {
            if (legacy.grade() < 0 || legacy.grade() >= GRADES.length) {
                problems.add("vip_grade: " + legacy.grade() + " is no grade (0-4)");
            } else {
                level = GRADES[legacy.grade()];
            }
        }
        Member.Status status = Member.Status.ACTIVE;
        if (legacy.state() != null && !legacy.state().isBlank()) {
            status = STATES.get(legacy.state().strip().toUpperCase(Locale.ROOT));
            if (status == null) {
                problems.add("state_cd: unknown state code");
                status = Member.Status.ACTIVE;
            }
        }
        MemberImport.Imported imported = new MemberImport.Imported(
                memberIdOf(legacy.key()),
                mobile(legacy.mobile()),
                email(legacy.email()),
                blankToNull(legacy.nickname()),
                level,
                status,
                identities(legacy.bindings()),
                legacy.registeredAt() == null
                        ? Instant.EPOCH
                        : legacy.registeredAt().atZone(LEGACY_ZONE).toInstant().truncatedTo(ChronoUnit.MILLIS));
        problems.addAll(members.problems(imported));
        return problems.isEmpty() ? new Valid(imported) : new Invalid(String.join("; ", problems));
    }

    /** The member as a legacy row under its id: the reverse of {@link #map}. */
    static LegacyMember toLegacy(Member member) {
        List<LegacyMember.Binding> bindings = new ArrayList<>();
        for (Member.Identity identity : member.identities()) {
            String code = PLATFORMS.entrySet().stream()
                    .filter(e -> e.getValue().equals(identity.platform()))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse(identity.platform().toUpperCase(Locale.ROOT));
            bindings.add(new LegacyMember.Binding(code, identity.externalId()));
        }
        return new LegacyMember(
                member.memberId(),
                member.mobile(),
                member.email(),
                member.nickname(),
                member.level().ordinal(),
                member.status().name().substring(0, 1),
                LocalDateTime.ofInstant(member.createdAt(), LEGACY_ZONE),
                bindings);
    }

    /** Whether the legacy row already maps to exactly this member (nothing to write back). */
    boolean mapsTo(LegacyMember row, Member member) {
        return map(row) instanceof Valid valid
                && differences(valid.member(), member).isEmpty();
    }

    static String mobile(String raw) {
        String digits = blankToNull(raw);
        if (digits == null) {
            return null;
        }
        digits = digits.replaceAll("[\\s\\-().]", "");
        if (digits.startsWith("00")) {
            digits = "+" + digits.substring(2);
        }
        if (digits.startsWith("+")) {
            return digits;
        }
        if (digits.length() == 11 && digits.startsWith("1")) {
            return "+86" + digits;
        }
        if (digits.length() == 13 && digits.startsWith("861")) {
            return "+" + digits;
        }
        return digits; // not E.164: refused by the rules, with the reason
    }

    static String email(String raw) {
        String value = blankToNull(raw);
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    static List<Member.Identity> identities(List<LegacyMember.Binding> bindings) {
        TreeSet<Member.Identity> unique = new TreeSet<>(
                Comparator.comparing(Member.Identity::platform).thenComparing(Member.Identity::externalId));
        for (LegacyMember.Binding binding : bindings) {
            String code = binding.platform().strip().toUpperCase(Locale.ROOT);
            unique.add(new Member.Identity(
                    PLATFORMS.getOrDefault(code, code.toLowerCase(Locale.ROOT)),
                    binding.openId().strip()));
        }
        return List.copyOf(unique);
    }

    /** The fields of a member that differ from what the legacy row maps to, by name. */
    static List<String> differences(MemberImport.Imported expected, Member actual) {
        List<String> fields = new ArrayList<>();
        if (!java.util.Objects.equals(expected.mobile(), actual.mobile())) fields.add("mobile");
        if (!java.util.Objects.equals(expected.email(), actual.email())) fields.add("email");
        if (!java.util.Objects.equals(expected.nickname(), actual.nickname())) fields.add("nickname");
        if (expected.level() != actual.level()) fields.add("level");
        if (expected.status() != actual.status()) fields.add("status");
        if (!sorted(expected.identities()).equals(sorted(actual.identities()))) fields.add("identities");
        if (!expected.createdAt().equals(actual.createdAt())) fields.add("createdAt");
        return fields;
    }

    private static List<Member.Identity> sorted(List<Member.Identity> identities) {
        return identities.stream()
                .sorted(Comparator.comparing(Member.Identity::platform).thenComparing(Member.Identity::externalId))
                .toList();
    }

    private static String blankToNull(String value) {
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        return stripped.isEmpty() ? null : stripped;
    }
}
