package io.membercenter.search;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the two indexes on a cluster when they are missing; the design is in {@code search/SHARDS.md}. */
final class SearchIndexes {

    static final String MEMBERS = "members";
    static final String IDENTIFIERS = "member_identifiers";
    private static final Logger log = LoggerFactory.getLogger(SearchIndexes.class);

    private final SearchProperties properties;

    SearchIndexes(SearchProperties properties) {
        this.properties = properties;
    }

    void ensure(SearchCluster cluster) {
        create(cluster, MEMBERS, "search/members-index.json", properties.memberShards());
        create(cluster, IDENTIFIERS, "search/member-identifiers-index.json", properties.identifierShards());
    }

    private void create(SearchCluster cluster, String index, String resource, int shards) {
        if (cluster.send("HEAD", "/" + index, null).status() == 200) {
            return;
        }
        SearchCluster.Answer answer = cluster.send("PUT", "/" + index, definition(resource, shards));
        if (!answer.ok() && !answer.body().toString().contains("resource_already_exists")) {
            throw new IllegalStateException(
                    "could not create index " + index + " on " + cluster.name() + ": " + answer.body());
        }
        log.info("event=index_created cluster={} index={} shards={}", cluster.name(), index, shards);
    }

    private String definition(String resource, int shards) {
        int nodes = 1;
        int copies = shards * (1 + properties.replicas());
        int totalShardsPerNode = Math.max(1, (int) Math.ceil(2.0 * copies / nodes));
        String template = read(resource);
        for (Map.Entry<String, String> value : Map.of(
                        "${memberShards}", Integer.toString(properties.memberShards()),
                        "${identifierShards}", Integer.toString(properties.identifierShards()),
                        "${replicas}", Integer.toString(properties.replicas()),
                        "${refreshInterval}", properties.refreshInterval().toMillis() + "ms",
                        "${totalShardsPerNode}", Integer.toString(totalShardsPerNode))
                .entrySet()) {
            template = template.replace(value.getKey(), value.getValue());
        }
        return template;
    }

    private static String read(String resource) {
        try (InputStream in = SearchIndexes.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
