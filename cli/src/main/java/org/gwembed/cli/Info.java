package org.gwembed.cli;

import java.io.PrintStream;

import org.gwembed.solvers.DenseBlas;

/**
 * Prints the environment a run depends on: JVM, available processors, maximum heap and the BLAS in use.
 * Shown by {@code gwembed info}.
 */
final class Info {

    private Info() {
    }

    /** Writes the environment report to {@code out}. */
    static void report(PrintStream out) {
        Runtime rt = Runtime.getRuntime();
        out.println("gwembed environment");
        out.println("  java:       " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        out.println("  processors: " + rt.availableProcessors());
        out.println("  max heap:   " + (rt.maxMemory() >> 20) + " MiB");
        out.println("  BLAS:       " + DenseBlas.describe());
    }
}
