/**
 * How results are shown: a table on the console and a section of {@code BENCHMARKS.md}, with the machine,
 * JDK, commit and command that produced them, so a number can always be traced to a run; and a sweep's steps
 * as a latency-vs-throughput chart ({@link io.membercenter.bench.report.LatencyChart}, SVG).
 */
package io.membercenter.bench.report;
