package io.membercenter.bench.load;

/**
 * One request against the system under test. Returning normally is a success; throwing is an error, counted
 * and not timed. It must give up by itself (a client timeout): the generator never abandons a running call.
 */
@FunctionalInterface
public interface Operation {

    void call() throws Exception;
}
