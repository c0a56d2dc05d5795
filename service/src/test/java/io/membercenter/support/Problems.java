package io.membercenter.support;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;

/** What every error answer must look like: problem+json, no internals. */
public final class Problems {

    private Problems() {}

    public static void assertProblem(ApiClient.Response answer, int status) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asString()).isNotBlank();
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).isNotBlank();
        assertThat(answer.text())
                .doesNotContain("Exception")
                .doesNotContain("SQL")
                .doesNotContain("jdbc:")
                .doesNotContain("127.0.0.1")
                .doesNotContain("\tat ");
        problem.path("errors")
                .forEach(e -> assertThat(e.path("field").asString()).isNotBlank());
    }
}
