package io.membercenter.bench.outage;

import io.membercenter.bench.outage.Sample.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongFunction;

/**
 * Every write of the run — which member, which nickname, when it was sent, when and how it was answered — so that
 * after a failover the run can say whether an acknowledged write was lost, member by member.
 *
 * <p>The rule: a write is <em>superseded</em> when an acknowledged write of the same member was sent after its answer
 * came (that one then committed after it). A member's final nickname must be that of a write that was not superseded
 * and that may have been applied: acknowledged, or without a clear answer (a timeout or an error other than
 * {@code 503} + {@code Retry-After}, which says nothing was changed). Anything else means an acknowledged write was
 * lost (or a refused one applied). A member none of whose writes was acknowledged is not judged.
 */
final class WriteLedger {

    /** One write of the run, in nanoseconds since the run began. */
    record Write(long memberId, String nickname, long sentNanos, long answeredNanos, Outcome outcome) {

        boolean acknowledged() {
            return outcome.succeeded();
        }

        boolean mayHaveBeenApplied() {
            return outcome != Outcome.REFUSED && outcome != Outcome.DROPPED;
        }
    }

    private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();

    void record(Write write) {
        writes.add(write);
    }

    int size() {
        return writes.size();
    }

    /** The members whose acknowledged write is lost: their final nickname (empty: not readable) is none allowed. */
    List<Long> lost(LongFunction<Optional<String>> finalNickname) {
        List<Long> lost = new ArrayList<>();
        for (Map.Entry<Long, List<Write>> member : byMember().entrySet()) {
            List<Write> ofMember = member.getValue();
            if (ofMember.stream().noneMatch(Write::acknowledged)) continue;
            Optional<String> last = finalNickname.apply(member.getKey());
            if (last.isEmpty() || !allowed(ofMember).contains(last.get())) lost.add(member.getKey());
        }
        return lost;
    }

    /** How many members had at least one acknowledged write: what {@link #lost} judges. */
    long membersWithAcknowledgedWrites() {
        return byMember().values().stream()
                .filter(ofMember -> ofMember.stream().anyMatch(Write::acknowledged))
                .count();
    }

    static List<String> allowed(List<Write> ofMember) {
        List<String> allowed = new ArrayList<>();
        for (Write write : ofMember) {
            boolean superseded = ofMember.stream()
                    .anyMatch(later -> later.acknowledged() && later.sentNanos() > write.answeredNanos());
            if (!superseded && write.mayHaveBeenApplied()) allowed.add(write.nickname());
        }
        return allowed;
    }

    private Map<Long, List<Write>> byMember() {
        Map<Long, List<Write>> byMember = new TreeMap<>();
        for (Write write : writes) {
            byMember.computeIfAbsent(write.memberId(), id -> new ArrayList<>()).add(write);
        }
        return byMember;
    }
}
