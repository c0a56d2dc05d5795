package io.membercenter.console;

import io.membercenter.cache.CacheProperties;
import io.membercenter.degradation.Breakers;
import io.membercenter.search.MemberSearch;
import io.membercenter.shard.ShardProperties;
import io.membercenter.shard.ShardedDatabases;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import io.membercenter.traffic.TrafficClass;
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
    private final ShardedDatabases databases;
    private final MemberSearch search;
    private final CacheProperties cache;
    private final Breakers breakers;

    AdminController(
            StoreDirectory stores,
            ShardProperties shards,
            ShardedDatabases databases,
            MemberSearch search,
            CacheProperties cache,
            Breakers breakers) {
        this.breakers = breakers;
        this.stores = stores;
        this.shards = shards;
        this.databases = databases;
        this.search = search;
        this.cache = cache;
    }

    @GetMapping("/admin/topology")
    Map<String, Object> topology(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require(Scope.ADMIN);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dc", shards.dataCenter());
        answer.put("stores", stores.stores().stream().map(this::withBreaker).toList());
        // Where writes go now: the configured master, or the one the failover's topology record names.
        Map<String, Object> routes = new LinkedHashMap<>();
        routes.put(
                "db",
                Map.of(
                        "writes",
                        databases.masterDataCenter(),
                        "reads",
                        shards.dataCenter(),
                        "writeState",
                        databases.writeState()));
        if (!search.clusterNames().isEmpty()) {
            Map<TrafficClass, String> byTrafficClass = new LinkedHashMap<>();
            for (TrafficClass trafficClass : TrafficClass.values()) {
                search.clusterFor(trafficClass).ifPresent(name -> byTrafficClass.put(trafficClass, name));
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
                                    .map(CacheProperties.RedisNode::dataCenter)
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
