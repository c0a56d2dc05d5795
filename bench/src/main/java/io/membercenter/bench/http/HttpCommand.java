package io.membercenter.bench.http;

import io.membercenter.MemberCenterApplication;
import io.membercenter.bench.InProcessService;
import io.membercenter.bench.baseline.JdbcBaseline;
import io.membercenter.bench.load.ClosedLoop;
import io.membercenter.bench.load.LoadResult;
import io.membercenter.bench.naive.NaiveMain;
import io.membercenter.bench.population.IndexingWait;
import io.membercenter.bench.population.PopulationLoader;
import io.membercenter.bench.population.SeedMembers;
import io.membercenter.bench.report.MachineMeter;
import io.membercenter.bench.report.Progress;
import io.membercenter.bench.report.ReportOptions;
import io.membercenter.bench.report.RunEnvironment;
import io.membercenter.local.LocalTopologyEnvironment;
import io.membercenter.member.MemberBulkLoad;
import io.membercenter.topology.LocalTopology;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./mc bench http}: the service and the naive service each in a JVM of its own, the load from {@code wrk}
 * (native, outside both), and the HTTP ceiling of the same server — an authenticated no-op endpoint
 * ({@code GET /v1/ceiling}, on only here) — as the baseline of every read (issue 14, "benchmarks that measure the
 * service"). The suite ({@code ./mc bench suite}) runs its Java load generator in the service's JVM; this command
 * is where a figure of issue 14's goals comes from.
 *
 * <p>Order of a run: the topology and an in-process service start, the population is bulk-loaded and indexed, the
 * in-process service is closed (the topology stays), then the service starts as a child process on the same
 * servers, and the naive service as another, with the same members in its one table. Each scenario is warmed up
 * with wrk, then measured: throughput and latency at {@code --connections}, and for the reads a sweep of
 * connection counts whose best throughput with p99 ≤ 10 ms is the sustainable rate (wrk is a closed loop, so this
 * is a lower bound of what an open loop would hold: a closed loop sends less when answers slow down).
 */
@Command(
        name = "http",
        mixinStandardHelpOptions = true,
        description = "The service and the naive service as their own processes under wrk, against the HTTP ceiling"
                + " of the same server; writes the http section of BENCHMARKS.md.")
public final class HttpCommand implements Callable<Integer> {

    static final String SECTION = "http";
    static final String ORDER_KEY = "local-order-key";
    private static final String NAIVE_KEY = "naive-bench-key";
    private static final List<Integer> SWEEP = List.of(1, 2, 4, 8, 16, 32);

    @Spec
    private CommandSpec spec;

    @Option(names = "--members", defaultValue = "20000", description = "Members loaded (default: ${DEFAULT-VALUE}).")
    private int members;

    @Option(
            names = "--seconds",
            defaultValue = "20",
            description = "Length of each measured run (default: ${DEFAULT-VALUE}); sweep steps take half.")
    private int seconds;

    @Option(
            names = "--connections",
            defaultValue = "16",
            description = "Connections of the throughput runs (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = "--threads", defaultValue = "2", description = "wrk threads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Mixin
    private ReportOptions report;

    @Override
    public Integer call() throws Exception {
        if (members < 100 || seconds < 5 || connections < 1 || threads < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--members ≥ 100, --seconds ≥ 5, --connections and --threads ≥ 1");
        }
        RunEnvironment environment =
                RunEnvironment.capture(spec.commandLine().getParseResult().originalArgs());
        Path folder = InProcessService.benchTargetDir().resolve("http-bench");
        Progress.say("starting the local topology and loading " + members + " members ...");
        Map<String, Object> topology = loadPopulation();
        LocalTopology servers = LocalTopology.shared();
        List<HttpReport.Row> rows = new ArrayList<>();
        List<HttpReport.Sweep> sweeps = new ArrayList<>();
        try (ChildProcess service = startService(folder, topology);
                ChildProcess naive = startNaive(folder, servers)) {
            Progress.say("service (pid " + service.pid() + ") on " + service.port() + ", naive (pid " + naive.pid()
                    + ") on " + naive.port());
            Scenarios scenarios = new Scenarios(new Wrk(folder, threads), service, naive, seconds, connections);
            List<String> byId = paths(i -> "/v1/members/" + SeedMembers.memberId(i));
            List<String> byMobile = paths(
                    i -> "/v1/members/by-mobile/" + URLEncoder.encode(SeedMembers.mobile(i), StandardCharsets.UTF_8));
            String ceiling = WrkScripts.get(ORDER_KEY, List.of("/v1/ceiling"));
            String serviceById = WrkScripts.get(ORDER_KEY, byId);
            String serviceByMobile = WrkScripts.get(ORDER_KEY, byMobile);
            Progress.say("warming up (JIT, caches) ...");
            scenarios.warm("ceiling", ceiling, service);
            scenarios.warm("service-get-by-id", serviceById, service);
            scenarios.warm("service-by-mobile", serviceByMobile, service);
            scenarios.warm("naive-get-by-id", WrkScripts.get(NAIVE_KEY, byId), naive);
            scenarios.warm("naive-by-mobile", WrkScripts.get(NAIVE_KEY, byMobile), naive);
            Progress.say("reads at " + connections + " connections ...");
            rows.add(scenarios.measure("reads", "ceiling", ceiling, service));
            rows.add(scenarios.measure("reads", "service-get-by-id", serviceById, service));
            rows.add(scenarios.measure("reads", "service-by-mobile", serviceByMobile, service));
            rows.add(scenarios.measure("reads", "naive-get-by-id", WrkScripts.get(NAIVE_KEY, byId), naive));
            rows.add(scenarios.measure("reads", "naive-by-mobile", WrkScripts.get(NAIVE_KEY, byMobile), naive));
            Progress.say("sweeping connections for the sustainable rate at p99 ≤ 10 ms ...");
            sweeps.add(scenarios.sweep("ceiling", ceiling, service, SWEEP));
            sweeps.add(scenarios.sweep("service-get-by-id", serviceById, service, SWEEP));
            sweeps.add(scenarios.sweep("service-by-mobile", serviceByMobile, service, SWEEP));
            Progress.say("writes ...");
            rows.add(scenarios.measure("writes", "service-patch", WrkScripts.patchNickname(ORDER_KEY, byId), service));
            rows.add(scenarios.measure("writes", "naive-patch", WrkScripts.patchNickname(NAIVE_KEY, byId), naive));
            rows.add(jdbcUpdates(servers));
        }
        String body = HttpReport.markdown(rows, sweeps, members, environment);
        System.out.println();
        System.out.println(body);
        if (report.wanted()) Progress.say("wrote the http section of " + report.writeSection(SECTION, body));
        return 0;
    }

    /**
     * Starts the topology through an in-process service, bulk-loads the population, waits until every cluster
     * indexed it, and closes that service: the topology stays, the settings the child needs are returned.
     */
    private Map<String, Object> loadPopulation() throws Exception {
        try (InProcessService loader = InProcessService.start()) {
            new PopulationLoader(2, 1_000)
                    .load(
                            "member-center shards",
                            members,
                            PopulationLoader.into(loader.bean(MemberBulkLoad.class)),
                            Progress::say);
            IndexingWait.await(
                    loader.topology(),
                    List.of("search-primary", "search-backup", "search-marketing"),
                    members,
                    Duration.ofMinutes(10));
            return topologyProperties();
        }
    }

    /** {@code local-topology.*} of the running topology, exactly as an in-JVM service sees them. */
    private static Map<String, Object> topologyProperties() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.setActiveProfiles("local");
        new LocalTopologyEnvironment()
                .postProcessEnvironment(environment, new SpringApplication(MemberCenterApplication.class));
        return ((MapPropertySource) environment.getPropertySources().get("localTopology")).getSource();
    }

    private static ChildProcess startService(Path folder, Map<String, Object> topology) {
        Progress.say("starting the service as a process of its own ...");
        return ChildProcess.start(
                "service",
                folder,
                "1g",
                MemberCenterApplication.class.getName(),
                List.of(
                        "--spring.profiles.active=local",
                        "--server.port={port}",
                        "--member-center.local-topology.enabled=false",
                        "--member-center.local-topology.banner=false",
                        "--member-center.local.data-center-b.enabled=false",
                        "--member-center.bench.ceiling-endpoint=true"),
                Map.of("SPRING_APPLICATION_JSON", JsonMapper.builder().build().writeValueAsString(topology)),
                "/actuator/health",
                200);
    }

    private ChildProcess startNaive(Path folder, LocalTopology servers) {
        Progress.say("starting the naive service as a process of its own and loading its table ...");
        return ChildProcess.start(
                "naive",
                folder,
                "1g",
                NaiveMain.class.getName(),
                List.of(
                        "{port}",
                        servers.jdbcUrl("mysql-a", "member_0"),
                        servers.appUser(),
                        "16",
                        NAIVE_KEY,
                        Integer.toString(members)),
                Map.of("NAIVE_DB_PASSWORD", servers.appPassword()),
                "/v1/members/" + SeedMembers.memberId(0),
                401);
    }

    /** The raw single-row update transaction (the service's pool settings), 16 threads of this JVM. */
    private HttpReport.Row jdbcUpdates(LocalTopology servers) throws Exception {
        try (JdbcBaseline jdbc = new JdbcBaseline(servers, 16)) {
            jdbc.createBenchTable();
            List<Long> ids = jdbc.copyMembersForUpdates(Math.min(members, 100_000));
            LoadResult result = new ClosedLoop(connections, Duration.ofSeconds(5), Duration.ofSeconds(seconds))
                    .run(() -> jdbc.update(ids.get(ThreadLocalRandom.current().nextInt(ids.size()))));
            return HttpReport.Row.of("writes", "jdbc-update-transaction", result);
        }
    }

    private List<String> paths(IntFunction<String> path) {
        return IntStream.range(0, members).mapToObj(path).toList();
    }

    /** The runs of one scenario against one server, with the server process's CPU over each. */
    private record Scenarios(Wrk wrk, ChildProcess service, ChildProcess naive, int seconds, int connections) {

        void warm(String name, String script, ChildProcess server) throws Exception {
            wrk.run(name + "-warm", script, url(server), connections, Duration.ofSeconds(Math.max(10, seconds)));
        }

        HttpReport.Row measure(String group, String name, String script, ChildProcess server) throws Exception {
            long ticks = MachineMeter.processTicks(server.pid());
            long start = System.nanoTime();
            Wrk.Result result = wrk.run(name, script, url(server), connections, Duration.ofSeconds(seconds));
            double cores =
                    (MachineMeter.processTicks(server.pid()) - ticks) / 100.0 / ((System.nanoTime() - start) / 1e9);
            Progress.say(String.format("%s: %.0f/s, p99 %.2f ms", name, result.perSecond(), result.p99()));
            return HttpReport.Row.of(group, name, result, cores);
        }

        HttpReport.Sweep sweep(String name, String script, ChildProcess server, List<Integer> steps) throws Exception {
            List<Wrk.Result> results = new ArrayList<>();
            for (int c : steps) {
                results.add(
                        wrk.run(name + "-c" + c, script, url(server), c, Duration.ofSeconds(Math.max(5, seconds / 2))));
            }
            return new HttpReport.Sweep(name, results);
        }

        private static String url(ChildProcess server) {
            return "http://127.0.0.1:" + server.port();
        }
    }
}
