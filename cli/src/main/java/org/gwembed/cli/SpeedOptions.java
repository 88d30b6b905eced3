package org.gwembed.cli;

import org.gwembed.embedding.JointEmbedding;
import org.gwembed.solvers.Precision;

import picocli.CommandLine.Option;

/**
 * The settings that make an EW_λ run faster without changing the method (a picocli mixin of {@code embed},
 * {@code align} and the mesh examples): over-relaxed inner updates (on by default: they kept the reference's minimum
 * on every case measured), warm inner starts and float32 kernels (opt-in), and {@code --exact-reference} for the
 * authors' iterates.
 */
final class SpeedOptions {

    @Option(names = "--precision", paramLabel = "P", defaultValue = "double",
            description = "double: everything in double precision; single: the dense kernels and the big products' "
                    + "operands in float32 (costs perturbed by ~1e-7 relative; faster only where float32 GEMM is, "
                    + "see the README). Default: ${DEFAULT-VALUE}.")
    Precision precision;

    @Option(names = "--warm-start", description = "Start each inner Sinkhorn solve from the previous outer "
            + "iteration's potentials (from the one before's when the outer iterations alternate between two "
            + "states): fewer inner iterations, the same fixed points to the inner tolerance, but a little further "
            + "from the authors' iterates than the default. Always on with embed's --cost-scaling plain.")
    boolean warmStart;

    @Option(names = "--over-relaxation", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Over-relax the inner Sinkhorn updates, the factor chosen in each solve from its "
                    + "convergence rate: the reference's fixed points to its tolerance in 1.5-5x fewer inner "
                    + "iterations at small epsilon. On by default (--no-over-relaxation: plain updates).")
    boolean overRelaxation;

    @Option(names = "--exact-reference", description = "The authors' iterates (REW_utils.py): plain inner updates, "
            + "cold starts, double precision. Cannot be combined with --warm-start or --precision single.")
    boolean exactReference;

    /** {@code options} with the chosen settings; throws if {@code --exact-reference} meets a faster setting. */
    JointEmbedding.Options apply(JointEmbedding.Options options) {
        check();
        if (exactReference) {
            return options.withExactReference();
        }
        JointEmbedding.Options o = options.withPrecision(precision);
        if (warmStart) {
            o = o.withWarmInnerStarts();
        }
        return overRelaxation ? o.withOverRelaxedInnerSolves() : o.withInner(o.inner().withRelaxation(1));
    }

    /** Whether the inner solves over-relax (false with {@code --exact-reference}). */
    boolean overRelaxed() {
        return overRelaxation && !exactReference;
    }

    /** The precision in force. */
    Precision precision() {
        check();
        return exactReference ? Precision.DOUBLE : precision;
    }

    private void check() {
        if (exactReference && (warmStart || precision == Precision.SINGLE)) {
            throw new IllegalArgumentException("--exact-reference gives the authors' iterates and cannot be combined "
                    + "with " + (warmStart ? "--warm-start" : "--precision single"));
        }
    }
}
