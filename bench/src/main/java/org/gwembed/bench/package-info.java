/**
 * Benchmarks: JMH micro-benchmarks ({@code bench/target/benchmarks.jar}) and the end-to-end harness
 * {@link org.gwembed.bench.Harness} ({@code bench/results/<date>.md}, {@code .json}, {@code -scaling.png}): a
 * driver over one {@link org.gwembed.bench.Scenario} per problem family (rolls, sphere, the Gaussian space, SNAREseq,
 * GW, scaling) that record into {@link org.gwembed.bench.Measurements}, and the {@link org.gwembed.bench.Report}.
 * Never timing assertions in tests.
 */
package org.gwembed.bench;
