package io.membercenter.member;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The node id is part of every member id: two instances of one data center with the same node id hand
 * out the same ids. So outside the {@code local} profile there is no default, and an instance without
 * one does not start, with a message naming the property. The service's own application.yml is loaded.
 */
class NodeIdRequiredTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(MemberProperties.class)
    static class OnlyMemberProperties {}

    private final ApplicationContextRunner service = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withUserConfiguration(OnlyMemberProperties.class);

    @Test
    void withoutANodeIdOutsideTheLocalProfileTheServiceDoesNotStartAndNamesTheProperty() {
        service.run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("member-center.member.node-id");
        });
    }

    @Test
    void aConfiguredNodeIdIsUsedOutsideTheLocalProfile() {
        service.withPropertyValues("member-center.member.node-id=7").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(MemberProperties.class).nodeId()).isEqualTo(7);
        });
    }

    @Test
    void theLocalProfileHasNodeIdZero() {
        service.withPropertyValues("spring.profiles.active=local").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(MemberProperties.class).nodeId()).isEqualTo(0);
        });
    }

    @Test
    void aNodeIdOutOfRangeDoesNotStartAndNamesTheProperty() {
        service.withPropertyValues("member-center.member.node-id=512").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("member-center.member.node-id");
        });
    }

    private static String rootMessage(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause())
            messages.append(t.getMessage()).append('\n');
        return messages.toString();
    }
}
