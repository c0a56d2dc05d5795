package io.membercenter.bench.outage;

import io.membercenter.bench.InProcessService;
import io.membercenter.bench.report.MachineLoad;
import io.membercenter.bench.report.MachineMeter;
import io.membercenter.bench.report.Progress;
import io.membercenter.bench.report.ReportOptions;
import io.membercenter.bench.report.RunEnvironment;
import io.membercenter.bench.suite.Population;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code ./mc bench flood}: see {@link FloodReport} for what it measures. */
@Command(
        name = "flood",
        mixinStandardHelpOptions = true,
        description = "Runs the ORDER mix at a fixed rate, quiet and then while a MARKETING caller floods one member"
                + " and the search endpoint at 10x its caps (hey, outside the service's JVM), and writes the flood"
                + " section of BENCHMARKS.md.")
public final class FloodCommand implements Callable<Integer> {

    static final String ADMIN_KEY = "local-admin-key";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The flooding caller's caps: one member 50/s (the local MARKETING hot-key rule), search 100/s. */
    static final int HOT_KEY_CAP = 50;

    static final int SEARCH_CAP = 100;
    static final int FLOOD_FACTOR = 10;
    static final double P99_GOAL = 1.5;
    /**
     * hey workers per flood; each sends rate / workers per second on its own connection and waits for each answer
     * before the next, so a worker whose answers take longer than 1 / its rate sends less than asked. 10 were too few
     * on two shared cores (424/s of 500 and 316/s of 1,000 in the first run); 25 leave each worker 50 ms for the one
     * member's GET and 25 ms for a search.
     */
    static final int FLOOD_WORKERS = 25;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--seconds",
            defaultValue = "30",
            description = "Length of each measured phase, quiet and flooded (default: ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(
            names = "--warmup",
            defaultValue = "15s",
            description = "ORDER mix and flood together before the phases, not measured (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(
            names = "--slices",
            defaultValue = "3",
            description = "Each phase is run in this many slices, quiet and flooded taking turns (Q F Q F ...), so that"
                    + " a drift of the machine over the run (JIT, merges, another process) falls on both alike"
                    + " (default: ${DEFAULT-VALUE}).")
    private int slices;

    @Option(
            names = "--cpu-shed-at",
            defaultValue = "0.8",
            description = "The service's system protection sheds MARKETING from this machine CPU use (0..1; 0 = off,"
                    + " the local profile's setting), as a deployment sets member-center.flow.system.cpu-shed-at"
                    + " (default: ${DEFAULT-VALUE}).")
    private double cpuShedAt;

    @Mixin
    private OrderMixOptions options;

    @Mixin
    private ReportOptions report;

    @Override
    public Integer call() throws Exception {
        Duration phase = Duration.ofSeconds(seconds);
        if (seconds < 5
                || !(options.rate > 0)
                || options.members < 100
                || warmup.isNegative()
                || !(cpuShedAt >= 0 && cpuShedAt < 1)
                || slices < 1
                || seconds / slices < 5) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--seconds must be at least 5 per slice, --rate positive, --members at least 100, --cpu-shed-at in"
                            + " [0, 1), --slices at least 1");
        }
        RunEnvironment environment =
                RunEnvironment.capture(spec.commandLine().getParseResult().originalArgs());
        Progress.say("starting the local topology and the service ...");
        FloodReport.Result result;
        try (InProcessService service =
                InProcessService.start(List.of("--member-center.flow.system.cpu-shed-at=" + cpuShedAt))) {
            OutageCommand.load(service, service.topology(), options.members, options.loadWorkers);
            Population keys = new Population(options.members, OutageSettings.ZIPF_EXPONENT);
            String base = "http://127.0.0.1:" + service.port();
            String floodKey = createFloodCaller(base);
            long hotMember = keys.zipfianMemberId(new SplittableRandom(7));
            List<HeyFlood.Plan> floods = List.of(
                    new HeyFlood.Plan(
                            "one member",
                            "GET",
                            base + "/v1/members/" + hotMember,
                            null,
                            FLOOD_WORKERS,
                            HOT_KEY_CAP * FLOOD_FACTOR / FLOOD_WORKERS),
                    new HeyFlood.Plan(
                            "search",
                            "POST",
                            base + "/v1/members/search",
                            "{\"level\": [\"GOLD\"], \"limit\": 20}",
                            FLOOD_WORKERS,
                            SEARCH_CAP * FLOOD_FACTOR / FLOOD_WORKERS));
            OrderMix mix = new OrderMix(new OrderCalls(service.port(), OutageCommand.ORDER_KEY), keys);

            Progress.say("warm-up: ORDER mix and both floods for " + warmup.toSeconds() + " s ...");
            if (!warmup.isZero()) flooded(floods, floodKey, mix, warmup);
            Duration slice = phase.dividedBy(slices);
            List<FloodReport.Phase> quiet = new ArrayList<>();
            List<FloodReport.Phase> flooded = new ArrayList<>();
            for (int i = 1; i <= slices; i++) {
                Progress.say("quiet " + i + "/" + slices + ": ORDER mix at " + TimelineChart.number(options.rate)
                        + "/s for " + slice.toSeconds() + " s ...");
                quiet.add(orderOnly(mix, slice));
                Progress.say("flooded " + i + "/" + slices + ": the same, while both floods run ...");
                flooded.add(flooded(floods, floodKey, mix, slice));
            }
            result = new FloodReport.Result(FloodReport.Phase.of(quiet), FloodReport.Phase.of(flooded));
        }
        String body = FloodReport.markdown(
                result, options.rate, phase, slices, warmup, options.members, cpuShedAt, environment);
        System.out.println();
        System.out.println(body);
        if (report.wanted()) {
            Progress.say("wrote the flood section of " + report.writeSection(FloodReport.SECTION, body));
        }
        return result.quiet().order().isEmpty() ? 1 : 0;
    }

    private FloodReport.Phase orderOnly(OrderMix mix, Duration length) {
        CompletableFuture<Optional<MachineLoad>> cpu = MachineMeter.measureWindow(Duration.ZERO, length);
        OutageLoad.Run run =
                new OutageLoad(options.rate, OutageSettings.MAX_IN_FLIGHT, length).run(mix, System.nanoTime());
        return new FloodReport.Phase(run.samples(), run.unanswered(), List.of(), cpu.join());
    }

    /** The ORDER mix for {@code length} while the floods run from a second before it to a second after. */
    private FloodReport.Phase flooded(List<HeyFlood.Plan> plans, String floodKey, OrderMix mix, Duration length)
            throws Exception {
        List<HeyFlood> floods = new ArrayList<>();
        for (HeyFlood.Plan plan : plans) floods.add(HeyFlood.start(plan, floodKey, length.plusSeconds(2)));
        Thread.sleep(1_000);
        CompletableFuture<Optional<MachineLoad>> cpu = MachineMeter.measureWindow(Duration.ZERO, length);
        OutageLoad.Run run =
                new OutageLoad(options.rate, OutageSettings.MAX_IN_FLIGHT, length).run(mix, System.nanoTime());
        List<HeyFlood.Result> sent = new ArrayList<>();
        for (HeyFlood flood : floods) sent.add(flood.await());
        return new FloodReport.Phase(run.samples(), run.unanswered(), sent, cpu.join());
    }

    /**
     * A MARKETING caller of its own with small caps, made through the caller registry's admin API (as an operator
     * would): 10× its caps is then a rate one machine can send, and the seeded callers keep their limits.
     */
    private static String createFloodCaller(String base) throws IOException, InterruptedException {
        Map<String, Object> big = Map.of("requestsPerSecond", 1000, "concurrent", 100);
        String body = JSON.writeValueAsString(Map.of(
                "name",
                "bench-flood-" + Long.toString(System.currentTimeMillis(), 36),
                "trafficClass",
                "MARKETING",
                "scopes",
                List.of("member:read"),
                "limits",
                Map.of(
                        "groups",
                        Map.of(
                                "reads", big,
                                "writes", big,
                                "batch", big,
                                "search", Map.of("requestsPerSecond", SEARCH_CAP, "concurrent", 100)),
                        "hotKey",
                        Map.of("requestsPerSecond", HOT_KEY_CAP, "exceptions", List.of()))));
        HttpResponse<String> created = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/admin/callers"))
                                .header("Authorization", "Bearer " + ADMIN_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        String key = created.statusCode() == 201
                ? JSON.readTree(created.body()).path("key").asString("")
                : "";
        if (key.isEmpty()) {
            throw new IllegalStateException(
                    "could not create the flood caller: " + created.statusCode() + " " + created.body());
        }
        return key;
    }
}
