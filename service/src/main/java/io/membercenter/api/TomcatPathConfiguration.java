package io.membercenter.api;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An externalId may contain '/', which travels as %2F. Tomcat rejects encoded slashes by default;
 * passing them through undecoded lets Spring match the path first and decode the variable after.
 */
@Configuration(proxyBeanMethods = false)
class TomcatPathConfiguration {

    @Bean
    TomcatConnectorCustomizer encodedSlashesPassThrough() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }
}
