package org.gwembed.solvers;

import java.util.Arrays;
import java.util.function.Consumer;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;
import org.gwembed.metricspaces.MetricMeasureSpace;

/**
 * Fused Gromov–Wasserstein with the square loss (Vayer et al. 2019): for a feature cost {@code M} ({@code n × m})
 * between the points of two metric-measure spaces and a trade-off {@code α ∈ [0, 1]}, minimise over couplings
 * {@code T} of {@code p} and {@code q}
 * <pre>
 *   F(T) = (1 − α) ⟨M, T⟩ + α Σ_{i,i',k,k'} (A_ii' − B_kk')² T_ik T_i'k'          (no factor ½)
 * </pre>
 * following POT so that numbers agree with it:
 * <ul>
 * <li>{@link #conditionalGradient} — POT 0.8.2's {@code ot.gromov.fused_gromov_wasserstein2}
 *     ({@code loss_fun='square_loss'}, {@code armijo=False}): the conditional gradient of
 *     {@link GromovWasserstein#conditionalGradient} with the linear term {@code (1 − α) M} and the quadratic
 *     weighted by α (POT's {@code cg(p, q, (1 − α) M, α, ...)}): exact OT directions for the gradient
 *     {@code (1 − α) M + 2α (L ⊗ T)}, the exact line search of the quadratic, POT's stopping rule. A local
 *     method. {@code α = 1} is GW step for step; {@code α = 0} is exact OT with cost {@code M} (one step).</li>
 * <li>{@link #entropic} — POT's {@code entropic_fused_gromov_wasserstein2} (POT ≥ 0.9, {@code solver='PGD'}):
 *     from {@code T = p qᵀ} iterate {@code T ← Sinkhorn(p, q, (1 − α) M + 2α (L ⊗ T), ε)}, as
 *     {@link GromovWasserstein#entropic} does for GW.</li>
 * </ul>
 * {@link GromovWasserstein.Result#distance()} is {@code F} at the returned plan (the entropy excluded); its GW part
 * is formed as in {@link GromovWasserstein} (for entropic plans the 4-index sum at the plan, so never below 0).
 * {@code M} is used as given (any finite values; POT's {@code ot.dist} gives squared Euclidean feature distances).
 * Inputs are never modified; non-convergence is reported in the result, never thrown.
 */
public final class FusedGromovWasserstein {

    private FusedGromovWasserstein() {
    }

    /**
     * Settings of the conditional gradient.
     *
     * @param alpha  weight α of the structure term, {@code (1 − α)} that of the feature term (POT's {@code alpha},
     *               default 0.5)
     * @param solver iteration limits and thresholds (POT's {@code cg} defaults: {@link
     *               GromovWasserstein.Options#defaults()})
     */
    public record Options(double alpha, GromovWasserstein.Options solver) {
        /** Validates every field. */
        public Options {
            Require.inRange(alpha, 0.0, 1.0, "alpha");
            Require.nonNull(solver, "solver");
        }

        /** POT's defaults: α = 0.5, 200 iterations, thresholds 1e-9. */
        public static Options defaults() {
            return new Builder().build();
        }

        /** A copy with another α. */
        public Options withAlpha(double value) {
            return with(b -> b.alpha = value);
        }

        /** A copy with other conditional-gradient settings. */
        public Options withSolver(GromovWasserstein.Options value) {
            return with(b -> b.solver = value);
        }

        private Options with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /** The settings as mutable fields, initialised to {@link #defaults}: the one caller of the constructor. */
        private static final class Builder {
            double alpha = 0.5;
            GromovWasserstein.Options solver = GromovWasserstein.Options.defaults();

            Builder() {
            }

            Builder(Options o) {
                alpha = o.alpha;
                solver = o.solver;
            }

            Options build() {
                return new Options(alpha, solver);
            }
        }
    }

    /**
     * Settings of entropic fused GW.
     *
     * @param alpha  weight α of the structure term (default 0.5)
     * @param solver ε and the iteration settings ({@link GromovWasserstein.EntropicOptions#defaults(double)})
     */
    public record EntropicOptions(double alpha, GromovWasserstein.EntropicOptions solver) {
        /** Validates every field. */
        public EntropicOptions {
            Require.inRange(alpha, 0.0, 1.0, "alpha");
            Require.nonNull(solver, "solver");
        }

        /** α = 0.5 and POT's defaults at the given ε (1000 outer iterations, tolerance 1e-9 checked every 10). */
        public static EntropicOptions defaults(double epsilon) {
            Builder b = new Builder();
            b.solver = GromovWasserstein.EntropicOptions.defaults(epsilon);
            return b.build();
        }

        /** A copy with another α. */
        public EntropicOptions withAlpha(double value) {
            return with(b -> b.alpha = value);
        }

        /** A copy with other entropic settings (ε included). */
        public EntropicOptions withSolver(GromovWasserstein.EntropicOptions value) {
            return with(b -> b.solver = value);
        }

        private EntropicOptions with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /**
         * The settings as mutable fields, initialised to {@link #defaults}' (ε excepted): the one caller of the
         * constructor.
         */
        private static final class Builder {
            double alpha = 0.5;
            GromovWasserstein.EntropicOptions solver;

            Builder() {
            }

            Builder(EntropicOptions o) {
                alpha = o.alpha;
                solver = o.solver;
            }

            EntropicOptions build() {
                return new EntropicOptions(alpha, solver);
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // Conditional gradient

    /** Fused GW between {@code x} and {@code y} (distance matrices, weights as marginals) with feature cost M. */
    public static GromovWasserstein.Result conditionalGradient(MetricMeasureSpace x, MetricMeasureSpace y,
            DMatrixRMaj featureCost, Options options) {
        Require.nonNull(x, "x");
        Require.nonNull(y, "y");
        return conditionalGradient(x.space().distanceMatrix(), x.weights(), y.space().distanceMatrix(), y.weights(),
                featureCost, options);
    }

    /** Fused GW for symmetric {@code A} ({@code n × n}), {@code B} ({@code m × m}) and {@code M} ({@code n × m}). */
    public static GromovWasserstein.Result conditionalGradient(DMatrixRMaj a, double[] p, DMatrixRMaj b, double[] q,
            DMatrixRMaj featureCost, Options options) {
        return conditionalGradient(GromovWasserstein.squareData(a, "A"), p, GromovWasserstein.squareData(b, "B"), q,
                costData(featureCost, p, q), options);
    }

    /** Fused GW for row-major symmetric {@code A}, {@code B} and row-major {@code M} ({@code n × m}). */
    public static GromovWasserstein.Result conditionalGradient(double[] a, double[] p, double[] b, double[] q,
            double[] featureCost, Options options) {
        GromovProduct product = GromovWasserstein.validatedProduct(a, p, b, q);
        return conditionalGradient(product, p, q, featureCost, null, options);
    }

    /**
     * The core: fused GW for the (symmetric) matrices behind {@code product}, started from {@code initialPlan}
     * (a coupling of {@code p} and {@code q}) or from {@code p qᵀ} when {@code null}.
     */
    public static GromovWasserstein.Result conditionalGradient(GromovProduct product, double[] p, double[] q,
            double[] featureCost, double[] initialPlan, Options options) {
        Require.nonNull(options, "options");
        Require.nonNull(product, "product");
        double[] linear = scaledCost(featureCost, product.leftSize(), product.rightSize(), 1 - options.alpha());
        return GromovWasserstein.conditionalGradient(product, linear, options.alpha(), p, q, initialPlan,
                options.solver());
    }

    // ----------------------------------------------------------------------------------------------------------
    // Entropic

    /** Entropic fused GW between {@code x} and {@code y} with feature cost M ({@code n × m}). */
    public static GromovWasserstein.Result entropic(MetricMeasureSpace x, MetricMeasureSpace y,
            DMatrixRMaj featureCost, EntropicOptions options) {
        Require.nonNull(x, "x");
        Require.nonNull(y, "y");
        return entropic(x.space().distanceMatrix(), x.weights(), y.space().distanceMatrix(), y.weights(),
                featureCost, options);
    }

    /** Entropic fused GW for symmetric {@code A}, {@code B} and {@code M} ({@code n × m}). */
    public static GromovWasserstein.Result entropic(DMatrixRMaj a, double[] p, DMatrixRMaj b, double[] q,
            DMatrixRMaj featureCost, EntropicOptions options) {
        return entropic(GromovWasserstein.squareData(a, "A"), p, GromovWasserstein.squareData(b, "B"), q,
                costData(featureCost, p, q), options);
    }

    /** Entropic fused GW for row-major symmetric {@code A}, {@code B} and row-major {@code M}. */
    public static GromovWasserstein.Result entropic(double[] a, double[] p, double[] b, double[] q,
            double[] featureCost, EntropicOptions options) {
        GromovProduct product = GromovWasserstein.validatedProduct(a, p, b, q);
        return entropic(product, p, q, featureCost, options);
    }

    /** The core of entropic fused GW for the (symmetric) matrices behind {@code product}; starts from {@code p qᵀ}. */
    public static GromovWasserstein.Result entropic(GromovProduct product, double[] p, double[] q,
            double[] featureCost, EntropicOptions options) {
        Require.nonNull(options, "options");
        Require.nonNull(product, "product");
        double[] linear = scaledCost(featureCost, product.leftSize(), product.rightSize(), 1 - options.alpha());
        return GromovWasserstein.entropic(product, linear, options.alpha(), p, q, options.solver());
    }

    // ----------------------------------------------------------------------------------------------------------
    // Feature cost

    /**
     * The feature cost of POT's examples, {@code ot.dist(Fx, Fy)}: {@code M_ik = ‖Fx_i − Fy_k‖²}, the squared
     * Euclidean distances between the rows of {@code fx} ({@code n × d}, one row per point of the first space) and
     * {@code fy} ({@code m × d}). The {@code n × m} matrix used by {@code gwembed gw --method fused --features-x
     * --features-y} and by the batch layer's fused methods.
     *
     * @throws IllegalArgumentException when the column counts differ or an entry is not finite
     */
    public static DMatrixRMaj featureCost(DMatrixRMaj fx, DMatrixRMaj fy) {
        Require.nonNull(fx, "fx");
        Require.nonNull(fy, "fy");
        if (fx.numCols != fy.numCols) {
            throw new IllegalArgumentException("the features have " + fx.numCols + " and " + fy.numCols
                    + " columns (expected the same features on both sides)");
        }
        requireFinite(fx, "fx");
        requireFinite(fy, "fy");
        int n = fx.numRows;
        int m = fy.numRows;
        int d = fx.numCols;
        DMatrixRMaj c = new DMatrixRMaj(n, m);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                double s = 0;
                for (int f = 0; f < d; f++) {
                    double diff = fx.data[i * d + f] - fy.data[k * d + f];
                    s += diff * diff;
                }
                c.data[i * m + k] = s;
            }
        }
        return c;
    }

    private static void requireFinite(DMatrixRMaj f, String name) {
        for (int t = 0; t < f.numRows * f.numCols; t++) {
            if (!Double.isFinite(f.data[t])) {
                throw new IllegalArgumentException(name + "[" + (t / f.numCols) + "," + (t % f.numCols)
                        + "] must be finite, got " + f.data[t]);
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // helpers

    /** {@code (1 − α) M} after checking M's shape and values. */
    private static double[] scaledCost(double[] m, int n, int cols, double factor) {
        Require.nonNull(m, "M");
        if (m.length != (long) n * cols) {
            throw new IllegalArgumentException("M has " + m.length + " entries but A is " + n + "x" + n + " and B is "
                    + cols + "x" + cols + " (expected " + n + "x" + cols + " = " + ((long) n * cols) + ")");
        }
        double[] out = new double[m.length];
        for (int t = 0; t < m.length; t++) {
            if (!Double.isFinite(m[t])) {
                throw new IllegalArgumentException("M[" + (t / cols) + "," + (t % cols) + "] must be finite, got "
                        + m[t]);
            }
            out[t] = factor * m[t];
        }
        return out;
    }

    private static double[] costData(DMatrixRMaj m, double[] p, double[] q) {
        Require.nonNull(m, "M");
        if (p != null && q != null && (m.numRows != p.length || m.numCols != q.length)) {
            throw new IllegalArgumentException("M is " + m.numRows + "x" + m.numCols + " but p has " + p.length
                    + " and q " + q.length + " entries (expected " + p.length + "x" + q.length + ")");
        }
        return m.data.length == m.numRows * m.numCols ? m.data : Arrays.copyOf(m.data, m.numRows * m.numCols);
    }
}
