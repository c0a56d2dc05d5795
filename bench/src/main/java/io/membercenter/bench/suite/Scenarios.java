package io.membercenter.bench.suite;

import io.membercenter.bench.load.Operation;
import io.membercenter.bench.report.ResultRow;
import io.membercenter.replication.IdentifierKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.ThreadLocalRandom;

/** The suite's scenarios: what each compares, with which keys, and its notes for the report. */
final class Scenarios {

    private static final String[] LEVELS = {"NORMAL", "SILVER", "GOLD", "PLATINUM", "DIAMOND"};
    private static final int BATCH_SIZE = 20;
    private static final int SEARCH_PAGE = 20;
    private static final int UPDATE_ROWS = 100_000;

    private final Suite suite;
    private final Population keys;

    Scenarios(Suite suite) {
        this.suite = suite;
        this.keys = suite.population;
    }

    ScenarioResult run(String name) throws Exception {
        return switch (name) {
            case "hit-rate" -> new HitRate(suite).run();
            case "cached-reads" -> cachedReads();
            case "lookup-by-mobile" -> lookupByMobile();
            case "routed-vs-fan-out" -> routedVersusFanOut();
            case "marketing-mix" -> marketingMix();
            case "order-mix" -> orderMix();
            case "default-mix" -> defaultMix();
            case "writes" -> writes();
            case "replication-lag" -> new ReplicationLag(suite).run();
            case "creates" -> creates();
            default -> throw new IllegalArgumentException("unknown scenario " + name);
        };
    }

    private ScenarioResult cachedReads() {
        return suite.comparison.run(
                "cached-reads",
                "GET /v1/members/{id}, Zipfian keys, against the raw Redis GET of the same entry",
                List.of(
                        "**service-get-by-id**: `GET /v1/members/{id}` as `order-service`, Zipfian keys (s = "
                                + suite.settings.zipfExponent()
                                + ") over the population; after `hit-rate` most are answered by "
                                + "the local Redis (`cache@A`), the rest by MySQL and written back.",
                        "**redis-get** (baseline): Lettuce `GET mc:m:<memberId>` on the same Redis (`redis-a`), same keys, "
                                + "one shared connection as the service's cache uses.",
                        "**jdbc-point-select**: the service's SELECT by primary key on the master holding the member, "
                                + "HikariCP + Connector/J with the service's pool settings.",
                        "**naive-get-by-id**: the naive service (one MariaDB table, no cache), same keys."),
                List.of(
                        Contender.service(
                                "service-get-by-id", () -> suite.orderApi.get(keys.zipfianMemberId(random()))),
                        Contender.baseline(
                                "redis-get", () -> suite.redis.getCachedMember(keys.zipfianMemberId(random()))),
                        Contender.baseline("jdbc-point-select", () -> {
                            long memberId = keys.zipfianMemberId(random());
                            suite.jdbc.select(suite.databaseOf(memberId), memberId);
                        }),
                        Contender.baseline(
                                "naive-get-by-id", () -> suite.naiveApi.get(keys.zipfianMemberId(random())))),
                OptionalDouble.of(250));
    }

    private ScenarioResult lookupByMobile() {
        return suite.comparison.run(
                "lookup-by-mobile",
                "GET /v1/members/by-mobile/{mobile}, warm and cold keys, against a direct OpenSearch term query",
                List.of(
                        "**service-by-mobile-cold**: keys no earlier scenario read (uniform among them): the cache misses, "
                                + "the pending marker is checked, `search-primary` answers (a routed term query on "
                                + "`member_identifiers`, then an `_mget` of the member, verified), and the member is written back.",
                        "**service-by-mobile-zipfian**: Zipfian keys as in cached-reads: mostly the identifier's cache entry.",
                        "**opensearch-term-query** (baseline): a term query on `members.mobile` in filter context sent "
                                + "straight to `search-primary`, cold keys like the first row.",
                        "**naive-by-mobile**: the naive service's `SELECT ... WHERE mobile = ?` on its unique index, Zipfian keys."),
                List.of(
                        Contender.service(
                                "service-by-mobile-cold",
                                () -> suite.orderApi.byMobile(keys.mobile(keys.coldKey(random())))),
                        Contender.service(
                                "service-by-mobile-zipfian",
                                () -> suite.orderApi.byMobile(keys.zipfianMobile(random()))),
                        Contender.baseline(
                                "opensearch-term-query",
                                () -> suite.primarySearch.memberByMobile(keys.mobile(keys.coldKey(random())))),
                        Contender.baseline(
                                "naive-by-mobile", () -> suite.naiveApi.byMobile(keys.zipfianMobile(random())))),
                OptionalDouble.of(100));
    }

    private ScenarioResult routedVersusFanOut() throws Exception {
        int shards = suite.settings.fanOutShards();
        String copy = "bench_identifiers_" + shards;
        suite.progress.accept(
                "copying the MOBILE entries of member_identifiers into " + copy + " (" + shards + " shards) ...");
        suite.primarySearch.copyIndex("member_identifiers", copy, shards, IdentifierKey.Kind.MOBILE.searchKeyPrefix());
        long documents = suite.primarySearch.count(copy);
        List<String> notes = List.of(
                "The identifier index's term query for `MOBILE:<mobile>` sent straight to `search-primary`, "
                        + "uniform keys over the population: **routed** with `?routing=` to the one shard that holds the key, "
                        + "**fan-out** without, to every shard. Ratios: fan-out ÷ routed on the same index.",
                String.format(
                        Locale.ROOT,
                        "`member_identifiers`: the live index, 2 shards (the local plan); `%s`: its %,d MOBILE "
                                + "entries copied with their routing into %d shards (the production plan of search/SHARDS.md), "
                                + "force-merged.",
                        copy,
                        documents,
                        shards));
        ScenarioResult live = suite.comparison.run(
                "routed-vs-fan-out",
                "routed and fan-out identifier lookups",
                notes,
                List.of(
                        Contender.baseline("routed-2-shards", identifierLookup("member_identifiers", true)),
                        Contender.service("fan-out-2-shards", identifierLookup("member_identifiers", false))),
                OptionalDouble.empty());
        ScenarioResult planned = suite.comparison.run(
                "routed-vs-fan-out",
                "routed and fan-out identifier lookups",
                notes,
                List.of(
                        Contender.baseline("routed-" + shards + "-shards", identifierLookup(copy, true)),
                        Contender.service("fan-out-" + shards + "-shards", identifierLookup(copy, false))),
                OptionalDouble.empty());
        List<ResultRow> rows = new ArrayList<>(live.rows());
        rows.addAll(planned.rows());
        return new ScenarioResult(
                live.name(), "routed versus fan-out identifier lookups on the same data", notes, rows, List.of());
    }

    private Operation identifierLookup(String index, boolean routed) {
        return () -> suite.primarySearch.identifierLookup(
                index,
                IdentifierKey.mobile(keys.mobile(random().nextInt(keys.size()))).searchKey(),
                routed);
    }

    private ScenarioResult marketingMix() {
        return suite.comparison.run(
                "marketing-mix",
                "MARKETING: 80 % filtered search pages, 20 % batch reads of " + BATCH_SIZE + " members",
                List.of(
                        "**service-marketing-mix**: as `marketing-service` (traffic class MARKETING, served by "
                                + "`search-marketing`): 80 % `POST /v1/members/search` with one random level, "
                                + SEARCH_PAGE + " per page; 20 % `POST /v1/members/batch-get` of " + BATCH_SIZE
                                + " Zipfian ids.",
                        "**direct-search-and-naive-batch** (baseline): the same mix without member-center: the search sent "
                                + "straight to `search-marketing`, the batch read by the naive service."),
                List.of(
                        Contender.service(
                                "service-marketing-mix",
                                mix(
                                        share(
                                                80,
                                                () -> suite.marketingApi.search("{\"level\":[\"" + level()
                                                        + "\"],\"limit\":" + SEARCH_PAGE + "}")),
                                        share(20, () -> suite.marketingApi.batchGet(zipfianBatch())))),
                        Contender.baseline(
                                "direct-search-and-naive-batch",
                                mix(
                                        share(80, () -> suite.marketingSearch.searchByLevel(level(), SEARCH_PAGE)),
                                        share(20, () -> suite.naiveApi.batchGet(zipfianBatch()))))),
                OptionalDouble.of(10));
    }

    private ScenarioResult orderMix() {
        return suite.comparison.run(
                "order-mix",
                "ORDER: 80 % reads by id, 15 % lookups by mobile, 5 % updates",
                List.of(
                        "**service-order-mix**: as `order-service`: 80 % `GET /v1/members/{id}` and 15 % `GET "
                                + "/v1/members/by-mobile/{mobile}` with Zipfian keys, 5 % `PATCH` of a uniform key.",
                        "**naive-order-mix** (baseline): the same mix against the naive service."),
                List.of(
                        Contender.service("service-order-mix", orderMix(suite.orderApi)),
                        Contender.baseline("naive-order-mix", orderMix(suite.naiveApi))),
                OptionalDouble.of(50));
    }

    private Operation orderMix(io.membercenter.bench.api.MemberApi api) {
        return mix(
                share(80, () -> api.get(keys.zipfianMemberId(random()))),
                share(15, () -> api.byMobile(keys.zipfianMobile(random()))),
                share(5, () -> api.patch(keys.uniformMemberId(random()), nicknamePatch())));
    }

    private ScenarioResult defaultMix() {
        return suite.comparison.run(
                "default-mix",
                "DEFAULT: 60 % reads by id, 20 % lookups by mobile, 10 % batch reads, 8 % updates, 2 % registrations",
                List.of(
                        "**service-default-mix**: as `app-backend` (traffic class DEFAULT, lookups served by "
                                + "`search-primary`): 60 % `GET /v1/members/{id}` and 20 % `GET /v1/members/by-mobile/{mobile}` "
                                + "with Zipfian keys, 10 % `POST /v1/members/batch-get` of " + BATCH_SIZE
                                + " Zipfian ids, 8 % "
                                + "`PATCH` of a uniform key, 2 % `POST /v1/members` with a new mobile.",
                        "**naive-default-mix** (baseline): the same mix against the naive service."),
                List.of(
                        Contender.service("service-default-mix", defaultMix(suite.appApi)),
                        Contender.baseline("naive-default-mix", defaultMix(suite.naiveApi))),
                OptionalDouble.of(25));
    }

    private Operation defaultMix(io.membercenter.bench.api.MemberApi api) {
        return mix(
                share(60, () -> api.get(keys.zipfianMemberId(random()))),
                share(20, () -> api.byMobile(keys.zipfianMobile(random()))),
                share(10, () -> api.batchGet(zipfianBatch())),
                share(8, () -> api.patch(keys.uniformMemberId(random()), nicknamePatch())),
                share(2, api::create));
    }

    /** One operation of a mix and its share of the requests, in percent. */
    record Share(int percent, Operation operation) {}

    static Share share(int percent, Operation operation) {
        return new Share(percent, operation);
    }

    /** Each request runs one of the operations, drawn by their shares (which must add up to 100). */
    static Operation mix(Share... shares) {
        if (java.util.Arrays.stream(shares).mapToInt(Share::percent).sum() != 100) {
            throw new IllegalArgumentException("the shares of a mix must add up to 100 %");
        }
        return () -> {
            int dice = random().nextInt(100);
            for (Share share : shares) {
                dice -= share.percent();
                if (dice < 0) {
                    share.operation().call();
                    return;
                }
            }
        };
    }

    private ScenarioResult writes() throws Exception {
        long[] benchRows = suite.jdbc.copyMembersForUpdates(UPDATE_ROWS).stream()
                .mapToLong(Long::longValue)
                .toArray();
        return suite.comparison.run(
                "writes",
                "PATCH /v1/members/{id} against a single-row update transaction",
                List.of(
                        "**service-patch**: `PATCH /v1/members/{id}` of the nickname as `order-service`, uniform keys over the "
                                + "population: a versioned update and its outbox row in one transaction on the master, both "
                                + "Redis invalidated and the pending marker raised before the answer; then relayed to Kafka "
                                + "and indexed by three clusters on the same cores.",
                        "**jdbc-update-transaction** (baseline): `UPDATE ... SET nickname, version = version + 1, updated_at` "
                                + "of one row and `COMMIT`, on " + benchRows.length
                                + " copies of members in `bench_member`.",
                        "**naive-patch**: the naive service's PATCH (one UPDATE, one SELECT), uniform keys."),
                List.of(
                        Contender.service(
                                "service-patch",
                                () -> suite.orderApi.patch(keys.uniformMemberId(random()), nicknamePatch())),
                        Contender.baseline(
                                "jdbc-update-transaction",
                                () -> suite.jdbc.update(benchRows[random().nextInt(benchRows.length)])),
                        Contender.baseline(
                                "naive-patch",
                                () -> suite.naiveApi.patch(keys.uniformMemberId(random()), nicknamePatch()))),
                OptionalDouble.of(10));
    }

    private ScenarioResult creates() {
        return suite.comparison.run(
                "creates",
                "POST /v1/members against a single-row INSERT",
                List.of(
                        "**service-create**: `POST /v1/members` with a new mobile: a PENDING row, the mobile's claim, the "
                                + "commit to LIVE with its outbox row, the claim's confirmation (four durable commits), "
                                + "invalidations in both Redis; then relayed and indexed.",
                        "**jdbc-insert** (baseline): one autocommitted INSERT of the same columns into `bench_member`.",
                        "**naive-create**: the naive service's INSERT into its table with unique mobile and e-mail."),
                List.of(
                        Contender.service("service-create", suite.orderApi::create),
                        Contender.baseline("jdbc-insert", suite.jdbc::insert),
                        Contender.baseline("naive-create", suite.naiveApi::create)),
                OptionalDouble.of(10));
    }

    private long[] zipfianBatch() {
        java.util.Set<Long> ids = new java.util.LinkedHashSet<>();
        while (ids.size() < BATCH_SIZE) ids.add(keys.zipfianMemberId(random()));
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private static String level() {
        return LEVELS[random().nextInt(LEVELS.length)];
    }

    static String nicknamePatch() {
        return "{\"nickname\":\"n" + random().nextInt(1_000_000) + "\"}";
    }

    private static ThreadLocalRandom random() {
        return ThreadLocalRandom.current();
    }
}
