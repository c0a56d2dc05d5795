/**
 * The HTTP rules every endpoint shares: errors as {@code application/problem+json} (RFC 9457) from
 * one place, the 64 KiB body limit, and the failure types callers must tell apart. Nothing an error
 * answer says may reveal SQL, stack traces, host names or unmasked personal data.
 */
package io.membercenter.api;
