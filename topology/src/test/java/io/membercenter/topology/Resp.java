package io.membercenter.topology;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Just enough of Redis' protocol for the tests to talk to a store without a client library. */
final class Resp {

    private static final int TIMEOUT_MILLIS = 2_000;

    private Resp() {}

    /** One command on a fresh connection; the reply as text ({@code null} for nil, arrays one element per line). */
    static String call(int port, String... command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(encode(command));
            out.flush();
            return readReply(new DataInputStream(new BufferedInputStream(socket.getInputStream())));
        }
    }

    private static byte[] encode(String... command) {
        StringBuilder request = new StringBuilder("*").append(command.length).append("\r\n");
        for (String part : command) {
            request.append('$')
                    .append(part.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(part)
                    .append("\r\n");
        }
        return request.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String readReply(DataInputStream in) throws IOException {
        String line = readLine(in);
        return switch (line.charAt(0)) {
            case '+', ':' -> line.substring(1);
            case '-' -> throw new IOException("Redis error: " + line.substring(1));
            case '$' -> readBulk(in, Integer.parseInt(line.substring(1)));
            case '*' -> readArray(in, Integer.parseInt(line.substring(1)));
            default -> throw new IOException("Unexpected reply: " + line);
        };
    }

    private static String readBulk(DataInputStream in, int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bulk = in.readNBytes(length);
        readLine(in);
        return new String(bulk, StandardCharsets.UTF_8);
    }

    /** An array's elements, one per line. */
    private static String readArray(DataInputStream in, int length) throws IOException {
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            elements.add(readReply(in));
        }
        return String.join("\n", elements);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("Connection closed");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
