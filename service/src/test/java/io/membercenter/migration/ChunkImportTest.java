package io.membercenter.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.membercenter.member.Member;
import io.membercenter.member.MemberImport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The parallel import of a chunk gives the sequential outcome: rows sharing an identifier are imported one after
 * the other in key order, the others at once; nothing starts after the deadline; a failure is thrown after every
 * started row ended. The import itself is a function here (what it does to the stores is {@code MigrationTest}'s).
 */
class ChunkImportTest {

    private static final int ROWS = 200;

    @Test
    void rowsSharingAMobileAnEmailOrAnIdentityAreOneGroupInKeyOrder() {
        List<LegacyMember> chunk = List.of(row(1), row(2), row(3), row(4), row(5));
        List<LegacyMapping.Mapped> mapped = List.of(
                valid(1, "+8613800000001", "a@example.com", List.of()),
                valid(2, "+8613800000002", "b@example.com", List.of(new Member.Identity("WECHAT", "w1"))),
                valid(3, "+8613800000003", "A@Example.com", List.of()), // a's e-mail, as the claim normalises it
                new LegacyMapping.Invalid("mobile: must be E.164"),
                valid(5, "+8613800000005", "e@example.com", List.of(new Member.Identity("WECHAT", "w1"))));

        List<List<Long>> groups = ChunkImport.groups(chunk, mapped).stream()
                .map(group -> group.stream().map(LegacyMember::key).toList())
                .toList();

        assertThat(groups).containsExactly(List.of(1L, 3L), List.of(2L, 5L), List.of(4L));
    }

    @Test
    void rowsOfOneGroupNeverRunAtOnceAndInKeyOrderWhileOtherGroupsDo() {
        // Every fourth row shares one mobile: one group of 50 in key order; the other 150 are alone.
        List<LegacyMember> chunk =
                IntStream.rangeClosed(1, ROWS).mapToObj(ChunkImportTest::row).toList();
        List<LegacyMapping.Mapped> mapped = chunk.stream()
                .map(row -> valid(
                        row.key(),
                        row.key() % 4 == 0 ? "+8613900000000" : "+86138%08d".formatted(row.key()),
                        null,
                        List.of()))
                .toList();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        AtomicInteger sharedInFlight = new AtomicInteger();
        List<Long> sharedOrder = Collections.synchronizedList(new ArrayList<>());
        List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
        Function<LegacyMember, MemberImport.Outcome> importOne = row -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            boolean shared = row.key() % 4 == 0;
            if (shared && sharedInFlight.incrementAndGet() > 1) overlaps.add("row " + row.key());
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (shared) {
                sharedOrder.add(row.key());
                sharedInFlight.decrementAndGet();
            }
            inFlight.decrementAndGet();
            return new MemberImport.Refused("test");
        };

        Map<Long, MemberImport.Outcome> outcomes =
                new ChunkImport(8, importOne).run(chunk, mapped, System.nanoTime() + 60_000_000_000L);

        assertThat(outcomes).hasSize(ROWS);
        assertThat(overlaps).as("rows of one group imported at once").isEmpty();
        assertThat(sharedOrder).isSorted().hasSize(ROWS / 4);
        assertThat(mostInFlight.get()).as("imports at once").isGreaterThan(1).isLessThanOrEqualTo(8);
    }

    @Test
    void noGroupStartsAfterTheDeadline() {
        List<LegacyMember> chunk =
                IntStream.rangeClosed(1, 20).mapToObj(ChunkImportTest::row).toList();
        List<LegacyMapping.Mapped> mapped = chunk.stream()
                .map(row -> valid(row.key(), "+86138%08d".formatted(row.key()), null, List.of()))
                .toList();
        Set<Long> imported = ConcurrentHashMap.newKeySet();

        Map<Long, MemberImport.Outcome> outcomes = new ChunkImport(4, row -> {
                    imported.add(row.key());
                    return new MemberImport.Refused("test");
                })
                .run(chunk, mapped, System.nanoTime() - 1);

        assertThat(outcomes).isEmpty();
        assertThat(imported).isEmpty();
    }

    @Test
    void aFailedImportIsThrownOnceTheStartedOnesEnded() {
        List<LegacyMember> chunk =
                IntStream.rangeClosed(1, 40).mapToObj(ChunkImportTest::row).toList();
        List<LegacyMapping.Mapped> mapped = chunk.stream()
                .map(row -> valid(row.key(), "+86138%08d".formatted(row.key()), null, List.of()))
                .toList();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger runningWhenThrown = new AtomicInteger(-1);
        ChunkImport imports = new ChunkImport(4, row -> {
            running.incrementAndGet();
            try {
                if (row.key() == 7) throw new IllegalStateException("the master is gone");
                return new MemberImport.Refused("test");
            } finally {
                running.decrementAndGet();
            }
        });

        assertThatThrownBy(() -> {
                    try {
                        imports.run(chunk, mapped, System.nanoTime() + 60_000_000_000L);
                    } finally {
                        runningWhenThrown.set(running.get());
                    }
                })
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the master is gone");
        assertThat(runningWhenThrown.get())
                .as("imports still running when the failure was thrown")
                .isZero();
    }

    private static LegacyMember row(long key) {
        return new LegacyMember(key, null, null, "n", 1, "ACTIVE", null, List.of());
    }

    private static LegacyMapping.Mapped valid(long key, String mobile, String email, List<Member.Identity> identities) {
        return new LegacyMapping.Valid(new MemberImport.Imported(
                key,
                mobile,
                email,
                "n",
                Member.Level.NORMAL,
                Member.Status.ACTIVE,
                identities,
                Instant.parse("2020-01-01T00:00:00Z")));
    }
}
