package io.membercenter.console;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.ORDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The benchmarks' HTTP ceiling ({@code GET /v1/ceiling}): on only when asked for, behind the same authentication
 * and scope check as a read, answering a fixed member-sized body.
 */
@ServiceTest
class HttpCeilingTest {

    private final ApiClient api;

    HttpCeilingTest(ApiClient api) {
        this.api = api;
    }

    @Test
    void aReaderGetsTheFixedBodyAndNoKeyOrAKeyWithoutMemberReadIsRefusedAsOnARead() {
        Response answer = api.get("/v1/ceiling", ORDER_KEY);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("memberId").asString()).isEqualTo("1000000000000000001");

        assertThat(api.get("/v1/ceiling", null).status()).isEqualTo(401);
        assertThat(api.get("/v1/ceiling", ADMIN_KEY).status()).isEqualTo(403);
    }

    @Test
    void theEndpointExistsOnlyWhenTheSettingAsksForIt() {
        ApplicationContextRunner runner =
                new ApplicationContextRunner().withUserConfiguration(HttpCeilingController.class);
        runner.run(context -> assertThat(context).doesNotHaveBean(HttpCeilingController.class));
        runner.withPropertyValues("member-center.bench.ceiling-endpoint=true")
                .run(context -> assertThat(context).hasSingleBean(HttpCeilingController.class));
    }
}
