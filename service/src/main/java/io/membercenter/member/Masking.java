package io.membercenter.member;

/** How personal data looks to callers without {@code pii:read}, in conflict answers and in logs. */
final class Masking {

    private Masking() {}

    /**
     * Keeps the '+', at most the first 5 and the last 4 digits, and always hides at least 4:
     * {@code +8613800138000 -> +86138****8000}.
     */
    static String mobile(String e164) {
        String digits = e164.startsWith("+") ? e164.substring(1) : e164;
        int hidden = Math.max(4, digits.length() - 9);
        int shown = digits.length() - hidden;
        int tail = Math.min(4, shown);
        int head = Math.min(5, shown - tail);
        return "+" + digits.substring(0, head) + "*".repeat(hidden) + digits.substring(digits.length() - tail);
    }

    /**
     * Keeps the platform and at most the first 2 and the last 2 characters of the externalId, and always
     * hides at least 4: {@code wechat:oXa1b29k -> wechat:oX****9k}, {@code qq:12345 -> qq:****5}.
     */
    static String identity(String platform, String externalId) {
        int hidden = Math.max(4, externalId.length() - 4);
        int shown = Math.max(0, externalId.length() - hidden);
        int head = Math.min(2, shown / 2);
        int tail = Math.min(2, shown - head);
        return platform + ":" + externalId.substring(0, head) + "*".repeat(hidden)
                + externalId.substring(externalId.length() - tail);
    }

    /** Keeps the first character of the local part and the whole domain: {@code l***@example.com}. */
    static String email(String email) {
        int at = email.lastIndexOf('@');
        return email.charAt(0) + "***" + email.substring(at);
    }
}
