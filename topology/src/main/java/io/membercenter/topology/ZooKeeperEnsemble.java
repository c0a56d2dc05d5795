package io.membercenter.topology;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The three ZooKeeper nodes of the coordination store, one per site: {@code zk-1} in data center A, {@code zk-2} in
 * B, and {@code zk-3} in C, a third site that holds no data of the service and exists to break ties. Two sites could
 * not do it: whichever held two of three nodes would take the ensemble down with it. With one node per site, either
 * data center can be lost and the other two nodes still form a quorum.
 *
 * <p>It knows its nodes, so a node can tell whether it should be able to serve (see
 * {@link ZooKeeperServer#acceptsConnections()}).
 */
final class ZooKeeperEnsemble {

    static final List<String> NODES = List.of("zk-1", "zk-2", "zk-3");
    private static final List<String> SITES = List.of("A", "B", "C");

    private final List<ZooKeeperServer> servers = new ArrayList<>();

    /** Takes three ports per node from {@code ports}: client, quorum, leader election. */
    ZooKeeperEnsemble(WorkDir workDir, Iterator<Integer> ports, ChildClasspath classpath) {
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < NODES.size(); i++) {
            peers.add(new Peer(i + 1, NODES.get(i), SITES.get(i), ports.next(), ports.next(), ports.next()));
        }
        for (Peer peer : peers) {
            servers.add(new ZooKeeperServer(this, peer, peers, workDir.storeDir(peer.name()), classpath));
        }
    }

    List<ZooKeeperServer> servers() {
        return servers;
    }

    /** {@code 127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3}: ZooKeeper's connect string for clients. */
    String connectString() {
        return servers.stream().map(s -> ManagedServer.HOST + ":" + s.port()).collect(Collectors.joining(","));
    }

    /** Whether a majority of the nodes' processes are running, so the ensemble can elect a leader. */
    boolean majorityRunning() {
        return servers.stream().filter(ManagedServer::isUp).count() > servers.size() / 2;
    }

    /**
     * One node as the others know it.
     *
     * @param id             ZooKeeper's server id ({@code myid})
     * @param clientPort     where clients connect
     * @param quorumPort     where followers connect to the leader
     * @param electionPort   where nodes elect the leader
     */
    record Peer(int id, String name, String site, int clientPort, int quorumPort, int electionPort) {
        String serverLine() {
            return "server." + id + "=" + ManagedServer.HOST + ":" + quorumPort + ":" + electionPort;
        }
    }
}
