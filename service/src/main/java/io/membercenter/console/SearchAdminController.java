package io.membercenter.console;

import io.membercenter.api.NotFoundException;
import io.membercenter.member.SearchRebuild;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /admin/search/{cluster}/rebuild} starts a rebuild from MySQL; GET shows its progress. */
@RestController
final class SearchAdminController {

    private final SearchRebuild rebuild;

    SearchAdminController(SearchRebuild rebuild) {
        this.rebuild = rebuild;
    }

    @PostMapping("/admin/search/{cluster}/rebuild")
    ResponseEntity<SearchRebuild.Progress> start(
            @RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String cluster) {
        caller.require(Scope.ADMIN);
        SearchRebuild rebuilds = available(cluster);
        boolean started = rebuilds.start(cluster);
        return ResponseEntity.status(started ? 202 : 409)
                .body(rebuilds.progress(cluster).orElseThrow());
    }

    @GetMapping("/admin/search/{cluster}/rebuild")
    SearchRebuild.Progress progress(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String cluster) {
        caller.require(Scope.ADMIN);
        return available(cluster)
                .progress(cluster)
                .orElseThrow(() -> new NotFoundException("No rebuild of " + cluster + " has run."));
    }

    private SearchRebuild available(String cluster) {
        if (!rebuild.clusters().contains(cluster)) {
            throw new NotFoundException("No search cluster '" + cluster + "'.");
        }
        return rebuild;
    }
}
