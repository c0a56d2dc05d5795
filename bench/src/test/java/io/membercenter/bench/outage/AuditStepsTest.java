package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AuditStepsTest {

    private static final String RUNNING = """
            {"runId":"7","state":"running","shards":1024,"shardsDone":300,"startedAt":"2026-12-04T19:00:00Z",\
            "finishedAt":null,"steps":4,"examined":{"members":1200,"entries":3000},"anomaliesSeen":2,"repaired":1,\
            "step":{"members":300,"entries":700,"repaired":0,"anomaliesSeen":0}}""";

    @Test
    void aStepsAnswerIsReadAsTheRunsTotalsNotTheSteps() {
        AuditSteps.Step step = AuditSteps.parse(202, RUNNING);

        assertThat(step.runId()).isEqualTo("7");
        assertThat(step.shardsDone()).isEqualTo(300);
        assertThat(step.shards()).isEqualTo(1024);
        assertThat(step.steps()).isEqualTo(4);
        assertThat(step.members()).isEqualTo(1200);
        assertThat(step.entries()).isEqualTo(3000);
        assertThat(step.rows()).isEqualTo(4200);
        assertThat(step.anomaliesSeen()).isEqualTo(2);
        assertThat(step.repaired()).isEqualTo(1);
        assertThat(step.done()).as("202: shards remain").isFalse();
        assertThat(AuditSteps.parse(200, RUNNING).done()).isTrue();
    }

    @Test
    void anAnswerOtherThan200Or202FailsTheRunWithTheServicesText() {
        assertThatThrownBy(() -> AuditSteps.parse(503, "{\"title\":\"Service Unavailable\"}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("503")
                .hasMessageContaining("Service Unavailable");
    }

    @Test
    void steppingTimeAddsUpOverSlicesAndAStepLessSliceKeepsTheLastAnswer() {
        AuditSteps.Step first = AuditSteps.parse(202, RUNNING);

        AuditSteps.Progress progress =
                AuditSteps.Progress.NONE.plus(first, 3_000).plus(null, 500);

        assertThat(progress.activeNanos()).isEqualTo(3_500);
        assertThat(progress.last()).isSameAs(first);
        assertThat(progress.done()).isFalse();
        assertThat(AuditSteps.Progress.NONE.done()).isFalse();
    }
}
