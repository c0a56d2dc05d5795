package io.membercenter.callers;

import io.membercenter.api.BadRequestException;
import io.membercenter.api.NotFoundException;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.CallerDirectory;
import io.membercenter.traffic.Scope;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET/POST /admin/callers}, {@code GET/PATCH /admin/callers/{name}}: the caller registry. A key is shown
 * once — in the answer that created it (a POST, or a PATCH with {@code "rotateKey": true}) — and afterwards only
 * as its id and SHA-256. Every change is written to the database first, then this instance's snapshot is
 * reloaded at once (so the answer's own instance already applies it); the others follow within one poll.
 */
@RestController
final class CallersController {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final CallerStore store;
    private final CallerSnapshot snapshot;
    private final CallerRequests requests;
    private final AccessAudit audit;
    private final JsonMapper json;
    private final Clock clock;

    CallersController(
            CallerStore store,
            CallerSnapshot snapshot,
            CallerRequests requests,
            AccessAudit audit,
            JsonMapper json,
            Clock clock) {
        this.store = store;
        this.audit = audit;
        this.snapshot = snapshot;
        this.requests = requests;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/admin/callers")
    Map<String, Object> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require(Scope.ADMIN);
        List<Map<String, Object>> items = new ArrayList<>();
        snapshot.all().forEach(c -> items.add(view(c)));
        return Map.of("version", snapshot.version(), "items", items);
    }

    @GetMapping("/admin/callers/{name}")
    Map<String, Object> one(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name) {
        caller.require(Scope.ADMIN);
        return view(registered(name));
    }

    /** The caller's access audit on this instance: see {@link AccessAudit}. */
    @GetMapping("/admin/callers/{name}/usage")
    Map<String, Object> usage(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name) {
        caller.require(Scope.ADMIN);
        return audit.usage(registered(name).name());
    }

    @PostMapping(value = "/admin/callers", consumes = "application/json")
    ResponseEntity<Map<String, Object>> create(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller, @RequestBody JsonNode body) {
        caller.require(Scope.ADMIN);
        CallerRequests.Create create = requests.create(body);
        String key = newKey();
        long now = clock.millis();
        refusalsAsProblems(() -> store.create(
                new RegisteredCaller(
                        create.name(), create.trafficClass(), create.scopes(), create.limits(), now, now, 1, List.of()),
                CallerDirectory.hashOf(key),
                now));
        snapshot.reload();
        Map<String, Object> view = view(registered(create.name()));
        view.put("key", key);
        return ResponseEntity.created(URI.create("/admin/callers/" + create.name()))
                .body(view);
    }

    @PatchMapping(
            value = "/admin/callers/{name}",
            consumes = {"application/json", "application/merge-patch+json"})
    Map<String, Object> change(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name, @RequestBody JsonNode body) {
        caller.require(Scope.ADMIN);
        String key = newKey();
        CallerStore.Change change = requests.change(body, CallerDirectory.hashOf(key));
        refusalsAsProblems(() -> store.change(name, change, clock.millis()));
        snapshot.reload();
        Map<String, Object> view = view(registered(name));
        if (change.newKeySha256() != null) view.put("key", key);
        return view;
    }

    private RegisteredCaller registered(String name) {
        return snapshot.byName(name).orElseThrow(() -> new NotFoundException("There is no such caller."));
    }

    private static void refusalsAsProblems(Runnable write) {
        try {
            write.run();
        } catch (CallerStore.Refused refused) {
            if (refused.notFound) throw new NotFoundException("There is no such caller.");
            throw new BadRequestException(
                    "The change is refused; nothing was changed.",
                    List.of(new BadRequestException.FieldError(refused.field, refused.getMessage())));
        }
    }

    /** 256 random bits: a key is a bearer secret, never guessable (and so needs no salt to be stored). */
    private static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "mc_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private Map<String, Object> view(RegisteredCaller c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", c.name());
        view.put(
                "trafficClass",
                c.trafficClass() == null ? null : c.trafficClass().name());
        view.put("scopes", c.scopes().stream().sorted().map(Scope::label).toList());
        view.put("limits", c.limits() == null ? null : json.readTree(c.limits()));
        List<Map<String, Object>> keys = new ArrayList<>();
        for (RegisteredCaller.Key k : c.keys()) {
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("id", k.id());
            key.put("sha256", k.sha256());
            key.put("live", k.live());
            key.put("createdAt", Instant.ofEpochMilli(k.createdAt()).toString());
            key.put(
                    "revokedAt",
                    k.revokedAt() == null
                            ? null
                            : Instant.ofEpochMilli(k.revokedAt()).toString());
            keys.add(key);
        }
        view.put("keys", keys);
        view.put("version", c.version());
        view.put("createdAt", Instant.ofEpochMilli(c.createdAt()).toString());
        view.put("updatedAt", Instant.ofEpochMilli(c.updatedAt()).toString());
        return view;
    }
}
