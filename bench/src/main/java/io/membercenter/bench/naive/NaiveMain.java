package io.membercenter.bench.naive;

import io.membercenter.bench.population.PopulationLoader;
import java.util.Set;

/**
 * The naive service as a process of its own ({@code ./mc bench http}), so that it, like the real service there,
 * shares no JVM with the load generator. Arguments: port, JDBC URL, user, pool size, API key, members to load
 * ({@code 0 .. members-1} of the seed population, as the real service's shards hold them); the password comes in
 * the environment ({@code NAIVE_DB_PASSWORD}), never on a command line. Runs until it is stopped.
 */
public final class NaiveMain {

    private NaiveMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: NaiveMain PORT JDBC-URL USER POOL-SIZE API-KEY MEMBERS");
        }
        String password = System.getenv("NAIVE_DB_PASSWORD");
        if (password == null) throw new IllegalArgumentException("NAIVE_DB_PASSWORD is not set");
        int members = Integer.parseInt(args[5]);
        // The port opens only after the population is in: the parent waits for it, so it never measures a table
        // still being loaded.
        NaiveMemberService loading =
                NaiveMemberService.start(args[1], args[2], password, Integer.parseInt(args[3]), Set.of(args[4]), 0);
        new PopulationLoader(2, 1_000).load("naive service", members, loading::load, line -> {});
        loading.close();
        NaiveMemberService.start(
                args[1], args[2], password, Integer.parseInt(args[3]), Set.of(args[4]), Integer.parseInt(args[0]));
        Thread.currentThread().join();
    }
}
