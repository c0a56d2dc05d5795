package io.membercenter.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestBodyTest {

    @Test
    void valuesAreEscapedAsJsonStrings() {
        String externalId = "o6_b\"mj\\rP#Tl%m6;\n";

        String body = RequestBody.bind("wechat", externalId).json();

        assertThat(body).isEqualTo("{\"platform\":\"wechat\",\"externalId\":\"o6_b\\\"mj\\\\rP#Tl%m6;\\n\"}");
    }

    @Test
    void aCreateLeavesOutWhatIsNullAndAPatchWritesNullToRemove() {
        assertThat(RequestBody.create(null, "a@example.com").json())
                .isEqualTo("{\"email\":\"a@example.com\",\"nickname\":\"Test\"}");
        assertThat(RequestBody.object()
                        .with("nickname", "x")
                        .with("email", null)
                        .json())
                .isEqualTo("{\"nickname\":\"x\",\"email\":null}");
    }

    @Test
    void arraysCollectIdentitiesIdsAndNumbersInOrder() {
        assertThat(RequestBody.create("+8613800138000", null)
                        .withIdentity("wechat", "a")
                        .withIdentity("qq", "b")
                        .json())
                .isEqualTo(
                        "{\"mobile\":\"+8613800138000\",\"nickname\":\"Test\",\"identities\":"
                                + "[{\"platform\":\"wechat\",\"externalId\":\"a\"},{\"platform\":\"qq\",\"externalId\":\"b\"}]}");
        assertThat(RequestBody.batchGet("2", "1").withNumberIn("memberIds", 1).json())
                .isEqualTo("{\"memberIds\":[\"2\",\"1\",1]}");
        assertThat(RequestBody.object()
                        .withArray("level", "GOLD", "SILVER")
                        .with("limit", 4)
                        .json())
                .isEqualTo("{\"level\":[\"GOLD\",\"SILVER\"],\"limit\":4}");
    }
}
