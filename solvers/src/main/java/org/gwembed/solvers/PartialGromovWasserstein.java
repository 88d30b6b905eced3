package org.gwembed.solvers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * Partial Gromov–Wasserstein with the square loss (Chapel, Alaya, Gasso, NeurIPS 2020): transport only a mass
 * {@code s ≤ min(Σp, Σq)}, minimising over {@code T ≥ 0} with {@code T1 ≤ p}, {@code Tᵀ1 ≤ q}, {@code ΣT = s}
 * <pre>
 *   G(A, B; T) = Σ_{i,i',k,k'} (A_ii' − B_kk')² T_ik T_i'k'       (no factor ½; POT's value is half of it)
 * </pre>
 * ({@code s} within a relative 1e-9 above {@code min(Σp, Σq)} is taken as that minimum, the full mass)
 * by POT 0.8.2's {@code ot.partial.partial_gromov_wasserstein2} ({@code nb_dummies=1}): from {@code T = p qᵀ},
 * each iteration solves exact OT between {@code (p, Σq − s)} and {@code (q, Σp − s)} with the cost
 * {@code L ⊗ T} (formed from {@code T}'s own marginals: POT's {@code gwgrad_partial}) on the real pairs, 0 to and
 * from the dummy point and {@code 100 max(L ⊗ T)} between the dummies; keeps its real block {@code T_c}; every
 * {@code checkEvery} iterations tests {@code ‖T_c − T‖_F <} the tolerance; then steps to {@code T + γ (T_c − T)}
 * with POT's line search, kept literally: with {@code Δ = T_c − T}, {@code a = ½ G(Δ)}, {@code b = 2 ⟨L ⊗ T, Δ⟩},
 * {@code γ = min(1, −b / 2a)} for {@code a > 0}, else 1 if {@code a + b < 0}; when {@code b > 0}, or the
 * non-convex case gives no decrease, it stops with {@code γ = 0}. (That {@code b} is twice the slope of
 * {@code ½ G} along {@code Δ}, so the step is the minimiser of {@code ½ G} only up to that factor; we keep POT's
 * rule so that plans and values agree with it.) A local method.
 *
 * <p>{@link GromovWasserstein.Result#distance()} is {@code G(A, B; T)} at the returned plan, without ½, like every
 * GW value in this project (so twice POT's {@code partial_gw_dist}), clamped at 0 against round-off;
 * {@link GromovWasserstein.Result#marginalError()} is the constraint violation
 * {@code Σ max(0, T1 − p) + Σ max(0, Tᵀ1 − q) + |ΣT − s|}. Exact OT sub-problems that do not reach optimality
 * are counted in {@link GromovWasserstein.Result#innerFailures()} (POT raises). Inputs are never modified;
 * non-convergence is reported in the result, never thrown.
 */
public final class PartialGromovWasserstein {

    private PartialGromovWasserstein() {
    }

    /**
     * Settings (POT's keyword arguments).
     *
     * @param maxIterations iteration limit ({@code numItermax}, POT default 1000)
     * @param tolerance     stop when {@code ‖T_c − T‖_F <} this ({@code tol}, default 1e-7)
     * @param checkEvery    test at iterations {@code 0, k, 2k, ...} (POT: 10)
     * @param exact         settings of the exact OT sub-solver (default: 100 000 pivots, POT's {@code emd})
     */
    public record Options(int maxIterations, double tolerance, int checkEvery, ExactTransport.Options exact) {
        /** Validates every field. */
        public Options {
            Require.atLeast(maxIterations, 1, "maxIterations");
            Require.nonNegative(tolerance, "tolerance");
            Require.atLeast(checkEvery, 1, "checkEvery");
            Require.nonNull(exact, "exact");
        }

        /** POT 0.8.2's defaults: 1000 iterations, tolerance 1e-7 checked every 10, 100 000 pivots. */
        public static Options defaults() {
            return new Builder().build();
        }

        /** A copy with another iteration limit. */
        public Options withMaxIterations(int value) {
            return with(b -> b.maxIterations = value);
        }

        /** A copy with another tolerance. */
        public Options withTolerance(double value) {
            return with(b -> b.tolerance = value);
        }

        /** A copy with another check interval. */
        public Options withCheckEvery(int value) {
            return with(b -> b.checkEvery = value);
        }

        /** A copy with other exact-OT settings. */
        public Options withExact(ExactTransport.Options value) {
            return with(b -> b.exact = value);
        }

        private Options with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /** The settings as mutable fields, initialised to {@link #defaults}: the one caller of the constructor. */
        private static final class Builder {
            int maxIterations = 1000;
            double tolerance = 1e-7;
            int checkEvery = 10;
            ExactTransport.Options exact = ExactTransport.Options.defaults().withMaxIterations(100_000);

            Builder() {
            }

            Builder(Options o) {
                maxIterations = o.maxIterations;
                tolerance = o.tolerance;
                checkEvery = o.checkEvery;
                exact = o.exact;
            }

            Options build() {
                return new Options(maxIterations, tolerance, checkEvery, exact);
            }
        }
    }

    /** Partial GW transporting {@code mass} between {@code (A, p)} and {@code (B, q)} (symmetric, square). */
    public static GromovWasserstein.Result solve(DMatrixRMaj a, double[] p, DMatrixRMaj b, double[] q, double mass,
            Options options) {
        return solve(GromovWasserstein.squareData(a, "A"), p, GromovWasserstein.squareData(b, "B"), q, mass, options);
    }

    /** Partial GW for row-major symmetric {@code A} ({@code n × n}, {@code n = p.length}) and {@code B}. */
    public static GromovWasserstein.Result solve(double[] a, double[] p, double[] b, double[] q, double mass,
            Options options) {
        Require.nonNull(p, "p");
        Require.nonNull(q, "q");
        // the checks of GW (shapes, symmetry, non-negative weights); p and q may have different masses here
        double sp = GromovWasserstein.nonNegative(p, p.length, "p");
        double sq = GromovWasserstein.nonNegative(q, q.length, "q");
        if (!(sp > 0) || !(sq > 0)) {
            throw new IllegalArgumentException("p and q must have positive sums, got " + sp + " and " + sq);
        }
        GromovProduct product = GromovWasserstein.validatedProduct(a, p, b, scaledTo(q, sp));
        return solve(product, p, q, mass, options);
    }

    /** The core: partial GW for the (symmetric) matrices behind {@code product}; starts from {@code p qᵀ}. */
    public static GromovWasserstein.Result solve(GromovProduct product, double[] p, double[] q, double mass,
            Options options) {
        Require.nonNull(options, "options");
        Require.nonNull(product, "product");
        int n = product.leftSize();
        int m = product.rightSize();
        double sp = GromovWasserstein.nonNegative(p, n, "p");
        double sq = GromovWasserstein.nonNegative(q, m, "q");
        double most = Math.min(sp, sq);
        // the full mass within GW's relative mass tolerance counts as the full mass (sums of weights round)
        if (!(mass > 0 && mass <= most * (1 + GromovWasserstein.MASS_TOLERANCE))) {
            throw new IllegalArgumentException("mass must be in (0, min(sum p, sum q)] = (0, " + most + "], got "
                    + mass);
        }
        mass = Math.min(mass, most);
        int size = n * m;
        int cols = m + 1;
        double[] pe = new double[n + 1];
        double[] qe = new double[m + 1];
        System.arraycopy(p, 0, pe, 0, n);
        System.arraycopy(q, 0, qe, 0, m);
        pe[n] = sq - mass;
        qe[m] = sp - mass;
        double[] g = GromovWasserstein.outer(p, q);
        double[] tens = new double[size];
        double[] apb = new double[size];
        double[] extended = new double[(n + 1) * cols];
        double[] gc = new double[size];
        double[] delta = new double[size];
        List<GromovWasserstein.Step> log = new ArrayList<>();
        long pivots = 0;
        int failures = 0;
        int cpt = 0;
        double err = Double.POSITIVE_INFINITY;
        GromovWasserstein.StopReason reason = null;
        while (err > options.tolerance() && cpt < options.maxIterations()) {
            ownTensor(product, g, tens);
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                System.arraycopy(tens, i * m, extended, i * cols, m);
                extended[i * cols + m] = 0;
                for (int k = 0; k < m; k++) {
                    max = Math.max(max, tens[i * m + k]);
                }
            }
            for (int k = 0; k < m; k++) {
                extended[n * cols + k] = 0;
            }
            extended[n * cols + m] = max * 1e2;
            ExactTransport.Result emd = ExactTransport.solve(pe, qe, extended, n + 1, cols, options.exact());
            pivots += emd.iterations();
            if (!emd.isOptimal()) {
                failures++;
            }
            double[] full = emd.plan();
            for (int i = 0; i < n; i++) {
                System.arraycopy(full, i * cols, gc, i * m, m);
            }
            double change = Double.NaN;
            if (cpt % options.checkEvery() == 0) {
                double s = 0;
                for (int t = 0; t < size; t++) {
                    double d = gc[t] - g[t];
                    s += d * d;
                }
                change = Math.sqrt(s);
                err = change;
            }
            for (int t = 0; t < size; t++) {
                delta[t] = gc[t] - g[t];
            }
            // POT's line search, literally: a = gwloss_partial(Δ) = ½ G(Δ), b = 2 Σ M ∘ Δ with M = gwgrad_partial(T)
            double qa = 0.5 * rawObjective(product, delta, apb);
            double qb = 2 * GromovCost.dot(tens, delta);
            double gamma;
            boolean stop = false;
            if (qb > 0) {
                gamma = 0;
                stop = true;
            } else if (qa > 0) {
                gamma = Math.min(1.0, -qb / (2.0 * qa));
            } else if (qa + qb < 0) {
                gamma = 1;
            } else {
                gamma = 0;
                stop = true;
            }
            for (int t = 0; t < size; t++) {
                g[t] += gamma * delta[t];
            }
            cpt++;
            log.add(new GromovWasserstein.Step(cpt, rawObjective(product, g, apb), change, gamma,
                    emd.iterations()));
            if (stop) {
                reason = GromovWasserstein.StopReason.NO_DESCENT;
                break;
            }
        }
        if (reason == null) {
            reason = err <= options.tolerance() ? GromovWasserstein.StopReason.PLAN_CHANGE
                    : GromovWasserstein.StopReason.MAX_ITERATIONS;
        }
        double distance = GromovWasserstein.ownMarginalObjective(product, g, apb);
        return new GromovWasserstein.Result(distance, g, n, m, cpt, reason, violation(g, p, q, mass, n, m),
                Collections.unmodifiableList(log), pivots, failures);
    }

    /** {@code out = L ⊗ T} with {@code T}'s own marginals: {@code (A∘A) r 1ᵀ + 1 ((B∘B) c)ᵀ − 2 A T Bᵀ}. */
    private static void ownTensor(GromovProduct product, double[] t, double[] out) {
        int n = product.leftSize();
        int m = product.rightSize();
        GromovCost.tensorProduct(product, GromovCost.rowSums(t, n, m), GromovCost.columnSums(t, n, m), t, out);
    }

    /** {@code ⟨L ⊗ X, X⟩} with {@code X}'s own marginals, unclamped (a signed {@code X} gives a signed value). */
    private static double rawObjective(GromovProduct product, double[] x, double[] scratch) {
        int n = product.leftSize();
        int m = product.rightSize();
        GromovCost.tensorProduct(product, GromovCost.rowSums(x, n, m), GromovCost.columnSums(x, n, m), x, scratch);
        return GromovCost.dot(scratch, x);
    }

    private static double violation(double[] t, double[] p, double[] q, double mass, int n, int m) {
        double[] r = GromovCost.rowSums(t, n, m);
        double[] c = GromovCost.columnSums(t, n, m);
        double e = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            e += Math.max(0, r[i] - p[i]);
            total += r[i];
        }
        for (int k = 0; k < m; k++) {
            e += Math.max(0, c[k] - q[k]);
        }
        return e + Math.abs(total - mass);
    }

    /** {@code q} rescaled to total mass {@code mass} (a stand-in for GW's checks, which want equal masses). */
    private static double[] scaledTo(double[] q, double mass) {
        double s = 0;
        for (double v : q) {
            s += v;
        }
        double[] out = new double[q.length];
        for (int k = 0; k < q.length; k++) {
            out[k] = q[k] * (mass / s);
        }
        return out;
    }
}
