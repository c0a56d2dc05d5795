package io.membercenter.local;

import io.membercenter.api.NotFoundException;
import io.membercenter.topology.LocalTopology;
import io.membercenter.topology.StoreInfo;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/** Stops and starts the real servers of the local topology, so anyone can watch a failure. */
@RestController
@Profile("local")
final class LocalStoresController {

    private static final Logger log = LoggerFactory.getLogger(LocalStoresController.class);

    @PostMapping("/admin/local/stores/{name}/stop")
    Map<String, Object> stop(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name) {
        return change(caller, name, "stopped", LocalTopology::stop);
    }

    @PostMapping("/admin/local/stores/{name}/start")
    Map<String, Object> start(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name) {
        return change(caller, name, "started", LocalTopology::start);
    }

    private static Map<String, Object> change(
            Caller caller, String name, String outcome, java.util.function.BiConsumer<LocalTopology, String> action) {
        caller.require(Scope.ADMIN);
        LocalTopology topology = LocalTopology.shared();
        requireKnown(topology, name);
        action.accept(topology, name);
        log.info("event=local_store_{} store={} by={}", outcome, name, caller.name());
        return describe(topology.store(name));
    }

    private static void requireKnown(LocalTopology topology, String name) {
        boolean known = topology.stores().stream().anyMatch(s -> s.name().equals(name));
        if (!known) {
            throw new NotFoundException("No local store '" + name + "'; known: "
                    + topology.stores().stream().map(StoreInfo::name).toList());
        }
    }

    static Map<String, Object> describe(StoreInfo store) {
        return Map.of(
                "name",
                store.name(),
                "kind",
                store.kind().name().toLowerCase(java.util.Locale.ROOT),
                "dc",
                store.dataCenter(),
                "role",
                store.role(),
                "up",
                store.up());
    }
}
