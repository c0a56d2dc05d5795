package io.membercenter.console;

import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/ceiling}: the HTTP ceiling of this server, for benchmarks only (off unless
 * {@code member-center.bench.ceiling-endpoint=true}; not part of the API contract). It takes the very path a read
 * by id takes before member-center's own work begins — Tomcat, the body limit, authentication, the traffic scope,
 * flow control (the {@code reads} group, no keys), the access audit, Spring MVC's dispatch, the scope check — and
 * answers a fixed member-sized JSON body instead of looking anything up. "A read ÷ the ceiling" is then what
 * member-center's own work costs a read (issue 14).
 */
@RestController
@ConditionalOnProperty(name = "member-center.bench.ceiling-endpoint", havingValue = "true")
final class HttpCeilingController {

    /** About the size of a cached member's JSON, so both answers cost the socket the same. */
    private static final byte[] BODY = ("{\"memberId\":\"1000000000000000001\",\"mobile\":\"+8613800000000\","
                    + "\"email\":\"ceiling@example.com\",\"nickname\":\"ceiling\",\"level\":\"NORMAL\","
                    + "\"status\":\"ACTIVE\",\"identities\":[],\"version\":1,"
                    + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8);

    @GetMapping("/v1/ceiling")
    ResponseEntity<byte[]> ceiling(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require(Scope.MEMBER_READ);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(BODY);
    }
}
