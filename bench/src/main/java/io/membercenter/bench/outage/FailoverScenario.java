package io.membercenter.bench.outage;

import io.membercenter.bench.outage.FailoverReport.Run;
import io.membercenter.bench.outage.Sample.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The drills of {@code ./mc bench failover --scenario}: what is done to the topology at which moment of the run, and
 * what the report makes of it — its rows against issue 12's goals, its phases, whose answers it watches. They are data
 * for the one {@link FailoverReport} and the one {@link FailoverCommand}; nothing else differs between scenarios.
 */
enum FailoverScenario {
    /** The first scenario, and still the default: its section and chart keep their names ({@code failover}). */
    MYSQL_A(
            "mysql-a",
            "kill -9 of the master under the ORDER mix, automatic promotion, failback by hand",
            """
            `mysql-a`, the master, gets SIGKILL at %3$s s; it is started again at %4$s s in the replica role \
            (`--init-rpl-role=SLAVE`), and the database is failed back to A by hand (`POST /admin/failback/db`) at \
            %5$s s.""",
            Optional.of(new Kill("mysql-a", true)),
            List.of(new PlannedSwitch(3, "failback", "A")),
            Goals.MASTER_LOST,
            masterLostPhases("kill → first write acknowledged"),
            Optional.empty()),

    SEARCH_PRIMARY(
            "search-primary",
            "kill -9 of the search cluster ORDER looks up in under the ORDER mix",
            """
            `search-primary`, the OpenSearch cluster ORDER and DEFAULT lookups go to first, gets SIGKILL at %3$s s \
            and is started again at %4$s s (same port, same data). No failback is called: search routing reads \
            around a failed cluster per request (its breaker; lookups only from clusters proven fresh) and takes a \
            returned cluster back once its checkpoint proves it caught up. Who answered each lookup is the \
            service's `X-Member-Source`.""",
            Optional.of(new Kill("search-primary", false)),
            List.of(),
            Goals.READ_AROUND,
            killPhases("search-primary"),
            Optional.of(new Watch(
                    Kind.READ_BY_MOBILE,
                    "search-primary@A",
                    source -> source.startsWith("search-") && !source.equals("search-primary@A"),
                    "another search cluster"))),

    REDIS_A(
            "redis-a",
            "kill -9 of data center A's Redis under the ORDER mix",
            """
            `redis-a`, data center A's Redis (reads by id are answered from it first; it holds A's pending-change \
            markers and version floors), gets SIGKILL at %3$s s and is started again at %4$s s (same port, same data \
            directory). No failback is called: each data center reads its own Redis and reads around a failed one \
            per request. Who answered each read is the service's `X-Member-Source`.""",
            Optional.of(new Kill("redis-a", false)),
            List.of(),
            Goals.READ_AROUND,
            killPhases("redis-a"),
            Optional.of(new Watch(
                    Kind.READ_BY_ID,
                    "cache@A",
                    source -> !source.equals("cache@A"),
                    "another copy (MariaDB, or B's Redis)"))),

    SWITCHOVER(
            "switchover",
            "planned switchover of the master to B and failback by hand under the ORDER mix",
            """
            No store is killed: the database master is switched to B by hand at %3$s s (`POST /admin/failover/db \
            {"to": "B"}`: every instance holds new writes and drains, B catches up, A is fenced, B promoted, the held \
            writes go to B) and failed back to A by hand at %4$s s (`POST /admin/failback/db`).""",
            Optional.empty(),
            List.of(new PlannedSwitch(1, "switchover", "B"), new PlannedSwitch(3, "failback", "A")),
            List.of(
                    FailoverReport::readErrors,
                    FailoverReport::writeErrors,
                    FailoverReport::lost,
                    FailoverReport::switchesByHand,
                    FailoverReport::writesHeld),
            List.of(
                    new PhaseSpec("before", Run::warmupNanos, Run::disturbedNanos),
                    new PhaseSpec(
                            "switchover to B (and 1 s after)", run -> run.switchCalled(0), run -> run.switchSettled(0)),
                    new PhaseSpec("B master", run -> run.switchSettled(0), run -> run.switchCalled(1)),
                    new PhaseSpec("failback (and 1 s after)", run -> run.switchCalled(1), run -> run.switchSettled(1)),
                    new PhaseSpec("A master again", run -> run.switchSettled(1), Run::endNanos)),
            Optional.empty()),

    /**
     * {@code ./mc drill dc-a} ({@link DrillCommand}), not {@code ./mc bench failover}: the whole of data center A at
     * once, under load sent to the instance in B. Its "kill" is every server of A; its rows are the master's.
     */
    DC_A(
            "dc-a",
            "the whole of data center A lost under the ORDER mix, served from B, failback by hand",
            """
            This is `./mc drill dc-a`: the load goes to the instance in **B**; a second instance runs in A, and the \
            failover leader is B's. At %3$s s every server of data center A gets SIGKILL — `mysql-a` (the master), \
            `redis-a`, `kafka`, `search-primary`, `search-marketing`, `zk-1` — and the instance in A is closed with \
            them; at %4$s s they are started again (mysql-a in the replica role, `--init-rpl-role=SLAVE`) with a \
            new instance in A, and the database is failed back to A by hand at %5$s s. The third ZooKeeper node is \
            in a third site, so the ensemble keeps its quorum.""",
            Optional.of(new Kill("data center A", true)),
            List.of(new PlannedSwitch(3, "failback", "A")),
            Goals.MASTER_LOST,
            masterLostPhases("A lost → first write acknowledged"),
            Optional.empty());

    /** A store that gets SIGKILL at a quarter of the run and is started again at half, as a replica or as it was. */
    record Kill(String store, boolean asReplica) {}

    /**
     * A switch of the database master by hand at {@code quarter} quarters of the run: {@code name} is what the report
     * calls it ("switchover", "failback"), {@code to} the data center it moves the master to.
     */
    record PlannedSwitch(int quarter, String name, String to) {

        Duration at(Duration length) {
            return length.multipliedBy(quarter).dividedBy(4);
        }

        boolean isFailback() {
            return name.equals("failback");
        }
    }

    /** One row of the phases table: the requests due from one moment of the run to another. */
    record PhaseSpec(String label, ToLongFunction<Run> from, ToLongFunction<Run> until) {}

    /**
     * Whose answers the report follows through the kill: reads of {@code kind} that {@code home} (the killed store, as
     * {@code X-Member-Source} names it) answers when it is up, and the sources that {@code standIn} accepts as taking
     * over ({@code standInName} in the report).
     */
    record Watch(Kind kind, String home, Predicate<String> standIn, String standInName) {}

    private final String option;
    private final String title;
    private final String whatIsDone;
    private final Optional<Kill> kill;
    private final List<PlannedSwitch> switches;
    private final List<Function<Run, String>> goals;
    private final List<PhaseSpec> phases;
    private final Optional<Watch> watch;

    FailoverScenario(
            String option,
            String title,
            String whatIsDone,
            Optional<Kill> kill,
            List<PlannedSwitch> switches,
            List<Function<Run, String>> goals,
            List<PhaseSpec> phases,
            Optional<Watch> watch) {
        this.option = option;
        this.title = title;
        this.whatIsDone = whatIsDone;
        this.kill = kill;
        this.switches = switches;
        this.goals = goals;
        this.phases = phases;
        this.watch = watch;
    }

    /** The rows of a store that is read around, not failed over: nothing the service does by hand. */
    private static final class Goals {
        /** The rows of a lost master: promoted, writes back, nothing lost, and the failback by hand. */
        static final List<Function<Run, String>> MASTER_LOST = List.of(
                FailoverReport::readErrors,
                FailoverReport::writesResumed,
                FailoverReport::writesRefusedCleanly,
                FailoverReport::lost,
                FailoverReport::switchesByHand,
                FailoverReport::promotion);

        static final List<Function<Run, String>> READ_AROUND = List.of(
                FailoverReport::readErrors,
                FailoverReport::writeErrors,
                FailoverReport::writesResumed,
                FailoverReport::lost,
                FailoverReport::standIn,
                FailoverReport::homeAgain);
    }

    /** A lost master's phases: {@code lost} names the stretch from the loss to the first acknowledged write. */
    private static List<PhaseSpec> masterLostPhases(String lost) {
        return List.of(
                new PhaseSpec("before", Run::warmupNanos, Run::disturbedNanos),
                new PhaseSpec(lost, Run::disturbedNanos, Run::writesResumedAt),
                new PhaseSpec("B master, A away or rejoining", Run::writesResumedAt, run -> run.switchCalled(0)),
                new PhaseSpec("failback (and 1 s after)", run -> run.switchCalled(0), run -> run.switchSettled(0)),
                new PhaseSpec("A master again", run -> run.switchSettled(0), Run::endNanos));
    }

    private static List<PhaseSpec> killPhases(String store) {
        return List.of(
                new PhaseSpec("before", Run::warmupNanos, Run::disturbedNanos),
                new PhaseSpec("kill (and 1 s after)", Run::disturbedNanos, Run::disturbanceSettledNanos),
                new PhaseSpec(store + " away", Run::disturbanceSettledNanos, Run::restartCalledNanos),
                new PhaseSpec(store + " starting", Run::restartCalledNanos, Run::readyNanos),
                new PhaseSpec(store + " back", Run::readyNanos, Run::endNanos));
    }

    /** The value of {@code --scenario}. */
    String option() {
        return option;
    }

    /** The section of BENCHMARKS.md: {@code failover} for the first scenario, else {@code failover-<scenario>}. */
    String section() {
        if (this == DC_A) return "drill-dc-a";
        return this == MYSQL_A ? "failover" : "failover-" + option;
    }

    /** The command that writes the section, as its marker names it. */
    String command() {
        if (this == DC_A) return "drill dc-a";
        return this == MYSQL_A ? "failover" : "failover --scenario " + option;
    }

    /** The data center of the instance the load is sent to. */
    String loadedDataCenter() {
        return this == DC_A ? "B" : "A";
    }

    /** Whether {@code ./mc bench failover} runs it ({@code dc-a} is {@code ./mc drill dc-a}'s). */
    boolean byFailoverCommand() {
        return this != DC_A;
    }

    String chartFile() {
        return section() + ".svg";
    }

    String title() {
        return title;
    }

    /** What is done to the topology, a format whose {@code %3$s}, {@code %4$s}, ... are the moments, in order. */
    String whatIsDone() {
        return whatIsDone;
    }

    Optional<Kill> kill() {
        return kill;
    }

    List<PlannedSwitch> switches() {
        return switches;
    }

    List<Function<Run, String>> goals() {
        return goals;
    }

    List<PhaseSpec> phases() {
        return phases;
    }

    Optional<Watch> watch() {
        return watch;
    }

    /** What the disturbance is called in the rows: "the kill", "the switchover". */
    String disturbance() {
        return kill.isPresent() ? "the kill" : "the " + switches.getFirst().name();
    }

    /** The first column's heading of the goals table. */
    String goalsHeading() {
        return kill.map(k -> "after the kill -9 of " + k.store())
                .orElseGet(() -> "through the " + switches.getFirst().name() + " and the failback");
    }

    /** The planned steps with their moments, e.g. "kill -9 of redis-a at 30 s, restart at 60 s". */
    String plan(OutageSettings settings) {
        List<String> steps = new ArrayList<>();
        kill.ifPresent(k -> {
            steps.add("kill -9 of " + k.store() + " at " + settings.stopAt().toSeconds() + " s");
            steps.add("restart" + (k.asReplica() ? " as replica" : "") + " at "
                    + settings.startAt().toSeconds() + " s");
        });
        for (PlannedSwitch planned : switches) {
            steps.add(planned.name() + " to " + planned.to() + " at "
                    + planned.at(settings.length()).toSeconds() + " s");
        }
        return String.join(", ", steps);
    }

    /** The chart's labels at the two ends of its shading. */
    String shadeBegins() {
        return kill.map(k -> k.store() + " killed")
                .orElseGet(() -> "switched to " + switches.getFirst().to());
    }

    String shadeEnds() {
        return kill.isPresent() ? "back" : "back to " + switches.getLast().to();
    }

    static FailoverScenario named(String option) {
        return Arrays.stream(values())
                .filter(scenario -> scenario.option.equals(option))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no scenario " + option + "; one of " + names()));
    }

    static String names() {
        return Arrays.stream(values()).map(FailoverScenario::option).collect(Collectors.joining(", "));
    }

    /** For picocli: {@code --scenario redis-a}. */
    static final class Converter implements ITypeConverter<FailoverScenario> {
        @Override
        public FailoverScenario convert(String value) {
            try {
                return named(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
