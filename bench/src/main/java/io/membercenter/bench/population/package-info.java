/**
 * The benchmark population: {@link io.membercenter.bench.population.SeedMembers} generates it from an index,
 * and loaders put the same members into every system a benchmark compares.
 */
package io.membercenter.bench.population;
