package io.membercenter.search;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.replication.Relay;
import io.membercenter.support.ApiClient;
import io.membercenter.support.RequestBody;
import io.membercenter.support.SearchDocs;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import io.membercenter.support.Stores;
import io.membercenter.topology.LocalTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;

/**
 * Every committed change reaches all three clusters exactly as committed, through the outbox,
 * Kafka and one indexer per cluster — and keeps doing so across replays, stopped indexers,
 * stopped clusters, a stopped Kafka and a relay crash. Checked member by member against MySQL.
 */
@ServiceTest
class SearchReplicationTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final ApiClient api;
    private final Stores stores;

    @Autowired
    SearchIndexers indexers;

    Relay relay;

    @Autowired
    void relayOf(ApplicationContext context) {
        relay = new Relay(context);
    }

    @Value("${member-center.replication.kafka-bootstrap}")
    String kafka;

    SearchReplicationTest(ApiClient api, Stores stores) {
        this.api = api;
        this.stores = stores;
    }

    @AfterEach
    void relayAndEveryIndexerRunAgain() {
        relay.start();
        indexers.all().forEach(SearchIndexer::start);
    }

    @Test
    void aChangeAppearsInAllThreeClustersWithItsVersion() {
        String id = api.newMember().memberId();
        api.patch("/v1/members/" + id, APP_KEY, RequestBody.object().with("level", "GOLD"));

        await().atMost(CATCH_UP).until(() -> SearchDocs.allClustersMatchMysql(List.of(id)));

        for (String cluster : SearchDocs.CLUSTERS) {
            assertThat(SearchDocs.source(cluster, id).path("level").asString()).isEqualTo("GOLD");
            assertThat(SearchDocs.version(cluster, id)).hasValue(2);
        }
    }

    @Test
    void replayingTheWholeTopicChangesNothing() throws Exception {
        List<String> ids = changedMembers(5);
        await().atMost(CATCH_UP).until(() -> SearchDocs.allClustersMatchMysql(ids));
        Map<String, String> before = new java.util.HashMap<>();
        for (String id : ids)
            before.put(id, SearchDocs.source("search-backup", id).toString());
        SearchIndexer backup = indexers.of("search-backup").orElseThrow();

        backup.stop();
        rewindToTheBeginning("member-center-indexer-search-backup");
        long appliedBefore = backup.applied();
        backup.start();

        await().atMost(CATCH_UP).until(() -> backup.applied() > appliedBefore && backup.changesBehind() == 0);
        for (String id : ids) {
            assertThat(SearchDocs.source("search-backup", id).toString()).isEqualTo(before.get(id));
        }
        assertThat(SearchDocs.clusterMatchesMysql("search-backup", ids)).isTrue();
    }

    @Test
    void aStoppedIndexerCatchesUpWithNothingMissingOrStale() {
        SearchIndexer marketing = indexers.of("search-marketing").orElseThrow();
        marketing.stop();
        List<String> ids = changedMembers(10);
        await().atMost(CATCH_UP).until(() -> SearchDocs.clusterMatchesMysql("search-primary", ids));
        assertThat(SearchDocs.clusterMatchesMysql("search-marketing", ids)).isFalse();

        marketing.start();

        await().atMost(CATCH_UP).until(() -> SearchDocs.clusterMatchesMysql("search-marketing", ids));
    }

    @Test
    void aClusterStoppedWhileChangesAreCommittedHasThemAllOnceRestarted() {
        List<String> ids;
        try (Stores.StoppedStore backup = stores.stop("search-backup")) {
            ids = changedMembers(10);
            await().atMost(CATCH_UP).until(() -> SearchDocs.clusterMatchesMysql("search-primary", ids));
        }

        await().atMost(CATCH_UP).until(() -> SearchDocs.clusterMatchesMysql("search-backup", ids));
    }

    @Test
    void changesCommittedWhileKafkaIsDownArriveWhenItReturns() {
        List<String> ids;
        try (Stores.StoppedStore broker = stores.stop("kafka")) {
            ids = changedMembers(5);
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> SearchDocs.allClustersMatchMysql(ids));
    }

    @Test
    void aRelayStoppedOrCrashedBetweenCommitAndPublishLosesNothing() {
        relay.stop();
        List<String> whileStopped = changedMembers(5);
        assertThat(SearchDocs.version("search-primary", whileStopped.getFirst()))
                .isEqualTo(OptionalLong.empty());
        relay.crashAfterNextPublish();
        relay.start();
        List<String> afterCrash = changedMembers(5);

        List<String> all = new ArrayList<>(whileStopped);
        all.addAll(afterCrash);
        await().atMost(CATCH_UP).until(() -> SearchDocs.allClustersMatchMysql(all));
    }

    /** Creates members and changes each a few times, so versions above 1 must arrive in order. */
    /**
     * A change committed by the service before the typed contract, still unsent in the outbox when the new
     * service starts (a rolling deploy, a relay back from an outage): the row's payload as the old writer
     * built it, field by field into a map, with kind and value in the order Map.of happened to give them.
     */
    @Test
    void anOutboxRowStoredByTheOldWriterIsRelayedAndIndexedInEveryCluster() throws Exception {
        ApiClient.Response created = api.newMember();
        String id = created.memberId();
        String mobile = created.json().path("mobile").asString();
        long createdAt = java.time.Instant.parse(
                        created.json().path("createdAt").asString())
                .toEpochMilli();
        long updatedAt = createdAt + 1_000;
        String oldPayload = "{\"memberId\":\"" + id + "\",\"version\":2,\"mobile\":\"" + mobile
                + "\",\"email\":null,\"nickname\":\"written by the old service\",\"level\":\"NORMAL\","
                + "\"status\":\"ACTIVE\",\"identities\":[],"
                + "\"identifiers\":[{\"value\":\"" + mobile + "\",\"kind\":\"MOBILE\"}],"
                + "\"removedIdentifiers\":[],\"createdAt\":" + createdAt + ",\"updatedAt\":" + updatedAt + "}";
        await().atMost(CATCH_UP).until(() -> SearchDocs.allClustersMatchMysql(List.of(id)));

        commitAsTheOldServiceDid(Long.parseLong(id), oldPayload, updatedAt);

        await().atMost(CATCH_UP).until(() -> SearchDocs.allClustersMatchMysql(List.of(id)));
        for (String cluster : SearchDocs.CLUSTERS) {
            assertThat(SearchDocs.version(cluster, id)).hasValue(2);
            assertThat(SearchDocs.source(cluster, id).path("nickname").asString())
                    .isEqualTo("written by the old service");
            assertThat(SearchDocs.source(cluster, id).path("mobile").asString()).isEqualTo(mobile);
            assertThat(SearchDocs.source(cluster, id).path("updatedAt").asLong())
                    .isEqualTo(updatedAt);
        }
    }

    /** The member row's version bump and the old-format outbox row in one transaction, on the master. */
    private static void commitAsTheOldServiceDid(long memberId, String payload, long updatedAt) throws Exception {
        LocalTopology topology = LocalTopology.shared();
        for (String database : Sql.DATABASES) {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                    topology.jdbcUrl("mysql-a", database), topology.appUser(), topology.appPassword())) {
                c.setAutoCommit(false);
                int shard;
                try (java.sql.PreparedStatement ps = c.prepareStatement(
                        "UPDATE member SET nickname = ?, version = 2, updated_at = ? WHERE member_id = ? AND version = 1")) {
                    ps.setString(1, "written by the old service");
                    ps.setLong(2, updatedAt);
                    ps.setLong(3, memberId);
                    if (ps.executeUpdate() == 0) {
                        c.rollback();
                        continue;
                    }
                }
                try (java.sql.PreparedStatement ps =
                        c.prepareStatement("SELECT shard FROM member WHERE member_id = ?")) {
                    ps.setLong(1, memberId);
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        shard = rs.getInt(1);
                    }
                }
                try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO member_outbox "
                        + "(shard, member_id, version, payload, created_at) VALUES (?, ?, 2, ?, ?)")) {
                    ps.setInt(1, shard);
                    ps.setLong(2, memberId);
                    ps.setString(3, payload);
                    ps.setLong(4, updatedAt);
                    ps.executeUpdate();
                }
                c.commit();
                return;
            }
        }
        throw new IllegalStateException("member " + memberId + " is in no database");
    }

    private List<String> changedMembers(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = api.newMember().memberId();
            api.patch("/v1/members/" + id, APP_KEY, RequestBody.object().with("nickname", "one"));
            api.patch(
                    "/v1/members/" + id,
                    APP_KEY,
                    RequestBody.object().with("nickname", "two").with("level", "SILVER"));
            ids.add(id);
        }
        return ids;
    }

    private void rewindToTheBeginning(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            var description = admin.describeTopics(List.of("member-changes"))
                    .allTopicNames()
                    .get()
                    .get("member-changes");
            Map<TopicPartition, OffsetSpec> earliest = new java.util.HashMap<>();
            description
                    .partitions()
                    .forEach(p ->
                            earliest.put(new TopicPartition("member-changes", p.partition()), OffsetSpec.earliest()));
            Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
            admin.listOffsets(earliest)
                    .all()
                    .get()
                    .forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                admin.alterConsumerGroupOffsets(group, offsets).all().get();
                return true;
            });
        }
    }
}
