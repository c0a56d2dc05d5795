package io.membercenter.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP link between the data centers: a proxy in this JVM in front of one server, for the clients of the other
 * data center. It delays each direction by half the round-trip time, and can be cut or hung ({@link DcLinkState}).
 *
 * <p>Why our own: there is no toxiproxy package here, and network namespaces with netem need privileges a developer's
 * machine may not give. A proxy on loopback needs neither, and what it does is easy to see in a test.
 *
 * <p>Each accepted connection and its upstream connection form a pair; each direction of a pair has a reader and a
 * writer, virtual threads both. The reader stamps every chunk it reads with the time it may leave and hands it over
 * through a small bounded queue; the writer sends it no earlier. Splitting them is what keeps a delay a delay: a
 * single thread that slept before each write would add the delay again to every chunk that arrived meanwhile, so a
 * replication stream would fall further behind with every chunk. The bounded queue keeps TCP's back pressure: a slow
 * receiver stops the reader, which stops the sender. A hung link stops readers and writers alike, so nothing is
 * read (the sender's window fills, as on a partition) and nothing already read is delivered until it forwards again.
 *
 * <p>Unlike a stopped server, a link in front of one accepts the connection and then closes it when the server does
 * not answer: a client sees a reset instead of a refused connection.
 */
final class DcLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DcLink.class);
    private static final int CHUNK = 64 * 1024;
    /** Chunks in flight per direction: enough for a replication stream at 2 ms, small enough to push back. */
    private static final int QUEUE = 256;

    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final Chunk END = new Chunk(new byte[0], 0);

    private final String name;
    private final int port;
    private final int targetPort;
    private final long oneWayNanos;
    private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition forwarding = lock.newCondition();
    private volatile DcLinkState state = DcLinkState.FORWARDING;
    private volatile ServerSocket listener;

    /**
     * @param name       what it links, e.g. {@code mysql-a from B}, for logs and errors
     * @param port       where it listens, on 127.0.0.1
     * @param targetPort the server's port, on 127.0.0.1
     * @param rtt        the round-trip time it adds: half of it each way (rounded up, so a round trip is never less)
     */
    DcLink(String name, int port, int targetPort, Duration rtt) {
        this.name = name;
        this.port = port;
        this.targetPort = targetPort;
        this.oneWayNanos = (rtt.toNanos() + 1) / 2;
    }

    /** Listens from now on; connections are accepted and served by virtual threads until {@link #close()}. */
    void open() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            listener = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not listen for the link " + name + " on port " + port, e);
        }
        Thread.ofVirtual().name("dc-link-" + port + "-accept").start(this::acceptLoop);
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    int targetPort() {
        return targetPort;
    }

    DcLinkState state() {
        return state;
    }

    /** Connections it carries at the moment (each a client and its upstream connection). */
    int connections() {
        return pairs.size();
    }

    void setState(DcLinkState next) {
        lock.lock();
        try {
            state = next;
            // every change, not only back to forwarding: threads held by a hung link must see a cut too
            forwarding.signalAll();
        } finally {
            lock.unlock();
        }
        if (next == DcLinkState.CUT) {
            pairs.forEach(Pair::reset);
        }
        log.info("dc link {} (port {} -> {}): {}", name, port, targetPort, next);
    }

    @Override
    public void close() {
        ServerSocket socket = listener;
        if (socket != null) {
            closeQuietly(socket);
        }
        pairs.forEach(Pair::reset);
        setState(DcLinkState.FORWARDING); // wakes held threads, which find their sockets closed
    }

    private void acceptLoop() {
        ServerSocket socket = listener;
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().name("dc-link-" + port + "-connect").start(() -> connect(client));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    log.warn("dc link {}: accept failed", name, e);
                }
            }
        }
    }

    private void connect(Socket client) {
        if (state == DcLinkState.CUT) {
            reset(client);
            return;
        }
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException serverNotThere) {
            reset(client);
            closeQuietly(upstream);
            return;
        }
        Pair pair = new Pair(client, upstream);
        pairs.add(pair);
        if (state == DcLinkState.CUT) { // cut while connecting
            pair.reset();
            return;
        }
        pair.start();
    }

    /** Blocks while the link is hung; returns false once it is cut. */
    private boolean awaitForwarding() throws InterruptedException {
        lock.lock();
        try {
            while (state == DcLinkState.HUNG) {
                forwarding.await();
            }
            return state == DcLinkState.FORWARDING;
        } finally {
            lock.unlock();
        }
    }

    /** A client and the connection to the server made for it. */
    private final class Pair {
        private final Socket client;
        private final Socket upstream;
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private int directionsOpen = 2;

        Pair(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            direction("up", client, upstream);
            direction("down", upstream, client);
        }

        private void direction(String which, Socket from, Socket to) {
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE);
            String thread = "dc-link-" + port + "-" + which;
            threads.add(Thread.ofVirtual().name(thread + "-read").start(() -> read(from, queue)));
            threads.add(Thread.ofVirtual().name(thread + "-write").start(() -> write(queue, to)));
        }

        private void read(Socket from, BlockingQueue<Chunk> queue) {
            // not closed here: closing a socket's stream closes the socket, which the other direction still writes to
            try {
                InputStream in = from.getInputStream();
                byte[] buffer = new byte[CHUNK];
                while (awaitForwarding()) {
                    int read = in.read(buffer);
                    if (read < 0) {
                        queue.put(END);
                        return;
                    }
                    queue.put(new Chunk(Arrays.copyOf(buffer, read), System.nanoTime() + oneWayNanos));
                }
            } catch (IOException | InterruptedException gone) {
                reset();
            }
        }

        private void write(BlockingQueue<Chunk> queue, Socket to) {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    long wait = chunk.dueNanos() - System.nanoTime();
                    if (chunk != END && wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                    }
                    if (!awaitForwarding()) {
                        return;
                    }
                    if (chunk == END) {
                        to.shutdownOutput();
                        directionEnded();
                        return;
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException gone) {
                reset();
            }
        }

        private synchronized void directionEnded() {
            if (--directionsOpen == 0) {
                close();
            }
        }

        /** RST on both sides (linger 0), as a rejecting host would send; no FIN, no orderly close. */
        void reset() {
            DcLink.reset(client);
            DcLink.reset(upstream);
            release();
        }

        private void close() {
            closeQuietly(client);
            closeQuietly(upstream);
            release();
        }

        /** Wakes this pair's threads that wait on a queue (or a held link), so none outlives its sockets. */
        private void release() {
            pairs.remove(this);
            for (Thread thread : threads) {
                if (thread != Thread.currentThread()) {
                    thread.interrupt();
                }
            }
        }
    }

    private record Chunk(byte[] bytes, long dueNanos) {}

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException alreadyClosed) {
            // nothing left to reset
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is all that was asked; an error here changes nothing
        }
    }

    @Override
    public String toString() {
        return "link " + name + " (port " + port + " -> " + targetPort + ", " + state + ")";
    }
}
