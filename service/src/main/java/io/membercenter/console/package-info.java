/**
 * The operators' surface: the {@code /admin} API (topology now; failover, flow rules, migration and
 * governance as those capabilities arrive) and, later, the browser console.
 */
package io.membercenter.console;
