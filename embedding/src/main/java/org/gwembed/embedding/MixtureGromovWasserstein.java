package org.gwembed.embedding;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;
import org.gwembed.solvers.GromovWasserstein;

/**
 * MGW₂ (Salmona, Delon, Desolneux): the Gromov–Wasserstein problem between two Gaussian mixtures whose points are
 * the components, whose metric is W₂ between components and whose measure is the mixture weights — a small
 * K₁ × K₂ problem, comparable across dimensions and invariant under isometries of the ambient spaces. Solved by
 * conditional gradient with POT's conventions ({@link GromovWasserstein#conditionalGradient}).
 */
public final class MixtureGromovWasserstein {

    private MixtureGromovWasserstein() {
    }

    /**
     * The result.
     *
     * @param squared {@code MGW₂² = Σ (W₂(μ_i, μ_i') − W₂(ν_j, ν_j'))² P_ij P_i'j'} at the plan found
     * @param plan    the component coupling, K₁ × K₂
     * @param gw      the solver's diagnostics
     */
    public record Result(double squared, DMatrixRMaj plan, GromovWasserstein.Result gw) {
        /** MGW₂ itself, the square root. */
        public double distance() {
            return Math.sqrt(Math.max(0, squared));
        }
    }

    /** MGW₂ between two mixtures (any dimensions). */
    public static Result compute(GaussianMixture a, GaussianMixture b, GromovWasserstein.Options options) {
        Require.nonNull(a, "a");
        Require.nonNull(b, "b");
        Require.nonNull(options, "options");
        GromovWasserstein.Result r = GromovWasserstein.conditionalGradient(a.componentDistances(), a.weights(),
                b.componentDistances(), b.weights(), options);
        return new Result(r.distance(), DMatrixRMaj.wrap(a.size(), b.size(), r.plan()), r);
    }
}
