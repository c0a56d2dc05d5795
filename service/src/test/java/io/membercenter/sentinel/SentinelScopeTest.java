package io.membercenter.sentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.EntryType;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.Tracer;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.alibaba.csp.sentinel.slots.block.RuleConstant;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeException;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRule;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRuleManager;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRule;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRuleManager;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Two instances in one JVM (data center B's in the local profile, the test contexts): each one's Sentinel
 * rules survive the other's loading, each one's breaker opens on its own failures only, and each observer
 * hears only its own breakers. Without scopes the instance loaded last wiped the other's rules and observer.
 */
class SentinelScopeTest {

    @Test
    void aScopesRulesStayInForceWhenAnotherScopeLoadsItsOwn() {
        try (SentinelScope first = SentinelScope.open();
                SentinelScope second = SentinelScope.open()) {
            first.degradeRules(List.of(errorCountRule(first.resource("mysql-a"))));
            first.flowRules(List.of(new FlowRule(first.resource("flow:caller:x")).setCount(5)));

            second.degradeRules(List.of(errorCountRule(second.resource("mysql-a"))));
            second.flowRules(List.of(new FlowRule(second.resource("flow:caller:x")).setCount(7)));

            assertThat(DegradeRuleManager.hasConfig(first.resource("mysql-a"))).isTrue();
            assertThat(DegradeRuleManager.hasConfig(second.resource("mysql-a"))).isTrue();
            assertThat(FlowRuleManager.getRules())
                    .extracting(FlowRule::getResource)
                    .contains(first.resource("flow:caller:x"), second.resource("flow:caller:x"));
            assertThat(first.resource("mysql-a")).isNotEqualTo(second.resource("mysql-a"));
        }
    }

    @Test
    void aBreakerOpensOnItsOwnScopesFailuresAndOnlyItsObserverHearsIt() throws Exception {
        try (SentinelScope failing = SentinelScope.open();
                SentinelScope healthy = SentinelScope.open()) {
            ConcurrentLinkedQueue<String> heardByFailing = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> heardByHealthy = new ConcurrentLinkedQueue<>();
            failing.onBreakerStateChange((resource, rule, from, to, value) -> heardByFailing.add(resource + " " + to));
            healthy.onBreakerStateChange((resource, rule, from, to, value) -> heardByHealthy.add(resource + " " + to));
            failing.degradeRules(List.of(errorCountRule(failing.resource("mysql-a"))));
            healthy.degradeRules(List.of(errorCountRule(healthy.resource("mysql-a"))));

            failedCall(failing.resource("mysql-a"));
            failedCall(failing.resource("mysql-a"));

            assertThatThrownBy(() -> SphU.entry(failing.resource("mysql-a"), EntryType.OUT))
                    .isInstanceOf(DegradeException.class);
            SphU.entry(healthy.resource("mysql-a"), EntryType.OUT).exit();
            assertThat(heardByFailing).containsExactly("mysql-a OPEN");
            assertThat(heardByHealthy).isEmpty();
        }
    }

    @Test
    void aClosedScopesRulesAreTakenOutAndTheOthersStay() {
        SentinelScope closing = SentinelScope.open();
        try (SentinelScope staying = SentinelScope.open()) {
            closing.degradeRules(List.of(errorCountRule(closing.resource("redis-a"))));
            staying.degradeRules(List.of(errorCountRule(staying.resource("redis-a"))));

            closing.close();

            assertThat(DegradeRuleManager.hasConfig(closing.resource("redis-a")))
                    .isFalse();
            assertThat(DegradeRuleManager.hasConfig(staying.resource("redis-a")))
                    .isTrue();
        }
    }

    /** Opens after more than one failed call in a 10 s window, for 10 s. */
    private static DegradeRule errorCountRule(String resource) {
        return new DegradeRule(resource)
                .setGrade(RuleConstant.DEGRADE_GRADE_EXCEPTION_COUNT)
                .setCount(1)
                .setMinRequestAmount(1)
                .setStatIntervalMs(10_000)
                .setTimeWindow(10);
    }

    private static void failedCall(String resource) throws BlockException {
        Entry entry = SphU.entry(resource, EntryType.OUT);
        Tracer.traceEntry(new IllegalStateException("connection lost"), entry);
        entry.exit();
    }
}
