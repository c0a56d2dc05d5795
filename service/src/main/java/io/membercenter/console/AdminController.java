package io.membercenter.console;

import io.membercenter.degradation.Breakers;
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
    private final org.springframework.beans.factory.ObjectProvider<io.membercenter.search.SearchClusters> search;
    private final io.membercenter.cache.CacheProperties cache;
    private final Breakers breakers;

    AdminController(
            StoreDirectory stores,
            ShardProperties shards,
            org.springframework.beans.factory.ObjectProvider<io.membercenter.search.SearchClusters> search,
            io.membercenter.cache.CacheProperties cache,
            Breakers breakers) {
        this.breakers = breakers;
        this.stores = stores;
        this.shards = shards;
        this.search = search;
        this.cache = cache;
    }

    @GetMapping("/admin/topology")
    Map<String, Object> topology(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require(Scope.ADMIN);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dc", shards.dataCenter());
        answer.put("stores", stores.stores().stream().map(this::withBreaker).toList());
        String masterDc = shards.databases().getFirst().copies().stream()
                .filter(c -> c.role() == ShardProperties.Role.MASTER)
                .findFirst()
                .orElseThrow()
                .dataCenter();
        Map<String, Object> routes = new LinkedHashMap<>();
        routes.put("db", Map.of("writes", masterDc, "reads", shards.dataCenter()));
        io.membercenter.search.SearchClusters clusters = search.getIfAvailable();
        if (clusters != null) {
            Map<String, String> byTrafficClass = new LinkedHashMap<>();
            for (String trafficClass : java.util.List.of("ORDER", "MARKETING", "DEFAULT")) {
                clusters.forTrafficClass(trafficClass).ifPresent(c -> byTrafficClass.put(trafficClass, c.name()));
            }
            routes.put("search", byTrafficClass);
        }
        if (cache.enabled()) {
            routes.put(
                    "cache",
                    Map.of(
                            "reads",
                            shards.dataCenter(),
                            "invalidations",
                            cache.redis().stream()
                                    .map(io.membercenter.cache.CacheProperties.RedisNode::dataCenter)
                                    .toList()));
        }
        answer.put("routes", routes);
        answer.put(
                "shards",
                Map.of(
                        "logicalShards", shards.logicalShards(),
                        "physicalDatabases",
                                shards.databases().stream()
                                        .map(ShardProperties.PhysicalDatabase::name)
                                        .toList()));
        return answer;
    }

    /** A store as the directory sees it, and its breaker ({@code closed|open|half-open}) if the service calls it. */
    private Map<String, Object> withBreaker(StoreDirectory.Store store) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("name", store.name());
        shown.put("kind", store.kind());
        shown.put("dc", store.dc());
        shown.put("role", store.role());
        shown.put("up", store.up());
        breakers.state(store.name()).ifPresent(state -> shown.put("breaker", state.label()));
        return shown;
    }
}
