package io.membercenter.bench;

import io.membercenter.bench.flow.FlowCommand;
import io.membercenter.bench.http.HttpCommand;
import io.membercenter.bench.migration.MigrationCommand;
import io.membercenter.bench.outage.AuditCommand;
import io.membercenter.bench.outage.DrillCommand;
import io.membercenter.bench.outage.FailoverCommand;
import io.membercenter.bench.outage.FloodCommand;
import io.membercenter.bench.outage.IdleCommand;
import io.membercenter.bench.outage.OutageCommand;
import io.membercenter.bench.suite.SuiteCommand;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./mc bench <scenario> [options]}: runs one benchmark scenario; {@code ./mc bench help} lists them. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks of member-center against same-run baselines; results go to BENCHMARKS.md.",
        subcommands = {
            SuiteCommand.class,
            OutageCommand.class,
            FloodCommand.class,
            FailoverCommand.class,
            DrillCommand.class,
            FlowCommand.class,
            IdleCommand.class,
            HttpCommand.class,
            AuditCommand.class,
            MigrationCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BenchMain implements Runnable {

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new BenchMain())
                .registerConverter(Duration.class, new DurationConverter())
                .setCaseInsensitiveEnumValuesAllowed(true);
        // exit() runs the shutdown hooks, which stop the topology's MariaDB servers.
        System.exit(commandLine.execute(args));
    }

    /** Without a scenario: say which there are. */
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
