package io.membercenter.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole service on a random port against the real local topology. {@link LocalTopologyExtension} (registered
 * before Spring's extension, so it runs first) starts the topology once per JVM, hands tests an {@link ApiClient}
 * and the {@link Stores} as parameters, and brings every store back after each test. Every test class with this
 * annotation and no properties of its own shares one application context, whose clock is the {@link MutableClock}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalTopologyExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"local", "test"})
@Import(TestClockConfiguration.class)
public @interface ServiceTest {}
