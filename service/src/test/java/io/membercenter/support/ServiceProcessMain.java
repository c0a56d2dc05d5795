package io.membercenter.support;

import io.membercenter.MemberCenterApplication;
import java.time.Duration;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The main class of a {@link ServiceProcess}: the service's own application, on a {@link MutableClock} started at
 * the test JVM's offset. Every instance on the shared databases must agree on the time: the test JVM's clock may
 * have been advanced by earlier tests, and a child on the plain system clock would be that far behind, so the test
 * contexts' sweepers would take its live claims for stale and fence them (as {@link SecondInstance} explains).
 */
final class ServiceProcessMain {

    static final String CLOCK_OFFSET_MILLIS = "member-center.test.clock-offset-millis";

    private ServiceProcessMain() {}

    public static void main(String[] args) {
        MutableClock.SHARED.advance(Duration.ofMillis(Long.getLong(CLOCK_OFFSET_MILLIS, 0)));
        new SpringApplicationBuilder(MemberCenterApplication.class, TestClockConfiguration.class).run(args);
    }
}
