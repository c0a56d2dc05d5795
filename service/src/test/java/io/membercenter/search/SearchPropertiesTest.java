package io.membercenter.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.membercenter.degradation.StandaloneBreakers;
import io.membercenter.traffic.TrafficClass;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** Cluster roles and routes are enums from the YAML to the routing decision, never strings compared. */
class SearchPropertiesTest {

    private static final Map<String, String> THREE_CLUSTERS = Map.of(
            "member-center.search.clusters[0].name", "search-primary",
            "member-center.search.clusters[0].data-center", "A",
            "member-center.search.clusters[0].role", "primary",
            "member-center.search.clusters[0].url", "http://127.0.0.1:1",
            "member-center.search.clusters[1].name", "search-backup",
            "member-center.search.clusters[1].data-center", "B",
            "member-center.search.clusters[1].role", "backup",
            "member-center.search.clusters[1].url", "http://127.0.0.1:2",
            "member-center.search.clusters[2].name", "search-marketing",
            "member-center.search.clusters[2].data-center", "A");

    @Test
    void rolesAsWrittenInTheYamlBindToTheirEnum() {
        SearchProperties properties = bind(with(Map.of(
                "member-center.search.clusters[2].role", "marketing",
                "member-center.search.clusters[2].url", "http://127.0.0.1:3")));

        assertThat(properties.clusters())
                .extracting(SearchProperties.Cluster::role)
                .containsExactly(
                        SearchProperties.Role.PRIMARY, SearchProperties.Role.BACKUP, SearchProperties.Role.MARKETING);
        assertThat(properties.routes())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        TrafficClass.ORDER, SearchProperties.Role.PRIMARY,
                        TrafficClass.MARKETING, SearchProperties.Role.MARKETING,
                        TrafficClass.DEFAULT, SearchProperties.Role.PRIMARY));
    }

    @Test
    void aMisspeltRoleFailsAtStartNamingTheProperty() {
        assertThatThrownBy(() -> bind(with(Map.of(
                        "member-center.search.clusters[2].role", "marketng",
                        "member-center.search.clusters[2].url", "http://127.0.0.1:3"))))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("member-center.search");
    }

    @Test
    void aClusterWithoutARoleFailsAtStart() {
        assertThatThrownBy(() -> bind(with(Map.of("member-center.search.clusters[2].url", "http://127.0.0.1:3"))))
                .hasRootCauseMessage(
                        "member-center.search.clusters[search-marketing].role must be primary, backup or marketing");
    }

    @Test
    void eachTrafficClassIsServedByTheClusterOfItsRoutedRoleAndUnroutedOnesByThePrimary() throws Exception {
        SearchProperties properties = bind(with(Map.of(
                "member-center.search.clusters[2].role", "MARKETING",
                "member-center.search.clusters[2].url", "http://127.0.0.1:3",
                "member-center.search.routes.MARKETING", "marketing",
                "member-center.search.routes.ORDER", "backup")));
        JsonMapper json = JsonMapper.builder().build();

        try (SearchClusters clusters = new SearchClusters(
                properties.clusters().stream()
                        .map(c -> new SearchCluster(c, properties, json, StandaloneBreakers.withDefaults()))
                        .toList(),
                properties.routes())) {
            assertThat(clusters.forTrafficClass(TrafficClass.MARKETING)
                            .orElseThrow()
                            .name())
                    .isEqualTo("search-marketing");
            assertThat(clusters.forTrafficClass(TrafficClass.ORDER)
                            .orElseThrow()
                            .name())
                    .isEqualTo("search-backup");
            assertThat(clusters.forTrafficClass(TrafficClass.DEFAULT)
                            .orElseThrow()
                            .name())
                    .isEqualTo("search-primary");
        }
    }

    private static Map<String, String> with(Map<String, String> more) {
        Map<String, String> all = new java.util.HashMap<>(THREE_CLUSTERS);
        all.putAll(more);
        return all;
    }

    private static SearchProperties bind(Map<String, String> source) {
        return new Binder(List.of(new MapConfigurationPropertySource(source)))
                .bindOrCreate("member-center.search", SearchProperties.class);
    }
}
