/**
 * Benchmarks: JMH micro-benchmarks ({@code bench/target/benchmarks.jar}) and, later, the end-to-end harness.
 * Never timing assertions in tests.
 */
package org.gwembed.bench;
