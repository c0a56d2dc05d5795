package io.membercenter.bench.population;

import java.util.Optional;

/**
 * One member of the benchmark population, as every system under test stores it: the service (loaded
 * straight into its shards), the naive service and the baselines all hold the very same members, so
 * their numbers are comparable.
 *
 * @param memberId  in the service's id layout (see {@link SeedMembers}), never one the service would issue
 * @param mobile    E.164, unique
 * @param email     lower case, unique
 * @param identity  a third-party account ({@code platform:externalId} parts), held by every second member
 */
public record SeedMember(
        long memberId,
        String mobile,
        String email,
        String nickname,
        String level,
        String status,
        Optional<Identity> identity,
        long createdAtMillis) {

    public record Identity(String platform, String externalId) {}
}
