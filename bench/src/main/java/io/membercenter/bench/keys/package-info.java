/**
 * Which key a read asks for: {@link io.membercenter.bench.keys.KeySampler#uniform(int) uniform}, or
 * {@link io.membercenter.bench.keys.KeySampler#zipfian(int, double) Zipfian} the way real member traffic is
 * skewed (a few members are asked for far more often than the rest; YCSB uses s = 0.99).
 *
 * <p>Samplers are immutable and take the random generator per call, so one sampler serves every worker
 * thread, each with its own generator, and a seeded generator reproduces a key sequence exactly.
 */
package io.membercenter.bench.keys;
