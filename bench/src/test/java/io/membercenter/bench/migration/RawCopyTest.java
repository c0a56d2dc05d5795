package io.membercenter.bench.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawCopyTest {

    @Test
    void theStreamsKeyRangesCoverTheWholeRangeWithoutOverlap() {
        List<long[]> ranges = RawCopy.ranges(0, 1_000_003, 8);

        assertThat(ranges).hasSize(8);
        assertThat(ranges.getFirst()[0]).isZero();
        assertThat(ranges.getLast()[1]).isEqualTo(1_000_003);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i)[0]).isEqualTo(ranges.get(i - 1)[1]);
            assertThat(ranges.get(i)[1]).isGreaterThan(ranges.get(i)[0]);
        }
    }

    @Test
    void fewerKeysThanStreamsGiveOneRangePerKey() {
        assertThat(RawCopy.ranges(10, 13, 8)).hasSize(3);
        assertThat(RawCopy.ranges(10, 10, 8)).hasSize(1);
    }

    @Test
    void aCopyTextLineBecomesItsFieldsWithNullsAndEscapesUndone() {
        List<String> fields = RawCopy.textRow("7\t199 0000 0007\t\\N\t会员\\t7\\\\x\t2009-03-01 08:00:00\n");

        assertThat(fields).isEqualTo(Arrays.asList("7", "199 0000 0007", null, "会员\t7\\x", "2009-03-01 08:00:00"));
    }
}
