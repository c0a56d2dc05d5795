package io.membercenter.topology;

import static io.membercenter.topology.StoreKind.CACHE;
import static io.membercenter.topology.StoreKind.COORDINATION;
import static io.membercenter.topology.StoreKind.DB;
import static io.membercenter.topology.StoreKind.MQ;
import static io.membercenter.topology.StoreKind.SEARCH;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local topology for an operator until Ctrl-C; the topology's shutdown hook stops the servers.
 * {@code -Dmembercenter.topology.kinds=db,cache} starts only some kinds ({@code ./mc topology} adds
 * {@code coordination} to the default ones); {@code -Dmembercenter.topology.dc-rtt=2ms} puts the data centers that far
 * apart ({@code ./mc topology --dc-rtt 2ms}).
 */
public final class LocalTopologyMain {

    private LocalTopologyMain() {}

    public static void main(String[] args) throws InterruptedException {
        long startedAt = System.nanoTime();
        LocalTopology topology = LocalTopology.shared();
        printStores(topology);
        printAddresses(topology);
        System.out.printf("Started in %.1f s. Running; press Ctrl-C to stop.%n", (System.nanoTime() - startedAt) / 1e9);
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static void printStores(LocalTopology topology) {
        System.out.printf("%-18s %-12s %-3s %-9s %s%n", "store", "kind", "dc", "role", "port");
        for (StoreInfo store : topology.stores()) {
            System.out.printf(
                    "%-18s %-12s %-3s %-9s %d%n",
                    store.name(),
                    store.kind().name().toLowerCase(Locale.ROOT),
                    store.dataCenter(),
                    store.role(),
                    store.port());
        }
    }

    private static void printAddresses(LocalTopology topology) {
        if (topology.kinds().contains(DB)) {
            System.out.println("app user: " + topology.appUser() + " / " + topology.appPassword() + ", e.g. "
                    + topology.jdbcUrl(LocalTopology.MASTER, "member_0"));
        }
        for (StoreInfo store : topology.stores()) {
            if (store.kind() == CACHE) {
                System.out.println(store.name() + ": " + topology.redisUri(store.name()));
            } else if (store.kind() == SEARCH) {
                System.out.println(store.name() + ": " + topology.searchUrl(store.name()));
            }
        }
        if (topology.kinds().contains(MQ)) {
            System.out.println("kafka bootstrap: " + topology.kafkaBootstrap());
        }
        if (topology.kinds().contains(COORDINATION)) {
            System.out.println("zookeeper: " + topology.zooKeeperConnectString());
        }
        printLinks(topology);
    }

    /** Where the other data center's clients connect, when the data centers are joined by links. */
    private static void printLinks(LocalTopology topology) {
        if (!topology.options().dcLinks()) {
            return;
        }
        System.out.printf(
                "data centers A and B %s ms apart (round trip); from the other data center:%n",
                topology.options().dcRtt().toNanos() / 1e6);
        for (StoreInfo store : topology.stores()) {
            for (String dataCenter : LocalTopology.DATA_CENTERS) {
                int port = topology.portFrom(dataCenter, store.name());
                if (port != store.port()) {
                    System.out.printf("  %s from %s: %s:%d%n", store.name(), dataCenter, store.host(), port);
                }
            }
        }
    }
}
