/**
 * Who is calling: authentication of every {@code /v1} and {@code /admin} request by its API key, and the
 * values an authenticated caller carries (name, scopes, traffic class). The callers themselves live in the
 * caller registry ({@code io.membercenter.callers}, in the database), which this package reaches only
 * through {@link io.membercenter.traffic.CallerDirectory} — an interface it declares and the registry
 * implements, so the lowest layer of the request path depends on nothing but {@code api}. Keys are looked
 * up by their SHA-256 ({@code CallerDirectory.hashOf}), never kept in clear. A request passes: body limit, authentication here, then the endpoint's scope check,
 * then routing to the stores. Whether a request needs a key is decided on the path as handlers match
 * it — decoded, normalised, without {@code ;} path parameters — and on the raw URI, so no spelling of
 * a /v1 or /admin path ({@code /v1;x/}, {@code /%761/}, {@code //v1/}) reaches a handler without a
 * caller ({@code MemberApiErrorsTest.pathsThatDecodeOrNormaliseToTheApiNeedAKey}).
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.traffic.Caller}, the authenticated caller every endpoint receives, with the
 * two values it carries: {@link io.membercenter.traffic.Scope} and
 * {@link io.membercenter.traffic.TrafficClass}; {@link io.membercenter.traffic.CallerDirectory}, what the
 * registry implements for authentication. The filter is package-private.
 */
@ApplicationModule(allowedDependencies = "api")
package io.membercenter.traffic;

import org.springframework.modulith.ApplicationModule;
