package io.membercenter.governance;

import static io.membercenter.support.ApiClient.ORDER_KEY;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.TestData;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@link CrashStormTest}'s writers: threads that create members (a fresh mobile, or one several threads race for)
 * and bind identities to their own members (fresh ones, later unbound again, or one several threads race for),
 * without pause, and remember what the service acknowledged. A request the kill cut off is "lost": the thread then
 * waits until the service is back ({@link #resume()}) and goes on.
 *
 * <p>What a thread knows at the end: the members whose create got a 2xx, and per (member, identity) the outcome of
 * the last request that touched it: bound, unbound, or unknown (no answer, or a 5xx, whose write may or may not have
 * committed). A contended identity is never unbound, so "bound" stays true for whichever member won it.
 */
final class CrashStormLoad implements AutoCloseable {

    enum Outcome {
        BOUND,
        UNBOUND,
        UNKNOWN
    }

    record Created(long memberId, String mobile, String email) {}

    record Pair(long memberId, String platform, String externalId) {}

    record Totals(
            long requests,
            long acknowledged,
            long refused,
            long failed,
            long lost,
            List<Created> creates,
            Map<Pair, Outcome> pairs,
            List<Pair> cutOffUnbinds) {

        long boundPairs() {
            return pairs.values().stream().filter(o -> o == Outcome.BOUND).count();
        }

        long unboundPairs() {
            return pairs.values().stream().filter(o -> o == Outcome.UNBOUND).count();
        }
    }

    private static final List<String> PLATFORMS = List.of("wechat", "alipay", "qq");
    /** This many consecutive picks of a contended identifier get the same one: about as many threads race for it. */
    private static final int RACERS = 4;

    private final ApiClient api;
    private final ExecutorService threads;
    private final List<Future<Writer>> writers = new ArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final Map<Long, String> contendedMobiles = new ConcurrentHashMap<>();
    private final Map<Long, String> contendedIdentities = new ConcurrentHashMap<>();
    private final AtomicLong mobileTickets = new AtomicLong();
    private final AtomicLong identityTickets = new AtomicLong();
    private volatile boolean stopping;
    /** Open (counted down) while the service runs; a thread that lost a request waits on it. */
    private volatile CountDownLatch running = new CountDownLatch(0);

    private CrashStormLoad(ApiClient api, int threadCount) {
        this.api = api;
        this.threads = Executors.newFixedThreadPool(threadCount);
        for (int i = 0; i < threadCount; i++) writers.add(threads.submit(this::write));
    }

    static CrashStormLoad start(ApiClient api, int threadCount) {
        return new CrashStormLoad(api, threadCount);
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** The service is about to be killed: a thread whose request is cut off waits for {@link #resume()}. */
    void pause() {
        running = new CountDownLatch(1);
    }

    void resume() {
        running.countDown();
    }

    /** Stops every thread after its current request and returns what they know. */
    Totals stop() {
        stopping = true;
        resume();
        List<Created> creates = new ArrayList<>();
        Map<Pair, Outcome> pairs = new HashMap<>();
        List<Pair> cutOffUnbinds = new ArrayList<>();
        for (Future<Writer> writer : writers) {
            Writer done = join(writer);
            creates.addAll(done.creates);
            pairs.putAll(done.pairs);
            cutOffUnbinds.addAll(done.cutOffUnbinds);
        }
        return new Totals(
                requests.get(),
                acknowledged.get(),
                refused.get(),
                failed.get(),
                lost.get(),
                creates,
                pairs,
                cutOffUnbinds);
    }

    @Override
    public void close() {
        stopping = true;
        resume();
        threads.shutdownNow();
        threads.close();
    }

    private Writer write() throws InterruptedException {
        Writer writer = new Writer();
        while (!stopping) {
            if (!writer.step()) running.await();
        }
        return writer;
    }

    private static Writer join(Future<Writer> writer) {
        try {
            return writer.get();
        } catch (Exception e) {
            throw new IllegalStateException("A storm thread failed", e);
        }
    }

    /** One thread's members and pairs; touched by that thread only. */
    private final class Writer {

        private final List<Created> creates = new ArrayList<>();
        private final Map<Pair, Outcome> pairs = new HashMap<>();
        private final List<Pair> freshBound = new ArrayList<>();
        /** Unbinds that got no answer (or a 5xx): their member row may have committed without the release after. */
        private final List<Pair> cutOffUnbinds = new ArrayList<>();

        /** One request; false when it got no answer (the service was killed under it or is down). */
        boolean step() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int pick = random.nextInt(100);
            if (creates.isEmpty() || pick < 35) return create(TestData.mobile());
            if (pick < 45) return create(contended(contendedMobiles, mobileTickets, TestData::mobile));
            long member = creates.get(random.nextInt(creates.size())).memberId();
            String platform = PLATFORMS.get(random.nextInt(PLATFORMS.size()));
            if (pick < 70) return bind(new Pair(member, platform, TestData.externalId()), true);
            if (pick < 85) {
                return bind(
                        new Pair(member, "qq", contended(contendedIdentities, identityTickets, TestData::externalId)),
                        false);
            }
            if (freshBound.isEmpty()) return bind(new Pair(member, platform, TestData.externalId()), true);
            return unbind(freshBound.remove(random.nextInt(freshBound.size())));
        }

        private boolean create(String mobile) {
            String email = TestData.email();
            Optional<Response> answer =
                    send(() -> api.post("/v1/members", ORDER_KEY, RequestBody.create(mobile, email)));
            answer.filter(CrashStormLoad::acknowledged)
                    .ifPresent(r -> creates.add(new Created(Long.parseLong(r.memberId()), mobile, email)));
            return answer.isPresent();
        }

        private boolean bind(Pair pair, boolean fresh) {
            Optional<Response> answer = send(() -> api.post(
                    "/v1/members/" + pair.memberId() + "/identities",
                    ORDER_KEY,
                    RequestBody.bind(pair.platform(), pair.externalId())));
            record(pair, answer, Outcome.BOUND);
            if (fresh && pairs.get(pair) == Outcome.BOUND) freshBound.add(pair);
            return answer.isPresent();
        }

        private boolean unbind(Pair pair) {
            Optional<Response> answer = send(() -> api.delete(
                    "/v1/members/" + pair.memberId() + "/identities/" + pair.platform() + "/" + pair.externalId(),
                    ORDER_KEY));
            record(pair, answer, Outcome.UNBOUND);
            if (pairs.get(pair) == Outcome.UNKNOWN) cutOffUnbinds.add(pair);
            return answer.isPresent();
        }

        /** A 4xx changed nothing, so the pair keeps what it had; no answer or a 5xx leaves it unknown. */
        private void record(Pair pair, Optional<Response> answer, Outcome acknowledgedAs) {
            if (answer.isEmpty() || answer.get().status() >= 500) {
                pairs.put(pair, Outcome.UNKNOWN);
            } else if (acknowledged(answer.get())) {
                pairs.put(pair, acknowledgedAs);
            }
        }
    }

    private Optional<Response> send(Supplier<Response> request) {
        requests.incrementAndGet();
        try {
            Response answer = request.get();
            int status = answer.status();
            (status < 300 ? acknowledged : status < 500 ? refused : failed).incrementAndGet();
            return Optional.of(answer);
        } catch (UncheckedIOException e) {
            lost.incrementAndGet();
            return Optional.empty();
        }
    }

    private static boolean acknowledged(Response answer) {
        return answer.status() >= 200 && answer.status() < 300;
    }

    /** The identifier of the current group of {@link #RACERS} picks. */
    private static String contended(Map<Long, String> pool, AtomicLong tickets, Supplier<String> fresh) {
        return pool.computeIfAbsent(tickets.getAndIncrement() / RACERS, group -> fresh.get());
    }
}
