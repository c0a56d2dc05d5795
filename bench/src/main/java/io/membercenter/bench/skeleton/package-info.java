/**
 * Scenario {@code skeleton}: the service's two basic calls against what the same MariaDB does for a bare
 * JDBC client, in one run. It tells how much the service costs on top of its database, the number every
 * later optimisation is judged by.
 *
 * <ul>
 *   <li>{@code api-create} ({@code POST /v1/members}, a new mobile each) against {@code jdbc-insert}, one
 *       autocommitted INSERT of the same columns into {@code bench_member} (member_0). A create is more than
 *       one INSERT by design: a PENDING row, a claim on the mobile, the commit to LIVE (with its outbox row)
 *       and the claim's confirmation, four durable commits, so that no crash can leave a half-created member
 *       visible.</li>
 *   <li>{@code api-get-by-id} ({@code GET /v1/members/{id}}) against {@code jdbc-point-select}, the same SELECT
 *       by primary key on the database holding the member, over the same members created beforehand and the
 *       same key distribution.</li>
 * </ul>
 */
package io.membercenter.bench.skeleton;
