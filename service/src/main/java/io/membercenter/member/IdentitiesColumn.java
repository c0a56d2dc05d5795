package io.membercenter.member;

import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The identities of a member as a JSON array in one column, so they change in the member's own row. */
final class IdentitiesColumn {

    private static final TypeReference<List<Member.Identity>> LIST = new TypeReference<>() {};
    private final JsonMapper json;

    IdentitiesColumn(JsonMapper json) {
        this.json = json;
    }

    String write(List<Member.Identity> identities) {
        return json.writeValueAsString(identities);
    }

    List<Member.Identity> read(String column) {
        return json.readValue(column, LIST);
    }
}
