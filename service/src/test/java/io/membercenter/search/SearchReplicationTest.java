package io.membercenter.search;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.replication.Relay;
import io.membercenter.support.ApiTestBase;
import io.membercenter.support.SearchDocs;
import io.membercenter.support.ServiceTest;
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
class SearchReplicationTest extends ApiTestBase {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    @Autowired
    SearchIndexers indexers;

    Relay relay;

    @Autowired
    void relayOf(ApplicationContext context) {
        relay = new Relay(context);
    }

    @Value("${member-center.replication.kafka-bootstrap}")
    String kafka;

    @AfterEach
    void everythingRunsAgain() {
        LocalTopology.shared().start("kafka");
        SearchDocs.CLUSTERS.forEach(LocalTopology.shared()::start);
        relay.start();
        indexers.all().forEach(SearchIndexer::start);
    }

    @Test
    void aChangeAppearsInAllThreeClustersWithItsVersion() {
        String id = newMember().memberId();
        api.patch("/v1/members/" + id, APP_KEY, "{\"level\":\"GOLD\"}");

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
    void aStoppedAndRestartedClusterCatchesUp() {
        LocalTopology.shared().stop("search-backup");
        List<String> ids = changedMembers(10);
        await().atMost(CATCH_UP).until(() -> SearchDocs.clusterMatchesMysql("search-primary", ids));

        LocalTopology.shared().start("search-backup");

        await().atMost(CATCH_UP).until(() -> SearchDocs.clusterMatchesMysql("search-backup", ids));
    }

    @Test
    void changesCommittedWhileKafkaIsDownArriveWhenItReturns() {
        LocalTopology.shared().stop("kafka");
        List<String> ids = changedMembers(5);

        LocalTopology.shared().start("kafka");

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
    private List<String> changedMembers(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = newMember().memberId();
            api.patch("/v1/members/" + id, APP_KEY, "{\"nickname\":\"one\"}");
            api.patch("/v1/members/" + id, APP_KEY, "{\"nickname\":\"two\",\"level\":\"SILVER\"}");
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
