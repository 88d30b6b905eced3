/**
 * Benchmarks: JMH micro-benchmarks ({@code bench/target/benchmarks.jar}) and the end-to-end harness
 * {@link org.gwembed.bench.Harness} ({@code bench/results/<date>.md}, {@code .json}, {@code -scaling.png}).
 * Never timing assertions in tests.
 */
package org.gwembed.bench;
