package io.membercenter.traffic;

import io.membercenter.api.ForbiddenException;
import java.util.Set;

/** An authenticated calling service. Controllers receive it as a request attribute. */
public record Caller(String name, TrafficClass trafficClass, Set<Scope> scopes) {

    /** The request attribute under which the authenticated caller travels. */
    public static final String ATTRIBUTE = "member-center.caller";

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    public void require(Scope... needed) {
        for (Scope scope : needed) {
            if (!has(scope)) {
                throw new ForbiddenException("Caller " + name + " lacks the scope " + scope.label() + ".");
            }
        }
    }
}
