package io.membercenter.bench.naive;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The naive service's primary source. {@link EnableAutoConfiguration} is not a stereotype, so the real service's
 * component scan of {@code io.membercenter} passes this class by; which auto-configurations actually run is
 * narrowed by {@link NaiveMemberService} (spring.autoconfigure.exclude), and every bean of the service's own is
 * registered functionally.
 */
@EnableAutoConfiguration
final class NaiveApplication {

    NaiveApplication() {}
}
