package io.membercenter.topology;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Asks a broker for cluster metadata over a plain socket, in Kafka's own protocol, without a Kafka client.
 *
 * <p>A broker lists only unfenced brokers in its metadata, so once it lists one it has joined its controller and
 * serves produce and fetch requests; an open port alone would say less. Metadata v4 is the oldest version Kafka 4
 * still serves and the newest without tagged fields, which keeps the encoding to a few fixed-size fields.
 */
final class KafkaMetadataProbe {

    private static final short METADATA = 3;
    private static final short VERSION = 4;
    private static final int CORRELATION_ID = 1;
    private static final byte[] CLIENT_ID = "member-center-topology".getBytes(StandardCharsets.UTF_8);
    private static final int TIMEOUT_MILLIS = 1_000;

    private KafkaMetadataProbe() {}

    static boolean brokerIsServing(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            send(socket, metadataRequest());
            return brokerCount(new DataInputStream(socket.getInputStream())) > 0;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Request header v1 (api key, version, correlation id, client id), then: no topics, no auto-creation. */
    private static byte[] metadataRequest() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream request = new DataOutputStream(bytes);
        request.writeShort(METADATA);
        request.writeShort(VERSION);
        request.writeInt(CORRELATION_ID);
        request.writeShort(CLIENT_ID.length);
        request.write(CLIENT_ID);
        request.writeInt(0);
        request.writeBoolean(false);
        return bytes.toByteArray();
    }

    private static void send(Socket socket, byte[] request) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(request.length);
        out.write(request);
        out.flush();
    }

    /** Response: size, correlation id, throttle time, then the broker array, which starts with its length. */
    private static int brokerCount(DataInputStream response) throws IOException {
        response.readInt();
        if (response.readInt() != CORRELATION_ID) {
            return 0;
        }
        response.readInt();
        return response.readInt();
    }
}
