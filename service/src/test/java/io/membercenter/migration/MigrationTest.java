package io.membercenter.migration;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.member.MemberImport;
import io.membercenter.support.ApiClient;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceProcess;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import io.membercenter.topology.LocalTopology;
import io.membercenter.topology.StoreKind;
import io.membercenter.topology.TopologyOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The migration against real servers: the shared topology's shards and a legacy PostgreSQL of the test's own (a
 * topology of the legacy kind alone, so the other tests' topology is unchanged). Each test loads its own legacy
 * population under keys no other test uses, and starts the migration over.
 */
@ServiceTest
class MigrationTest {

    private static LocalTopology legacyTopology;
    private static final Set<Long> USED_BASES = new HashSet<>();

    @DynamicPropertySource
    static void legacyStore(DynamicPropertyRegistry registry) {
        registry.add(
                "member-center.migration.legacy-jdbc-url",
                () -> legacyTopology().legacyJdbcUrl());
        // short steps, so a crashed step's lease (two budgets and a second) runs out quickly
        registry.add("member-center.migration.step-budget", () -> "2s");
        registry.add("member-center.migration.chunk-size", () -> "100");
        registry.add("member-center.migration.rows-per-second", () -> "100000");
    }

    /** Stopped by its own shutdown hook, like the shared topology: the service's pool uses it until the JVM ends. */
    private static synchronized LocalTopology legacyTopology() {
        if (legacyTopology == null) {
            legacyTopology = LocalTopology.start(new TopologyOptions(
                    Path.of("target", "test-legacy-migration"), List.of(), Set.of(StoreKind.LEGACY)));
        }
        return legacyTopology;
    }

    @Autowired
    PostgresLegacySource legacy;

    @Autowired
    Migration migration;

    @Autowired
    MemberImport members;

    private ApiClient api;
    private long base;

    @BeforeEach
    void startOver(ApiClient api) {
        this.api = api;
        migration.writerStop();
        await().atMost(Duration.ofSeconds(10)).until(() -> post("reset").status() == 200);
        legacy.ensureSchema();
        legacy.wipe();
        synchronized (USED_BASES) {
            do {
                base = (1 + ThreadLocalRandom.current().nextInt(900)) * 100_000L;
            } while (!USED_BASES.add(base));
        }
    }

    @Test
    void fullAndIncrementalSyncWithTheLegacyWriterRunningVerifyWithZeroMismatches() {
        load(300);
        assertThat(post("writer-start?perSecond=5").status()).isEqualTo(200);

        runToEnd("full-sync");
        runToEnd("incremental-sync");
        JsonNode verified = runToEnd("verify").json().get("verify");
        JsonNode after = status();
        JsonNode writer = after.get("writer");
        System.out.println("migration status after verify with the writer running: " + after);
        assertThat(post("writer-stop").status()).isEqualTo(200);

        assertThat(writer.get("running").asBoolean()).isTrue();
        assertThat(writer.get("inserts").asLong()).isPositive();
        assertThat(writer.get("updates").asLong()).isPositive();
        assertThat(verified.get("mismatched").asLong()).isZero();
        assertThat(verified.get("missing").asLong()).isZero();
        assertThat(verified.get("extra").asLong()).isZero();
        assertThat(verified.get("checked").asLong()).isGreaterThanOrEqualTo(300);
        assertThat(api.get("/admin/migration/mismatches", ADMIN_KEY).json().get("items"))
                .isEmpty();
        runToEnd("incremental-sync"); // what the writer wrote after the verify, before it stopped
        everyLegacyRowIsOneMemberOrQuarantined();
    }

    @Test
    void refusedRowsAreQuarantinedWithTheirReasonAndNoIdentifierGetsTwoOwners() {
        load(450);

        runToEnd("full-sync");

        List<JsonNode> items = items(
                api.get("/admin/migration/quarantine?limit=1000", ADMIN_KEY).json());
        Map<Long, String> reasons = new java.util.HashMap<>();
        items.forEach(item ->
                reasons.put(item.get("legacyKey").asLong(), item.get("reason").asString()));
        for (int offset = 1; offset < 450; offset++) {
            long key = base + offset;
            switch (LegacyPopulation.defectOf(offset)) {
                case DUPLICATE_MOBILE -> {
                    assertThat(reasons.get(key)).startsWith("duplicate: The mobile is bound to another member");
                    String mobile = LegacyMapping.mobile(LegacyPopulation.typedMobile(key - 1, 0));
                    List<Map<String, Object>> owners = Sql.ownersOfMobile(mobile);
                    assertThat(owners).hasSize(1);
                    assertThat(((Number) owners.getFirst().get("member_id")).longValue())
                            .isEqualTo(key - 1);
                }
                case INVALID_MOBILE -> assertThat(reasons.get(key)).contains("mobile: must be E.164");
                case INVALID_EMAIL -> assertThat(reasons.get(key)).contains("email: must be an e-mail address");
                case INVALID_GRADE -> assertThat(reasons.get(key)).contains("vip_grade: 9 is no grade");
                case NONE -> assertThat(reasons).doesNotContainKey(key);
            }
        }
        assertThat(reasons.values()).allSatisfy(reason -> assertThat(reason).doesNotContain("+86", "LEGACY.EXAMPLE"));
        Map<Long, JsonNode> anomalies = new java.util.HashMap<>();
        items(api.get("/admin/governance/anomalies?type=LEGACY_QUARANTINED&limit=1000", ADMIN_KEY)
                        .json())
                .forEach(a -> anomalies.put(a.get("evidence").get("legacyKey").asLong(), a));
        assertThat(reasons).isNotEmpty();
        reasons.forEach((key, reason) -> {
            JsonNode anomaly = anomalies.get(key);
            assertThat(anomaly).as("the anomaly of quarantined row " + key).isNotNull();
            assertThat(anomaly.get("status").asString()).isEqualTo("review");
            assertThat(anomaly.get("evidence").get("reason").asString()).isEqualTo(reason);
            assertThat(anomaly.toString()).doesNotContain("+86", "LEGACY.EXAMPLE");
        });
        JsonNode full = status().get("fullSync");
        assertThat(full.get("refused").asLong()).isEqualTo(items.size());
        assertThat(full.get("created").asLong()).isEqualTo(450 - items.size());
        assertThat(full.get("percent").asLong()).isEqualTo(100);
        everyLegacyRowIsOneMemberOrQuarantined();
    }

    @Test
    void crashInTheMiddleOfTheFullSyncResumesWithNoLossAndNoDuplicate() {
        load(350);
        while (status().get("fullSync").get("cursor").asLong() < base + 100) {
            // steps of 50 rows each: not done, whatever the machine's speed (a 2 s budget may cover all 350)
            assertThat(post("full-sync?maxRows=50").status()).isEqualTo(202);
        }
        long savedCursor = status().get("fullSync").get("cursor").asLong();
        migration.crashFullSyncAfter(5); // five members into the next step, before it saves anything

        assertThat(post("full-sync").status()).isEqualTo(500);
        assertThat(status().get("fullSync").get("cursor").asLong()).isEqualTo(savedCursor);
        // What the dead step created before it died: the chunk's groups import in parallel, and a thread in the middle
        // of a group finishes it after another thread's crash, so which rows (and how many) is the race's, not the
        // first five keys'. The table says; every one of them must be found again, none created twice.
        long createdByTheCrashedStep = Sql.everywhere(
                        "mysql-a",
                        "SELECT member_id FROM member WHERE member_id > ? AND member_id < ?",
                        savedCursor,
                        base + 350)
                .size();
        long alreadyThereAtTheCrash =
                status().get("fullSync").get("alreadyThere").asLong();
        assertThat(post("full-sync").status()).isEqualTo(409); // the dead step's lease holds until it runs out

        runToEnd("full-sync");
        JsonNode verified = runToEnd("verify").json().get("verify");

        assertThat(verified.get("mismatched").asLong()).isZero();
        assertThat(verified.get("missing").asLong()).isZero();
        assertThat(verified.get("extra").asLong()).isZero();
        JsonNode full = status().get("fullSync");
        assertThat(createdByTheCrashedStep)
                .as("members the crashed step created")
                .isPositive();
        assertThat(full.get("alreadyThere").asLong() - alreadyThereAtTheCrash)
                .as("the crashed chunk's members, found again")
                .isEqualTo(createdByTheCrashedStep);
        everyLegacyRowIsOneMemberOrQuarantined();
        for (int offset = 0; offset < 350; offset++) {
            long key = base + offset;
            if (LegacyPopulation.defectOf(offset) == LegacyPopulation.Defect.NONE) {
                String mobile = LegacyMapping.mobile(LegacyPopulation.typedMobile(key, offset));
                List<Map<String, Object>> owners = Sql.ownersOfMobile(mobile);
                assertThat(owners).as("owners of key %d's mobile", key).hasSize(1);
                assertThat(((Number) owners.getFirst().get("member_id")).longValue())
                        .isEqualTo(key);
                assertThat(Sql.memberRowsWithMobile(mobile).stream().filter(row -> "LIVE".equals(row.get("lifecycle"))))
                        .as("live members of key %d's mobile", key)
                        .hasSize(1);
            }
        }
    }

    /**
     * The service, a process of its own ({@link ServiceProcess}), killed with SIGKILL while an incremental-sync step
     * is applying a backlog of the legacy writer's changes (the writer, the old system's callers, runs in this JVM's
     * service and keeps writing throughout). After the restart the sync goes on from the last acknowledged position:
     * nothing lost (verify finds 0, every legacy row is one member or quarantined) and nothing applied twice: no
     * member's version rose by more than the number of legacy transactions that touched its row since the snapshot
     * (counted from a logical slot of the test's own, so not from the code under test).
     */
    @Test
    void killingTheServiceInTheMiddleOfTheIncrementalSyncResumesWithNoLossAndNoChangeAppliedTwice() throws Exception {
        load(300);
        runToEnd("full-sync");
        runToEnd("incremental-sync");
        Map<Long, Long> versionsBefore = memberVersions();
        createAuditSlot();
        try (ServiceProcess service = ServiceProcess.start(
                43,
                Map.of(
                        "member-center.migration.legacy-jdbc-url",
                                legacyTopology().legacyJdbcUrl(),
                        "member-center.migration.step-budget", "2s",
                        "member-center.migration.chunk-size", "100",
                        "member-center.migration.rows-per-second", "100000"))) {
            assertThat(post("writer-start?perSecond=20").status()).isEqualTo(200);
            sleep(4_000); // a backlog of some eighty changes: more than a step applies before it is killed
            long appliedBefore = status().get("incrementalSync").get("applied").asLong();
            long[] before = memberTotals();
            CompletableFuture<ApiClient.Response> step = CompletableFuture.supplyAsync(
                    () -> service.api().post("/admin/migration/incremental-sync", ADMIN_KEY, ""));
            // kill as soon as the step has applied something: in the middle of its batch
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !Arrays.equals(memberTotals(), before));
            service.kill();
            assertThat(step).as("the step the kill cut off got no answer").failsWithin(Duration.ofSeconds(10));
            assertThat(status().get("incrementalSync").get("applied").asLong())
                    .as("changes acknowledged by the killed step")
                    .isEqualTo(appliedBefore);

            service.start();
            runToEnd(service.api(), "incremental-sync"); // with the writer still writing
            assertThat(post("writer-stop").status()).isEqualTo(200);
            runToEnd(service.api(), "incremental-sync");
            JsonNode verified =
                    runToEnd(service.api(), "verify?fresh=true").json().get("verify");

            assertThat(verified.get("mismatched").asLong()).isZero();
            assertThat(verified.get("missing").asLong()).isZero();
            assertThat(verified.get("extra").asLong()).isZero();
            everyLegacyRowIsOneMemberOrQuarantined();
            Map<Long, Integer> transactions = auditedTransactionsPerKey();
            assertThat(transactions)
                    .as("legacy rows the writer changed or added")
                    .hasSizeGreaterThan(20);
            List<String> appliedTwice = new ArrayList<>();
            memberVersions().forEach((id, version) -> {
                long rise = version - versionsBefore.getOrDefault(id, 0L);
                if (rise > transactions.getOrDefault(id, 0)) {
                    appliedTwice.add(id + ": +" + rise + " for " + transactions.getOrDefault(id, 0) + " changes");
                }
            });
            assertThat(appliedTwice)
                    .as("members whose version rose more than their row changed")
                    .isEmpty();
        } finally {
            migration.writerStop();
            dropAuditSlot();
        }
    }

    @Test
    void verifyListsACorruptedAndAMissingMemberByIdWithTheDifferingFields() {
        load(200);
        runToEnd("full-sync");
        assertThat(runToEnd("verify").json().get("verify").get("mismatched").asLong())
                .isZero();
        long corrupted = base + 11;
        long missing = base + 12;
        assertThat(updateEverywhere(
                        "UPDATE member SET nickname = 'tampered', level = 'DIAMOND' WHERE member_id = ?", corrupted))
                .isEqualTo(1);
        assertThat(updateEverywhere("DELETE FROM member WHERE member_id = ?", missing))
                .isEqualTo(1);

        JsonNode verified = runToEnd("verify?fresh=true").json().get("verify");

        assertThat(verified.get("mismatched").asLong()).isEqualTo(1);
        assertThat(verified.get("missing").asLong()).isEqualTo(1);
        List<JsonNode> listed =
                items(api.get("/admin/migration/mismatches", ADMIN_KEY).json());
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("memberId").asString()).isEqualTo(Long.toString(corrupted));
        assertThat(listed.get(0).get("kind").asString()).isEqualTo("MISMATCH");
        assertThat(listed.get(0).get("fields").toString()).isEqualTo("[\"nickname\",\"level\"]");
        assertThat(listed.get(1).get("memberId").asString()).isEqualTo(Long.toString(missing));
        assertThat(listed.get(1).get("kind").asString()).isEqualTo("MISSING");
    }

    @Test
    void stepsOutOfOrderAreRefusedAndChangeNothing() {
        load(20);

        ApiClient.Response verify = post("verify");
        ApiClient.Response incremental = post("incremental-sync");
        ApiClient.Response unknown = post("teleport");
        ApiClient.Response cutover = post("cutover");
        ApiClient.Response finish = post("finish");
        ApiClient.Response grayReads = post("gray-reads?percent=10");
        ApiClient.Response dualWrite = post("dual-write-start");
        ApiClient.Response badRows = post("full-sync?maxRows=lots");

        assertThat(verify.status()).isEqualTo(409);
        assertThat(verify.json().get("detail").asString()).contains("run full-sync to its end first");
        assertThat(incremental.status()).isEqualTo(409);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text()).contains("full-sync");
        assertThat(cutover.status()).isEqualTo(409);
        assertThat(finish.status()).isEqualTo(409);
        assertThat(grayReads.status()).isEqualTo(409);
        assertThat(dualWrite.status()).isEqualTo(409);
        assertThat(status().get("dualWrite").get("on").asBoolean()).isFalse();
        assertThat(badRows.status()).isEqualTo(400);
        assertThat(status().get("phase").asString()).isEqualTo("IDLE");
        assertThat(legacy.capturing()).isFalse();

        runToEnd("full-sync");
        ApiClient.Response loadAgain = post("load?members=10");
        ApiClient.Response fullAgain = post("full-sync");

        assertThat(loadAgain.status()).isEqualTo(409);
        assertThat(fullAgain.status()).isEqualTo(409);
        assertThat(fullAgain.json().get("detail").asString()).contains("next: incremental-sync or verify");
        assertThat(api.get("/admin/migration", ApiClient.APP_KEY).status()).isEqualTo(403);
    }

    @Test
    void dualWriteSendsAcknowledgedWritesToTheLegacyStoreAndRepairsThoseMadeWhileItWasDown() {
        load(100);
        runToEnd("full-sync");
        assertThat(post("dual-write-stop").status()).isEqualTo(409); // not on yet

        assertThat(post("dual-write-start").status()).isEqualTo(200);
        assertThat(post("dual-write-start").status()).isEqualTo(409);
        long changed = base + 1, renamed = base + 2, promoted = base + 3;
        assertThat(patch(changed, "nickname", "dual-up")).isEqualTo(200);
        long created = Long.parseLong(api.newMember().memberId());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(legacyRow(changed).nickname()).isEqualTo("dual-up");
            assertThat(legacy.read(Set.of(created))).hasSize(1);
        });
        LegacyMapping mapping = new LegacyMapping(members);
        assertThat(mapping.mapsTo(legacyRow(created), members.find(created).orElseThrow()))
                .as("the created member written back maps to itself")
                .isTrue();

        long createdWhileDown;
        legacyTopology().stop("legacy-pg");
        try {
            assertThat(patch(changed, "nickname", "dual-down")).isEqualTo(200);
            assertThat(patch(renamed, "nickname", "while-down")).isEqualTo(200);
            assertThat(patch(promoted, "level", "GOLD")).isEqualTo(200);
            createdWhileDown = Long.parseLong(api.newMember().memberId());
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> status().get("dualWrite").get("owed").asLong() >= 4);
            List<JsonNode> owed = items(
                    api.get("/admin/migration/dual-write-failures", ADMIN_KEY).json());
            assertThat(owed)
                    .extracting(item -> item.get("memberId").asLong())
                    .contains(changed, renamed, promoted, createdWhileDown);
        } finally {
            legacyTopology().start("legacy-pg");
        }

        await().atMost(Duration.ofSeconds(60))
                .until(() -> status().get("dualWrite").get("owed").asLong() == 0);
        assertThat(legacyRow(changed).nickname()).isEqualTo("dual-down");
        assertThat(legacyRow(renamed).nickname()).isEqualTo("while-down");
        assertThat(legacyRow(promoted).grade()).isEqualTo(2);
        assertThat(legacy.read(Set.of(createdWhileDown))).hasSize(1);
        assertThat(status().get("dualWrite").get("repaired").asLong()).isPositive();

        // the write-backs are in the legacy change stream: the incremental sync sees them and changes no member
        Map<Long, Long> versions = new java.util.HashMap<>();
        for (long key : List.of(changed, renamed, promoted, created, createdWhileDown)) {
            versions.put(key, members.find(key).orElseThrow().version());
        }
        runToEnd("incremental-sync");
        for (long key : versions.keySet()) {
            assertThat(members.find(key).orElseThrow().version())
                    .as("version of %d", key)
                    .isEqualTo(versions.get(key));
        }
        JsonNode verified = runToEnd("verify?fresh=true").json().get("verify");
        assertThat(verified.get("mismatched").asLong()).isZero();
        assertThat(verified.get("missing").asLong()).isZero();
        assertThat(verified.get("extra").asLong()).isZero();
        assertThat(post("dual-write-stop").status()).isEqualTo(200);
        assertThat(status().get("dualWrite").get("on").asBoolean()).isFalse();
    }

    @Test
    void grayReadsServeTheirShareFromMemberCenterComparedWithTheLegacyStoreAndFindACorruptedLegacyRow() {
        load(120);
        runToEnd("full-sync");
        assertThat(post("gray-reads?percent=10").status()).isEqualTo(409); // the legacy store lacks our writes
        assertThat(post("dual-write-start").status()).isEqualTo(200);
        ApiClient.Response noPercent = post("gray-reads");
        assertThat(noPercent.status()).isEqualTo(400);
        assertThat(noPercent.text()).contains("percent");
        assertThat(post("gray-reads?percent=101").status()).isEqualTo(400);
        assertThat(post("gray-reads?percent=10&callers=bad%20name").status()).isEqualTo(400);
        assertThat(status().get("grayReads").get("percent").asInt()).isZero();
        List<Long> keys = new ArrayList<>();
        for (int offset = 0; offset < 100; offset++) {
            if (LegacyPopulation.defectOf(offset) == LegacyPopulation.Defect.NONE) keys.add(base + offset);
        }

        List<Long> corruptedInTheLoop = new ArrayList<>();
        for (int percent : new int[] {10, 50, 100}) {
            assertThat(post("gray-reads?percent=" + percent).status()).isEqualTo(200);
            JsonNode before = status().get("grayReads");
            long toMemberCenter =
                    keys.stream().filter(key -> GrayReads.bucket(key) < percent).count();
            for (long key : keys) {
                ApiClient.Response read = api.get("/v1/members/" + key, ApiClient.ORDER_KEY);
                assertThat(read.status()).isEqualTo(200);
                assertThat(read.json().get("memberId").asString()).isEqualTo(Long.toString(key));
                assertThat(read.header("X-Member-Source").orElse("").equals(GrayReads.SOURCE))
                        .as("read of %d at %d %% served by the legacy store", key, percent)
                        .isEqualTo(GrayReads.bucket(key) >= percent);
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode after = status().get("grayReads");
                assertThat(after.get("compared").asLong()
                                + after.get("skipped").asLong()
                                - before.get("compared").asLong()
                                - before.get("skipped").asLong())
                        .isEqualTo(toMemberCenter);
            });
            assertThat(toMemberCenter)
                    .as("reads to member-center at %d %%", percent)
                    .isPositive();
            assertThat(status().get("grayReads").get("mismatched").asLong())
                    .as("mismatches in steady state at %d %%", percent)
                    .isEqualTo(corruptedInTheLoop.size());

            // and at this share, a legacy row corrupted by hand is found, with its field, then set right again
            long inShare = keys.stream()
                    .filter(key -> GrayReads.bucket(key) < percent && key != keys.get(7))
                    .filter(key -> !corruptedInTheLoop.contains(key))
                    .findFirst()
                    .orElseThrow();
            LegacyMember original = legacyRow(inShare);
            legacy.update(original.withNickname("corrupted at " + percent));
            corruptedInTheLoop.add(inShare);
            assertThat(api.get("/v1/members/" + inShare, ApiClient.ORDER_KEY).status())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> status().get("grayReads").get("mismatched").asLong() == corruptedInTheLoop.size());
            JsonNode listed = items(api.get("/admin/migration/gray-mismatches", ADMIN_KEY)
                            .json())
                    .stream()
                    .filter(item -> item.get("memberId").asString().equals(Long.toString(inShare)))
                    .findFirst()
                    .orElseThrow();
            assertThat(listed.get("fields").toString()).as("at %d %%", percent).isEqualTo("[\"nickname\"]");
            legacy.update(original);
        }
        int foundInTheLoop = corruptedInTheLoop.size();

        long corrupted = keys.get(7);
        legacy.update(legacyRow(corrupted).withNickname("corrupted"));
        ApiClient.Response read = api.get("/v1/members/" + corrupted, ApiClient.ORDER_KEY);
        assertThat(read.json().get("nickname").asString()).isNotEqualTo("corrupted"); // member-center answered
        await().atMost(Duration.ofSeconds(30))
                .until(() -> status().get("grayReads").get("mismatched").asLong() == foundInTheLoop + 1);
        JsonNode found = StreamSupport.stream(
                        status().get("grayReads").get("mismatches").spliterator(), false)
                .filter(item -> item.get("memberId").asString().equals(Long.toString(corrupted)))
                .findFirst()
                .orElseThrow();
        assertThat(found.get("kind").asString()).isEqualTo("MISMATCH");
        assertThat(found.get("fields").toString()).isEqualTo("[\"nickname\"]");
        assertThat(items(api.get("/admin/migration/gray-mismatches", ADMIN_KEY).json()))
                .hasSize(foundInTheLoop + 1);

        // a legacy row that differs is never served, even outside the share: it may be behind a write member-center
        // acknowledged (the dual write is asynchronous); member-center answers and the difference is listed
        assertThat(post("gray-reads?percent=10").status()).isEqualTo(200); // 0 % is the switch off: all ours
        List<Long> outside = keys.stream()
                .filter(key -> key != corrupted && GrayReads.bucket(key) >= 10)
                .filter(key -> !corruptedInTheLoop.contains(key))
                .toList();
        long behind = outside.get(0);
        legacy.update(legacyRow(behind).withNickname("behind"));
        ApiClient.Response notServed = api.get("/v1/members/" + behind, ApiClient.ORDER_KEY);
        assertThat(notServed.status()).as(notServed.text()).isEqualTo(200);
        assertThat(notServed.json().path("nickname").asString("")).isNotEqualTo("behind");
        assertThat(notServed.header("X-Member-Source").orElse("")).isNotEqualTo(GrayReads.SOURCE);
        assertThat(api.get("/v1/members/" + outside.get(1), ApiClient.ORDER_KEY)
                        .header("X-Member-Source")
                        .orElse(""))
                .as("a legacy row that matches is served from the legacy store")
                .isEqualTo(GrayReads.SOURCE);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> status().get("grayReads").get("mismatched").asLong() == foundInTheLoop + 2);

        // chosen callers: with no share, the order service's reads still go to member-center, nobody else's
        assertThat(post("gray-reads?percent=0&callers=order-service").status()).isEqualTo(200);
        assertThat(api.get("/v1/members/" + keys.get(0), ApiClient.ORDER_KEY)
                        .header("X-Member-Source")
                        .orElse(""))
                .isNotEqualTo(GrayReads.SOURCE);
        assertThat(post("dual-write-stop").status()).isEqualTo(409); // reads still need the legacy store current
        assertThat(post("gray-reads?percent=0").status()).isEqualTo(200);
        assertThat(post("dual-write-stop").status()).isEqualTo(200);
    }

    @Test
    void cutoverKeepsTheDualWriteRollbackFromEveryPhaseLeavesTheLegacyStoreCompleteFinishStopsIt() {
        load(60);
        long key = base + 1;
        assertThat(post("rollback").status()).as("from IDLE").isEqualTo(200);
        assertThat(post("full-sync?maxRows=10").status()).isEqualTo(202);
        assertThat(post("rollback").status()).as("from FULL_SYNC").isEqualTo(200);
        runToEnd("full-sync");
        assertThat(post("rollback").status()).as("from FULL_SYNC_DONE").isEqualTo(200);
        runToEnd("incremental-sync");
        String synced = status().get("phase").asString(); // INCREMENTAL once a change was applied
        assertThat(post("cutover").json().get("detail").asString()).contains("dual-write-start");
        assertThat(post("finish").status()).isEqualTo(409);

        // from INCREMENTAL with the dual write and the gray reads on: a write just before is in the legacy store
        assertThat(post("dual-write-start").status()).isEqualTo(200);
        assertThat(post("gray-reads?percent=50").status()).isEqualTo(200);
        assertThat(patch(key, "nickname", "before-rollback")).isEqualTo(200);
        runToEnd("rollback");
        assertThat(legacyRow(key).nickname()).isEqualTo("before-rollback");
        JsonNode rolledBack = status();
        assertThat(rolledBack.get("phase").asString()).isEqualTo(synced);
        assertThat(rolledBack.get("dualWrite").get("on").asBoolean()).isFalse();
        assertThat(rolledBack.get("grayReads").get("percent").asInt()).isZero();

        // cut over: every read member-center's, the dual write on, the legacy store no longer a source
        assertThat(post("dual-write-start").status()).isEqualTo(200);
        assertThat(post("gray-reads?percent=30").status()).isEqualTo(200);
        assertThat(post("cutover").status()).isEqualTo(200);
        assertThat(status().get("phase").asString()).isEqualTo("CUTOVER");
        for (int offset = 1; offset < 40; offset++) {
            ApiClient.Response read = api.get("/v1/members/" + (base + offset), ApiClient.ORDER_KEY);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.header("X-Member-Source").orElse("")).isNotEqualTo(GrayReads.SOURCE);
        }
        assertThat(post("gray-reads?percent=10").status()).isEqualTo(409);
        assertThat(post("dual-write-stop").status()).isEqualTo(409);
        assertThat(post("incremental-sync").status()).isEqualTo(409);
        assertThat(post("cutover").status()).isEqualTo(409);
        assertThat(status().get("phase").asString()).isEqualTo("CUTOVER");
        assertThat(patch(key, "nickname", "after-cutover")).isEqualTo(200);
        long created = Long.parseLong(api.newMember().memberId());

        // rolled back from the cutover: the legacy store has every write acknowledged before, and verifies clean
        runToEnd("rollback");
        assertThat(legacyRow(key).nickname()).isEqualTo("after-cutover");
        assertThat(legacy.read(Set.of(created))).hasSize(1);
        assertThat(status().get("phase").asString()).isEqualTo("INCREMENTAL");
        runToEnd("incremental-sync");
        JsonNode verified = runToEnd("verify?fresh=true").json().get("verify");
        assertThat(verified.get("mismatched").asLong()).isZero();
        assertThat(verified.get("missing").asLong()).isZero();
        assertThat(verified.get("extra").asLong()).isZero();

        // finished: the dual write and the change capture stop; nothing rolls back or cuts over after it
        assertThat(post("dual-write-start").status()).isEqualTo(200);
        assertThat(post("cutover").status()).isEqualTo(200);
        assertThat(post("finish").status()).isEqualTo(200);
        JsonNode finished = status();
        assertThat(finished.get("phase").asString()).isEqualTo("FINISHED");
        assertThat(finished.get("dualWrite").get("on").asBoolean()).isFalse();
        assertThat(legacy.capturing()).isFalse();
        assertThat(post("rollback").status()).isEqualTo(409);
        assertThat(post("cutover").status()).isEqualTo(409);
        assertThat(post("finish").status()).isEqualTo(409);
        assertThat(status().get("phase").asString()).isEqualTo("FINISHED");
    }

    // --- helpers ---

    private int patch(long memberId, String field, String value) {
        return api.patch(
                        "/v1/members/" + memberId,
                        ApiClient.APP_KEY,
                        RequestBody.object().with(field, value))
                .status();
    }

    private LegacyMember legacyRow(long key) {
        return legacy.read(Set.of(key)).getFirst();
    }

    private void load(int count) {
        assertThat(post("load?members=" + count + "&firstKey=" + base + "&wipe=true")
                        .status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !status().get("load").get("running").asBoolean());
        assertThat(status().get("load").has("failure")).isFalse();
        assertThat(legacy.keyRange().count()).isEqualTo(count);
    }

    private static final String AUDIT_SLOT = "migration_test_audit";
    private static final java.util.regex.Pattern AUDITED_KEY =
            java.util.regex.Pattern.compile("user_no\\[bigint\\]:(\\d+)");

    /** Member versions of this test's key range, read on the master. */
    private Map<Long, Long> memberVersions() {
        Map<Long, Long> versions = new HashMap<>();
        for (Map<String, Object> row : Sql.everywhere(
                "mysql-a",
                "SELECT member_id, version FROM member WHERE member_id >= ? AND member_id < ? AND lifecycle = 'LIVE'",
                base,
                base + 100_000)) {
            versions.put(((Number) row.get("member_id")).longValue(), ((Number) row.get("version")).longValue());
        }
        return versions;
    }

    /** Members and the sum of their versions in this test's key range: moves with every change applied. */
    private long[] memberTotals() {
        long count = 0, versions = 0;
        for (Map<String, Object> row : Sql.everywhere(
                "mysql-a",
                "SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v FROM member WHERE member_id >= ? AND member_id < ?",
                base,
                base + 100_000)) {
            count += ((Number) row.get("n")).longValue();
            versions += ((Number) row.get("v")).longValue();
        }
        return new long[] {count, versions};
    }

    private void createAuditSlot() throws java.sql.SQLException {
        dropAuditSlot();
        legacySql("SELECT pg_create_logical_replication_slot('" + AUDIT_SLOT + "', 'test_decoding')");
    }

    private void dropAuditSlot() throws java.sql.SQLException {
        legacySql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                + AUDIT_SLOT + "'");
    }

    private static void legacySql(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c =
                        java.sql.DriverManager.getConnection(legacyTopology().legacyJdbcUrl());
                java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** For each legacy key, how many committed transactions touched its row or its bindings since the slot began. */
    private static Map<Long, Integer> auditedTransactionsPerKey() throws java.sql.SQLException {
        Map<Long, Integer> counts = new HashMap<>();
        Set<Long> inTransaction = new HashSet<>();
        try (java.sql.Connection c =
                        java.sql.DriverManager.getConnection(legacyTopology().legacyJdbcUrl());
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery(
                        "SELECT data FROM pg_logical_slot_get_changes('" + AUDIT_SLOT + "', NULL, NULL)")) {
            while (rs.next()) {
                String data = rs.getString(1);
                if (data.startsWith("COMMIT")) {
                    inTransaction.forEach(key -> counts.merge(key, 1, Integer::sum));
                    inTransaction.clear();
                } else if (data.startsWith("table public.t_user_")) {
                    java.util.regex.Matcher key = AUDITED_KEY.matcher(data);
                    if (key.find()) inTransaction.add(Long.parseLong(key.group(1)));
                }
            }
        }
        return counts;
    }

    private ApiClient.Response post(String step) {
        return api.post("/admin/migration/" + step, ADMIN_KEY, "");
    }

    private JsonNode status() {
        ApiClient.Response response = api.get("/admin/migration", ADMIN_KEY);
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    /** Posts the step until it answers 200, waiting out another step's lease; every answer in between is 202. */
    private ApiClient.Response runToEnd(String step) {
        return runToEnd(api, step);
    }

    private ApiClient.Response runToEnd(ApiClient api, String step) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            ApiClient.Response response = api.post("/admin/migration/" + step, ADMIN_KEY, "");
            if (response.status() == 200) {
                return response;
            }
            if (response.status() == 409 && response.text().contains("migration-step-running")) {
                sleep(200);
                continue;
            }
            assertThat(response.status()).as(response.text()).isEqualTo(202);
            if (step.startsWith("verify")) step = "verify"; // a fresh verify once, then it goes on
        }
        throw new AssertionError(step + " did not finish within 120 s");
    }

    private void everyLegacyRowIsOneMemberOrQuarantined() {
        LegacySource.KeyRange range = legacy.keyRange();
        Set<Long> quarantined = new HashSet<>();
        items(api.get("/admin/migration/quarantine?limit=10000", ADMIN_KEY).json())
                .forEach(item -> quarantined.add(item.get("legacyKey").asLong()));
        Set<Long> migrated = new HashSet<>();
        members.liveInRange(range.min() - 1, range.max()).forEach(m -> migrated.add(m.memberId()));
        List<Long> lost = new ArrayList<>();
        List<Long> both = new ArrayList<>();
        for (LegacyMember row : legacy.readAfter(range.min() - 1, range.max(), Integer.MAX_VALUE)) {
            boolean member = migrated.remove(row.key());
            boolean listed = quarantined.contains(row.key());
            if (!member && !listed) lost.add(row.key());
            if (member && listed) both.add(row.key());
        }
        assertThat(lost).as("legacy rows neither migrated nor quarantined").isEmpty();
        assertThat(both).as("legacy rows both migrated and quarantined").isEmpty();
        assertThat(migrated).as("members without a legacy row").isEmpty();
    }

    private static int updateEverywhere(String sql, Object... parameters) {
        int changed = 0;
        for (String database : Sql.DATABASES) {
            changed += Sql.update("mysql-a", database, sql, parameters);
        }
        return changed;
    }

    private static List<JsonNode> items(JsonNode body) {
        return StreamSupport.stream(body.get("items").spliterator(), false).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
