package io.membercenter.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The link between data centers in front of a real TCP echo server on loopback. */
class DcLinkTest {

    private static final Duration RTT = Duration.ofMillis(20);
    private ServerSocket echo;
    private DcLink link;

    @BeforeEach
    void startEchoServerBehindALink() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::serveEcho);
        link = new DcLink("echo from B", FreePorts.take(1).getFirst(), echo.getLocalPort(), RTT);
        link.open();
    }

    @AfterEach
    void stop() throws IOException {
        link.close();
        echo.close();
    }

    @Test
    void everyRoundTripTakesAtLeastTheConfiguredRoundTripTime() throws IOException {
        try (Socket client = connect()) {
            for (int i = 0; i < 10; i++) {
                long started = System.nanoTime();
                byte[] answer = roundTrip(client, ("ping " + i).getBytes(StandardCharsets.US_ASCII));
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("ping " + i);
                assertThat(took).isGreaterThanOrEqualTo(RTT);
            }
        }
    }

    /** A stream much larger than one chunk arrives whole and in order, and is delayed once, not once per chunk. */
    @Test
    void aLargeStreamArrivesWholeAndInOrderDelayedOnce() throws IOException {
        byte[] payload = new byte[4 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        try (Socket client = connect()) {
            long started = System.nanoTime();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    client.getOutputStream().write(payload);
                    client.getOutputStream().flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] received = client.getInputStream().readNBytes(payload.length);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            writer.join();

            assertThat(Arrays.equals(received, payload)).isTrue();
            assertThat(took).isGreaterThanOrEqualTo(RTT);
            // 64 chunks at 20 ms each would be over a second; a delay per chunk would show here
            assertThat(took).isLessThan(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCutLinkResetsOpenConnectionsAndNewOnesUntilItForwardsAgain() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "before".getBytes(StandardCharsets.US_ASCII)))
                    .asString()
                    .isEqualTo("before");
            await().until(() -> link.connections() == 1);

            link.setState(DcLinkState.CUT);

            assertThatThrownBy(() -> {
                        client.getOutputStream().write("after".getBytes(StandardCharsets.US_ASCII));
                        int read = client.getInputStream().read();
                        if (read < 0) {
                            throw new IOException("closed");
                        }
                    })
                    .isInstanceOf(IOException.class);
            assertThat(link.connections()).isZero();
        }
        assertResetOnConnectOrFirstRead();

        link.setState(DcLinkState.FORWARDING);
        try (Socket healed = connect()) {
            assertThat(roundTrip(healed, "healed".getBytes(StandardCharsets.US_ASCII)))
                    .asString()
                    .isEqualTo("healed");
        }
    }

    @Test
    void aHungLinkCarriesNothingButKeepsTheConnectionAndDeliversWhenItForwardsAgain() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "before".getBytes(StandardCharsets.US_ASCII)))
                    .asString()
                    .isEqualTo("before");

            link.setState(DcLinkState.HUNG);
            client.setSoTimeout(500);
            client.getOutputStream().write("held".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(client.isClosed()).isFalse();

            try (Socket during = connect()) {
                during.setSoTimeout(500);
                during.getOutputStream().write("new".getBytes(StandardCharsets.US_ASCII));
                assertThatThrownBy(() -> during.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            }

            link.setState(DcLinkState.FORWARDING);
            client.setSoTimeout(5_000);
            assertThat(client.getInputStream().readNBytes(4))
                    .asString(StandardCharsets.US_ASCII)
                    .isEqualTo("held");
        }
    }

    @Test
    void aServerThatIsNotThereResetsTheClient() throws IOException {
        echo.close();

        assertResetOnConnectOrFirstRead();
    }

    /** The reset may come before connect returns or on the first read; either way, not a silent wait. */
    private void assertResetOnConnectOrFirstRead() {
        assertThatThrownBy(() -> {
                    try (Socket client = connect()) {
                        client.getOutputStream().write("anyone?".getBytes(StandardCharsets.US_ASCII));
                        if (client.getInputStream().read() < 0) {
                            throw new IOException("closed");
                        }
                    }
                })
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(SocketTimeoutException.class);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        // before connecting: a link that resets at once leaves no socket to set options on afterwards
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), link.port()), 2_000);
        return socket;
    }

    private static byte[] roundTrip(Socket socket, byte[] message) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(message);
        out.flush();
        return socket.getInputStream().readNBytes(message.length);
    }

    private void serveEcho() {
        while (!echo.isClosed()) {
            try {
                Socket connection = echo.accept();
                Thread.ofVirtual().start(() -> {
                    try (connection;
                            InputStream in = connection.getInputStream();
                            OutputStream out = connection.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException closed) {
                        // the client or the link went away
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }
}
