package io.membercenter.bench.population;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar with rate and time left: redrawn in place on a terminal, printed every 10 % when the
 * output is a file or a pipe (a log should not get a line per redraw).
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private int lastTenth = -1;
    private long lastDrawNanos;

    public ProgressBar(String label, long total, PrintStream out) {
        this(label, total, out, System.console() != null);
    }

    ProgressBar(String label, long total, PrintStream out, boolean terminal) {
        this.label = label;
        this.total = Math.max(1, total);
        this.out = out;
        this.terminal = terminal;
    }

    /** Shows {@code done} of the total; cheap enough to call after every chunk. */
    public synchronized void show(long done) {
        long now = System.nanoTime();
        int tenth = (int) Math.min(10, done * 10 / total);
        if (terminal && (now - lastDrawNanos > 200_000_000L || done >= total)) {
            out.print("\r" + line(done, now));
            if (done >= total) out.println();
            lastDrawNanos = now;
        } else if (!terminal && tenth > lastTenth) {
            out.println(line(done, now));
            lastTenth = tenth;
        }
        out.flush();
    }

    String line(long done, long nowNanos) {
        double seconds = Math.max(1e-3, (nowNanos - startNanos) / 1e9);
        double rate = done / seconds;
        int filled = (int) Math.min(WIDTH, done * WIDTH / total);
        String eta = rate > 0 && done < total ? String.format(Locale.ROOT, ", %.0f s left", (total - done) / rate) : "";
        return String.format(
                Locale.ROOT,
                "[bench] %s [%s%s] %3d%% %,d/%,d, %,.0f/s, %.0f s%s",
                label,
                "#".repeat(filled),
                ".".repeat(WIDTH - filled),
                done * 100 / total,
                done,
                total,
                rate,
                seconds,
                eta);
    }
}
