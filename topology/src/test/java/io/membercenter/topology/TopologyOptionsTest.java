package io.membercenter.topology;

import static io.membercenter.topology.StoreKind.CACHE;
import static io.membercenter.topology.StoreKind.DB;
import static io.membercenter.topology.StoreKind.LEGACY;
import static io.membercenter.topology.StoreKind.MQ;
import static io.membercenter.topology.StoreKind.SEARCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopologyOptionsTest {

    @Test
    void defaultsStartEveryKindWithTheShardedStoresDatabases() {
        TopologyOptions defaults = TopologyOptions.defaults();

        assertThat(defaults.kinds()).containsExactly(DB, CACHE, SEARCH, MQ);
        assertThat(defaults.databases()).containsExactly("member_0", "member_1");
        assertThat(new TopologyOptions(Path.of("x"), List.of()).kinds()).isEqualTo(defaults.kinds());
    }

    @Test
    void withKindsKeepsEverythingElse() {
        TopologyOptions options = new TopologyOptions(Path.of("somewhere"), List.of("member_0"));

        TopologyOptions narrowed = options.withKinds(CACHE, MQ);

        assertThat(narrowed.kinds()).containsExactly(CACHE, MQ);
        assertThat(narrowed.workDir()).isEqualTo(Path.of("somewhere"));
        assertThat(narrowed.databases()).containsExactly("member_0");
        assertThat(options.withKinds(EnumSet.of(SEARCH)).kinds()).containsExactly(SEARCH);
        assertThat(TopologyOptions.only(DB).kinds()).containsExactly(DB);
        assertThat(TopologyOptions.only(DB))
                .isEqualTo(TopologyOptions.defaults().withKinds(Set.of(DB)));
    }

    @Test
    void kindsAreACopyThatCannotBeChangedAfterwards() {
        Set<StoreKind> kinds = EnumSet.of(DB);
        TopologyOptions options = TopologyOptions.defaults().withKinds(kinds);
        kinds.add(SEARCH);

        assertThat(options.kinds()).containsExactly(DB);
        assertThatThrownBy(() -> options.kinds().add(MQ)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void legacyStartsOnlyWhenNamedAndAtLeastOneKindIsNeeded() {
        assertThat(TopologyOptions.defaults().kinds()).doesNotContain(LEGACY);
        assertThat(TopologyOptions.only(LEGACY).kinds()).containsExactly(LEGACY);
        assertThatThrownBy(() -> TopologyOptions.defaults().withKinds(Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
    }

    @Test
    void kindsPropertyIsACaseInsensitiveCommaList() {
        assertThat(TopologyOptions.parseKinds("db, Cache,,MQ ")).containsExactly(DB, CACHE, MQ);
        assertThat(TopologyOptions.parseKinds("search")).containsExactly(SEARCH);
        assertThatThrownBy(() -> TopologyOptions.parseKinds("db,elastic"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("membercenter.topology.kinds")
                .hasMessageContaining("'elastic'")
                .hasMessageContaining("db, cache, search, mq");
    }

    @Test
    void sharedReadsTheKindsProperty() {
        String before = System.getProperty(TopologyOptions.KINDS_PROPERTY);
        try {
            System.setProperty(TopologyOptions.KINDS_PROPERTY, "cache,mq");
            assertThat(TopologyOptions.fromSystemProperties().kinds()).containsExactly(CACHE, MQ);
            System.setProperty(TopologyOptions.KINDS_PROPERTY, " ");
            assertThat(TopologyOptions.fromSystemProperties().kinds()).containsExactly(DB, CACHE, SEARCH, MQ);
            System.clearProperty(TopologyOptions.KINDS_PROPERTY);
            assertThat(TopologyOptions.fromSystemProperties()).isEqualTo(TopologyOptions.defaults());
        } finally {
            if (before == null) {
                System.clearProperty(TopologyOptions.KINDS_PROPERTY);
            } else {
                System.setProperty(TopologyOptions.KINDS_PROPERTY, before);
            }
        }
    }

    @Test
    void theCoordinationEnsembleStartsOnlyWhenAskedFor() {
        assertThat(TopologyOptions.defaults().kinds()).doesNotContain(StoreKind.COORDINATION);
        assertThat(TopologyOptions.only(StoreKind.COORDINATION).kinds()).containsExactly(StoreKind.COORDINATION);
        assertThat(TopologyOptions.parseKinds("db,coordination")).containsExactly(DB, StoreKind.COORDINATION);
    }

    @Test
    void theDataCentersAreZeroApartAndDirectlyConnectedUnlessARoundTripIsGiven() {
        TopologyOptions defaults = TopologyOptions.defaults();
        assertThat(defaults.dcRtt()).isZero();
        assertThat(defaults.dcLinks()).isFalse();

        TopologyOptions apart = defaults.withDcRtt(Duration.ofMillis(2)).withKinds(DB);
        assertThat(apart.dcRtt()).isEqualTo(Duration.ofMillis(2));
        assertThat(apart.dcLinks()).isTrue();
        assertThat(apart.kinds()).containsExactly(DB);
        assertThat(defaults.withDcRtt(Duration.ZERO).dcLinks())
                .as("links with no delay, so they can still be cut")
                .isTrue();
        assertThat(new TopologyOptions(Path.of("x"), List.of(), Set.of(DB), Duration.ofMillis(1), false).dcLinks())
                .isTrue();
        assertThatThrownBy(() -> defaults.withDcRtt(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }

    @Test
    void roundTripTimesAreReadInTheirUnits() {
        assertThat(TopologyOptions.parseDuration("2ms")).isEqualTo(Duration.ofMillis(2));
        assertThat(TopologyOptions.parseDuration(" 0.5ms")).isEqualTo(Duration.ofNanos(500_000));
        assertThat(TopologyOptions.parseDuration("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(TopologyOptions.parseDuration("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(TopologyOptions.parseDuration("3")).isEqualTo(Duration.ofMillis(3));
        assertThat(TopologyOptions.parseDuration("0")).isZero();
        assertThatThrownBy(() -> TopologyOptions.parseDuration("2 minutes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("membercenter.topology.dc-rtt")
                .hasMessageContaining("2ms");
    }

    @Test
    void theRoundTripPropertyPutsTheLinksInPlace() {
        String before = System.getProperty(TopologyOptions.DC_RTT_PROPERTY);
        try {
            System.setProperty(TopologyOptions.DC_RTT_PROPERTY, "2ms");
            assertThat(TopologyOptions.fromSystemProperties().dcRtt()).isEqualTo(Duration.ofMillis(2));
            assertThat(TopologyOptions.fromSystemProperties().dcLinks()).isTrue();
            System.clearProperty(TopologyOptions.DC_RTT_PROPERTY);
            assertThat(TopologyOptions.fromSystemProperties().dcLinks()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(TopologyOptions.DC_RTT_PROPERTY);
            } else {
                System.setProperty(TopologyOptions.DC_RTT_PROPERTY, before);
            }
        }
    }
}
