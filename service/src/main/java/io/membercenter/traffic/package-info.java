/**
 * Who is calling and how much they may send: the caller registry (API keys stored as SHA-256
 * hashes, scopes, traffic class) and, in later steps, flow control per caller, per hot key and per
 * traffic class. A request passes: body limit, authentication here, then the endpoint's scope check,
 * then routing to the stores. Whether a request needs a key is decided on the path as handlers match
 * it — decoded, normalised, without {@code ;} path parameters — and on the raw URI, so no spelling of
 * a /v1 or /admin path ({@code /v1;x/}, {@code /%761/}, {@code //v1/}) reaches a handler without a
 * caller ({@code MemberApiErrorsTest.pathsThatDecodeOrNormaliseToTheApiNeedAKey}).
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.traffic.Caller}, the authenticated caller every endpoint receives, with the
 * two values it carries: {@link io.membercenter.traffic.Scope} and
 * {@link io.membercenter.traffic.TrafficClass}. The registry, its properties and the filter are
 * package-private.
 */
@ApplicationModule(allowedDependencies = "api")
package io.membercenter.traffic;

import org.springframework.modulith.ApplicationModule;
