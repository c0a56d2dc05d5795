package io.membercenter.topology;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A Redis server with its own port and folder, used as a cache.
 *
 * <p>No persistence: a restarted Redis comes back empty, as a cache node that was replaced would. The service
 * must treat an empty cache as a miss, and this is how the tests make it do so.
 */
final class RedisServer extends ManagedServer {

    private static final int PROBE_TIMEOUT_MILLIS = 500;
    private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

    private final RedisBinary binary;

    RedisServer(String name, String dataCenter, int port, Path dir, RedisBinary binary) {
        super(name, StoreKind.CACHE, dataCenter, "local", port, dir);
        this.binary = binary;
    }

    String uri() {
        return "redis://" + HOST + ":" + port();
    }

    @Override
    boolean isInitialized() {
        return true;
    }

    @Override
    void initialize() {}

    @Override
    List<String> command() {
        return List.of(
                binary.server().toString(),
                "--port",
                Integer.toString(port()),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                // Redis rewrites its process title to "redis-server 127.0.0.1:PORT" unless told not to; the full
                // command line, which names our folder, tells whoever reads ps (and a later run) whose it is.
                "--set-proc-title",
                "no",
                "--dir",
                dir().toString(),
                "--logfile",
                errorLog().toString());
    }

    /** A PING answered with +PONG; a Redis still loading answers -LOADING and is not ready yet. */
    @Override
    boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port()), PROBE_TIMEOUT_MILLIS);
            socket.setSoTimeout(PROBE_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(PING);
            out.flush();
            InputStreamReader reply = new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII);
            return "+PONG".equals(new BufferedReader(reply).readLine());
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    Path errorLog() {
        return dir().resolve("redis.log");
    }
}
