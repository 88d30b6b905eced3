package org.gwembed.batch;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

import org.gwembed.core.Require;

/**
 * What is computed for each pair of a collection, and with which settings (all serialisable, shipped to the
 * workers).
 *
 * @param method        the problem
 * @param epsilon       entropic ε (entropic GW, low-rank GW's, EW_λ's); NaN where unused
 * @param maxIterations outer iteration limit, 0 for the solver's default (POT's)
 * @param mass          partial GW: the mass transported, in (0, 1]
 * @param rank          low-rank GW: the rank
 * @param seed          low-rank GW: the seed of its random start
 * @param lambda        EW_λ: λ
 * @param space         EW_λ: the embedding space ({@code EmbeddingSpaces.parse} spec, e.g. {@code plane:10})
 * @param normalize     scale each distance matrix to max 1 before solving (the features are used as given)
 * @param alpha         fused GW: weight α ∈ [0, 1] of the structure term, {@code 1 − α} that of the feature cost
 *                      (POT's {@code alpha}); NaN where unused
 */
public record PairSpec(Method method, double epsilon, int maxIterations, double mass, int rank, long seed,
        double lambda, String space, boolean normalize, double alpha) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The pairwise problems. */
    public enum Method {
        /** GW by conditional gradient (POT's {@code gromov_wasserstein2}). */
        GW("gw"),
        /** Entropic GW (POT's {@code entropic_gromov_wasserstein2}). */
        ENTROPIC_GW("entropic-gw"),
        /**
         * Semi-relaxed GW, first marginal fixed (POT's {@code semirelaxed_gromov_wasserstein2}); not symmetric: both
         * directions are computed, {@code (i → j)} in the value, {@code (j → i)} in the second value.
         */
        SEMIRELAXED_GW("semirelaxed-gw"),
        /** Partial GW transporting {@code mass} (POT's {@code partial_gromov_wasserstein2} times 2). */
        PARTIAL_GW("partial-gw"),
        /** Low-rank GW of rank {@code rank} (Scetbon, Cuturi, Peyré 2022). */
        LOWRANK_GW("lowrank-gw"),
        /** EW_λ (METHOD.md §2): J in the value, W₂²(ζ₁, ζ₂) (exact OT on D_X²) in the second value. */
        EWL("ewl"),
        /**
         * Fused GW by conditional gradient (POT's {@code fused_gromov_wasserstein2}) with the feature cost of
         * {@link org.gwembed.solvers.FusedGromovWasserstein#featureCost} between the members' feature tables ({@link Member#features}).
         */
        FUSED_GW("fused-gw"),
        /** Entropic fused GW at ε (POT's {@code entropic_fused_gromov_wasserstein2}), the same feature cost. */
        ENTROPIC_FUSED_GW("entropic-fused-gw");

        private final String cliName;

        Method(String cliName) {
            this.cliName = cliName;
        }

        /** The name on the command line. */
        public String cliName() {
            return cliName;
        }

        /** Whether GW(X, X) = 0 holds, so that the diagonal is 0 (checked on a sample). */
        public boolean zeroDiagonal() {
            return this != EWL;
        }

        /** Whether each member needs a feature table beside its distance matrix. */
        public boolean fused() {
            return this == FUSED_GW || this == ENTROPIC_FUSED_GW;
        }

        /** The method named {@code text} on the command line. */
        public static Method parse(String text) {
            for (Method m : values()) {
                if (m.cliName.equalsIgnoreCase(text.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("--method must be one of " + String.join(", ", Arrays.stream(values())
                    .map(Method::cliName).toList()) + ", got '" + text + "'");
        }
    }

    /** Validates the settings the method uses. */
    public PairSpec {
        Require.nonNull(method, "method");
        Require.nonNegative(maxIterations, "maxIterations");
        if (method == Method.ENTROPIC_GW || method == Method.EWL || method == Method.ENTROPIC_FUSED_GW) {
            Require.positive(epsilon, "epsilon");
        }
        if (method == Method.PARTIAL_GW && !(mass > 0 && mass <= 1)) {
            throw new IllegalArgumentException("mass must be in (0, 1], got " + mass);
        }
        if (method == Method.LOWRANK_GW) {
            Require.atLeast(rank, 1, "rank");
        }
        if (method == Method.EWL) {
            Require.positive(lambda, "lambda");
            Require.nonNull(space, "space");
        }
        if (method.fused()) {
            Require.inRange(alpha, 0.0, 1.0, "alpha");
        }
    }

    /** Plain GW by conditional gradient, POT's defaults. */
    public static PairSpec gw() {
        return new PairSpec(Method.GW, Double.NaN, 0, 1, 0, 0, Double.NaN, null, false, Double.NaN);
    }

    /** Entropic GW at ε. */
    public static PairSpec entropicGw(double epsilon) {
        return new PairSpec(Method.ENTROPIC_GW, epsilon, 0, 1, 0, 0, Double.NaN, null, false, Double.NaN);
    }

    /** EW_λ into {@code space}. */
    public static PairSpec ewl(double lambda, double epsilon, String space) {
        return new PairSpec(Method.EWL, epsilon, 0, 1, 0, 0, lambda, space, false, Double.NaN);
    }

    /** Fused GW by conditional gradient with weight {@code alpha} on the structure term. */
    public static PairSpec fusedGw(double alpha) {
        return new PairSpec(Method.FUSED_GW, Double.NaN, 0, 1, 0, 0, Double.NaN, null, false, alpha);
    }

    /** Entropic fused GW at ε with weight {@code alpha} on the structure term. */
    public static PairSpec entropicFusedGw(double epsilon, double alpha) {
        return new PairSpec(Method.ENTROPIC_FUSED_GW, epsilon, 0, 1, 0, 0, Double.NaN, null, false, alpha);
    }

    /** A copy that scales the inputs to max 1 (or not). */
    public PairSpec withNormalize(boolean value) {
        return new PairSpec(method, epsilon, maxIterations, mass, rank, seed, lambda, space, value, alpha);
    }

    /** A copy with another outer iteration limit (0: the default). */
    public PairSpec withMaxIterations(int value) {
        return new PairSpec(method, epsilon, value, mass, rank, seed, lambda, space, normalize, alpha);
    }

    /**
     * The cost model: the dense products of one outer iteration, {@code n₁ n₂ (n₁ + n₂)} for the GW family ({@code A T
     * Bᵀ}; fused GW the same, its feature cost {@code n₁ n₂ d} is built once), twice that for semi-relaxed GW (both directions), {@code n₁ r + n₂ r} times the sizes for low-rank GW, and
     * {@code (n₁ + n₂) N (n₁ + n₂ + N)} for EW_λ ({@code D₁ P₁ D_X} and {@code D_X P₂ D₂}), with {@code N} the
     * embedding space's size.
     */
    public long cost(int n1, int n2, int spaceSize) {
        long a = Math.max(1, n1);
        long b = Math.max(1, n2);
        return switch (method) {
            case GW, ENTROPIC_GW, PARTIAL_GW, FUSED_GW, ENTROPIC_FUSED_GW -> a * b * (a + b);
            case SEMIRELAXED_GW -> 2 * a * b * (a + b);
            case LOWRANK_GW -> (a + b) * Math.max(1, rank) * (a + b);
            case EWL -> (a + b) * Math.max(1, spaceSize) * (a + b + Math.max(1, spaceSize));
        };
    }

    /** The settings in words, for the summary. */
    public String describe() {
        return switch (method) {
            case GW -> "GW, conditional gradient (POT's gromov_wasserstein2)";
            case ENTROPIC_GW -> String.format(Locale.ROOT, "entropic GW, epsilon %s", epsilon);
            case SEMIRELAXED_GW -> "semi-relaxed GW, conditional gradient, both directions";
            case PARTIAL_GW -> String.format(Locale.ROOT, "partial GW, mass %s", mass);
            case LOWRANK_GW -> String.format(Locale.ROOT, "low-rank GW, rank %d, seed %d", rank, seed);
            case EWL -> String.format(Locale.ROOT, "EW_lambda, lambda %s, epsilon %s, space %s", lambda, epsilon,
                    space);
            case FUSED_GW -> String.format(Locale.ROOT, "fused GW, conditional gradient (POT's "
                    + "fused_gromov_wasserstein2), alpha %s, feature cost: squared Euclidean distances of the "
                    + "feature rows (ot.dist)", alpha);
            case ENTROPIC_FUSED_GW -> String.format(Locale.ROOT, "entropic fused GW, epsilon %s, alpha %s, feature "
                    + "cost: squared Euclidean distances of the feature rows (ot.dist)", epsilon, alpha);
        };
    }
}
