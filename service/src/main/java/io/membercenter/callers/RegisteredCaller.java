package io.membercenter.callers;

import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import io.membercenter.traffic.TrafficClass;
import java.util.List;
import java.util.Set;

/**
 * A caller as the registry holds it: a row of {@code caller} and every key it ever had.
 *
 * @param trafficClass null for an admin-only caller (it authenticates as DEFAULT)
 * @param limits its own flow-control quota as JSON (the shape of a quota of /admin/flow-rules), or null
 */
record RegisteredCaller(
        String name,
        TrafficClass trafficClass,
        Set<Scope> scopes,
        String limits,
        long createdAt,
        long updatedAt,
        long version,
        List<Key> keys) {

    RegisteredCaller {
        scopes = Set.copyOf(scopes);
        keys = List.copyOf(keys);
    }

    /** What authentication hands the endpoints. */
    Caller caller() {
        return new Caller(name, trafficClass == null ? TrafficClass.DEFAULT : trafficClass, scopes);
    }

    List<Key> liveKeys() {
        return keys.stream().filter(Key::live).toList();
    }

    /**
     * One key, only as its SHA-256. Its id, the first 12 hex digits of the hash, is what an operator names
     * to revoke it: enough to tell a caller's keys apart, too little to look the key up by.
     */
    record Key(String sha256, long createdAt, Long revokedAt) {
        static final int ID_LENGTH = 12;

        String id() {
            return sha256.substring(0, ID_LENGTH);
        }

        boolean live() {
            return revokedAt == null;
        }
    }
}
