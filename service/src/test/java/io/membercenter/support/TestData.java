package io.membercenter.support;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Identifiers no other test uses, so tests share one database without cleaning it. */
public final class TestData {

    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private TestData() {}

    /** A fresh E.164 mobile (+86 and 11 digits). */
    public static String mobile() {
        long n = SEQUENCE.incrementAndGet() % 100_000_000L;
        return "+861" + (3 + ThreadLocalRandom.current().nextInt(6)) + String.format("%09d", n * 7 % 1_000_000_000L);
    }

    public static String email() {
        return "user" + SEQUENCE.incrementAndGet() + "."
                + ThreadLocalRandom.current().nextInt(1_000_000) + "@example.com";
    }

    public static String externalId() {
        return "ext-" + SEQUENCE.incrementAndGet() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }
}
