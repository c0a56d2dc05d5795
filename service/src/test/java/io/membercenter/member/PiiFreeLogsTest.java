package io.membercenter.member;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * No log line — ours or a library's, at any level that is written — holds a mobile, an e-mail or an
 * externalId in clear, even when a duplicate-key race makes the database driver report the conflicting
 * value. Every event of the service's logging is captured while real races run.
 */
@ServiceTest
class PiiFreeLogsTest {

    private final ApiClient api;

    PiiFreeLogsTest(ApiClient api) {
        this.api = api;
    }

    private static final int RACERS = 16;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger root;

    @BeforeEach
    void captureLogs() {
        root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void stopCapturing() {
        root.detachAppender(captured);
        captured.stop();
    }

    @Test
    void duplicateCreateAndBindRacesLogNoMobileEmailOrExternalId() throws Exception {
        String mobile = TestData.mobile();
        String email = TestData.email();
        String externalId = TestData.externalId();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) others.add(api.newMember().memberId());

        List<Integer> creates =
                race(() -> api.create(RequestBody.create(mobile, email)).status());
        List<Integer> binds = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            String id = externalId + "-" + round;
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            binds.addAll(race(() -> api.post(
                            "/v1/members/" + others.get(next.getAndIncrement()) + "/identities",
                            APP_KEY,
                            "{\"platform\":\"wechat\",\"externalId\":\"" + id + "\"}")
                    .status()));
        }
        Response sequentialConflict = api.create(RequestBody.create(mobile, TestData.email()));

        assertThat(creates).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        assertThat(binds).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(3);
        assertThat(sequentialConflict.status()).isEqualTo(409);
        List<String> lines = captured.list.stream()
                .map(e -> e.getLoggerName() + " " + e.getLevel() + " " + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .toList();
        assertThat(lines)
                .noneMatch(line -> line.contains(mobile.substring(1)))
                .noneMatch(line -> line.contains(email))
                .noneMatch(line -> line.contains(externalId));
    }

    private static List<Integer> race(Supplier<Integer> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return request.get();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) statuses.add(answer.get());
            return statuses;
        } finally {
            pool.shutdown();
        }
    }
}
