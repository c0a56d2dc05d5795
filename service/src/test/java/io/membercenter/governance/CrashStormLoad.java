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
 * {@link CrashStormTest}'s writers: threads that create members (a fresh mobile, or one several threads race for),
 * bind identities to their own members (fresh ones, later unbound again, or one several threads race for), change
 * their members' mobiles (to a fresh one, or one several threads race for, creates included) and e-mails (to a fresh
 * one, or none), without pause, and remember what the service acknowledged. A request the kill cut off is "lost":
 * the thread then waits until the service is back ({@link #resume()}) and goes on.
 *
 * <p>What a thread knows at the end: the members whose create got a 2xx; per (member, identity) the outcome of the
 * last request that touched it: bound, unbound, or unknown (no answer, or a 5xx, whose write may or may not have
 * committed); per member its mobile and e-mail as the last acknowledged change left them, or unknown when a later
 * change got no answer; and the mobiles and e-mails a member surely gave up (an acknowledged change moved it off
 * them, and no later change went back). A contended identity is never unbound, so "bound" stays true for whichever
 * member won it.
 */
final class CrashStormLoad implements AutoCloseable {

    enum Outcome {
        BOUND,
        UNBOUND,
        UNKNOWN
    }

    record Created(long memberId, String mobile, String email) {}

    record Pair(long memberId, String platform, String externalId) {}

    /** A member's mobile and e-mail as its last acknowledged change left them; unknown after a change got no answer. */
    record Contact(long memberId, String mobile, boolean mobileKnown, String email, boolean emailKnown) {}

    record Totals(
            long requests,
            long acknowledged,
            long refused,
            long failed,
            long lost,
            List<Created> creates,
            Map<Pair, Outcome> pairs,
            Map<Long, Contact> contacts,
            Map<String, Long> givenUp,
            long mobileChanges,
            long emailChanges,
            long cutOffRemovals) {

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
        Map<Long, Contact> contacts = new HashMap<>();
        Map<String, Long> givenUp = new HashMap<>();
        long mobileChanges = 0;
        long emailChanges = 0;
        long cutOffRemovals = 0;
        for (Future<Writer> writer : writers) {
            Writer done = join(writer);
            creates.addAll(done.creates);
            pairs.putAll(done.pairs);
            done.contacts.forEach((id, c) -> contacts.put(id, c.contact(id)));
            givenUp.putAll(done.givenUp);
            mobileChanges += done.mobileChanges;
            emailChanges += done.emailChanges;
            cutOffRemovals += done.cutOffRemovals;
        }
        return new Totals(
                requests.get(),
                acknowledged.get(),
                refused.get(),
                failed.get(),
                lost.get(),
                creates,
                pairs,
                contacts,
                givenUp,
                mobileChanges,
                emailChanges,
                cutOffRemovals);
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
        private final Map<Long, Fields> contacts = new HashMap<>();
        /** {@code M:mobile} or {@code E:email} -> the member that surely gave it up. */
        private final Map<String, Long> givenUp = new HashMap<>();

        private long mobileChanges;
        private long emailChanges;
        /** Changes that remove an identifier (unbinds, mobile and e-mail changes) that got no answer or a 5xx. */
        private long cutOffRemovals;

        /** One request; false when it got no answer (the service was killed under it or is down). */
        boolean step() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int pick = random.nextInt(100);
            if (creates.isEmpty() || pick < 30) return create(TestData.mobile());
            if (pick < 38) return create(contended(contendedMobiles, mobileTickets, TestData::mobile));
            long member = creates.get(random.nextInt(creates.size())).memberId();
            String platform = PLATFORMS.get(random.nextInt(PLATFORMS.size()));
            if (pick < 58) return bind(new Pair(member, platform, TestData.externalId()), true);
            if (pick < 70) {
                return bind(
                        new Pair(member, "qq", contended(contendedIdentities, identityTickets, TestData::externalId)),
                        false);
            }
            if (pick < 82) {
                if (freshBound.isEmpty()) return bind(new Pair(member, platform, TestData.externalId()), true);
                return unbind(freshBound.remove(random.nextInt(freshBound.size())));
            }
            if (pick < 92) {
                return change(
                        member,
                        "mobile",
                        random.nextInt(4) == 0
                                ? contended(contendedMobiles, mobileTickets, TestData::mobile)
                                : TestData.mobile());
            }
            return change(member, "email", random.nextInt(4) == 0 ? null : TestData.email());
        }

        private boolean create(String mobile) {
            String email = TestData.email();
            Optional<Response> answer =
                    send(() -> api.post("/v1/members", ORDER_KEY, RequestBody.create(mobile, email)));
            answer.filter(CrashStormLoad::acknowledged).ifPresent(r -> {
                long id = Long.parseLong(r.memberId());
                creates.add(new Created(id, mobile, email));
                contacts.put(id, new Fields(mobile, email));
            });
            return answer.isPresent();
        }

        /** A PATCH of the member's mobile or e-mail ({@code null}: remove it). */
        private boolean change(long member, String field, String value) {
            Optional<Response> answer = send(() -> api.patch(
                    "/v1/members/" + member, ORDER_KEY, RequestBody.object().with(field, value)));
            Fields fields = contacts.get(member);
            boolean mobile = field.equals("mobile");
            String prefix = mobile ? "M:" : "E:";
            if (value != null) givenUp.remove(prefix + value); // it may be held again
            if (answer.isEmpty() || answer.get().status() >= 500) {
                cutOffRemovals++;
                fields.attempted(mobile, value);
            } else if (acknowledged(answer.get())) {
                if (mobile) mobileChanges++;
                else emailChanges++;
                for (String left : fields.acknowledged(mobile, value)) givenUp.put(prefix + left, member);
            }
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
            if (pairs.get(pair) == Outcome.UNKNOWN) cutOffRemovals++;
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

    /**
     * One member's mobile and e-mail as one thread knows them: the value the last acknowledged change left, and every
     * value a change since then tried (when one got no answer, the row holds one of them).
     */
    private static final class Fields {

        private final List<String> mobiles = new ArrayList<>();
        private final List<String> emails = new ArrayList<>();

        Fields(String mobile, String email) {
            mobiles.add(mobile);
            emails.add(email);
        }

        void attempted(boolean mobile, String value) {
            (mobile ? mobiles : emails).add(value);
        }

        /** The change to {@code value} was acknowledged: returns the values the member surely no longer holds. */
        List<String> acknowledged(boolean mobile, String value) {
            List<String> values = mobile ? mobiles : emails;
            List<String> left = values.stream()
                    .filter(v -> v != null && !v.equals(value))
                    .distinct()
                    .toList();
            values.clear();
            values.add(value);
            return left;
        }

        Contact contact(long memberId) {
            return new Contact(memberId, mobiles.getLast(), mobiles.size() == 1, emails.getLast(), emails.size() == 1);
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
