package io.membercenter.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.membercenter.traffic.TrafficClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** MARKETING and DEFAULT calls never hold more than their share of a pool; ORDER always finds room. */
class TrafficBulkheadTest {

    private final TrafficBulkhead bulkhead =
            new TrafficBulkhead("pool", 16, new DegradationProperties.Bulkhead(0.25, 0.5, Duration.ofMillis(20)));

    @Test
    void aFloodOfMarketingAndDefaultCallsLeavesOrderItsConnections() throws Exception {
        int flood = 64;
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger maxMarketing = new AtomicInteger();
        AtomicInteger marketingNow = new AtomicInteger();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < flood; i++) {
                TrafficClass trafficClass = i % 2 == 0 ? TrafficClass.MARKETING : TrafficClass.DEFAULT;
                calls.add(pool.submit(() -> inScope(trafficClass, () -> {
                    try (TrafficBulkhead.Permit permit = bulkhead.enter()) {
                        held.incrementAndGet();
                        if (trafficClass == TrafficClass.MARKETING) {
                            maxMarketing.accumulateAndGet(marketingNow.incrementAndGet(), Math::max);
                        }
                        holding.countDown();
                        release.await();
                        if (trafficClass == TrafficClass.MARKETING) marketingNow.decrementAndGet();
                    } catch (DependencyUnavailableException e) {
                        assertThat(e.reason()).isEqualTo(DependencyUnavailableException.Reason.BULKHEAD_FULL);
                        refused.incrementAndGet();
                    }
                    return null;
                })));
            }
            holding.await();
            Thread.sleep(200); // every flood call has either taken a share or been refused by now (max-wait 20 ms)

            // 4 MARKETING + 8 DEFAULT of 16: ORDER still gets 4 at once, and more than those are not refused by the
            // bulkhead.
            List<TrafficBulkhead.Permit> order = new ArrayList<>();
            for (int i = 0; i < 8; i++) order.add(inScope(TrafficClass.ORDER, bulkhead::enter));
            assertThat(order).hasSize(8);
            assertThat(held.get()).isEqualTo(12);
            assertThat(refused.get()).isEqualTo(flood - 12);
            assertThat(maxMarketing.get()).isEqualTo(4);
            order.forEach(TrafficBulkhead.Permit::close);
            release.countDown();
            for (Future<?> call : calls) call.get();
        }
        assertThat(bulkhead.available(TrafficClass.MARKETING)).isEqualTo(4);
        assertThat(bulkhead.available(TrafficClass.DEFAULT)).isEqualTo(8);
    }

    @Test
    void backgroundWorkRunAsAClassDrawsFromThatClassesShare() {
        int defaultShare = bulkhead.available(TrafficClass.DEFAULT);
        AtomicInteger during = new AtomicInteger();
        RequestScopes.runAs(TrafficClass.DEFAULT, Duration.ofSeconds(1), () -> {
            try (TrafficBulkhead.Permit permit = bulkhead.enter()) {
                during.set(bulkhead.available(TrafficClass.DEFAULT));
            }
        });
        assertThat(during.get()).isEqualTo(defaultShare - 1);
        assertThat(bulkhead.available(TrafficClass.DEFAULT)).isEqualTo(defaultShare);
    }

    @Test
    void workOutsideARequestIsNotLimited() {
        List<TrafficBulkhead.Permit> background = new ArrayList<>();
        for (int i = 0; i < 32; i++) background.add(bulkhead.enter());
        assertThat(background).hasSize(32);
    }

    @Test
    void sharesThatLeaveOrderNothingAreRefusedAtStart() {
        assertThatThrownBy(() -> new DegradationProperties(
                        BreakerRule.defaults(),
                        null,
                        new DegradationProperties.Bulkhead(0.5, 0.5, Duration.ofMillis(50)),
                        Duration.ofSeconds(5)))
                .hasMessageContaining("ORDER needs connections of its own");
        assertThatThrownBy(() -> new DegradationProperties(
                        new BreakerRule(0, 0.5, 1.5, 5, 5, 2000, 0),
                        null,
                        new DegradationProperties.Bulkhead(0.25, 0.5, Duration.ofMillis(50)),
                        Duration.ofSeconds(5)))
                .hasMessageContaining("defaults.slowCallMillis")
                .hasMessageContaining("defaults.errorRatio")
                .hasMessageContaining("defaults.openSeconds");
    }

    private static <T> T inScope(TrafficClass trafficClass, java.util.concurrent.Callable<T> work) throws Exception {
        return ScopedValue.where(
                        RequestScope.CURRENT, new RequestScope(trafficClass, System.nanoTime() + 60_000_000_000L))
                .call(work::call);
    }
}
