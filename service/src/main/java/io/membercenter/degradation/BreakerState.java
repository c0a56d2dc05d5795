package io.membercenter.degradation;

import java.util.Locale;

/** Where a dependency's breaker stands; the label is what /admin/topology shows. */
public enum BreakerState {
    /** Calls go through; failures and slow answers are counted. */
    CLOSED(0),
    /** A probe call is out; every other call is skipped until it answers. */
    HALF_OPEN(1),
    /** Every call is skipped at once until the open time has passed. */
    OPEN(2);

    private final int gaugeValue;

    BreakerState(int gaugeValue) {
        this.gaugeValue = gaugeValue;
    }

    /** {@code closed}, {@code half-open}, {@code open}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The value of the {@code dependency_breaker_state} gauge: 0 closed, 1 half-open, 2 open. */
    int gaugeValue() {
        return gaugeValue;
    }

    /** The worst of two: one open signal opens the dependency. */
    BreakerState worse(BreakerState other) {
        return other.gaugeValue > gaugeValue ? other : this;
    }
}
