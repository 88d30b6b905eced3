package org.gwembed.solvers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;

/**
 * Square-loss Gromov–Wasserstein between two metric-measure spaces (METHOD.md §2, §8): minimise over couplings
 * {@code T} of {@code p} and {@code q}
 * <pre>
 *   G(A, B; T) = Σ_{i,i',k,k'} (A_ii' − B_kk')² T_ik T_i'k' = ⟨L(A, B) ⊗ T, T⟩          (no factor ½)
 * </pre>
 * with the tensor product of {@link GromovCost} (no 4-tensor). Two solvers, following POT 0.8.2 so that numbers
 * agree with it:
 * <ul>
 * <li>{@link #conditionalGradient} — POT's {@code ot.gromov.gromov_wasserstein} / {@code gromov_wasserstein2}
 *     ({@code loss_fun='square_loss'}, {@code armijo=False}): Frank–Wolfe from {@code T = p qᵀ}; each iteration
 *     the direction is the exact OT plan ({@link ExactTransport}) for the gradient {@code 2 (L ⊗ T)}, the step
 *     the exact minimiser on {@code [0, 1]} of the quadratic along it ({@code solve_gromov_linesearch}), and the
 *     run stops when the objective changes by less than a relative or an absolute threshold (POT's {@code cg}).
 *     A local method: the result is a stationary point, not necessarily the global optimum.</li>
 * <li>{@link #entropic} — POT's {@code entropic_gromov_wasserstein} / {@code entropic_gromov_wasserstein2}
 *     (Peyré, Cuturi, Solomon 2016): from {@code T = p qᵀ} iterate {@code T ← Sinkhorn(p, q, 2 (L ⊗ T), ε)};
 *     every {@code checkEvery} iterations test {@code ‖T − T_prev‖_F < tolerance} (one-step change, as POT). Each
 *     Sinkhorn sub-problem is {@link Sinkhorn} over a {@link DenseLogKernel} of the gradient (stable for any ε:
 *     its iterations are scaling iterations on the row-normalised kernel with the last column potential absorbed,
 *     Schmitzer 2019, rebuilt when the potentials drift far, the log domain where a sum would underflow). The
 *     first one starts cold; the following ones are warm-started from the previous row potential, updating the
 *     columns first ({@link ChainSinkhorn.Options#withForwardStart}, POT's order). POT cold-starts a plain-domain {@code sinkhorn} every time; the warm start needs about half
 *     its iterations. Both pay the same two dense GEMMs per outer iteration for {@code A T Bᵀ}.</li>
 * </ul>
 * The reported {@link Result#distance()} is the GW objective at the returned plan, the entropy term excluded:
 * <ul>
 * <li>conditional gradient: {@code ⟨L ⊗ T, T⟩} with {@code L ⊗ T} formed from the target marginals {@code p},
 *     {@code q} (POT's {@code gwloss(constC, hC1, hC2, T)}), which for its exact plans is the 4-index sum;</li>
 * <li>entropic: the 4-index sum {@code Σ (A_ii' − B_kk')² T_ik T_i'k'} itself, i.e. formed from the plan's own
 *     row and column sums. POT's {@code entropic_gromov_wasserstein2} reports {@code gwloss} with {@code p},
 *     {@code q} instead, which differs from the 4-index sum by {@code rᵀ(A∘A)(p − r) + cᵀ(B∘B)(q − c)} for plan
 *     marginals {@code r}, {@code c}: when its Sinkhorn sub-problems stop early that term can exceed a small
 *     true value, and at a value near 0 the cancelling expansion alone can end below 0, so POT reports a
 *     negative "distance" (POT issue #406; {@code GromovVariantsTest} has a case where POT 0.8.2 returns
 *     −1.5e-16). Ours is a sum of squares times non-negative plan entries, so it is never below 0 (the
 *     expansion is clamped at 0 against round-off); at converged plans the two agree to
 *     {@code O(marginal error · max A², B²)}.</li>
 * </ul>
 *
 * <p>The matrices must be symmetric (distance matrices; POT's gradient and line search assume it). Products with
 * them go through a {@link GromovProduct}, so a structured product can be passed to the core overloads. Inputs
 * are never modified; non-convergence is reported in the result, never thrown.
 */
public final class GromovWasserstein {

    /** Relative tolerance of the symmetry check on raw matrices: {@code |A_ij − A_ji| <= tol · max|A|}. */
    public static final double SYMMETRY_TOLERANCE = 1e-9;

    /** Relative tolerance on {@code |Σp − Σq|}. */
    public static final double MASS_TOLERANCE = 1e-9;

    private GromovWasserstein() {
    }

    /** Why a run ended. */
    public enum StopReason {
        /** Conditional gradient: {@code |Δf| / |f| < relativeTolerance}. */
        RELATIVE_CHANGE,
        /** Conditional gradient: {@code |Δf| < absoluteTolerance} (and the relative test failed). */
        ABSOLUTE_CHANGE,
        /** Entropic: {@code ‖T − T_prev‖_F < tolerance}. */
        PLAN_CHANGE,
        /**
         * Partial GW: the line search found no decrease along the direction (POT's {@code partial_gromov_wasserstein}
         * stops there): a stationary point up to round-off.
         */
        NO_DESCENT,
        /** The iteration limit came first. */
        MAX_ITERATIONS,
        /** A sub-problem produced non-finite values; the result holds the last finite plan. */
        NUMERICAL_FAILURE
    }

    /**
     * Settings of the conditional gradient (POT's {@code cg} keyword arguments).
     *
     * @param maxIterations     iteration limit ({@code numItermax}, POT default 200)
     * @param relativeTolerance stop when {@code |f − f_old| / |f| <} this ({@code stopThr}, default 1e-9)
     * @param absoluteTolerance stop when {@code |f − f_old| <} this ({@code stopThr2}, default 1e-9)
     * @param exact             settings of the exact OT sub-solver
     */
    public record Options(int maxIterations, double relativeTolerance, double absoluteTolerance,
            ExactTransport.Options exact) {
        /** Validates every field. */
        public Options {
            Require.atLeast(maxIterations, 1, "maxIterations");
            Require.nonNegative(relativeTolerance, "relativeTolerance");
            Require.nonNegative(absoluteTolerance, "absoluteTolerance");
            Require.nonNull(exact, "exact");
        }

        /**
         * POT 0.8.2's defaults: 200 iterations, thresholds 1e-9 and 1e-9, at most 100 000 network-simplex pivots
         * per sub-problem ({@code numItermaxEmd}).
         */
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
            int maxIterations = 200;
            double relativeTolerance = 1e-9;
            double absoluteTolerance = 1e-9;
            ExactTransport.Options exact = ExactTransport.Options.defaults().withMaxIterations(100_000);

            Builder() {
            }

            Builder(Options o) {
                maxIterations = o.maxIterations;
                relativeTolerance = o.relativeTolerance;
                absoluteTolerance = o.absoluteTolerance;
                exact = o.exact;
            }

            Options build() {
                return new Options(maxIterations, relativeTolerance, absoluteTolerance, exact);
            }
        }
    }

    /**
     * Settings of entropic GW.
     *
     * @param epsilon            entropic regularisation ε > 0 of each Sinkhorn sub-problem, in the units of the
     *                           gradient {@code 2 (L ⊗ T)} (POT's {@code epsilon})
     * @param maxIterations      outer iteration limit ({@code max_iter}, default 1000)
     * @param tolerance          stop when {@code ‖T − T_prev‖_F <} this ({@code tol}, default 1e-9)
     * @param checkEvery         test the plan change at outer iterations {@code 0, k, 2k, ...} (POT: 10)
     * @param innerMaxIterations Sinkhorn iteration limit per sub-problem (default 10 000)
     * @param innerTolerance     Sinkhorn stops when the L1 marginal error is below this (default 1e-9; POT stops on
     *                           the L2 error of one marginal below 1e-9, a weaker test)
     * @param overRelaxed        over-relax the Sinkhorn updates, the factor chosen in each solve from its rate
     *                           ({@link ChainSinkhorn.Options#withAdaptiveRelaxation}, at most 1.9; default true): the
     *                           same sub-problem solutions to the inner tolerance in fewer iterations (POT's instance,
     *                           n = 1000, ε 5e-3: 5579 → 2544 in all, the value within 3e-11 relative); false: plain
     *                           Sinkhorn updates, POT's
     * @param accelerationMemory Anderson acceleration of the outer fixed-point iteration {@code T ← Φ(T)} with this
     *                           many differences kept (default 5; see {@link #withAcceleration}); 0: POT's plain
     *                           iterates {@code T ← Φ(T)}
     */
    public record EntropicOptions(double epsilon, int maxIterations, double tolerance, int checkEvery,
            int innerMaxIterations, double innerTolerance, boolean overRelaxed, int accelerationMemory) {
        /** Validates every field. */
        public EntropicOptions {
            Require.positive(epsilon, "epsilon");
            Require.atLeast(maxIterations, 1, "maxIterations");
            Require.positive(tolerance, "tolerance");
            Require.atLeast(checkEvery, 1, "checkEvery");
            Require.atLeast(innerMaxIterations, 1, "innerMaxIterations");
            Require.positive(innerTolerance, "innerTolerance");
            if (accelerationMemory < 0 || accelerationMemory > MAX_ACCELERATION_MEMORY) {
                throw new IllegalArgumentException("accelerationMemory must be in 0.." + MAX_ACCELERATION_MEMORY
                        + ", got " + accelerationMemory);
            }
        }

        /** POT 0.8.2's defaults at the given ε: 1000 outer iterations, tolerance 1e-9 checked every 10. */
        public static EntropicOptions defaults(double epsilon) {
            Builder b = new Builder();
            b.epsilon = epsilon;
            return b.build();
        }

        /** A copy with another ε. */
        public EntropicOptions withEpsilon(double value) {
            return with(b -> b.epsilon = value);
        }

        /** A copy with another outer iteration limit. */
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

        /** A copy with over-relaxed ({@code true}, the default) or plain Sinkhorn updates. */
        public EntropicOptions withOverRelaxation(boolean value) {
            return with(b -> b.overRelaxed = value);
        }

        /**
         * A copy with Anderson acceleration of the outer iteration keeping {@code memory} differences (0: off, POT's
         * plain iterates). Each outer iteration maps the plan {@code T} to the Sinkhorn solution {@code Φ(T)} of the
         * sub-problem with cost {@code 2 L ⊗ T}; near a solution this map is close to linear with a slow rate
         * (≈ 0.86 per iteration on POT's n = 1000, ε 5e-3 instance), and type-II Anderson mixing of the last
         * {@code memory} iterates reaches the same fixed point in far fewer iterations. The mixed plan keeps the
         * marginals (every difference has zero marginals) but may hold small negative entries; it is only used to
         * form the next cost. The plan returned is always a Sinkhorn solution {@code Φ(T)}, the stop test is
         * {@code ‖Φ(T) − T‖_F <} tolerance at every iteration, and a residual that grows restarts the mixing from a
         * plain step. Storage: {@code 2 memory + 2} extra plan-sized arrays; the memory is lowered to what fits in a
         * quarter of the heap.
         */
        public EntropicOptions withAcceleration(int memory) {
            return with(b -> b.accelerationMemory = memory);
        }

        /** A copy with other Sinkhorn settings. */
        public EntropicOptions withInner(int maxIterationsPerSolve, double marginalTolerance) {
            return with(b -> {
                b.innerMaxIterations = maxIterationsPerSolve;
                b.innerTolerance = marginalTolerance;
            });
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
            int maxIterations = 1000;
            double tolerance = 1e-9;
            int checkEvery = 10;
            int innerMaxIterations = 10_000;
            double innerTolerance = 1e-9;
            boolean overRelaxed = true;
            int accelerationMemory = DEFAULT_ACCELERATION_MEMORY;

            Builder() {
            }

            Builder(EntropicOptions o) {
                epsilon = o.epsilon;
                maxIterations = o.maxIterations;
                tolerance = o.tolerance;
                checkEvery = o.checkEvery;
                innerMaxIterations = o.innerMaxIterations;
                innerTolerance = o.innerTolerance;
                overRelaxed = o.overRelaxed;
                accelerationMemory = o.accelerationMemory;
            }

            EntropicOptions build() {
                return new EntropicOptions(epsilon, maxIterations, tolerance, checkEvery, innerMaxIterations,
                        innerTolerance, overRelaxed, accelerationMemory);
            }
        }
    }

    /**
     * One outer iteration.
     *
     * @param iteration       1-based (0: the start)
     * @param objective       conditional gradient: {@code G(A, B; T)} after the step; entropic: at the plan the
     *                        iteration started from
     * @param change          conditional gradient: {@code |f − f_old|}; entropic: {@code ‖T − T_prev‖_F} where
     *                        tested, else NaN
     * @param step            conditional gradient: the line-search step α; entropic: NaN
     * @param innerIterations network-simplex pivots or Sinkhorn iterations of the sub-problem
     */
    public record Step(int iteration, double objective, double change, double step, long innerIterations) {
    }

    /**
     * The outcome.
     *
     * @param distance        {@code G(A, B; T)} at the final plan (see the class comment)
     * @param plan            the coupling {@code T}, row-major {@code rows × cols}
     * @param rows            {@code n}
     * @param cols            {@code m}
     * @param iterations      outer iterations run
     * @param stopReason      the rule that ended the run
     * @param marginalError   {@code ‖T1 − p‖₁ + ‖Tᵀ1 − q‖₁} (semi-relaxed GW: the first term only; partial GW: the
     *                        constraint violation, see {@link PartialGromovWasserstein})
     * @param log             one entry per iteration, the start included
     * @param innerIterations total pivots (conditional gradient) or Sinkhorn iterations (entropic)
     * @param innerFailures   sub-problems that did not meet their own stop rule (exact OT out of pivots,
     *                        Sinkhorn out of iterations)
     */
    public record Result(double distance, double[] plan, int rows, int cols, int iterations, StopReason stopReason,
            double marginalError, List<Step> log, long innerIterations, int innerFailures) {

        /** Whether a convergence test (not the iteration limit or a failure) ended the run. */
        public boolean converged() {
            return stopReason == StopReason.RELATIVE_CHANGE || stopReason == StopReason.ABSOLUTE_CHANGE
                    || stopReason == StopReason.PLAN_CHANGE || stopReason == StopReason.NO_DESCENT;
        }

        /** The plan entry {@code T_ik}. */
        public double plan(int i, int k) {
            return plan[i * cols + k];
        }

        /** A copy of the plan as a {@code rows × cols} matrix. */
        public DMatrixRMaj planMatrix() {
            return new DMatrixRMaj(rows, cols, true, plan);
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // Conditional gradient

    /** GW between {@code x} and {@code y} (distance matrices, weights as marginals) by conditional gradient. */
    public static Result conditionalGradient(MetricMeasureSpace x, MetricMeasureSpace y, Options options) {
        Require.nonNull(x, "x");
        Require.nonNull(y, "y");
        return conditionalGradient(x.space().distanceMatrix(), x.weights(), y.space().distanceMatrix(), y.weights(),
                options);
    }

    /** GW by conditional gradient for symmetric {@code A} ({@code n × n}), {@code B} ({@code m × m}). */
    public static Result conditionalGradient(DMatrixRMaj a, double[] p, DMatrixRMaj b, double[] q, Options options) {
        return conditionalGradient(squareData(a, "A"), p, squareData(b, "B"), q, options);
    }

    /**
     * GW by conditional gradient for row-major symmetric {@code A} ({@code n × n}, {@code n = p.length}) and
     * {@code B} ({@code m × m}, {@code m = q.length}).
     */
    public static Result conditionalGradient(double[] a, double[] p, double[] b, double[] q, Options options) {
        GromovProduct product = validatedProduct(a, p, b, q);
        return conditionalGradient(product, p, q, null, options);
    }

    /**
     * The core: conditional gradient for the matrices behind {@code product} (symmetric), marginals {@code p},
     * {@code q}, started from {@code initialPlan} ({@code n × m} row-major coupling of {@code p} and {@code q},
     * within 1e-8 per marginal entry as POT checks), or from {@code p qᵀ} when {@code null}.
     */
    public static Result conditionalGradient(GromovProduct product, double[] p, double[] q, double[] initialPlan,
            Options options) {
        return conditionalGradient(product, null, 1.0, p, q, initialPlan, options);
    }

    /**
     * The conditional gradient of the fused objective {@code ⟨L, T⟩ + w G(A, B; T)} (POT's {@code cg} with
     * {@code M = L}, {@code reg = w}); {@code linear == null} and {@code w = 1} is GW itself, step for step.
     * {@code linear} ({@code n × m}, finite) is the caller's to validate.
     */
    static Result conditionalGradient(GromovProduct product, double[] linear, double weight, double[] p, double[] q,
            double[] initialPlan, Options options) {
        Require.nonNull(options, "options");
        Require.nonNull(product, "product");
        int n = product.leftSize();
        int m = product.rightSize();
        validateMarginals(p, n, q, m);
        double[] g = initialPlan == null ? outer(p, q) : validatedStart(initialPlan, p, q);

        double[] c1 = new double[n];
        double[] c2 = new double[m];
        product.squaredLeft(p, c1);
        product.squaredRight(q, c2);

        int size = n * m;
        double[] apb = new double[size];      // Q = A G Bᵀ, kept up to date incrementally
        double[] gradient = new double[size];
        double[] delta = new double[size];    // Δ = Gc − G
        double[] apbDelta = new double[size]; // A Δ Bᵀ
        int[] rows = new int[size];
        int[] cols = new int[size];
        double[] values = new double[size];
        if (initialPlan == null) {
            product.multiplyRankOne(p, q, apb); // A (p qᵀ) Bᵀ = (A p)(B q)ᵀ
        } else {
            product.multiply(g, apb);
        }
        double fval = fused(linear, weight, linear(c1, c2, g, n, m) - 2 * GromovCost.dot(apb, g), g);

        List<Step> log = new ArrayList<>();
        log.add(new Step(0, fval, Double.NaN, Double.NaN, 0));
        long pivots = 0;
        int failures = 0;
        int it = 0;
        StopReason reason;
        while (true) {
            it++;
            double old = fval;
            for (int i = 0; i < n; i++) {
                int off = i * m;
                for (int k = 0; k < m; k++) {
                    gradient[off + k] = 2 * (c1[i] + c2[k] - 2 * apb[off + k]);
                }
            }
            if (linear != null) {
                for (int t = 0; t < size; t++) {
                    gradient[t] = linear[t] + weight * gradient[t];
                }
            }
            ExactTransport.Result emd = ExactTransport.solve(p, q, gradient, n, m, options.exact());
            pivots += emd.iterations();
            if (!emd.isOptimal()) {
                failures++;
            }
            double[] gc = emd.plan();
            int count = 0;
            for (int t = 0; t < size; t++) {
                if (gc[t] != 0) {
                    rows[count] = t / m;
                    cols[count] = t % m;
                    values[count] = gc[t];
                    count++;
                }
            }
            product.multiplySparse(count, rows, cols, values, apbDelta);
            for (int t = 0; t < size; t++) {
                delta[t] = gc[t] - g[t];
                apbDelta[t] -= apb[t];
            }
            // POT's solve_gromov_linesearch (M = L, reg = w; GW: M = 0, reg = 1):
            // f(G + αΔ) = c + b α + a α², a = −2w⟨AΔBᵀ, Δ⟩,
            // b = ⟨L + w constC, Δ⟩ − 2w(⟨AΔBᵀ, G⟩ + ⟨AGBᵀ, Δ⟩), c = f(G)
            double qa = -2 * GromovCost.dot(apbDelta, delta);
            double qb = linear(c1, c2, delta, n, m)
                    - 2 * (GromovCost.dot(apbDelta, g) + GromovCost.dot(apb, delta));
            if (linear != null) {
                qa = weight * qa;
                qb = GromovCost.dot(linear, delta) + weight * qb;
            }
            double alpha = lineSearchQuadratic(qa, qb, fval);
            for (int t = 0; t < size; t++) {
                g[t] += alpha * delta[t];
                apb[t] += alpha * apbDelta[t];
            }
            fval = fused(linear, weight, linear(c1, c2, g, n, m) - 2 * GromovCost.dot(apb, g), g);
            double abs = Math.abs(fval - old);
            double rel = abs / Math.abs(fval);
            log.add(new Step(it, fval, abs, alpha, emd.iterations()));
            if (!Double.isFinite(fval)) {
                reason = StopReason.NUMERICAL_FAILURE;
                break;
            }
            if (rel < options.relativeTolerance()) {
                reason = StopReason.RELATIVE_CHANGE;
                break;
            }
            if (abs < options.absoluteTolerance()) {
                reason = StopReason.ABSOLUTE_CHANGE;
                break;
            }
            if (it >= options.maxIterations()) {
                reason = StopReason.MAX_ITERATIONS;
                break;
            }
        }
        // the final value afresh (no drift of the incremental A G Bᵀ); a sum of squares, so ≥ 0 up to round-off
        product.multiply(g, apb);
        double distance = fused(linear, weight, Math.max(0.0, linear(c1, c2, g, n, m) - 2 * GromovCost.dot(apb, g)),
                g);
        return new Result(distance, g, n, m, it, reason, marginalError(g, p, q, n, m),
                Collections.unmodifiableList(log), pivots, failures);
    }

    /**
     * POT's {@code solve_1d_linesearch_quad}: the minimiser on {@code [0, 1]} of {@code f(α) = a α² + b α + c}
     * (for {@code a <= 0} the better end point, 0 on ties).
     */
    static double lineSearchQuadratic(double a, double b, double c) {
        double f0 = c;
        double f1 = a + f0 + b;
        if (a > 0) {
            return Math.min(1.0, Math.max(0.0, -b / (2.0 * a)));
        }
        return f0 > f1 ? 1.0 : 0.0;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Entropic

    /** Entropic GW between {@code x} and {@code y} (distance matrices, weights as marginals). */
    public static Result entropic(MetricMeasureSpace x, MetricMeasureSpace y, EntropicOptions options) {
        Require.nonNull(x, "x");
        Require.nonNull(y, "y");
        return entropic(x.space().distanceMatrix(), x.weights(), y.space().distanceMatrix(), y.weights(), options);
    }

    /** Entropic GW for symmetric {@code A} ({@code n × n}), {@code B} ({@code m × m}). */
    public static Result entropic(DMatrixRMaj a, double[] p, DMatrixRMaj b, double[] q, EntropicOptions options) {
        return entropic(squareData(a, "A"), p, squareData(b, "B"), q, options);
    }

    /** Entropic GW for row-major symmetric {@code A} ({@code n × n}, {@code n = p.length}), {@code B}. */
    public static Result entropic(double[] a, double[] p, double[] b, double[] q, EntropicOptions options) {
        GromovProduct product = validatedProduct(a, p, b, q);
        return entropic(product, p, q, options);
    }

    /** Differences kept by entropic GW's Anderson acceleration by default ({@link EntropicOptions#withAcceleration}). */
    public static final int DEFAULT_ACCELERATION_MEMORY = 5;

    /** The most differences entropic GW's Anderson acceleration keeps. */
    public static final int MAX_ACCELERATION_MEMORY = 20;

    /** The largest over-relaxation factor of entropic GW's Sinkhorn updates ({@link EntropicOptions#overRelaxed}). */
    public static final double MAX_RELAXATION = 1.9;

    /** The core of entropic GW for the (symmetric) matrices behind {@code product}; starts from {@code p qᵀ}. */
    public static Result entropic(GromovProduct product, double[] p, double[] q, EntropicOptions options) {
        return entropic(product, null, 1.0, p, q, options);
    }

    /**
     * Entropic GW of the fused objective {@code ⟨L, T⟩ + w G(A, B; T)}: each Sinkhorn sub-problem has the cost
     * {@code L + 2 w (L(A, B) ⊗ T)} (POT's {@code entropic_fused_gromov_wasserstein} with {@code L = (1 − α) M},
     * {@code w = α}); {@code linear == null} and {@code w = 1} is entropic GW. {@code linear} is the caller's to
     * validate.
     */
    static Result entropic(GromovProduct product, double[] linear, double weight, double[] p, double[] q,
            EntropicOptions options) {
        Require.nonNull(options, "options");
        Require.nonNull(product, "product");
        int n = product.leftSize();
        int m = product.rightSize();
        validateMarginals(p, n, q, m);
        double[] c1 = new double[n];
        double[] c2 = new double[m];
        product.squaredLeft(p, c1);
        product.squaredRight(q, c2);

        double eps = options.epsilon();
        ChainSinkhorn.Options plain = ChainSinkhorn.Options.defaults(eps)
                .withMaxIterations(options.innerMaxIterations())
                .withTolerance(options.innerTolerance())
                .withCheckEvery(1);
        ChainSinkhorn.Options cold = options.overRelaxed() ? plain.withAdaptiveRelaxation(MAX_RELAXATION) : plain;
        // warm-started from the last row potential: the columns are updated first (POT's order)
        ChainSinkhorn.Options warm = cold.withForwardStart(true);
        int size = n * m;
        double[] t = outer(p, q);
        double[] next = new double[size];
        AndersonMixing mixing = acceleration(options.accelerationMemory(), size);
        double lastResidual = Double.POSITIVE_INFINITY;
        double[] apb = new double[size];
        KernelWorkspace gradients = new KernelWorkspace(n, m, Precision.DOUBLE, Parallel.defaultThreads());
        double[] gradient = gradients.cost();
        double[] f = null;
        double[] h = null;
        List<Step> log = new ArrayList<>();
        long innerIterations = 0;
        int failures = 0;
        int cpt = 0;
        double err = Double.POSITIVE_INFINITY;
        StopReason reason = null;
        while (err > options.tolerance() && cpt < options.maxIterations()) {
            if (cpt == 0) {
                product.multiplyRankOne(p, q, apb); // the start p qᵀ: (A p)(B q)ᵀ
            } else {
                product.multiply(t, apb);
            }
            double[] rowObjective = new double[n];
            double[] plan = t;
            Parallel.forRange(n, Parallel.defaultThreads(), m, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int off = i * m;
                    double o = 0;
                    for (int k = 0; k < m; k++) {
                        double tens = c1[i] + c2[k] - 2 * apb[off + k];
                        o += tens * plan[off + k];
                        gradient[off + k] = 2 * tens;
                    }
                    rowObjective[i] = o;
                }
            });
            double objective = 0;
            for (double o : rowObjective) {
                objective += o; // row by row in order: the same sum for any thread count
            }
            if (linear != null) {
                for (int u = 0; u < size; u++) {
                    gradient[u] = linear[u] + weight * gradient[u];
                }
                objective = fused(linear, weight, objective, t);
            }
            // the last kernel is done with: the new one takes over its storage (and the gradient, rewritten above)
            DenseLogKernel kernel = gradients.next(null);
            ChainSinkhorn.Result chain = Sinkhorn.solve(kernel, p, Double.POSITIVE_INFINITY, q,
                    Double.POSITIVE_INFINITY, f == null ? cold : warm, f, h, next);
            int innerIt = chain.totalIterations();
            innerIterations += innerIt;
            if (chain.stopReason() == ChainSinkhorn.StopReason.NUMERICAL_FAILURE) {
                // finite potentials and marginals otherwise, hence a finite plan
                log.add(new Step(cpt + 1, objective, Double.NaN, Double.NaN, innerIt));
                reason = StopReason.NUMERICAL_FAILURE;
                break;
            }
            if (!chain.converged()) {
                failures++;
            }
            f = chain.potentials().get(0);
            h = chain.potentials().get(1);
            double change = Double.NaN;
            if (mixing != null) {
                // t ← the mixed point; next keeps Φ(t), the plan returned if this was the last iteration
                change = mixing.next(t, next, t);
                err = change;
                if ((change > lastResidual || !chain.converged()) && mixing.depth() > 0) {
                    // the mixed iterates stopped contracting, or Φ(t) was not solved to the inner tolerance (mixing
                    // needs accurate images): a plain step, then mix afresh from there
                    mixing.reset();
                    System.arraycopy(next, 0, t, 0, size);
                }
                lastResidual = change;
                if (err <= options.tolerance()) {
                    double[] previous = t;
                    t = next;
                    next = previous;
                }
            } else {
                if (cpt % options.checkEvery() == 0) {
                    double sq = 0;
                    for (int u = 0; u < size; u++) {
                        double d = next[u] - t[u];
                        sq += d * d;
                    }
                    change = Math.sqrt(sq);
                    err = change;
                }
                double[] previous = t;
                t = next;
                next = previous;
            }
            cpt++;
            log.add(new Step(cpt, objective, change, Double.NaN, innerIt));
        }
        if (reason == null) {
            reason = err <= options.tolerance() ? StopReason.PLAN_CHANGE : StopReason.MAX_ITERATIONS;
        }
        if (mixing != null && reason != StopReason.PLAN_CHANGE) {
            // t is a mixed point (it may hold small negative entries): return the last Sinkhorn solution instead
            mixing.lastImage(t);
        }
        // G(A, B; T) with the plan's own marginals (the 4-index sum, ≥ 0), not POT's gwloss with p, q (see above)
        double distance = fused(linear, weight, ownMarginalObjective(product, t, apb), t);
        return new Result(distance, t, n, m, cpt, reason, marginalError(t, p, q, n, m),
                Collections.unmodifiableList(log), innerIterations, failures);
    }

    // ----------------------------------------------------------------------------------------------------------
    // helpers

    /**
     * Entropic GW's Anderson mixing of {@code memory} differences on plans of {@code size} entries, the memory
     * lowered so that its {@code 2 memory + 2} plan-sized arrays take at most a quarter of the heap; null when
     * {@code memory} is 0 or not even one difference fits.
     */
    private static AndersonMixing acceleration(int memory, int size) {
        long budget = Runtime.getRuntime().maxMemory() / 4;
        long perPlan = 8L * size;
        int fits = (int) Math.min(memory, (budget / perPlan - 2) / 2);
        return fits < 1 ? null : new AndersonMixing(size, fits, Parallel.defaultThreads());
    }

    /** {@code ⟨L, T⟩ + w gw}, or {@code gw} itself when {@code linear == null}. */
    static double fused(double[] linear, double weight, double gw, double[] t) {
        return linear == null ? gw : GromovCost.dot(linear, t) + weight * gw;
    }

    /**
     * {@code G(A, B; T) = Σ (A_ii' − B_kk')² T_ik T_i'k'} with {@code T}'s own row and column sums: a sum of
     * non-negative terms for a non-negative plan, so it is clamped at 0 (the clamp removes only round-off of the
     * cancelling expansion {@code rᵀ(A∘A)r + cᵀ(B∘B)c − 2⟨A T Bᵀ, T⟩}). {@code scratch} ({@code n × m}) is
     * overwritten.
     */
    static double ownMarginalObjective(GromovProduct product, double[] t, double[] scratch) {
        int n = product.leftSize();
        int m = product.rightSize();
        double[] r = GromovCost.rowSums(t, n, m);
        double[] c = GromovCost.columnSums(t, n, m);
        double[] ar = new double[n];
        double[] bc = new double[m];
        product.squaredLeft(r, ar);
        product.squaredRight(c, bc);
        product.multiply(t, scratch);
        double value = GromovCost.dot(ar, r) + GromovCost.dot(bc, c) - 2 * GromovCost.dot(scratch, t);
        return Math.max(0.0, value);
    }

    /** {@code ⟨c1 1ᵀ + 1 c2ᵀ, X⟩}. */
    static double linear(double[] c1, double[] c2, double[] x, int n, int m) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            int off = i * m;
            double row = 0;
            for (int k = 0; k < m; k++) {
                double v = x[off + k];
                row += v * (c1[i] + c2[k]);
            }
            s += row;
        }
        return s;
    }

    static double[] outer(double[] p, double[] q) {
        double[] t = new double[Math.multiplyExact(p.length, q.length)];
        GromovCost.outer(p, q, t);
        return t;
    }

    static double marginalError(double[] t, double[] p, double[] q, int n, int m) {
        double[] rows = GromovCost.rowSums(t, n, m);
        double[] cols = GromovCost.columnSums(t, n, m);
        double e = 0;
        for (int i = 0; i < n; i++) {
            e += Math.abs(rows[i] - p[i]);
        }
        for (int k = 0; k < m; k++) {
            e += Math.abs(cols[k] - q[k]);
        }
        return e;
    }

    static GromovProduct validatedProduct(double[] a, double[] p, double[] b, double[] q) {
        Require.nonNull(p, "p");
        Require.nonNull(q, "q");
        int n = p.length;
        int m = q.length;
        Require.atLeast(n, 1, "p.length");
        Require.atLeast(m, 1, "q.length");
        if (a != null && a.length != (long) n * n) {
            throw new IllegalArgumentException("A has " + a.length + " entries but p has " + n + " (expected " + n
                    + "x" + n + " = " + ((long) n * n) + ")");
        }
        if (b != null && b.length != (long) m * m) {
            throw new IllegalArgumentException("B has " + b.length + " entries but q has " + m + " (expected " + m
                    + "x" + m + " = " + ((long) m * m) + ")");
        }
        GromovCost.requireSquare(a, n, "A");
        GromovCost.requireSquare(b, m, "B");
        requireSymmetric(a, n, "A");
        requireSymmetric(b, m, "B");
        validateMarginals(p, n, q, m);
        return GromovCost.dense(a, n, b, m);
    }

    static double[] squareData(DMatrixRMaj x, String name) {
        Require.nonNull(x, name);
        if (x.numRows != x.numCols) {
            throw new IllegalArgumentException(name + " must be square, got " + x.numRows + "x" + x.numCols);
        }
        return Arrays.copyOf(x.data, x.numRows * x.numCols);
    }

    static void requireSymmetric(double[] x, int n, String name) {
        double max = 0;
        for (double v : x) {
            max = Math.max(max, Math.abs(v));
        }
        double tol = SYMMETRY_TOLERANCE * max;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double d = Math.abs(x[i * n + j] - x[j * n + i]);
                if (d > tol) {
                    throw new IllegalArgumentException(name + " must be symmetric, but " + name + "[" + i + "," + j
                            + "] = " + x[i * n + j] + " and " + name + "[" + j + "," + i + "] = " + x[j * n + i]);
                }
            }
        }
    }

    static void validateMarginals(double[] p, int n, double[] q, int m) {
        double sp = nonNegative(p, n, "p");
        double sq = nonNegative(q, m, "q");
        if (!(sp > 0)) {
            throw new IllegalArgumentException("p must have a positive sum, got " + sp);
        }
        if (Math.abs(sp - sq) > MASS_TOLERANCE * Math.max(sp, sq)) {
            throw new IllegalArgumentException("p and q must have equal mass, but p sums to " + sp + " and q to "
                    + sq);
        }
    }

    static double nonNegative(double[] w, int length, String name) {
        Require.finiteVector(w, length, name);
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] < 0) {
                throw new IllegalArgumentException(name + "[" + i + "] must be >= 0, got " + w[i]);
            }
            s += w[i];
        }
        return s;
    }

    static double[] validatedStart(double[] plan, double[] p, double[] q) {
        int n = p.length;
        int m = q.length;
        GromovCost.requirePlan(plan, n, m, "initialPlan");
        double[] rows = GromovCost.rowSums(plan, n, m);
        double[] cols = GromovCost.columnSums(plan, n, m);
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(rows[i] - p[i]) <= 1e-8)) {
                throw new IllegalArgumentException("initialPlan row " + i + " sums to " + rows[i] + " but p[" + i
                        + "] = " + p[i]);
            }
        }
        for (int k = 0; k < m; k++) {
            if (!(Math.abs(cols[k] - q[k]) <= 1e-8)) {
                throw new IllegalArgumentException("initialPlan column " + k + " sums to " + cols[k] + " but q["
                        + k + "] = " + q[k]);
            }
        }
        for (int t = 0; t < plan.length; t++) {
            if (!(plan[t] >= 0) || !Double.isFinite(plan[t])) {
                throw new IllegalArgumentException("initialPlan[" + (t / m) + "," + (t % m)
                        + "] must be >= 0 and finite, got " + plan[t]);
            }
        }
        return plan.clone();
    }
}
