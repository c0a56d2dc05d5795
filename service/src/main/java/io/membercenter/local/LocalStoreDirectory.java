package io.membercenter.local;

import io.membercenter.console.StoreDirectory;
import io.membercenter.topology.LocalTopology;
import java.util.List;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/** In the local profile, the stores are the real servers of the local topology, with their state. */
@Component
@Primary
@Profile("local")
final class LocalStoreDirectory implements StoreDirectory {

    @Override
    public List<Store> stores() {
        return LocalTopology.shared().stores().stream()
                .map(s -> new Store(
                        s.name(), s.kind().name().toLowerCase(java.util.Locale.ROOT), s.dataCenter(), s.role(), s.up()))
                .toList();
    }
}
