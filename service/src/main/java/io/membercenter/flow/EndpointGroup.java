package io.membercenter.flow;

/** The endpoint groups a caller's limits are set for; the names are the JSON names of the rules. */
enum EndpointGroup {
    /** {@code GET /v1/members/...}: by id, by mobile, by e-mail, by identity. */
    READS("reads"),
    /** Every other {@code /v1} call that changes something: create, patch, bind, unbind. */
    WRITES("writes"),
    /** {@code POST /v1/members/search}. */
    SEARCH("search"),
    /** {@code POST /v1/members/batch-get}. */
    BATCH("batch");

    final String json;

    EndpointGroup(String json) {
        this.json = json;
    }
}
