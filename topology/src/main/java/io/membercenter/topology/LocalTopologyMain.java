package io.membercenter.topology;

import java.util.concurrent.CountDownLatch;

/** Runs the local topology for an operator until Ctrl-C; the topology's shutdown hook stops the servers. */
public final class LocalTopologyMain {

    private LocalTopologyMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalTopology topology = LocalTopology.shared();
        System.out.printf("%-10s %-6s %-3s %-8s %s%n", "store", "kind", "dc", "role", "port");
        for (StoreInfo store : topology.stores()) {
            System.out.printf("%-10s %-6s %-3s %-8s %d%n", store.name(), store.kind().name().toLowerCase(),
                    store.dataCenter(), store.role(), store.port());
        }
        System.out.println("app user: " + topology.appUser() + " / " + topology.appPassword()
                + ", e.g. " + topology.jdbcUrl(LocalTopology.MASTER, "member_0"));
        System.out.println("Running; press Ctrl-C to stop.");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
