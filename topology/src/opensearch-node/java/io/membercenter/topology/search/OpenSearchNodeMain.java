package io.membercenter.topology.search;

import org.codelibs.opensearch.runner.OpenSearchRunner;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * One single-node OpenSearch cluster: the main class of a search store's child JVM.
 *
 * <p>Compiled by the module's build against the OpenSearch classpath only (it is not on the topology module's
 * classpath), and started by {@code io.membercenter.topology.OpenSearchServer} with that classpath. Runs until
 * the JVM is told to stop; the shutdown hook closes the node, so a SIGTERM stops it cleanly.
 *
 * <p>Arguments: {@code clusterName basePath httpPort transportPort}. The node keeps its data, config and logs
 * under {@code basePath/node_1}, so a restart with the same arguments finds its indices again.
 */
public final class OpenSearchNodeMain {

    private OpenSearchNodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: OpenSearchNodeMain clusterName basePath httpPort transportPort");
        }
        String clusterName = args[0];
        String basePath = args[1];
        int httpPort = Integer.parseInt(args[2]);
        int transportPort = Integer.parseInt(args[3]);

        OpenSearchRunner runner = new OpenSearchRunner();
        // The runner probes 9201..maxHttpPort for a free port unless told not to; the topology chose ours.
        runner.setMaxHttpPort(-1);
        runner.onBuild((nodeNumber, settings) -> settings
                .put("http.port", httpPort)
                .put("transport.port", transportPort)
                .put("network.host", "127.0.0.1")
                // The reference design's search pool (also OpenSearch's default formula), stated so it is visible.
                .put("thread_pool.search.size", searchThreads())
                // A developer's disk at 90 % must not turn the local indices read-only.
                .put("cluster.routing.allocation.disk.threshold_enabled", false));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(runner), "opensearch-node-shutdown"));
        runner.build(OpenSearchRunner.newConfigs()
                .clusterName(clusterName)
                .numOfNode(1)
                .basePath(basePath)
                .useLogger());
        new CountDownLatch(1).await();
    }

    static int searchThreads() {
        return Runtime.getRuntime().availableProcessors() * 3 / 2 + 1;
    }

    private static void close(OpenSearchRunner runner) {
        try {
            runner.close();
        } catch (IOException e) {
            e.printStackTrace();
        }
    }
}
