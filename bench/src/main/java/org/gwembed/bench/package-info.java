/**
 * Benchmarks: JMH micro-benchmarks and the end-to-end harness (only here; never timing assertions in tests).
 */
package org.gwembed.bench;
