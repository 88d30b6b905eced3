package org.gwembed.cli;

import org.gwembed.embedding.JointEmbedding;
import org.gwembed.solvers.Precision;

import picocli.CommandLine.Option;

/**
 * The settings that make an EW_λ run faster without changing the method (a picocli mixin of {@code embed} and
 * {@code align}): float32 kernels and products, warm inner starts, over-relaxed inner updates. All off by default,
 * which reproduces the reference.
 */
final class SpeedOptions {

    @Option(names = "--precision", paramLabel = "P", defaultValue = "double",
            description = "double: everything in double precision (reproduces the reference to round-off); single: "
                    + "the dense kernels and the big products' operands in float32, about 1.3-1.5x faster per outer "
                    + "iteration, costs perturbed by ~1e-7 relative. Default: ${DEFAULT-VALUE}.")
    Precision precision;

    @Option(names = "--warm-start", description = "Start each inner Sinkhorn solve from the previous outer "
            + "iteration's potentials (from the one before's when the outer iterations alternate between two "
            + "states): fewer inner iterations, the same fixed points to the inner tolerance. "
            + "Always on with embed's --cost-scaling plain; the reference starts cold.")
    boolean warmStart;

    @Option(names = "--over-relaxation", description = "Over-relax the inner Sinkhorn updates, the factor chosen in "
            + "each solve from its convergence rate: the same fixed points to the inner tolerance in fewer inner "
            + "iterations at small epsilon (about 2x on the paper's rolls). Always on with embed's --cost-scaling "
            + "plain; the reference iterates plainly.")
    boolean overRelaxation;

    /** {@code options} with the chosen settings. */
    JointEmbedding.Options apply(JointEmbedding.Options options) {
        JointEmbedding.Options o = options.withPrecision(precision);
        if (warmStart) {
            o = o.withWarmInnerStarts();
        }
        if (overRelaxation) {
            o = o.withOverRelaxedInnerSolves();
        }
        return o;
    }
}
