package io.membercenter.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.traffic.TrafficClass;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * System protection's CPU signal, with the machine's CPU use set by the test: MARKETING is shed from {@code
 * cpuShedAt}, DEFAULT from half-way between it and 100 %, ORDER never; off at 0. The in-flight thresholds are out of
 * reach here (they are {@code SystemProtectionTest}'s, on the real service).
 */
class CpuSheddingTest {

    private final AtomicReference<Double> cpu = new AtomicReference<>(0.0);

    private SystemProtection protection(double cpuShedAt) {
        return new SystemProtection(new FlowRules.SystemLimits(1_000, 0.5, 0.75, cpuShedAt), cpu::get);
    }

    private boolean admits(SystemProtection protection, TrafficClass trafficClass) {
        boolean admitted = protection.enter(trafficClass);
        if (admitted) protection.exit();
        return admitted;
    }

    @Test
    void marketingIsShedFromTheThresholdDefaultFromHalfWayToFullAndOrderNever() {
        SystemProtection protection = protection(0.8);
        cpu.set(0.79);
        assertThat(admits(protection, TrafficClass.MARKETING)).isTrue();
        cpu.set(0.8);
        assertThat(admits(protection, TrafficClass.MARKETING)).isFalse();
        assertThat(admits(protection, TrafficClass.DEFAULT)).isTrue();
        cpu.set(0.9);
        assertThat(admits(protection, TrafficClass.DEFAULT)).isFalse();
        cpu.set(1.0);
        assertThat(admits(protection, TrafficClass.ORDER)).isTrue();
        assertThat(protection.inFlight())
                .as("a shed request takes no place in flight")
                .isZero();
        cpu.set(0.5);
        assertThat(admits(protection, TrafficClass.MARKETING))
                .as("served again once the CPU is free")
                .isTrue();
    }

    @Test
    void atZeroTheCpuSignalIsOff() {
        SystemProtection protection = protection(0);
        cpu.set(1.0);
        for (TrafficClass trafficClass : TrafficClass.values()) {
            assertThat(admits(protection, trafficClass)).as(trafficClass.name()).isTrue();
        }
    }
}
