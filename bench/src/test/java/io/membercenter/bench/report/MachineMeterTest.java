package io.membercenter.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MachineMeterTest {

    /**
     * One thread spinning through the window is charged to this JVM: up to a core, much less when other
     * processes crowd the machine, so only the attribution is checked, not the amount.
     */
    @Test
    void chargesABusyThreadToThisJvm() {
        assumeTrue(Files.exists(Path.of("/proc/stat")), "needs Linux /proc");
        CompletableFuture<Optional<MachineLoad>> measuring =
                MachineMeter.measureWindow(Duration.ofMillis(100), Duration.ofMillis(600));
        long until = System.nanoTime() + Duration.ofMillis(800).toNanos();
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }

        MachineLoad use = measuring.join().orElseThrow();

        assertThat(use.benchJvm()).isGreaterThan(0.01).isLessThan(use.cores() + 0.2);
        assertThat(use.machine()).isGreaterThanOrEqualTo(use.benchJvm() - 0.2);
        assertThat(use.other()).isGreaterThanOrEqualTo(0);
        assertThat(use.describeCpu()).endsWith("of " + use.cores());
        use.ioStall().ifPresent(share -> assertThat(share).isBetween(0.0, 1.0));
    }
}
