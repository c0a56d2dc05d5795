package io.membercenter.rules;

import io.membercenter.api.BadRequestException;
import io.membercenter.api.BadRequestException.FieldError;
import io.membercenter.degradation.DegradationRules;
import io.membercenter.flow.FlowControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every kind of run-time rule in one document — {@code degradation} (breakers, {@link DegradationRules}) and
 * {@code flow} (flow control, {@link FlowControl}) — versioned in the database and in force on every instance.
 *
 * <p>A change is checked whole first (a 400 names every bad field; nothing changes), then written as the next
 * version (built on the newest persisted one, under its lock), then applied here. Every instance polls the
 * newest version number every {@code poll} (250 ms) and applies a newer document whole, so a change is in force
 * everywhere within about a poll; at start the newest document is applied before the first request is served
 * ({@link #applyNewest}), so rules survive a restart. Why a poll rather than an event: see
 * {@code callers.CallerSnapshot}; the same reasons hold, and rules change even more rarely.
 */
final class RuleBook implements AutoCloseable {

    static final String DEGRADATION = "degradation";
    static final String FLOW = "flow";
    private static final Logger log = LoggerFactory.getLogger(RuleBook.class);

    private final RuleVersionStore store;
    private final DegradationRules degradation;
    private final FlowControl flow;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration poll;
    private ScheduledExecutorService poller;
    /** The version in force here (0: configuration only, nothing persisted yet). */
    private volatile RuleVersionStore.Version inForce;
    /** Whether the last poll failed: a database that is down is logged once, not four times a second. */
    private volatile boolean failing;

    RuleBook(
            RuleVersionStore store,
            DegradationRules degradation,
            FlowControl flow,
            JsonMapper json,
            Clock clock,
            Duration poll) {
        this.store = store;
        this.degradation = degradation;
        this.flow = flow;
        this.json = json;
        this.clock = clock;
        this.poll = poll;
    }

    /** Applies the newest persisted rules, then polls for newer ones. Once every store adapter has registered. */
    void start() {
        applyNewest();
        poller = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("flow-rules-poll").factory());
        poller.scheduleWithFixedDelay(this::poll, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The rules in force, with the version they are. */
    Map<String, Object> view() {
        RuleVersionStore.Version v = inForce;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("version", v == null ? 0 : v.version());
        view.put("changedBy", v == null ? null : v.changedBy());
        view.put(
                "changedAt",
                v == null ? null : Instant.ofEpochMilli(v.changedAt()).toString());
        view.put(DEGRADATION, degradation.rules());
        view.put(FLOW, flow.rules());
        return view;
    }

    List<Map<String, Object>> history(int limit) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (RuleVersionStore.Version v : store.history(limit)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("version", v.version());
            item.put("changedBy", v.changedBy());
            item.put("changedAt", Instant.ofEpochMilli(v.changedAt()).toString());
            item.put("diff", json.readTree(v.diff()));
            items.add(item);
        }
        return items;
    }

    /** Checks, persists as the next version, and applies a PUT's sections; a bad one is a 400 and changes nothing. */
    synchronized Map<String, Object> replace(JsonNode body, String who) {
        List<FieldError> errors = new ArrayList<>();
        sections(body, errors);
        if (errors.isEmpty()) {
            if (body.has(DEGRADATION)) degradation.prepare(body.get(DEGRADATION), DEGRADATION, errors);
            if (body.has(FLOW)) flow.prepare(body.get(FLOW), FLOW, errors);
        }
        if (!errors.isEmpty()) throw new BadRequestException("The rules are invalid; nothing was changed.", errors);
        List<Runnable> apply = new ArrayList<>();
        RuleVersionStore.Version written = store.append(newest -> {
            ObjectNode base = newest.map(v -> known((ObjectNode) json.readTree(v.document())))
                    .orElseGet(this::live);
            ObjectNode merged = base.deepCopy();
            if (body.has(DEGRADATION)) {
                ObjectNode rules = (ObjectNode) merged.get(DEGRADATION);
                body.get(DEGRADATION).properties().forEach(e -> rules.set(e.getKey(), e.getValue()));
            }
            if (body.has(FLOW)) merged.set(FLOW, json.valueToTree(body.get(FLOW)));
            apply.clear();
            apply.addAll(checked(merged));
            return new RuleVersionStore.Proposal(
                    json.writeValueAsString(merged), json.writeValueAsString(diff(base, merged)), who, clock.millis());
        });
        apply.forEach(Runnable::run);
        inForce = written;
        log.info("event=flow_rules_changed version={} by={}", written.version(), who);
        return view();
    }

    /** Applies the newest persisted version if it is not the one in force here. */
    synchronized void applyNewest() {
        Optional<RuleVersionStore.Version> newest = store.newest();
        if (newest.isEmpty()
                || (inForce != null && inForce.version() >= newest.get().version())) return;
        RuleVersionStore.Version v = newest.get();
        try {
            checked(known((ObjectNode) json.readTree(v.document()))).forEach(Runnable::run);
            log.info("event=flow_rules_applied version={}", v.version());
        } catch (RuntimeException e) {
            // A document this version cannot apply (written by a newer one, or for stores this instance lacks):
            // the rules in force stay; the next version is tried again.
            log.warn("event=flow_rules_not_applied version={} error={}", v.version(), e.getMessage());
        }
        inForce = v;
    }

    private void poll() {
        try {
            RuleVersionStore.Version v = inForce;
            if (store.newestVersion() > (v == null ? 0 : v.version())) applyNewest();
            if (failing) log.info("event=flow_rules_poll_recovered");
            failing = false;
        } catch (RuntimeException e) {
            if (!failing)
                log.warn("event=flow_rules_poll_failed error={}", e.getClass().getSimpleName());
            failing = true;
        }
    }

    /** The steps that apply a whole document; throws if it does not check (it was checked when written). */
    private List<Runnable> checked(ObjectNode document) {
        List<FieldError> errors = new ArrayList<>();
        Runnable d = degradation.prepare(document.get(DEGRADATION), DEGRADATION, errors);
        Runnable f = flow.prepare(document.get(FLOW), FLOW, errors);
        if (!errors.isEmpty()) throw new IllegalStateException("the rule document does not check: " + errors);
        return List.of(d, f);
    }

    /** The rules in force here, as a document. */
    private ObjectNode live() {
        ObjectNode document = json.createObjectNode();
        document.set(DEGRADATION, json.valueToTree(degradation.rules()));
        document.set(FLOW, json.valueToTree(flow.rules()));
        return document;
    }

    /** A document without rules for dependencies this instance does not have (it cannot apply those). */
    private ObjectNode known(ObjectNode document) {
        Set<String> dependencies = degradation.rules().keySet();
        ObjectNode rules = json.createObjectNode();
        JsonNode persisted = document.path(DEGRADATION);
        persisted.properties().forEach(e -> {
            if (dependencies.contains(e.getKey())) rules.set(e.getKey(), e.getValue());
        });
        // A dependency registered after the document was written keeps the rule it has.
        Map<String, Object> live = degradation.rules();
        live.forEach((name, rule) -> {
            if (!rules.has(name)) rules.set(name, json.valueToTree(rule));
        });
        ObjectNode known = document.deepCopy();
        known.set(DEGRADATION, rules);
        if (!known.has(FLOW)) known.set(FLOW, json.valueToTree(flow.rules()));
        return known;
    }

    private static void sections(JsonNode body, List<FieldError> errors) {
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("", "must be a JSON object with a degradation or a flow section, or both"));
            return;
        }
        for (Map.Entry<String, JsonNode> section : body.properties()) {
            if (!section.getKey().equals(DEGRADATION) && !section.getKey().equals(FLOW)) {
                errors.add(new FieldError(
                        section.getKey(), "is not a kind of rule; known: [" + DEGRADATION + ", " + FLOW + "]"));
            }
        }
        if (!body.has(DEGRADATION) && !body.has(FLOW)) {
            errors.add(new FieldError(DEGRADATION, "a degradation or a flow section is required"));
        }
    }

    /** Every leaf that differs, by dotted path: {@code [{"path", "from", "to"}]} (a missing side is null). */
    private ArrayNode diff(JsonNode from, JsonNode to) {
        ArrayNode changes = json.createArrayNode();
        diff("", from, to, changes);
        return changes;
    }

    private void diff(String path, JsonNode from, JsonNode to, ArrayNode changes) {
        if (from != null && to != null && from.isObject() && to.isObject()) {
            Set<String> names = new TreeSet<>();
            from.properties().forEach(e -> names.add(e.getKey()));
            to.properties().forEach(e -> names.add(e.getKey()));
            for (String name : names) {
                diff(path.isEmpty() ? name : path + "." + name, from.get(name), to.get(name), changes);
            }
            return;
        }
        if (from == null ? to == null : from.equals(to)) return;
        ObjectNode change = changes.addObject();
        change.put("path", path);
        change.set("from", from == null ? json.nullNode() : from);
        change.set("to", to == null ? json.nullNode() : to);
    }

    @Override
    public void close() {
        if (poller != null) poller.shutdownNow();
    }
}
