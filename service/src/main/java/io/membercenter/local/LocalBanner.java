package io.membercenter.local;

import io.membercenter.topology.LocalTopology;
import io.membercenter.topology.StoreInfo;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Tells the person who ran {@code ./mc run} where everything is and which demo keys to use. */
@Component
@Profile("local")
final class LocalBanner {

    private final Environment environment;

    LocalBanner(Environment environment) {
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void printWhereEverythingIs() {
        if (!environment.getProperty("member-center.local-topology.banner", Boolean.class, true)) {
            return;
        }
        StringBuilder out = new StringBuilder("\n=== member-center (local profile) ===\n");
        out.append("service:  http://localhost:")
                .append(environment.getProperty("local.server.port"))
                .append('\n');
        out.append("stores:\n");
        for (StoreInfo store : LocalTopology.shared().stores()) {
            out.append(String.format(
                    "  %-18s %-12s dc=%s %-9s %s:%d %s%n",
                    store.name(),
                    store.kind().name().toLowerCase(java.util.Locale.ROOT),
                    store.dataCenter(),
                    store.role(),
                    store.host(),
                    store.port(),
                    store.up() ? "up" : "DOWN"));
        }
        out.append("""
                demo callers (Authorization: Bearer <key>):
                  order-service      local-order-key      ORDER      member:read member:write pii:read
                  marketing-service  local-marketing-key  MARKETING  member:read
                  app-backend        local-app-key        DEFAULT    member:read member:write pii:read
                  ops-admin          local-admin-key      -          admin (/admin only)
                try:
                  curl -s -X POST localhost:%1$s/v1/members -H 'Authorization: Bearer local-app-key' \\
                       -H 'Content-Type: application/json' -d '{"mobile":"+8613800138000","nickname":"Li Lei"}'
                  curl -s localhost:%1$s/admin/topology -H 'Authorization: Bearer local-admin-key'
                """.formatted(environment.getProperty("local.server.port")));
        System.out.println(out);
    }
}
