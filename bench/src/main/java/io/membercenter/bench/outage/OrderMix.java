package io.membercenter.bench.outage;

import io.membercenter.bench.outage.OrderCalls.Answer;
import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.suite.Population;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The suite's ORDER mix (its {@code order-mix} scenario): 80 % {@code GET /v1/members/{id}} and 15 %
 * {@code GET /v1/members/by-mobile/{mobile}} with Zipfian keys, 5 % {@code PATCH} of the nickname of a
 * uniform key. Drawn per request, so the kind is known before it is sent (a dropped request still counts
 * as the read or write it would have been).
 */
final class OrderMix implements OutageLoad.Mix {

    static final int READ_BY_ID_PERCENT = 80;
    static final int READ_BY_MOBILE_PERCENT = 15;

    private final OrderCalls http;
    private final Population keys;
    private final Optional<WriteLedger> ledger;
    private final long originNanos;

    OrderMix(OrderCalls http, Population keys) {
        this(http, keys, Optional.empty(), 0);
    }

    /** Every write is also recorded in {@code ledger}, its times counted from {@code originNanos}. */
    OrderMix(OrderCalls http, Population keys, Optional<WriteLedger> ledger, long originNanos) {
        this.http = http;
        this.keys = keys;
        this.ledger = ledger;
        this.originNanos = originNanos;
    }

    static Kind draw(RandomGenerator random) {
        int dice = random.nextInt(100);
        if (dice < READ_BY_ID_PERCENT) return Kind.READ_BY_ID;
        if (dice < READ_BY_ID_PERCENT + READ_BY_MOBILE_PERCENT) return Kind.READ_BY_MOBILE;
        return Kind.WRITE;
    }

    @Override
    public OutageLoad.Call next(RandomGenerator random) {
        Kind kind = draw(random);
        Supplier<Answer> send = switch (kind) {
            case READ_BY_ID -> {
                long memberId = keys.zipfianMemberId(random);
                yield () -> http.getById(memberId);
            }
            case READ_BY_MOBILE -> {
                String mobile = keys.zipfianMobile(random);
                yield () -> http.byMobile(mobile);
            }
            case WRITE -> {
                long memberId = keys.uniformMemberId(random);
                String nickname = "n" + random.nextInt(1_000_000);
                String patch = "{\"nickname\":\"" + nickname + "\"}";
                yield () -> {
                    long sent = System.nanoTime() - originNanos;
                    Answer answer = http.patch(memberId, patch);
                    ledger.ifPresent(l -> l.record(new WriteLedger.Write(
                            memberId, nickname, sent, System.nanoTime() - originNanos, answer.outcome())));
                    return answer;
                };
            }
        };
        return new OutageLoad.Call(kind, send);
    }
}
