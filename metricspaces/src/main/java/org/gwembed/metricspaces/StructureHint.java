package org.gwembed.metricspaces;

/**
 * Structure of a {@link MetricSpace} that fast kernels can exploit (METHOD.md §5). A hint is a promise:
 * a space that reports one guarantees it holds exactly (up to round-off), and solvers are free to rely on it.
 * Adding a new space never requires changes to the solvers: the space just reports the hints that apply.
 */
public sealed interface StructureHint permits GridStructure, RingStructure {

    /** The same hint for the space whose distances are all multiplied by {@code factor > 0}. */
    StructureHint scaled(double factor);
}
