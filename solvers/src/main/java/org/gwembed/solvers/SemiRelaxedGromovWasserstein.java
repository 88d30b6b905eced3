package org.gwembed.solvers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * Semi-relaxed Gromov–Wasserstein with the square loss (Vincent-Cuaz et al., ICLR 2022): only the source marginal
 * is fixed. Minimise over {@code T ≥ 0} with {@code T1 = p} (the column sums {@code q_T = Tᵀ1} are free)
 * <pre>
 *   srGW(T) = Σ_{i,i',k,k'} (A_ii' − B_kk')² T_ik T_i'k' = pᵀ(A∘A)p + q_Tᵀ(B∘B)q_T − 2⟨A T Bᵀ, T⟩    (no ½)
 * </pre>
 * by POT's conditional gradient ({@code ot.gromov.semirelaxed_gromov_wasserstein2}, POT ≥ 0.9, symmetric
 * matrices): from {@code T = p 1ᵀ / m}; each iteration the direction puts each row's mass {@code p_i} on the
 * columns where the gradient {@code 2 ((A∘A)p 1ᵀ + 1 ((B∘B)q_T)ᵀ − 2 A T Bᵀ)} is within 1e-15 of the row's
 * minimum, split equally (POT's {@code semirelaxed_cg} linear minimisation), the step is the exact minimiser on
 * {@code [0, 1]} of the quadratic along it ({@code solve_semirelaxed_gromov_linesearch}), and the run stops on
 * POT's relative or absolute change of the objective. A local method; since every GW coupling is feasible here,
 * started from a GW plan it ends at a value no larger than that plan's GW value.
 *
 * <p>{@link #entropic} is POT's {@code entropic_semirelaxed_gromov_wasserstein2} (mirror descent with the KL
 * geometry): from {@code T = p 1ᵀ / m} iterate {@code K = T ∘ exp(−∇/ε)}, {@code T = diag(p / K1) K} with the
 * gradient ∇ above, and stop when {@code ‖T − T_prev‖_F <} the tolerance, tested every {@code checkEvery}
 * iterations (POT: 10). The row normalisation is done in the log domain (the row maximum of
 * {@code log T − ∇/ε} taken out before exponentiating), which equals POT's plain-domain update wherever that does
 * not underflow and stays finite for any ε. Entries that reach 0 stay 0, as in POT.
 *
 * <p>{@link GromovWasserstein.Result#distance()} is {@code srGW} at the returned plan (the 4-index sum, formed from
 * the plan's own column sums, clamped at 0 against round-off); {@link GromovWasserstein.Result#marginalError()} is
 * {@code ‖T1 − p‖₁} alone, the columns being free. Inputs are never modified; non-convergence is reported in the
 * result, never thrown.
 */
public final class SemiRelaxedGromovWasserstein {

    /** Margin of POT's row-wise argmin: entries within this of the row minimum share the row's mass. */
    static final double TIE_MARGIN = 1e-15;

    private SemiRelaxedGromovWasserstein() {
    }

    /**
     * Settings of the conditional gradient (POT's keyword arguments).
     *
     * @param maxIterations     iteration limit ({@code max_iter}, POT default 10 000)
     * @param relativeTolerance stop when {@code |f − f_old| / |f| <} this ({@code tol_rel}, default 1e-9)
     * @param absoluteTolerance stop when {@code |f − f_old| <} this ({@code tol_abs}, default 1e-9)
     */
    public record Options(int maxIterations, double relativeTolerance, double absoluteTolerance) {
        /** Validates every field. */
        public Options {
            Require.atLeast(maxIterations, 1, "maxIterations");
            Require.nonNegative(relativeTolerance, "relativeTolerance");
            Require.nonNegative(absoluteTolerance, "absoluteTolerance");
        }

        /** POT's defaults: 10 000 iterations, thresholds 1e-9 and 1e-9. */
        public static Options defaults() {
            return new Builder().build();
        }

        /** A copy with another iteration limit. */
        public Options withMaxIterations(int value) {
            return with(b -> b.maxIterations = value);
        }

        /** A copy with another relative threshold. */
        public Options withRelativeTolerance(double value) {
            return with(b -> b.relativeTolerance = value);
        }

        /** A copy with another absolute threshold. */
        public Options withAbsoluteTolerance(double value) {
            return with(b -> b.absoluteTolerance = value);
        }

        private Options with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /** The settings as mutable fields, initialised to {@link #defaults}: the one caller of the constructor. */
        private static final class Builder {
            int maxIterations = 10_000;
            double relativeTolerance = 1e-9;
            double absoluteTolerance = 1e-9;

            Builder() {
            }

            Builder(Options o) {
                maxIterations = o.maxIterations;
                relativeTolerance = o.relativeTolerance;
                absoluteTolerance = o.absoluteTolerance;
            }

            Options build() {
                return new Options(maxIterations, relativeTolerance, absoluteTolerance);
            }
        }
    }

    /**
     * Settings of entropic semi-relaxed GW.
     *
     * @param epsilon       ε > 0 of the KL step, in the units of the gradient (POT's {@code epsilon})
     * @param maxIterations iteration limit ({@code max_iter}, POT default 10 000)
     * @param tolerance     stop when {@code ‖T − T_prev‖_F <} this ({@code tol}, default 1e-9)
     * @param checkEvery    test the plan change at iterations {@code 0, k, 2k, ...} (POT: 10)
     */
    public record EntropicOptions(double epsilon, int maxIterations, double tolerance, int checkEvery) {
        /** Validates every field. */
        public EntropicOptions {
            Require.positive(epsilon, "epsilon");
            Require.atLeast(maxIterations, 1, "maxIterations");
            Require.positive(tolerance, "tolerance");
            Require.atLeast(checkEvery, 1, "checkEvery");
        }

        /** POT's defaults at the given ε: 10 000 iterations, tolerance 1e-9 checked every 10. */
        public static EntropicOptions defaults(double epsilon) {
            Builder b = new Builder();
            b.epsilon = epsilon;
            return b.build();
        }

        /** A copy with another ε. */
        public EntropicOptions withEpsilon(double value) {
            return with(b -> b.epsilon = value);
        }

        /** A copy with another iteration limit. */
        public EntropicOptions withMaxIterations(int value) {
            return with(b -> b.maxIterations = value);
        }

        /** A copy with another plan-change tolerance. */
        public EntropicOptions withTolerance(double value) {
            return with(b -> b.tolerance = value);
        }

        /** A copy with another check interval. */
        public EntropicOptions withCheckEvery(int value) {
            return with(b -> b.checkEvery = value);
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
            double epsilon = Double.NaN;
            int maxIterations = 10_000;
            double tolerance = 1e-9;
            int checkEvery = 10;

            Builder() {
            }

            Builder(EntropicOptions o) {
                epsilon = o.epsilon;
                maxIterations = o.maxIterations;
                tolerance = o.tolerance;
                checkEvery = o.checkEvery;
            }

            EntropicOptions build() {
                return new EntropicOptions(epsilon, maxIterations, tolerance, checkEvery);
            }
        }
    }

    /** Semi-relaxed GW from {@code (A, p)} to {@code B} (symmetric, square). */
    public static GromovWasserstein.Result conditionalGradient(DMatrixRMaj a, double[] p, DMatrixRMaj b,
            Options options) {
        double[] bd = GromovWasserstein.squareData(b, "B");
        return conditionalGradient(GromovWasserstein.squareData(a, "A"), p, bd, b.numRows, options);
    }

    /**
     * Semi-relaxed GW for row-major symmetric {@code A} ({@code n × n}, {@code n = p.length}) and {@code B}
     * ({@code m × m}).
     */
    public static GromovWasserstein.Result conditionalGradient(double[] a, double[] p, double[] b, int m,
            Options options) {
        Require.atLeast(m, 1, "m");
        GromovCost.requireSquare(b, m, "B");
        // the checks of GW with a stand-in uniform q (its values are not used)
        GromovProduct product = GromovWasserstein.validatedProduct(a, p, b, uniform(m, sum(p)));
        return conditionalGradient(product, p, null, options);
    }

    /**
     * The core: semi-relaxed GW for the (symmetric) matrices behind {@code product}, started from
     * {@code initialPlan} ({@code n × m}, non-negative, row sums {@code p} within 1e-8 as POT checks) or from
     * {@code p 1ᵀ / m} when {@code null}.
     */
    public static GromovWasserstein.Result conditionalGradient(GromovProduct product, double[] p,
            double[] initialPlan, Options options) {
        Require.nonNull(options, "options");
        Require.nonNull(product, "product");
        int n = product.leftSize();
        int m = product.rightSize();
        double mass = GromovWasserstein.nonNegative(p, n, "p");
        if (!(mass > 0)) {
            throw new IllegalArgumentException("p must have a positive sum, got " + mass);
        }
        double[] g = initialPlan == null ? GromovWasserstein.outer(p, uniform(m, 1.0)) : validatedStart(initialPlan, p,
                m);
        int size = n * m;
        double[] c1 = new double[n];
        product.squaredLeft(p, c1);
        double[] c2 = new double[m];          // (B∘B) q_G
        double[] c2Delta = new double[m];     // (B∘B) q_Δ
        double[] apb = new double[size];      // A G Bᵀ, kept up to date incrementally
        double[] apbDelta = new double[size]; // A Δ Bᵀ
        double[] delta = new double[size];
        double[] gradient = new double[size];
        int[] rows = new int[size];
        int[] cols = new int[size];
        double[] values = new double[size];
        product.multiply(g, apb);
        double[] qg = GromovCost.columnSums(g, n, m);
        product.squaredRight(qg, c2);
        double fval = objective(c1, c2, qg, apb, g, n, m);

        List<GromovWasserstein.Step> log = new ArrayList<>();
        log.add(new GromovWasserstein.Step(0, fval, Double.NaN, Double.NaN, 0));
        int it = 0;
        GromovWasserstein.StopReason reason;
        while (true) {
            it++;
            double old = fval;
            // the gradient as POT's gwggrad(constC + marginal_product, hC1, hC2, G), then the row-wise argmin
            int count = 0;
            for (int i = 0; i < n; i++) {
                int off = i * m;
                double min = Double.POSITIVE_INFINITY;
                for (int k = 0; k < m; k++) {
                    double v = 2 * (c1[i] + c2[k] - 2 * apb[off + k]);
                    gradient[off + k] = v;
                    min = Math.min(min, v);
                }
                int ties = 0;
                for (int k = 0; k < m; k++) {
                    if (gradient[off + k] <= min + TIE_MARGIN) {
                        ties++;
                    }
                }
                double share = p[i] / ties;
                for (int k = 0; k < m; k++) {
                    if (gradient[off + k] <= min + TIE_MARGIN) {
                        rows[count] = i;
                        cols[count] = k;
                        values[count] = share;
                        count++;
                    }
                }
            }
            product.multiplySparse(count, rows, cols, values, apbDelta);
            for (int t = 0; t < size; t++) {
                delta[t] = -g[t];
            }
            for (int t = 0; t < count; t++) {
                delta[rows[t] * m + cols[t]] += values[t];
            }
            for (int t = 0; t < size; t++) {
                apbDelta[t] -= apb[t];
            }
            double[] qDelta = GromovCost.columnSums(delta, n, m);
            product.squaredRight(qDelta, c2Delta);
            // POT's solve_semirelaxed_gromov_linesearch with M = 0, reg = 1 (its "dot" is A Δ (2B)ᵀ = 2 A Δ Bᵀ):
            // a = Σ (1 ((B∘B)q_Δ)ᵀ − 2 AΔBᵀ) ∘ Δ, b = Σ (1 ((B∘B)q_Δ)ᵀ − 2 AΔBᵀ) ∘ G + Σ (1 ((B∘B)q_G)ᵀ − 2 AGBᵀ) ∘ Δ
            double qa = GromovCost.dot(c2Delta, qDelta) - 2 * GromovCost.dot(apbDelta, delta);
            double qb = GromovCost.dot(c2Delta, qg) - 2 * GromovCost.dot(apbDelta, g)
                    + GromovCost.dot(c2, qDelta) - 2 * GromovCost.dot(apb, delta);
            double alpha = GromovWasserstein.lineSearchQuadratic(qa, qb, fval);
            for (int t = 0; t < size; t++) {
                g[t] += alpha * delta[t];
                apb[t] += alpha * apbDelta[t];
            }
            qg = GromovCost.columnSums(g, n, m);
            product.squaredRight(qg, c2);
            fval = objective(c1, c2, qg, apb, g, n, m);
            double abs = Math.abs(fval - old);
            double rel = abs / Math.abs(fval); // NaN for f = 0: the relative test fails, as POT's
            log.add(new GromovWasserstein.Step(it, fval, abs, alpha, 0));
            if (!Double.isFinite(fval)) {
                reason = GromovWasserstein.StopReason.NUMERICAL_FAILURE;
                break;
            }
            if (rel < options.relativeTolerance()) {
                reason = GromovWasserstein.StopReason.RELATIVE_CHANGE;
                break;
            }
            if (abs < options.absoluteTolerance()) {
                reason = GromovWasserstein.StopReason.ABSOLUTE_CHANGE;
                break;
            }
            if (it >= options.maxIterations()) {
                reason = GromovWasserstein.StopReason.MAX_ITERATIONS;
                break;
            }
        }
        double distance = GromovWasserstein.ownMarginalObjective(product, g, apb);
        return new GromovWasserstein.Result(distance, g, n, m, it, reason, rowError(g, p, n, m),
                Collections.unmodifiableList(log), 0, 0);
    }

    // ----------------------------------------------------------------------------------------------------------
    // Entropic

    /** Entropic semi-relaxed GW from {@code (A, p)} to {@code B} (symmetric, square). */
    public static GromovWasserstein.Result entropic(DMatrixRMaj a, double[] p, DMatrixRMaj b,
            EntropicOptions options) {
        double[] bd = GromovWasserstein.squareData(b, "B");
        return entropic(GromovWasserstein.squareData(a, "A"), p, bd, b.numRows, options);
    }

    /** Entropic semi-relaxed GW for row-major symmetric {@code A} ({@code n × n}) and {@code B} ({@code m × m}). */
    public static GromovWasserstein.Result entropic(double[] a, double[] p, double[] b, int m,
            EntropicOptions options) {
        Require.atLeast(m, 1, "m");
        GromovCost.requireSquare(b, m, "B");
        GromovProduct product = GromovWasserstein.validatedProduct(a, p, b, uniform(m, sum(p)));
        return entropic(product, p, null, options);
    }

    /**
     * The core of entropic semi-relaxed GW for the (symmetric) matrices behind {@code product}, started from
     * {@code initialPlan} (as for {@link #conditionalGradient(GromovProduct, double[], double[], Options)}) or from
     * {@code p 1ᵀ / m}.
     */
    public static GromovWasserstein.Result entropic(GromovProduct product, double[] p, double[] initialPlan,
            EntropicOptions options) {
        Require.nonNull(options, "options");
        Require.nonNull(product, "product");
        int n = product.leftSize();
        int m = product.rightSize();
        double mass = GromovWasserstein.nonNegative(p, n, "p");
        if (!(mass > 0)) {
            throw new IllegalArgumentException("p must have a positive sum, got " + mass);
        }
        double[] g = initialPlan == null ? GromovWasserstein.outer(p, uniform(m, 1.0)) : validatedStart(initialPlan, p,
                m);
        int size = n * m;
        double eps = options.epsilon();
        double[] c1 = new double[n];
        product.squaredLeft(p, c1);
        double[] c2 = new double[m];
        double[] apb = new double[size];
        double[] next = new double[size];
        double[] row = new double[m];
        List<GromovWasserstein.Step> log = new ArrayList<>();
        int cpt = 0;
        double err = Double.POSITIVE_INFINITY;
        GromovWasserstein.StopReason reason = null;
        while (err > options.tolerance() && cpt < options.maxIterations()) {
            double[] qg = GromovCost.columnSums(g, n, m);
            product.squaredRight(qg, c2);
            product.multiply(g, apb);
            double objective = objective(c1, c2, qg, apb, g, n, m);
            for (int i = 0; i < n; i++) {
                int off = i * m;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < m; k++) {
                    // log of K = G ∘ exp(−∇/ε), ∇ = 2 ((A∘A)p 1ᵀ + 1 ((B∘B)q_G)ᵀ − 2 A G Bᵀ) as POT's gwggrad
                    double v = g[off + k] > 0 ? Math.log(g[off + k]) - 2 * (c1[i] + c2[k] - 2 * apb[off + k]) / eps
                            : Double.NEGATIVE_INFINITY;
                    row[k] = v;
                    max = Math.max(max, v);
                }
                if (max == Double.NEGATIVE_INFINITY) {
                    Arrays.fill(next, off, off + m, 0.0); // p_i = 0: an empty row stays empty
                    continue;
                }
                double total = 0;
                for (int k = 0; k < m; k++) {
                    row[k] = Math.exp(row[k] - max);
                    total += row[k];
                }
                double scale = p[i] / total;
                for (int k = 0; k < m; k++) {
                    next[off + k] = scale * row[k];
                }
            }
            double change = Double.NaN;
            if (cpt % options.checkEvery() == 0) {
                double sq = 0;
                for (int t = 0; t < size; t++) {
                    double d = next[t] - g[t];
                    sq += d * d;
                }
                change = Math.sqrt(sq);
                err = change;
            }
            double[] previous = g;
            g = next;
            next = previous;
            cpt++;
            log.add(new GromovWasserstein.Step(cpt, objective, change, Double.NaN, 0));
            if (!Double.isFinite(objective) || !(err >= 0)) {
                reason = GromovWasserstein.StopReason.NUMERICAL_FAILURE;
                g = next; // the last finite plan
                break;
            }
        }
        if (reason == null) {
            reason = err <= options.tolerance() ? GromovWasserstein.StopReason.PLAN_CHANGE
                    : GromovWasserstein.StopReason.MAX_ITERATIONS;
        }
        double distance = GromovWasserstein.ownMarginalObjective(product, g, apb);
        return new GromovWasserstein.Result(distance, g, n, m, cpt, reason, rowError(g, p, n, m),
                Collections.unmodifiableList(log), 0, 0);
    }

    private static double rowError(double[] g, double[] p, int n, int m) {
        double[] r = GromovCost.rowSums(g, n, m);
        double e = 0;
        for (int i = 0; i < n; i++) {
            e += Math.abs(r[i] - p[i]);
        }
        return e;
    }

    /** {@code ⟨(A∘A)p 1ᵀ + 1 ((B∘B)q_G)ᵀ − 2 A G Bᵀ, G⟩} (POT's {@code f}). */
    private static double objective(double[] c1, double[] c2, double[] qg, double[] apb, double[] g, int n, int m) {
        double[] r = GromovCost.rowSums(g, n, m);
        return GromovCost.dot(c1, r) + GromovCost.dot(c2, qg) - 2 * GromovCost.dot(apb, g);
    }

    private static double[] uniform(int m, double mass) {
        double[] q = new double[m];
        Arrays.fill(q, mass / m);
        return q;
    }

    private static double sum(double[] x) {
        Require.nonNull(x, "p");
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s;
    }

    private static double[] validatedStart(double[] plan, double[] p, int m) {
        int n = p.length;
        GromovCost.requirePlan(plan, n, m, "initialPlan");
        for (int t = 0; t < plan.length; t++) {
            if (!(plan[t] >= 0) || !Double.isFinite(plan[t])) {
                throw new IllegalArgumentException("initialPlan[" + (t / m) + "," + (t % m)
                        + "] must be >= 0 and finite, got " + plan[t]);
            }
        }
        double[] rows = GromovCost.rowSums(plan, n, m);
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(rows[i] - p[i]) <= 1e-8)) {
                throw new IllegalArgumentException("initialPlan row " + i + " sums to " + rows[i] + " but p[" + i
                        + "] = " + p[i]);
            }
        }
        return plan.clone();
    }
}
