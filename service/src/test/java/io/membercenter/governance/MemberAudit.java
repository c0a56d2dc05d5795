package io.membercenter.governance;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.MutableClock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * For tests of other packages: the relationship audit, run now over the logical shards some members and identifiers
 * live in (each shard whole, both phases, as {@link RelationshipAudit#auditShard} does), and every anomaly stored
 * that names one of those members. Cheaper and more exact than a whole run over every test's rows.
 */
public final class MemberAudit {

    private MemberAudit() {}

    public static List<JsonNode> anomaliesOf(
            ApplicationContext context, ApiClient api, Collection<Long> memberIds, Collection<IdentifierKey> keys) {
        RelationshipAudit audit = context.getBean(RelationshipAudit.class);
        ShardMap shards = context.getBean(ShardedDatabases.class).shardMap();
        Set<Integer> audited = new LinkedHashSet<>();
        memberIds.forEach(id -> audited.add(shards.shardOfMember(id)));
        keys.forEach(key -> audited.add(shards.shardOfIdentifier(key.hashKey())));
        long asOf = context.getBean(MutableClock.class).millis();
        audited.forEach(shard -> audit.auditShard(shard, asOf));
        Response answer = api.get("/admin/governance/anomalies?limit=1000", ADMIN_KEY);
        assertThat(answer.status()).isEqualTo(200);
        return StreamSupport.stream(answer.json().path("items").spliterator(), false)
                .filter(anomaly -> StreamSupport.stream(
                                anomaly.path("memberIds").spliterator(), false)
                        .map(id -> Long.parseLong(id.asString()))
                        .anyMatch(memberIds::contains))
                .toList();
    }
}
