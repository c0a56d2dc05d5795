package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.bench.outage.Sample.Outcome;
import io.membercenter.bench.outage.WriteLedger.Write;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WriteLedgerTest {

    @Test
    void aMemberHoldingItsLastAcknowledgedNicknameLostNothing() {
        WriteLedger ledger = ledger(new Write(1, "a", 0, 10, Outcome.OK), new Write(1, "b", 20, 30, Outcome.OK));

        assertThat(ledger.lost(finals(Map.of(1L, "b")))).isEmpty();
        assertThat(ledger.lost(finals(Map.of(1L, "a"))))
                .as("a was superseded by b, sent after a's answer")
                .containsExactly(1L);
    }

    @Test
    void overlappingAcknowledgedWritesMayEndEitherWay() {
        WriteLedger ledger = ledger(new Write(2, "a", 0, 30, Outcome.OK), new Write(2, "b", 10, 40, Outcome.OK));

        assertThat(ledger.lost(finals(Map.of(2L, "a")))).isEmpty();
        assertThat(ledger.lost(finals(Map.of(2L, "b")))).isEmpty();
    }

    @Test
    void aWriteWithoutAClearAnswerMayHaveBeenAppliedButARefusedOneMayNot() {
        WriteLedger ledger = ledger(
                new Write(3, "a", 0, 10, Outcome.OK),
                new Write(3, "timed-out", 20, 10_020, Outcome.FAILED),
                new Write(3, "refused", 30, 35, Outcome.REFUSED));

        assertThat(ledger.lost(finals(Map.of(3L, "a")))).isEmpty();
        assertThat(ledger.lost(finals(Map.of(3L, "timed-out")))).isEmpty();
        assertThat(ledger.lost(finals(Map.of(3L, "refused"))))
                .as("a 503 + Retry-After changed nothing")
                .containsExactly(3L);
    }

    @Test
    void aMemberThatCannotBeReadOrHoldsAnUnknownValueLostItsWriteAndOneNeverAcknowledgedIsNotJudged() {
        WriteLedger ledger = ledger(
                new Write(4, "a", 0, 10, Outcome.OK),
                new Write(5, "b", 0, 10, Outcome.OK),
                new Write(6, "c", 0, 10, Outcome.REFUSED));

        List<Long> lost = ledger.lost(finals(Map.of(5L, "older")));

        assertThat(lost).containsExactly(4L, 5L);
        assertThat(ledger.membersWithAcknowledgedWrites()).isEqualTo(2);
    }

    private static WriteLedger ledger(Write... writes) {
        WriteLedger ledger = new WriteLedger();
        for (Write write : writes) ledger.record(write);
        return ledger;
    }

    private static java.util.function.LongFunction<Optional<String>> finals(Map<Long, String> nicknames) {
        return id -> Optional.ofNullable(nicknames.get(id));
    }
}
