package io.membercenter.console;

import io.membercenter.shard.ShardProperties;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /admin/topology}: what exists, where, whether it is up, and where traffic goes now. */
@RestController
final class AdminController {

    private final StoreDirectory stores;
    private final ShardProperties shards;

    AdminController(StoreDirectory stores, ShardProperties shards) {
        this.stores = stores;
        this.shards = shards;
    }

    @GetMapping("/admin/topology")
    Map<String, Object> topology(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require(Scope.ADMIN);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dc", shards.dataCenter());
        answer.put("stores", stores.stores());
        String masterDc = shards.databases().getFirst().copies().stream()
                .filter(c -> c.role() == ShardProperties.Role.MASTER).findFirst().orElseThrow().dataCenter();
        answer.put("routes", Map.of("db", Map.of("writes", masterDc, "reads", shards.dataCenter())));
        answer.put("shards", Map.of(
                "logicalShards", shards.logicalShards(),
                "physicalDatabases", shards.databases().stream().map(ShardProperties.PhysicalDatabase::name).toList()));
        return answer;
    }
}
