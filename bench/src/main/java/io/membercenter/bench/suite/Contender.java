package io.membercenter.bench.suite;

import io.membercenter.bench.load.Operation;

/**
 * One system doing one scenario's work: member-center itself, or a baseline doing the same work without it
 * (raw Redis, raw MariaDB, a direct OpenSearch query, the naive service).
 */
record Contender(String name, Operation call, boolean isService) {

    static Contender service(String name, Operation call) {
        return new Contender(name, call, true);
    }

    static Contender baseline(String name, Operation call) {
        return new Contender(name, call, false);
    }
}
