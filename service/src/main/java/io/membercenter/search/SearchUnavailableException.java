package io.membercenter.search;

/** A search cluster could not be reached; callers fall back to MySQL or another cluster. */
final class SearchUnavailableException extends RuntimeException {

    SearchUnavailableException(String cluster, Throwable cause) {
        super("search cluster " + cluster + " unavailable", cause);
    }
}
