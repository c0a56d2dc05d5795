package io.membercenter.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What the machine did during a measured window. CPU in cores (1.0 = one core busy all the time).
 *
 * @param benchJvm    the benchmark's JVM: load generator and service together
 * @param servers     the topology's servers: MariaDB, Redis, Kafka, OpenSearch (child processes of the JVM)
 * @param machine     every process on the machine, these included
 * @param cores       how many the machine has
 * @param ioStall     share of the time at least one process waited for the disk (Linux PSI, "some"), if known:
 *                    durable commits wait for fsync, so a disk shared with other work slows every write
 */
public record MachineLoad(double benchJvm, double servers, double machine, int cores, OptionalDouble ioStall) {

    /** The mean of loads measured over windows of equal length (the slices of one phase). */
    public static MachineLoad mean(List<MachineLoad> loads) {
        double jvm = 0, servers = 0, machine = 0, stall = 0;
        int stalls = 0;
        for (MachineLoad load : loads) {
            jvm += load.benchJvm();
            servers += load.servers();
            machine += load.machine();
            if (load.ioStall().isPresent()) {
                stall += load.ioStall().getAsDouble();
                stalls++;
            }
        }
        int n = loads.size();
        return new MachineLoad(
                jvm / n,
                servers / n,
                machine / n,
                loads.getFirst().cores(),
                stalls == n ? OptionalDouble.of(stall / n) : OptionalDouble.empty());
    }

    /** Whatever else ran on the machine: another build or test run takes cores from the measurement. */
    public double other() {
        return Math.max(0, machine - benchJvm - servers);
    }

    /** e.g. {@code 1.1 + 0.8 + 0.0 of 2}: JVM + servers + other, of the machine's cores. */
    public String describeCpu() {
        return String.format(Locale.ROOT, "%.1f + %.1f + %.1f of %d", benchJvm, servers, other(), cores);
    }

    /** e.g. {@code 12 %}. */
    public String describeIoStall() {
        return ioStall.isPresent() ? String.format(Locale.ROOT, "%.0f %%", ioStall.getAsDouble() * 100) : "–";
    }
}
