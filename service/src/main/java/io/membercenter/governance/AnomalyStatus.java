package io.membercenter.governance;

import java.util.Locale;

/**
 * Where an anomaly stands; stored and shown in lower case. {@code open}: found, waiting for the next audit
 * (an orphan still too young to repair) or an operator; {@code review}: no repair is provably safe, an
 * operator decides; {@code resolved} and {@code ignored} are closed: no action changes them again.
 */
enum AnomalyStatus {
    OPEN,
    REVIEW,
    RESOLVED,
    IGNORED;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean closed() {
        return this == RESOLVED || this == IGNORED;
    }

    static AnomalyStatus parse(String label) {
        for (AnomalyStatus status : values()) {
            if (status.label().equals(label)) return status;
        }
        return null;
    }
}
