package io.membercenter.member;

import io.membercenter.api.NotFoundException;
import io.membercenter.api.RequestInProgressException;
import io.membercenter.api.StoreUnavailableException;
import io.membercenter.api.UnprocessableException;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.search.SearchFilter;
import io.membercenter.traffic.TrafficClass;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the member API does, store by store; the controller only speaks HTTP. */
final class MemberService {

    private static final Logger log = LoggerFactory.getLogger(MemberService.class);

    /** A create's answer: a new member, or the stored first answer of an idempotent retry. */
    sealed interface Created {}

    record NewlyCreated(Member member) implements Created {}

    record Replayed(int status, String body) implements Created {}

    /** A bind's answer: whether anything changed. */
    record Bound(Member member, boolean changed) {}

    private final MemberStore store;
    private final MemberWrites writes;
    private final IdempotencyRecords idempotency;
    private final MemberIdGenerator ids;
    private final MemberLookups lookups;
    private final AbuseLimits abuse;

    MemberService(
            MemberStore store,
            MemberWrites writes,
            IdempotencyRecords idempotency,
            MemberIdGenerator ids,
            MemberLookups lookups,
            AbuseLimits abuse) {
        this.store = store;
        this.writes = writes;
        this.idempotency = idempotency;
        this.ids = ids;
        this.lookups = lookups;
        this.abuse = abuse;
    }

    Member create(MemberRequests.NewMember request) {
        return writes.create(ids.next(), request);
    }

    /**
     * A create under an Idempotency-Key: the first request runs, a concurrent retry gets 409, a
     * later retry the first answer, another body 422. render turns the member into the stored body.
     */
    Created createIdempotent(
            String caller, String key, MemberRequests.NewMember request, Function<Member, String> render) {
        String requestHash = sha256(request.toString());
        for (int attempt = 0; attempt < 3; attempt++) {
            switch (idempotency.start(caller, key, requestHash, ids.next())) {
                case IdempotencyRecords.Proceed proceed -> {
                    return runCreate(caller, key, proceed.memberId(), request, render);
                }
                case IdempotencyRecords.Replay replay -> {
                    return new Replayed(replay.status(), replay.body());
                }
                case IdempotencyRecords.InProgress ignored ->
                    throw new RequestInProgressException("A request with this Idempotency-Key is still running.");
                case IdempotencyRecords.Mismatch ignored ->
                    throw new UnprocessableException("This Idempotency-Key was used with a different body.");
                case IdempotencyRecords.Abandoned abandoned -> {
                    long newId = ids.next();
                    if (idempotency.takeOver(caller, key, abandoned.startedAt(), requestHash, newId)) {
                        Optional<Member> committed = finishAbandoned(abandoned.memberId());
                        if (committed.isPresent()) {
                            String body = render.apply(committed.get());
                            idempotency.complete(caller, key, 201, body);
                            return new Replayed(201, body);
                        }
                        return runCreate(caller, key, newId, request, render);
                    }
                }
            }
        }
        throw new RequestInProgressException("A request with this Idempotency-Key is still running.");
    }

    /**
     * The first request died without answering. Its pending create is fenced off first, so it can
     * no longer commit; if it had committed already, that member is the answer.
     */
    private Optional<Member> finishAbandoned(long memberId) {
        if (memberId <= 0) {
            return Optional.empty();
        }
        return writes.settleCreate(memberId);
    }

    /**
     * Runs the create and completes the key's record with its answer. Once the member has committed
     * the record is completed, never forgotten: a forgotten record would let the retry create again
     * and meet the first member's claims (409) while that member holds the mobile. So a create that
     * threw is settled first: committed after all, it is the answer; surely not committed, the
     * record is forgotten and a retry runs again; unknown (the store does not answer), the record
     * stays IN_PROGRESS and a retry after claim-ttl takes it over and settles it
     * ({@link #finishAbandoned}).
     */
    private Created runCreate(
            String caller,
            String key,
            long memberId,
            MemberRequests.NewMember request,
            Function<Member, String> render) {
        Member member;
        try {
            member = writes.create(memberId, request);
        } catch (CrashPoints.SimulatedCrash crash) {
            throw crash;
        } catch (RuntimeException e) {
            Optional<Member> committed;
            try {
                committed = writes.settleCreate(memberId);
            } catch (RuntimeException unknown) {
                throw e;
            }
            if (committed.isEmpty()) {
                idempotency.forget(caller, key);
                throw e;
            }
            member = committed.get();
        }
        String body = render.apply(member);
        try {
            idempotency.complete(caller, key, 201, body);
        } catch (StoreUnavailableException e) {
            // The member exists: answer it. The record stays IN_PROGRESS, and a retry after claim-ttl
            // takes it over and finds this member (finishAbandoned), so no retry creates a second one.
            log.warn("event=idempotency_record_not_completed memberId={}", member.memberId());
        }
        return new NewlyCreated(member);
    }

    String masterDataCenter() {
        return store.masterDataCenter();
    }

    MemberLookups.Found get(long memberId, TrafficClass trafficClass) {
        return lookups.byId(memberId, trafficClass);
    }

    MemberLookups.SearchResult search(SearchFilter filter, TrafficClass trafficClass) {
        return lookups.search(filter, trafficClass);
    }

    MemberLookups.Found findBy(IdentifierKey key, TrafficClass trafficClass) {
        return lookups.byIdentifier(key, trafficClass);
    }

    MemberLookups.Batch batchGet(List<Long> memberIds, TrafficClass trafficClass) {
        return lookups.byIds(memberIds, trafficClass);
    }

    Member patch(long memberId, UnaryOperator<Member> change, OptionalLong ifMatch) {
        return writes.update(memberId, change, ifMatch);
    }

    /** Counted against the caller's bind velocity first, whether or not it changes anything. */
    Bound bind(String caller, long memberId, Member.Identity identity) {
        abuse.countBind(caller, memberId);
        boolean[] changed = {false};
        Member result = writes.update(
                memberId,
                member -> {
                    if (member.identities().contains(identity)) {
                        changed[0] = false;
                        return member;
                    }
                    changed[0] = true;
                    List<Member.Identity> identities = new ArrayList<>(member.identities());
                    identities.add(identity);
                    return member.withIdentities(identities);
                },
                OptionalLong.empty());
        return new Bound(result, changed[0]);
    }

    Member unbind(long memberId, Member.Identity identity) {
        return writes.update(
                memberId,
                member -> {
                    if (!member.identities().contains(identity)) {
                        throw new NotFoundException("The identity is not bound to member " + memberId + ".");
                    }
                    List<Member.Identity> identities = new ArrayList<>(member.identities());
                    identities.remove(identity);
                    return member.withIdentities(identities);
                },
                OptionalLong.empty());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
