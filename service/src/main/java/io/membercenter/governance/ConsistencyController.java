package io.membercenter.governance;

import io.membercenter.governance.ConsistencyResults.Inconsistency;
import io.membercenter.governance.ConsistencyResults.StoreTotals;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * The consistency checker's results on this instance, admin key only: per store the members checked, those found
 * inconsistent and the consistency in nines; the newest inconsistencies with what the store held and what the master
 * holds (identifiers masked when they were recorded).
 */
@RestController
final class ConsistencyController {

    private final ConsistencyResults results;
    private final ConsistencyProperties properties;

    ConsistencyController(ConsistencyResults results, ConsistencyProperties properties) {
        this.results = results;
        this.properties = properties;
    }

    @GetMapping("/admin/governance/consistency")
    Map<String, Object> consistency(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require(Scope.ADMIN);
        Map<String, Object> stores = new TreeMap<>();
        results.totals().forEach((store, totals) -> stores.put(store, view(totals)));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", properties.enabled());
        view.put("replicationWindow", properties.replicationWindow().toString());
        view.put("stores", stores);
        view.put(
                "inconsistencies",
                results.recent().stream().map(ConsistencyController::view).toList());
        return view;
    }

    private static Map<String, Object> view(StoreTotals totals) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("checked", totals.checked());
        view.put("inconsistent", totals.inconsistent());
        view.put("nines", totals.nines());
        return view;
    }

    private static Map<String, Object> view(Inconsistency inconsistency) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("store", inconsistency.difference().store());
        view.put("memberId", Long.toString(inconsistency.memberId()));
        view.put("part", inconsistency.difference().part());
        view.put("fields", inconsistency.difference().fields());
        view.put("held", inconsistency.difference().held());
        view.put("mysql", inconsistency.difference().master());
        view.put("seenAt", Instant.ofEpochMilli(inconsistency.seenAt()).toString());
        return view;
    }
}
