package io.membercenter.bench.naive;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** A row of naive_member. Level and status are kept as the strings the API and the table use. */
record NaiveMember(
        long memberId,
        String mobile,
        String email,
        String nickname,
        String level,
        String status,
        List<Identity> identities,
        long version,
        long createdAtMillis,
        long updatedAtMillis) {

    record Identity(String platform, String externalId) {}

    /** The member as API.md shows it; absent mobile, e-mail and nickname are left out, as the service does. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Json(
            String memberId,
            String mobile,
            String email,
            String nickname,
            String level,
            String status,
            List<Identity> identities,
            long version,
            String createdAt,
            String updatedAt) {}

    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    Json json() {
        return new Json(
                Long.toString(memberId),
                mobile,
                email,
                nickname,
                level,
                status,
                identities,
                version,
                MILLIS.format(Instant.ofEpochMilli(createdAtMillis)),
                MILLIS.format(Instant.ofEpochMilli(updatedAtMillis)));
    }

    String etag() {
        return "\"" + version + "\"";
    }
}
