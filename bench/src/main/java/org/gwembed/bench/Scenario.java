package org.gwembed.bench;

/**
 * One problem family of the end-to-end harness: it runs its problems at the harness's sizes and records what it
 * measured (rows, notes, scaling points) in the {@link Measurements}.
 */
interface Scenario {

    /** A short name for the log. */
    String name();

    /** Runs the problems and records them. */
    void run(Measurements m);
}
