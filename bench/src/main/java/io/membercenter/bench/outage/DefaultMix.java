package io.membercenter.bench.outage;

import io.membercenter.bench.outage.OrderCalls.Answer;
import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.suite.Population;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The suite's DEFAULT mix (its {@code default-mix} scenario) as an open-loop {@link OutageLoad.Mix}, as
 * {@code app-backend} (traffic class DEFAULT): 60 % {@code GET /v1/members/{id}} and 20 %
 * {@code GET /v1/members/by-mobile/{mobile}} with Zipfian keys, 10 % {@code POST /v1/members/batch-get} of
 * {@value #BATCH_SIZE} Zipfian ids, 8 % {@code PATCH} of the nickname of a uniform key, 2 % {@code POST /v1/members}
 * with a mobile never used before. A batch read counts as a read by id, a registration as a write.
 */
final class DefaultMix implements OutageLoad.Mix {

    /** What one draw sends. */
    enum Call {
        GET,
        BY_MOBILE,
        BATCH_GET,
        PATCH,
        CREATE;

        Kind kind() {
            return switch (this) {
                case GET, BATCH_GET -> Kind.READ_BY_ID;
                case BY_MOBILE -> Kind.READ_BY_MOBILE;
                case PATCH, CREATE -> Kind.WRITE;
            };
        }
    }

    static final int BATCH_SIZE = 20;

    private final OrderCalls http;
    private final Population keys;
    /** Mobiles of registrations: +861 and an 11-digit counter, never a seed member's (+8617...). */
    private final AtomicLong mobiles;

    DefaultMix(OrderCalls http, Population keys, long firstMobile) {
        this.http = http;
        this.keys = keys;
        this.mobiles = new AtomicLong(firstMobile);
    }

    /** 60 / 20 / 10 / 8 / 2, as the suite's {@code default-mix}. */
    static Call draw(RandomGenerator random) {
        int dice = random.nextInt(100);
        if (dice < 60) return Call.GET;
        if (dice < 80) return Call.BY_MOBILE;
        if (dice < 90) return Call.BATCH_GET;
        if (dice < 98) return Call.PATCH;
        return Call.CREATE;
    }

    @Override
    public OutageLoad.Call next(RandomGenerator random) {
        Call call = draw(random);
        Supplier<Answer> send = switch (call) {
            case GET -> {
                long memberId = keys.zipfianMemberId(random);
                yield () -> http.getById(memberId);
            }
            case BY_MOBILE -> {
                String mobile = keys.zipfianMobile(random);
                yield () -> http.byMobile(mobile);
            }
            case BATCH_GET -> {
                String body = batchBody(keys, random);
                yield () -> http.batchGet(body);
            }
            case PATCH -> {
                long memberId = keys.uniformMemberId(random);
                String patch = "{\"nickname\":\"n" + random.nextInt(1_000_000) + "\"}";
                yield () -> http.patch(memberId, patch);
            }
            case CREATE -> {
                String body = "{\"mobile\":\"+861" + String.format("%011d", mobiles.incrementAndGet())
                        + "\",\"nickname\":\"bench\"}";
                yield () -> http.create(body);
            }
        };
        return new OutageLoad.Call(call.kind(), send);
    }

    /** {@value #BATCH_SIZE} distinct Zipfian ids, as strings (the API's ids are strings). */
    static String batchBody(Population keys, RandomGenerator random) {
        Set<Long> ids = new LinkedHashSet<>();
        while (ids.size() < Math.min(BATCH_SIZE, keys.size())) ids.add(keys.zipfianMemberId(random));
        StringBuilder body = new StringBuilder("{\"memberIds\":[");
        boolean first = true;
        for (long id : ids) {
            body.append(first ? "\"" : ",\"").append(id).append('"');
            first = false;
        }
        return body.append("]}").toString();
    }
}
