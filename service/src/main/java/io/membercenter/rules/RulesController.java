package io.membercenter.rules;

import io.membercenter.api.BadRequestException;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET/PUT /admin/flow-rules} and {@code GET /admin/flow-rules/history}: the rules in force with their
 * version; a change, checked whole, persisted as the next version and in force on every instance within about a
 * second; the change log (who, when, what changed), newest first.
 */
@RestController
final class RulesController {

    private final RuleBook book;

    RulesController(RuleBook book) {
        this.book = book;
    }

    @GetMapping("/admin/flow-rules")
    Map<String, Object> rules(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require(Scope.ADMIN);
        return book.view();
    }

    @PutMapping(value = "/admin/flow-rules", consumes = "application/json")
    Map<String, Object> replace(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @RequestBody JsonNode body) {
        caller.require(Scope.ADMIN);
        return book.replace(body, caller.name());
    }

    @GetMapping("/admin/flow-rules/history")
    Map<String, Object> history(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @RequestParam(name = "limit", defaultValue = "50") String limit) {
        caller.require(Scope.ADMIN);
        int n;
        try {
            n = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 1000) throw BadRequestException.field("limit", "must be a whole number from 1 to 1000");
        return Map.of("items", book.history(n));
    }
}
