package io.membercenter.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/** Gives each test an {@link ApiClient} pointed at the running service. */
public abstract class ApiTestBase {

    @Autowired
    private Environment environment;

    protected ApiClient api;

    @BeforeEach
    void connectClient() {
        api = new ApiClient(Integer.parseInt(environment.getRequiredProperty("local.server.port")));
    }

    protected static String createBody(String mobile, String email) {
        StringBuilder body = new StringBuilder("{");
        if (mobile != null) body.append("\"mobile\":\"").append(mobile).append('"');
        if (email != null)
            body.append(mobile != null ? "," : "")
                    .append("\"email\":\"")
                    .append(email)
                    .append('"');
        return body.append(",\"nickname\":\"Test\"}").toString().replace("{,", "{");
    }

    /** Creates a member with a fresh mobile and e-mail; fails the test if that does not answer 201. */
    protected ApiClient.Response newMember() {
        ApiClient.Response created = api.create(createBody(TestData.mobile(), TestData.email()));
        if (created.status() != 201) {
            throw new AssertionError("create failed: " + created.status() + " " + created.text());
        }
        return created;
    }
}
