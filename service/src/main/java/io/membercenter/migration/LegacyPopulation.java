package io.membercenter.migration;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Makes a legacy population the way the old system left it: mobiles typed four ways, e-mails in upper case,
 * bindings in the side table, and a few rows in every hundred that today's rules refuse: a mobile that is another
 * row's after normalisation (typed differently), a mobile that is no number, an e-mail that is none, a grade that
 * does not exist. Deterministic per key, so a test knows what each row is.
 *
 * <p>Mobiles are {@code +86 199} numbers derived from the key (the tests' own members use 13x-18x), e-mails are
 * {@code U<key>@LEGACY.EXAMPLE.COM}: unique per key, so the only duplicates are the deliberate ones.
 */
final class LegacyPopulation {

    /** Which deliberate break a key carries, if any. */
    enum Defect {
        NONE,
        DUPLICATE_MOBILE,
        INVALID_MOBILE,
        INVALID_EMAIL,
        INVALID_GRADE
    }

    private static final LocalDateTime FIRST_REGISTRATION = LocalDateTime.of(2009, 3, 1, 8, 0);

    private LegacyPopulation() {}

    /** Which break the row at this offset from the population's first key carries (offset 0 has none). */
    static Defect defectOf(long offset) {
        if (offset > 0 && offset % 97 == 0) return Defect.DUPLICATE_MOBILE;
        if (offset > 0 && offset % 101 == 0) return Defect.INVALID_MOBILE;
        if (offset > 0 && offset % 103 == 0) return Defect.INVALID_EMAIL;
        if (offset > 0 && offset % 107 == 0) return Defect.INVALID_GRADE;
        return Defect.NONE;
    }

    /** {@code count} members with keys {@code firstKey, firstKey + 1, ...}. */
    static List<LegacyMember> members(long firstKey, int count) {
        List<LegacyMember> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            members.add(member(firstKey, i));
        }
        return members;
    }

    /** Loads {@code count} members in batches through COPY, reporting the total loaded so far. */
    static void load(LegacySource legacy, long firstKey, int count, LongConsumer progress) {
        int batch = 50_000;
        long loaded = 0;
        for (int from = 0; from < count; from += batch) {
            int size = Math.min(batch, count - from);
            List<LegacyMember> part = new ArrayList<>(size);
            for (int i = from; i < from + size; i++) part.add(member(firstKey, i));
            long before = loaded;
            legacy.insertAll(part, done -> progress.accept(before + done));
            loaded += size;
        }
    }

    static LegacyMember member(long firstKey, long offset) {
        long key = firstKey + offset;
        Defect defect = defectOf(offset);
        String mobile = switch (defect) {
            case DUPLICATE_MOBILE -> typedMobile(key - 1, offset + 1); // the previous row's number, typed otherwise
            case INVALID_MOBILE -> "138 0013";
            default -> typedMobile(key, offset);
        };
        String email = defect == Defect.INVALID_EMAIL ? "U" + key + " AT LEGACY" : "U" + key + "@LEGACY.EXAMPLE.COM";
        int grade = defect == Defect.INVALID_GRADE ? 9 : (int) (offset % 5);
        String state = offset % 50 == 7 ? "F" : offset % 50 == 9 ? "C" : "A";
        List<LegacyMember.Binding> bindings = new ArrayList<>();
        if (offset % 3 == 0) bindings.add(new LegacyMember.Binding("WX", "o" + Long.toHexString(key * 2654435761L)));
        if (offset % 7 == 0) bindings.add(new LegacyMember.Binding("QQ", Long.toString(100_000L + key)));
        return new LegacyMember(
                key,
                mobile,
                email,
                offset % 4 == 0 ? null : "会员" + key,
                grade,
                state,
                FIRST_REGISTRATION.plusMinutes(offset * 7),
                bindings);
    }

    /** The key's number, {@code 199} and eight digits, in one of the four ways the old system's forms let it be typed. */
    static String typedMobile(long key, long style) {
        String digits = String.format("199%08d", key % 100_000_000L);
        return switch ((int) (style % 4)) {
            case 0 -> digits.substring(0, 3) + " " + digits.substring(3, 7) + " " + digits.substring(7);
            case 1 -> "+86-" + digits.substring(0, 3) + "-" + digits.substring(3, 7) + "-" + digits.substring(7);
            case 2 -> digits;
            default -> "0086 " + digits;
        };
    }
}
