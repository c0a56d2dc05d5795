package io.membercenter.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Measures where CPU time goes during a window, and how long the disk kept processes waiting, from Linux's
 * /proc. Client, service and databases share the machine's cores and disk, so a throughput only means
 * something next to who used them: a saturated machine caps every row, and unrelated work (a build or another
 * database in another terminal) makes a run not comparable with a quiet one.
 */
public final class MachineMeter {

    /** /proc reports process and machine times in USER_HZ ticks, 100 per second on Linux. */
    private static final double TICKS_PER_SECOND = 100;

    private MachineMeter() {}

    /** CPU and I/O stall from {@code start} to {@code start + length} from now, measured in the background; empty off Linux. */
    public static CompletableFuture<Optional<MachineLoad>> measureWindow(Duration start, Duration length) {
        CompletableFuture<Optional<MachineLoad>> result = new CompletableFuture<>();
        Thread.ofVirtual().name("cpu-meter").start(() -> {
            try {
                Thread.sleep(start);
                Optional<Snapshot> from = snapshot();
                Thread.sleep(length);
                result.complete(from.flatMap(first -> snapshot().map(last -> between(first, last))));
            } catch (InterruptedException e) {
                result.complete(Optional.empty());
            }
        });
        return result;
    }

    private record Snapshot(
            long nanoTime,
            long machineBusyTicks,
            long machineAllTicks,
            long jvmCpuNanos,
            long childTicks,
            OptionalLong ioStallMicros) {}

    private static Optional<Snapshot> snapshot() {
        try {
            long[] machine = machineTicks();
            return Optional.of(new Snapshot(
                    System.nanoTime(), machine[0], machine[1], jvmCpuNanos(), childTicks(), ioStallMicros()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static MachineLoad between(Snapshot first, Snapshot last) {
        double seconds = (last.nanoTime() - first.nanoTime()) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        long allTicks = Math.max(1, last.machineAllTicks() - first.machineAllTicks());
        double machine = cores * (double) (last.machineBusyTicks() - first.machineBusyTicks()) / allTicks;
        double jvm = (last.jvmCpuNanos() - first.jvmCpuNanos()) / 1e9 / seconds;
        double children = (last.childTicks() - first.childTicks()) / TICKS_PER_SECOND / seconds;
        OptionalDouble ioStall =
                first.ioStallMicros().isPresent() && last.ioStallMicros().isPresent()
                        ? OptionalDouble.of((last.ioStallMicros().getAsLong()
                                        - first.ioStallMicros().getAsLong())
                                / 1e6
                                / seconds)
                        : OptionalDouble.empty();
        return new MachineLoad(jvm, Math.max(0, children), machine, cores, ioStall);
    }

    /** The "some" line of /proc/pressure/io: total microseconds at least one task was stalled on I/O. */
    private static OptionalLong ioStallMicros() {
        try {
            String some = Files.readAllLines(Path.of("/proc/pressure/io")).getFirst();
            return OptionalLong.of(Long.parseLong(
                    some.substring(some.indexOf("total=") + "total=".length()).trim()));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** {busy, all} from the first line of /proc/stat: user nice system idle iowait irq softirq steal. */
    private static long[] machineTicks() throws IOException {
        String[] fields =
                Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long user = Long.parseLong(fields[1]), nice = Long.parseLong(fields[2]), system = Long.parseLong(fields[3]);
        long idle = Long.parseLong(fields[4]), ioWait = Long.parseLong(fields[5]);
        long irq = Long.parseLong(fields[6]), softIrq = Long.parseLong(fields[7]), steal = Long.parseLong(fields[8]);
        long busy = user + nice + system + irq + softIrq + steal;
        return new long[] {busy, busy + idle + ioWait};
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** utime + stime of every process this JVM started (the MariaDB servers), from /proc/PID/stat. */
    private static long childTicks() {
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        long ticks = 0;
        for (ProcessHandle child : children) {
            ticks += processTicks(child.pid());
        }
        return ticks;
    }

    /** utime + stime of one process, in USER_HZ ticks (100 a second); 0 when it is gone or /proc is not there. */
    public static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException processGone) {
            return 0;
        }
    }
}
