package io.membercenter.bench.suite;

import io.membercenter.bench.InProcessService;
import io.membercenter.bench.api.MemberApi;
import io.membercenter.bench.baseline.JdbcBaseline;
import io.membercenter.bench.baseline.RedisBaseline;
import io.membercenter.bench.baseline.SearchBaseline;
import io.membercenter.bench.naive.NaiveMemberService;
import io.membercenter.bench.population.IndexingWait;
import io.membercenter.bench.population.PopulationLoader;
import io.membercenter.member.MemberBulkLoad;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything a suite run measures, started once: the local topology and the service (in this JVM), the naive
 * service on the master's member_0, and the baselines' clients; then the population loaded into both
 * services, and replicated to the three search clusters. Then the scenarios, in the order of {@link SuiteSettings#ALL}.
 */
final class Suite implements AutoCloseable {

    static final String ORDER_KEY = "local-order-key";
    static final String MARKETING_KEY = "local-marketing-key";
    static final String APP_KEY = "local-app-key";
    private static final String NAIVE_KEY = "naive-bench-key";
    private static final Duration INDEXING_TIMEOUT = Duration.ofMinutes(60);

    final SuiteSettings settings;
    final Consumer<String> progress;
    final InProcessService service;
    final MemberApi orderApi;
    final MemberApi marketingApi;
    final MemberApi appApi;
    final NaiveMemberService naive;
    final MemberApi naiveApi;
    final JdbcBaseline jdbc;
    final RedisBaseline redis;
    final SearchBaseline primarySearch;
    final SearchBaseline marketingSearch;
    final ShardMap shardMap;
    final Population population;
    final Comparison comparison;

    Suite(SuiteSettings settings, Consumer<String> progress) throws Exception {
        this.settings = settings;
        this.progress = progress;
        progress.accept("starting the local topology and the service ...");
        this.service = InProcessService.start();
        int poolSize = service.intProperty("member-center.shard.pool-size", 16);
        this.jdbc = new JdbcBaseline(service.topology(), poolSize);
        this.naive = NaiveMemberService.start(
                service.topology().jdbcUrl("mysql-a", "member_0"),
                service.topology().appUser(),
                service.topology().appPassword(),
                poolSize,
                Set.of(NAIVE_KEY));
        progress.accept("service on port " + service.port() + ", naive service on port " + naive.port());
        MemberApi.MobileNumbers mobiles = new MemberApi.MobileNumbers(System.currentTimeMillis() % 1_000_000 * 10_000);
        this.orderApi = new MemberApi(service.port(), ORDER_KEY, mobiles);
        this.marketingApi = orderApi.as(MARKETING_KEY);
        this.appApi = orderApi.as(APP_KEY);
        this.naiveApi = new MemberApi(naive.port(), NAIVE_KEY, mobiles);
        this.redis = new RedisBaseline(service.topology().redisUri("redis-a"));
        this.primarySearch = new SearchBaseline(service.topology().searchUrl("search-primary"));
        this.marketingSearch = new SearchBaseline(service.topology().searchUrl("search-marketing"));
        this.shardMap = service.bean(ShardedDatabases.class).shardMap();
        this.population = new Population(settings.members(), settings.zipfExponent());
        this.comparison = new Comparison(settings, progress);
    }

    /** Loads the population into the service's shards and the naive service's table, then rebuilds the search clusters. */
    void load() throws Exception {
        PopulationLoader loader = new PopulationLoader(settings.loadWorkers(), 1_000);
        loader.load(
                "member-center shards",
                settings.members(),
                PopulationLoader.into(service.bean(MemberBulkLoad.class)),
                progress);
        loader.load("naive service", settings.members(), naive::load, progress);
        jdbc.createBenchTable();
        awaitIndexed(List.of("search-primary", "search-backup", "search-marketing"));
    }

    /** The database holding a member, as the service's shard map says. */
    String databaseOf(long memberId) {
        return shardMap.databaseOf(shardMap.shardOfMember(memberId));
    }

    List<ScenarioResult> runScenarios() throws Exception {
        Scenarios scenarios = new Scenarios(this);
        List<ScenarioResult> results = new ArrayList<>();
        for (String name : settings.scenarios()) {
            results.add(scenarios.run(name));
        }
        return results;
    }

    String mariaDbVersion() throws Exception {
        return jdbc.serverVersion();
    }

    /**
     * The loaded members reach the clusters through replication like any change (outbox, relay, Kafka, one
     * indexer per cluster); the scenarios start when every cluster holds them all.
     */
    private void awaitIndexed(List<String> clusters) throws Exception {
        IndexingWait.await(service.topology(), clusters, settings.members(), INDEXING_TIMEOUT);
    }

    @Override
    public void close() {
        closeQuietly(redis);
        closeQuietly(primarySearch);
        closeQuietly(marketingSearch);
        closeQuietly(naive);
        closeQuietly(jdbc);
        closeQuietly(service);
    }

    private void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) closeable.close();
        } catch (Exception e) {
            progress.accept("closing " + closeable.getClass().getSimpleName() + " failed: " + e);
        }
    }
}
