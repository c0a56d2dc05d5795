/** Benchmarks of member-center against same-run baselines. */
package io.membercenter.bench;
