package org.gwembed.embedding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;
import org.gwembed.solvers.ChainSinkhorn;
import org.gwembed.solvers.DenseBlas;
import org.gwembed.solvers.DenseLogKernel;
import org.gwembed.solvers.DistanceProduct;
import org.gwembed.solvers.DistanceProducts;
import org.gwembed.solvers.GromovCost;
import org.gwembed.solvers.LogKernel;
import org.gwembed.solvers.Precision;
import org.gwembed.solvers.Real;

/**
 * The EW_λ joint embedding (METHOD.md §2–§4, paper Algorithm 1): two metric-measure spaces 𝕐₁ = (Y₁, D₁, ξ₁) and
 * 𝕐₂ = (Y₂, D₂, ξ₂) are embedded jointly into a fixed finite metric space X by minimising over 4-plans γ on
 * {@code Y₁ × X × X × Y₂} with data marginals ξ₁, ξ₂
 * <pre>
 *   J(γ) = ⟨D_X², Π⟩ + λ G(D₁, D_X; P₁) + λ G(D_X, D₂; P₂),
 *   G(A, B; P) = Σ (A_ii' − B_kk')² P_ik P_i'k',
 * </pre>
 * by block-coordinate descent: with the previous plans fixed the problem is linear with the chain cost
 * {@code C₁₂(i,k) + C₂₃(k,l) + C₃₄(l,j)},
 * <pre>
 *   C₁₂ = λ [ (D₁∘D₁ ξ₁) 1ᵀ + 1 (D_X∘D_X ζ₁)ᵀ − 2 D₁ P₁ D_X ],   C₂₃ = D_X∘D_X,
 *   C₃₄ = λ [ (D_X∘D_X ζ₂) 1ᵀ + 1 (D₂∘D₂ ξ₂)ᵀ − 2 D_X P₂ D₂ ],
 * </pre>
 * and its entropic version is solved by the chain Sinkhorn on {@code Y₁ – X – X – Y₂} ({@link ChainSinkhorn}; the
 * 4-tensor is never formed). The relaxed embeddings are ζ₁ = P₁ᵀ1 and ζ₂ = P₂1.
 *
 * <p><b>Cost scaling.</b> {@link CostScaling#REFERENCE} reproduces the authors' code (REW_utils.py {@code REW}):
 * C₁₂ and C₃₄ shifted to minimum 0 and multiplied by λ, D_X² divided by its maximum, all three divided by their
 * common maximum, ε relative; each inner solve starts cold from unit messages with the reference's stopping rule.
 * {@link CostScaling#PLAIN} uses the raw costs (shifted to minimum 0, which leaves the plans unchanged) and ε in the
 * objective's units, its inner solves warm-started across outer iterations and over-relaxed. Either way the
 * reported objective is J with the raw costs, term by term.
 *
 * <p><b>Faster settings, same method.</b> {@link Options#withWarmInnerStarts},
 * {@link Options#withOverRelaxedInnerSolves} and {@link Options#withPrecision}({@code SINGLE}) solve every inner
 * problem to the same tolerance with less work (the last also perturbs the costs by ~1e-7 relative). They leave the
 * reference's iterates, so round-off may then settle a run in another of EW_λ's local minima (on SNAREseq at λ = 1
 * single precision did, the other two did not).
 *
 * <p><b>Symmetry.</b> The uniform start is invariant under the isometries of X; where the inputs share that symmetry
 * (e.g. Appendix B: the circle embedded into itself) it is an exact fixed point and the run stops at once with
 * {@link StopReason#PLANS_CONVERGED}. Seeded perturbed starts ({@link Options#withRestarts}) break it; so does
 * round-off elsewhere, which is why later iterates are sensitive to tiny changes (METHOD.md §4).
 */
public final class JointEmbedding {

    /** How the chain costs are scaled before {@code exp(−C/ε)} (METHOD.md §4). */
    public enum CostScaling {
        /** The reference's per-iteration normalisation; ε is relative. The paper's λ and ε transfer. */
        REFERENCE,
        /** Raw costs; ε in the units of the objective. */
        PLAIN
    }

    /** Why the outer iterations ended. */
    public enum StopReason {
        /** Both plans changed by less than the outer tolerance (max-norm, relative) in one iteration. */
        PLANS_CONVERGED,
        /** The outer iteration limit was reached (per λ of the continuation). */
        ITERATION_LIMIT
    }

    /**
     * Settings (STYLE.md: validated record with {@code defaults()} and {@code withX} copies).
     *
     * @param lambdas         λ values, increasing, run in turn as a continuation that carries the plans over
     * @param epsilon         entropic regularisation (relative in REFERENCE mode)
     * @param outerIterations outer iterations per λ
     * @param outerTolerance  stop a λ early when both plans change by less than this (max-norm relative to their
     *                        largest entry); 0 turns early stopping off. In single precision at least
     *                        {@link #SINGLE_OUTER_TOLERANCE}, the plans' round-off floor
     * @param inner           inner chain-Sinkhorn settings; its ε is replaced by {@code epsilon}
     * @param costScaling     see {@link CostScaling}
     * @param warmStart       start each inner solve from the previous outer iteration's potentials (from the one
     *                        before's when the outer iterates alternate between two states)
     * @param kernel          kernel and distance-product choice for X ({@code AUTO}: from its structure hints)
     * @param precision       format of the dense kernels and of the big products' operands ({@link Precision}):
     *                        {@code DOUBLE} (default) reproduces the reference to round-off, {@code SINGLE} is faster
     * @param threads         worker threads
     * @param seed            seed for perturbed starts
     * @param perturbation    relative amplitude of the multiplicative noise on the uniform start ζ (0: none)
     * @param restarts        independent runs (run {@code r} perturbed with seed {@code seed + r}; run 0 also
     *                        perturbed only when {@code perturbation > 0}); the lowest J is kept
     * @param keepMiddlePlan  also return Π (N × N; memory!)
     * @param listener        progress receiver
     */
    public record Options(List<Double> lambdas, double epsilon, int outerIterations, double outerTolerance,
            ChainSinkhorn.Options inner, CostScaling costScaling, boolean warmStart, DistanceProducts.Choice kernel,
            Precision precision, int threads, long seed, double perturbation, int restarts, boolean keepMiddlePlan,
            ProgressListener listener) {

        public Options {
            Require.nonNull(lambdas, "lambdas");
            if (lambdas.isEmpty()) {
                throw new IllegalArgumentException("lambdas must hold at least one value");
            }
            lambdas = List.copyOf(lambdas);
            for (int i = 0; i < lambdas.size(); i++) {
                Require.positive(lambdas.get(i), "lambda[" + i + "]");
            }
            Require.positive(epsilon, "epsilon");
            Require.atLeast(outerIterations, 1, "outerIterations");
            Require.nonNegative(outerTolerance, "outerTolerance");
            Require.nonNull(inner, "inner");
            Require.nonNull(costScaling, "costScaling");
            Require.nonNull(kernel, "kernel");
            Require.nonNull(precision, "precision");
            if (kernel == DistanceProducts.Choice.FFT || kernel == DistanceProducts.Choice.FOURIER) {
                throw new IllegalArgumentException("kernel must be AUTO, DENSE or SEPARABLE, got " + kernel);
            }
            Require.atLeast(threads, 1, "threads");
            Require.nonNegative(perturbation, "perturbation");
            Require.atLeast(restarts, 1, "restarts");
            Require.nonNull(listener, "listener");
        }

        /** The largest over-relaxation factor {@link #withOverRelaxedInnerSolves} uses. */
        public static final double MAX_RELAXATION = 1.9;

        /**
         * The reference setting for one λ: REFERENCE scaling, ε relative, 50 outer iterations, outer tolerance
         * 1e-9, the reference's inner solver (10 000 iterations, scaling change 1e-5), cold inner starts, uniform
         * start, all threads.
         */
        public static Options defaults(double lambda, double epsilon) {
            return new Options(List.of(lambda), epsilon, 50, 1e-9, ChainSinkhorn.Options.reference(epsilon),
                    CostScaling.REFERENCE, false, DistanceProducts.Choice.AUTO, Precision.DOUBLE,
                    Parallel.defaultThreads(), 0L, 0.0, 1, false, ProgressListener.NONE);
        }

        /**
         * Raw costs with absolute ε, marginal error 1e-9 in the inner solver, warm starts, adaptively over-relaxed
         * inner updates ({@link #withOverRelaxedInnerSolves}).
         */
        public static Options plain(double lambda, double epsilon) {
            return defaults(lambda, epsilon).withCostScaling(CostScaling.PLAIN)
                    .withInner(ChainSinkhorn.Options.defaults(epsilon).withMaxIterations(20_000)).withWarmStart(true)
                    .withOverRelaxedInnerSolves();
        }

        public Options withLambdas(List<Double> values) {
            return new Options(values, epsilon, outerIterations, outerTolerance, inner, costScaling, warmStart,
                    kernel, precision, threads, seed, perturbation, restarts, keepMiddlePlan, listener);
        }

        public Options withEpsilon(double value) {
            return new Options(lambdas, value, outerIterations, outerTolerance, inner.withEpsilon(value), costScaling,
                    warmStart, kernel, precision, threads, seed, perturbation, restarts, keepMiddlePlan, listener);
        }

        public Options withOuterIterations(int value) {
            return new Options(lambdas, epsilon, value, outerTolerance, inner, costScaling, warmStart, kernel, precision,
                    threads, seed, perturbation, restarts, keepMiddlePlan, listener);
        }

        public Options withOuterTolerance(double value) {
            return new Options(lambdas, epsilon, outerIterations, value, inner, costScaling, warmStart, kernel, precision,
                    threads, seed, perturbation, restarts, keepMiddlePlan, listener);
        }

        public Options withInner(ChainSinkhorn.Options value) {
            return new Options(lambdas, epsilon, outerIterations, outerTolerance, value, costScaling, warmStart,
                    kernel, precision, threads, seed, perturbation, restarts, keepMiddlePlan, listener);
        }

        public Options withCostScaling(CostScaling value) {
            return new Options(lambdas, epsilon, outerIterations, outerTolerance, inner, value, warmStart, kernel, precision,
                    threads, seed, perturbation, restarts, keepMiddlePlan, listener);
        }

        public Options withWarmStart(boolean value) {
            return new Options(lambdas, epsilon, outerIterations, outerTolerance, inner, costScaling, value, kernel, precision,
                    threads, seed, perturbation, restarts, keepMiddlePlan, listener);
        }

        /**
         * Warm inner starts whose first iteration uses the carried potentials: the reference's unit start (which
         * skips the first backward sweep) would discard half of them.
         */
        public Options withWarmInnerStarts() {
            return withWarmStart(true).withInner(inner.withUnitStart(false));
        }

        /**
         * Over-relaxed inner Sinkhorn updates with the factor chosen per solve from its own convergence rate
         * ({@link ChainSinkhorn.Options#withAdaptiveRelaxation}, ω at most {@link #MAX_RELAXATION}): each inner solve
         * reaches the same fixed point to the same tolerance, in fewer iterations where the plain iteration is
         * slow (small ε). The reference iterates plainly, so this leaves {@code REFERENCE} iterates unchanged only
         * to the inner tolerance.
         */
        public Options withOverRelaxedInnerSolves() {
            return withInner(inner.withAdaptiveRelaxation(MAX_RELAXATION));
        }

        public Options withKernel(DistanceProducts.Choice value) {
            return new Options(lambdas, epsilon, outerIterations, outerTolerance, inner, costScaling, warmStart,
                    value, precision, threads, seed, perturbation, restarts, keepMiddlePlan, listener);
        }

        public Options withPrecision(Precision value) {
            return new Options(lambdas, epsilon, outerIterations, outerTolerance, inner, costScaling, warmStart,
                    kernel, value, threads, seed, perturbation, restarts, keepMiddlePlan, listener);
        }

        public Options withThreads(int value) {
            return new Options(lambdas, epsilon, outerIterations, outerTolerance, inner, costScaling, warmStart,
                    kernel, precision, value, seed, perturbation, restarts, keepMiddlePlan, listener);
        }

        /** Perturbed starts and restarts (see the record's parameters). */
        public Options withRestarts(int count, double amplitude, long seedValue) {
            return new Options(lambdas, epsilon, outerIterations, outerTolerance, inner, costScaling, warmStart,
                    kernel, precision, threads, seedValue, amplitude, count, keepMiddlePlan, listener);
        }

        public Options withKeepMiddlePlan(boolean value) {
            return new Options(lambdas, epsilon, outerIterations, outerTolerance, inner, costScaling, warmStart,
                    kernel, precision, threads, seed, perturbation, restarts, value, listener);
        }

        public Options withListener(ProgressListener value) {
            return new Options(lambdas, epsilon, outerIterations, outerTolerance, inner, costScaling, warmStart,
                    kernel, precision, threads, seed, perturbation, restarts, keepMiddlePlan, value);
        }
    }

    /**
     * The objective J(γ) with raw costs, term by term.
     *
     * @param wasserstein {@code ⟨D_X², Π⟩}
     * @param gw1         {@code G(D₁, D_X; P₁)} (not multiplied by λ)
     * @param gw2         {@code G(D_X, D₂; P₂)}
     * @param lambda      the λ in force
     */
    public record Objective(double wasserstein, double gw1, double gw2, double lambda) {
        /** {@code J = wasserstein + λ (gw1 + gw2)}. */
        public double total() {
            return wasserstein + lambda * (gw1 + gw2);
        }
    }

    /**
     * One outer iteration, for the history and the progress listener.
     *
     * @param restart         which restart
     * @param lambda          λ in force
     * @param iteration       1-based outer iteration within this λ
     * @param totalIterations outer iterations planned for this λ
     * @param objective       J after the iteration
     * @param innerIterations inner iterations used
     * @param innerStop       why the inner solver stopped
     * @param marginalError   inner L1 marginal error on ξ₁, ξ₂
     * @param planChange      max-norm relative change of P₁ and P₂
     * @param seconds         wall time of the iteration
     */
    public record Step(int restart, double lambda, int iteration, int totalIterations, Objective objective,
            int innerIterations, ChainSinkhorn.StopReason innerStop, double marginalError, double planChange,
            double seconds) {
    }

    private JointEmbedding() {
    }

    /** Bytes a run needs, roughly (plans, costs, kernel caches, distance matrices), for the heap check. */
    static long estimateBytes(int n1, int n2, MetricSpace x, Options options) {
        long big = x.size();
        boolean structured = x.hint(org.gwembed.metricspaces.GridStructure.class).isPresent()
                && options.kernel() != DistanceProducts.Choice.DENSE;
        // P, D·P (a float array in single precision), D·P·D_X, the cost (adopted by its kernel), two stabilised
        // kernels (one double's worth in single precision), and the products' transient blocks
        boolean single = options.precision() == Precision.SINGLE;
        long perEntry = single ? 6L : 7L;
        long perEdge1 = perEntry * n1 * big;
        long perEdge2 = perEntry * n2 * big;
        long inputs = (long) n1 * n1 + (long) n2 * n2;
        if (single) {
            inputs += inputs / 2; // float copies of D₁ and D₂
        }
        // the work block kept by the chunked D₁P₁ (SparseProducts.Symmetric.scratch)
        inputs += single ? (long) n1 * big / 2 : (long) n1 * big;
        long middle = structured ? 0 : 4L * big * big; // dense D_X, D_X², kernel cost copy and caches
        if (denseActiveProducts(x, options)) {
            middle += single ? 3 * big * big / 2 : big * big; // copies of D_X kept for the restricted GEMMs
            // blocks kept from one iteration's restricted products to the next: D_X's gathered rows, and one
            // double's worth per data point × grid point (the compact D·P, and in single precision the float
            // output of the D_X product, half each)
            middle += single ? big * big / 2 : big * big;
            inputs += (long) Math.max(n1, n2) * big;
        }
        if (options.keepMiddlePlan()) {
            middle += big * big;
        }
        return 8L * (perEdge1 + perEdge2 + inputs + middle);
    }

    /**
     * Embeds 𝕐₁ and 𝕐₂ jointly into X. X carries the uniform reference measure; its distances are used as given
     * (scale X beforehand, e.g. {@code EmbeddingSpaces.parse("plane:30")} has max distance 1.3, and the inputs to max
     * 1 as the reference does).
     *
     * @throws IllegalArgumentException on invalid input, or when the run would not fit the heap (the message says
     *                                  how much it needs)
     */
    public static EmbeddingResult embed(MetricMeasureSpace y1, MetricMeasureSpace y2, MetricSpace x, Options options) {
        Require.nonNull(y1, "y1");
        Require.nonNull(y2, "y2");
        Require.nonNull(x, "x");
        Require.nonNull(options, "options");
        long need = estimateBytes(y1.size(), y2.size(), x, options);
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (need > available) {
            throw new IllegalArgumentException(String.format("embedding %d and %d points into %s needs about %d MiB "
                    + "but only %d MiB of heap are available; raise -Xmx or use a smaller space", y1.size(), y2.size(),
                    x.description(), need >> 20, available >> 20));
        }
        if (x.maxDistance() <= 0) {
            throw new IllegalArgumentException("the embedding space must have a positive distance, got "
                    + x.description());
        }
        long start = System.nanoTime();
        Run best = null;
        for (int r = 0; r < options.restarts(); r++) {
            Run run = new Run(y1, y2, x, options, r);
            run.execute();
            if (best == null || run.objective.total() < best.objective.total()) {
                best = run;
            }
        }
        return best.result((System.nanoTime() - start) / 1e9);
    }

    /** One run from one start. */
    private static final class Run {
        final int n1;
        final int n2;
        final int big;
        final double[] d1;
        final double[] d2;
        final SparseProducts.Symmetric sd1;  // D₁ and D₂ for the products (with float copies in single precision)
        final SparseProducts.Symmetric sd2;
        final double[] xi1;
        final double[] xi2;
        final MetricSpace x;
        final Options options;
        final int restart;
        final DistanceProduct dx;      // P · D_X
        final DistanceProduct dx2;     // P · D_X²
        final SparseProducts.Symmetric dxDense; // D_X itself (DENSE_ACTIVE_MAX), else null
        final double maxDx2;
        final double[] a1;             // D₁² ξ₁
        final double[] a2;             // D₂² ξ₂
        final int[] locality;          // SparseProducts.localityRank(x)

        double[] p1;                   // n1 x N
        double[] p2;                   // N x n2
        double[] zeta1;
        double[] zeta2;
        double[] m1;                   // D₁ P₁ D_X  (n1 x N)
        double[] m2;                   // D_X P₂ D₂  (N x n2)
        Side side1;                    // what one pass over (P₁, m1) tells, for the objective and the next C₁₂
        Side side2;
        // work arrays of n x N reused across outer iterations: fresh ones cost zeroing and page faults each time
        // (~10 ms per array at 2000 x 2500). A cost array is handed to its kernel (DenseLogKernel.adopt), which
        // is dropped when the iteration ends, so the next iteration may refill it.
        private Real q1;               // D₁ P₁ (only for a structured product with D_X), in D₁'s precision
        private Real q2;               // P₂ D₂
        final double[] c12;
        final double[] c34;
        double[] middlePlan;
        Objective objective;
        final List<Step> history = new ArrayList<>();
        StopReason stopReason = StopReason.ITERATION_LIMIT;
        ChainSinkhorn.Result lastInner;
        int innerTotal;
        int outerTotal;
        int innerNotConverged;
        List<String> kernelKinds = List.of();
        List<double[]> potentials;
        // warm starts: the solve before the last one's potentials, and the marginals (ζ₁, ζ₂) of the plans that the
        // last and the one before were fed (see nearestPotentials)
        List<double[]> olderPotentials;
        Real compactWork; // the block of the last product on active grid points, re-used by the next
        DenseLogKernel lastK12;
        DenseLogKernel lastK34;
        double[] lastInput;
        double[] olderInput;

        Run(MetricMeasureSpace y1, MetricMeasureSpace y2, MetricSpace x, Options options, int restart) {
            this.n1 = y1.size();
            this.n2 = y2.size();
            this.big = x.size();
            this.x = x;
            this.options = options;
            this.restart = restart;
            this.d1 = y1.space().distanceMatrix().data;
            this.d2 = y2.space().distanceMatrix().data;
            this.sd1 = new SparseProducts.Symmetric(d1, n1, options.precision());
            this.sd2 = new SparseProducts.Symmetric(d2, n2, options.precision());
            this.xi1 = y1.weights();
            this.xi2 = y2.weights();
            int threads = options.threads();
            DistanceProducts.Choice product = options.kernel() == DistanceProducts.Choice.DENSE
                    ? DistanceProducts.Choice.DENSE : DistanceProducts.Choice.AUTO;
            this.dx = DistanceProducts.of(x, 1, product, threads, options.precision());
            this.dx2 = DistanceProducts.of(x, 2, product, threads);
            this.dxDense = denseActiveProducts(x, options)
                    ? new SparseProducts.Symmetric(x.distanceMatrix().data, big, options.precision()) : null;
            double m = x.maxDistance();
            this.maxDx2 = m * m;
            this.a1 = squaredTimes(d1, n1, xi1, options.threads());
            this.a2 = squaredTimes(d2, n2, xi2, options.threads());
            this.locality = SparseProducts.localityRank(x);
            this.c12 = new double[n1 * big];
            this.c34 = new double[big * n2];
        }

        void execute() {
            initialise();
            m1 = new double[n1 * big];
            m2 = new double[big * n2];
            gwProducts(Double.NaN, Double.NaN);
            summarise();
            for (double lambda : options.lambdas()) {
                stopReason = StopReason.ITERATION_LIMIT;
                for (int it = 1; it <= options.outerIterations(); it++) {
                    long t0 = System.nanoTime();
                    double change = step(lambda);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    outerTotal++;
                    Step s = new Step(restart, lambda, it, options.outerIterations(), objective,
                            lastInner.totalIterations(), lastInner.stopReason(), lastInner.marginalError(), change,
                            seconds);
                    history.add(s);
                    options.listener().outerIteration(s);
                    if (options.outerTolerance() > 0 && change < outerTolerance(options)) {
                        stopReason = StopReason.PLANS_CONVERGED;
                        break;
                    }
                }
            }
        }

        /** Uniform (or perturbed) ζ; P₁ = ξ₁ ζᵀ, P₂ = ζ ξ₂ᵀ. */
        private void initialise() {
            double[] zeta = new double[big];
            Arrays.fill(zeta, 1.0 / big);
            boolean perturb = options.perturbation() > 0 || restart > 0;
            if (perturb) {
                double amplitude = options.perturbation() > 0 ? options.perturbation() : 1e-3;
                SplittableRandom rng = new SplittableRandom(options.seed() + restart);
                double sum = 0;
                for (int k = 0; k < big; k++) {
                    zeta[k] *= 1 + amplitude * (2 * rng.nextDouble() - 1);
                    sum += zeta[k];
                }
                for (int k = 0; k < big; k++) {
                    zeta[k] /= sum;
                }
            }
            zeta1 = zeta.clone();
            zeta2 = zeta.clone();
            p1 = new double[n1 * big];
            p2 = new double[big * n2];
            for (int i = 0; i < n1; i++) {
                for (int k = 0; k < big; k++) {
                    p1[i * big + k] = xi1[i] * zeta[k];
                }
            }
            for (int k = 0; k < big; k++) {
                for (int j = 0; j < n2; j++) {
                    p2[k * n2 + j] = zeta[k] * xi2[j];
                }
            }
        }

        /**
         * m1 = (D₁ P₁) D_X and m2 = D_X (P₂ D₂) for the current plans: the data-side products first, where the
         * plans' numerical sparsity pays ({@link SparseProducts}), then the product with D_X: structured, or a
         * GEMM over the grid points that carry mass when that is cheaper (see {@link #restrictedFraction}).
         */
        private void gwProducts(double max1, double max2) {
            int threads = options.threads();
            SparseProducts.Plan plan1 = new SparseProducts.Plan(p1, n1, big, true, threads, max1);
            if (restricted(plan1.activeCount)) {
                SparseProducts.Compact q = SparseProducts.multiplyOnActive(sd1, plan1, locality, null, threads,
                        compactWork);
                compactWork = q.values(); // consumed by the next line, then free for the next product
                SparseProducts.compactTimesSymmetric(q, n1, dxDense, m1);
            } else {
                SparseProducts.multiply(sd1, plan1, q1(), locality, null, threads);
                dx.multiplyRight(q1, n1, m1);
            }
            SparseProducts.Plan plan2 = new SparseProducts.Plan(p2, n2, big, false, threads, max2);
            if (restricted(plan2.activeCount)) {
                SparseProducts.Compact q = SparseProducts.multiplyOnActive(sd2, plan2, locality, null, threads,
                        compactWork);
                compactWork = q.values();
                SparseProducts.symmetricTimesCompact(dxDense, q, n2, m2);
            } else {
                SparseProducts.multiply(sd2, plan2, q2(), locality, null, threads);
                dx.multiplyLeft(q2, n2, m2);
            }
        }

        /** D₁ P₁ over every grid point, allocated when a product with D_X first needs it. */
        private Real q1() {
            if (q1 == null) {
                q1 = Real.zeros(sd1.single(), n1 * big);
            }
            return q1;
        }

        /** P₂ D₂ over every grid point, allocated when first needed. */
        private Real q2() {
            if (q2 == null) {
                q2 = Real.zeros(sd2.single(), big * n2);
            }
            return q2;
        }

        /** Whether the product with D_X runs as a GEMM over {@code active} grid points (see restrictedFraction). */
        private boolean restricted(int active) {
            if (dxDense == null || active >= big) {
                return false;
            }
            // single-precision GEMMs run twice as fast; so do the Fourier products on rings, but where those stay
            // in double precision (points off the rings) the GEMM pays longer
            boolean singleGemm = options.precision() == Precision.SINGLE;
            double gain = singleGemm && dx.precision() == Precision.DOUBLE ? SparseProducts.SINGLE_GEMM_GAIN : 1.0;
            return "dense".equals(dx.kind()) || active <= restrictedFraction(big) * gain * big;
        }

        /** One outer iteration at λ; returns the plans' relative change. */
        private double step(double lambda) {
            boolean reference = options.costScaling() == CostScaling.REFERENCE;
            // C12 = λ (a1 1ᵀ + 1 bz1ᵀ − 2 m1 − min), C34 = λ (bz2 1ᵀ + 1 a2ᵀ − 2 m2 − min); the ranges of the
            // unshifted costs came with the last pass over the plans (summarise)
            // rounding is monotone, so these are the largest entries of the shifted, λ-scaled costs
            double max12 = (side1.max() - side1.min()) * lambda;
            double max34 = (side2.max() - side2.min()) * lambda;
            double middleScale = 1.0;
            double inv = 1.0;
            if (reference) {
                // D_X² / max D_X², then every cost divided by the common maximum
                double common = Math.max(Math.max(max12, 1.0), max34);
                middleScale = 1.0 / (maxDx2 * common);
                inv = 1.0 / common;
            }
            ChainSinkhorn.Options inner = options.inner().withEpsilon(options.epsilon());
            double eps = inner.epsilon();
            // in single precision the grid side of K₁₂ gets the kernel of its own (see prepareTranspose), built for
            // the data points' potentials of the nearest earlier solve, which a warm solve starts from and a cold one
            // soon comes to (one refresh fewer per iteration); its column maxima come with the cost's pass
            double[] input = concat(zeta1, zeta2);
            List<double[]> nearest = nearestPotentials(input);
            List<double[]> start = options.warmStart() ? nearest : null;
            double[] w = options.precision() == Precision.SINGLE && !(inner.epsilonScaling() > eps)
                    ? rowInput(nearest, eps) : null;
            double[] columnMax = w == null ? null : new double[big];
            linearisedCost(side1, m1, n1, big, lambda, inv, c12, w, 1.0 / eps, columnMax);
            linearisedCost(side2, m2, big, n2, lambda, inv, c34, null, 0, null);
            int threads = options.threads();
            // the last iteration's kernels are done with: their storage is taken over
            DenseLogKernel k12 = DenseLogKernel.adopt(c12, n1, big, threads, options.precision(), lastK12);
            LogKernel k23 = DistanceProducts.gibbs(x, middleScale, options.kernel(), threads);
            DenseLogKernel k34 = DenseLogKernel.adopt(c34, big, n2, threads, options.precision(), lastK34);
            lastK12 = k12;
            lastK34 = k34;
            ChainSinkhorn chain = new ChainSinkhorn(List.of(k12, k23, k34), List.of(ChainSinkhorn.Node.hard(xi1),
                    ChainSinkhorn.Node.free(big), ChainSinkhorn.Node.free(big), ChainSinkhorn.Node.hard(xi2)));
            if (w != null) {
                k12.prepareTranspose(eps, w, columnMax);
            }
            lastInner = chain.solve(inner, start);
            olderPotentials = potentials;
            potentials = lastInner.potentials();
            olderInput = lastInput;
            lastInput = input;
            innerTotal += lastInner.totalIterations();
            if (!lastInner.converged()) {
                innerNotConverged++;
            }
            kernelKinds = List.of(k12.kind(), k23.kind() + " (products: " + dx.kind() + ", " + dx2.kind() + ")",
                    k34.kind());
            // the new plans replace the old ones in place, their change measured in the same pass
            double[] change1 = chain.replaceEdgePlan(0, p1);
            double[] change2 = chain.replaceEdgePlan(2, p2);
            double change = Math.max(relative(change1), relative(change2));
            zeta1 = lastInner.marginals().get(1);
            zeta2 = lastInner.marginals().get(2);
            double wasserstein = chain.edgePlanCost(1) / middleScale;
            if (options.keepMiddlePlan()) {
                middlePlan = chain.edgePlan(1);
            }
            gwProducts(change1[1], change2[1]);
            summarise();
            objective = new Objective(wasserstein, gw(side1, true), gw(side2, false), lambda);
            return change;
        }

        /**
         * What the objective at the current plans and the next linearised costs need from one side, gathered in one
         * pass over its plan {@code p} and product {@code m}: the plan's row and column sums, {@code ⟨m, p⟩}, the
         * terms {@code rowTerm}, {@code colTerm} of the linearised cost {@code rowTerm 1ᵀ + 1 colTermᵀ − 2m} and
         * its smallest and largest entries.
         */
        record Side(double[] rowTerm, double[] colTerm, double[] rowSums, double[] colSums, double cross, double min,
                double max) {
        }

        /** The pass over both sides for the current plans (after gwProducts): side1, side2. */
        private void summarise() {
            double[] bz1 = new double[big];
            double[] bz2 = new double[big];
            dx2.multiplyRight(zeta1, 1, bz1);
            dx2.multiplyRight(zeta2, 1, bz2);
            side1 = side(p1, m1, a1, bz1, n1, big);
            side2 = side(p2, m2, bz2, a2, big, n2);
        }

        private Side side(double[] p, double[] m, double[] rowTerm, double[] colTerm, int rows, int cols) {
            double[] rowSums = new double[rows];
            int blocks = Math.max(1, Math.min(rows, 4 * options.threads()));
            double[][] colParts = new double[blocks][cols];
            double[] crossParts = new double[blocks];
            double[] mins = new double[blocks];
            double[] maxs = new double[blocks];
            Parallel.forEach(blocks, options.threads(), b -> {
                double[] colSums = colParts[b];
                double cross = 0;
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int i = (int) ((long) rows * b / blocks); i < (int) ((long) rows * (b + 1) / blocks); i++) {
                    int off = i * cols;
                    double rt = rowTerm[i];
                    double r = 0;
                    for (int j = 0; j < cols; j++) {
                        double v = p[off + j];
                        double mj = m[off + j];
                        r += v;
                        colSums[j] += v;
                        cross += mj * v;
                        double c = rt + colTerm[j] - 2 * mj;
                        lo = Math.min(lo, c);
                        hi = Math.max(hi, c);
                    }
                    rowSums[i] = r;
                }
                crossParts[b] = cross;
                mins[b] = lo;
                maxs[b] = hi;
            });
            double[] colSums = new double[cols];
            double cross = 0;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int b = 0; b < blocks; b++) {
                for (int j = 0; j < cols; j++) {
                    colSums[j] += colParts[b][j];
                }
                cross += crossParts[b];
                lo = Math.min(lo, mins[b]);
                hi = Math.max(hi, maxs[b]);
            }
            return new Side(rowTerm, colTerm, rowSums, colSums, cross, lo, hi);
        }

        /**
         * The potentials a warm inner solve starts from, for plans with marginals {@code input} (null before the
         * first solve): the last solve's,
         * or the one before's when the plans fed to that one were clearly nearer to {@code input} (L1 over ζ₁ and
         * ζ₂, less than {@link #CYCLE_MARGIN} times the distance to those fed to the last). The linearised costs
         * depend on the plans only, so near plans mean near costs and near fixed points; the outer iterations often
         * settle into a 2-cycle (plans alternating between two states), where the last solve's potentials belong
         * to the other state. Either start reaches the same fixed point to the inner tolerance.
         */
        private List<double[]> nearestPotentials(double[] input) {
            if (olderPotentials != null && olderInput != null
                    && l1Distance(input, olderInput) < CYCLE_MARGIN * l1Distance(input, lastInput)) {
                return olderPotentials;
            }
            return potentials;
        }

        /**
         * The data points' log-domain input to K₁₂ᵀ for the potentials a solve starts from ({@code f₁/ε}), or null
         * when there are none or they are not finite (after a failed solve: then the kernels are built as the solve
         * needs them).
         */
        private static double[] rowInput(List<double[]> start, double eps) {
            if (start == null) {
                return null;
            }
            double[] f = start.get(0);
            double[] w = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                w[i] = f[i] / eps;
                if (Double.isNaN(w[i]) || w[i] == Double.POSITIVE_INFINITY) {
                    return null;
                }
            }
            return w;
        }

        /**
         * out(r, c) = ((rowTerm[r] + colTerm[c] − 2 m(r, c) − min) λ) · inv: the linearised cost shifted to
         * minimum 0, scaled by λ, divided by the common maximum, in the reference's order (the unshifted entry is
         * the very value whose range summarise took). With {@code w} non-null, also
         * {@code columnMax[c] = max_r (w[r] − out(r, c) · invEps)}, evaluated as DenseLogKernel does.
         */
        private void linearisedCost(Side side, double[] m, int rows, int cols, double lambda, double inv,
                double[] out, double[] w, double invEps, double[] columnMax) {
            double[] rowTerm = side.rowTerm();
            double[] colTerm = side.colTerm();
            double min = side.min();
            if (columnMax != null) {
                Arrays.fill(columnMax, Double.NEGATIVE_INFINITY);
            }
            Parallel.forRange(rows, options.threads(), cols, (from, to) -> {
                double[] local = columnMax == null ? null : new double[cols];
                if (local != null) {
                    Arrays.fill(local, Double.NEGATIVE_INFINITY);
                }
                for (int r = from; r < to; r++) {
                    int off = r * cols;
                    double rt = rowTerm[r];
                    for (int c = 0; c < cols; c++) {
                        double v = rt + colTerm[c] - 2 * m[off + c];
                        double cost = ((v - min) * lambda) * inv;
                        out[off + c] = cost;
                        if (local != null) {
                            double t = w[r] - cost * invEps;
                            if (t > local[c]) {
                                local[c] = t;
                            }
                        }
                    }
                }
                if (local != null) {
                    synchronized (columnMax) {
                        for (int c = 0; c < cols; c++) {
                            columnMax[c] = Math.max(columnMax[c], local[c]);
                        }
                    }
                }
            });
        }

        /**
         * G at the current plan, with its own marginals: Σ (A² p)_i p_i + Σ (B² q)_k q_k − 2 ⟨A P B, P⟩, from the
         * side's pass over the plan and its freshly computed product.
         */
        private double gw(Side side, boolean first) {
            double[] rowSums = side.rowSums();
            double[] colSums = side.colSums();
            double[] xz = new double[big];
            if (first) {
                dx2.multiplyRight(colSums, 1, xz);
                return sd1.squaredForm(rowSums, options.threads()) + dot(xz, colSums) - 2 * side.cross();
            }
            dx2.multiplyRight(rowSums, 1, xz);
            return dot(xz, rowSums) + sd2.squaredForm(colSums, options.threads()) - 2 * side.cross();
        }

        EmbeddingResult result(double seconds) {
            return new EmbeddingResult(x, zeta1, zeta2, DMatrixRMaj.wrap(n1, big, p1), DMatrixRMaj.wrap(big, n2, p2),
                    middlePlan == null ? null : DMatrixRMaj.wrap(big, big, middlePlan), objective, List.copyOf(history),
                    stopReason, outerTotal, innerTotal, innerNotConverged,
                    lastInner == null ? Double.NaN : lastInner.marginalError(), seconds, restart, kernelKinds,
                    options);
        }
    }

    /**
     * Smallest outer tolerance in single precision: float kernels and products leave the plans a round-off change
     * (max-norm, relative) per outer iteration even at a fixed point, so a smaller tolerance would never fire.
     * Measured: SNAREseq at λ 0.01 (20 × 20 grid, Fourier D_X product in double), 2.5–3.1e-7 over the last ten of
     * 50 iterations, while the double-precision run falls below 1e-9 after 32; a 60/50-point problem on an 8 × 8
     * grid with every product in single precision, 1.1–2.1e-6 from iteration 40 to 300.
     */
    public static final double SINGLE_OUTER_TOLERANCE = 1e-5;

    /** The outer tolerance in force: the option, raised to {@link #SINGLE_OUTER_TOLERANCE} in single precision. */
    static double outerTolerance(Options options) {
        return options.precision() == Precision.SINGLE
                ? Math.max(options.outerTolerance(), SINGLE_OUTER_TOLERANCE) : options.outerTolerance();
    }

    /**
     * Largest space whose dense D_X is kept for GEMMs restricted to the grid points carrying mass (3600: the
     * paper's 60 × 60 grid for FAUST, 104 MB).
     */
    static final int DENSE_ACTIVE_MAX = 3600;

    /**
     * How much nearer (L1 distance over ζ₁ and ζ₂) the plans fed to the solve before the last must be, for a
     * warm inner solve to start from that solve's potentials rather than the last one's (see
     * {@code nearestPotentials}). With the bare comparison (margin 1) near ties went the wrong way where the outer
     * iterates converge instead of cycling: 300-vertex rolls on {@code torus-embedded:12}, PLAIN, ε 0.002, needed
     * 34 190 inner iterations against 16 640 before; with 0.5, 16 360. The cycling runs keep their gain at 0.5
     * (inner iterations, over-relaxed, before → after): SNAREseq λ 1 2980 → 1740 (double) and 2590 → 2110
     * (single), λ 10 3160 → 2560 and 3680 → 2770, rolls 30 × 30 (single) 1150 → 1030, 300-vertex rolls on
     * {@code plane:15} 430 → 210; within ±5 % elsewhere (SNAREseq λ 100, rolls 50 × 50).
     */
    static final double CYCLE_MARGIN = 0.5;

    /**
     * Where X also has a structured (Fourier) product, the restricted GEMM is used while the active grid points
     * are at most the fraction {@code min(1, 0.61 (900 / N)^0.95)} of the grid (the same in single precision, where
     * both run 1.5–1.9 times faster: 50 × 50 Fourier ~100 ms, GEMM 0.155 ms per point; twice that where the
     * Fourier product stays in double precision, for spaces with points off the rings). Fitted to the
     * break-even points measured with 2000 rows on 2 cores (random rows on a disc of active points, best of 4):
     * the Fourier product takes 60, 113 and 170 ms on 30 × 30, 40 × 40 and 50 × 50 whatever the activity, the
     * restricted GEMM 0.108, 0.187 and 0.29 ms per active point, so the GEMM wins below ~550, ~600 and ~590 active
     * points (fractions 0.61, 0.38, 0.235). (The earlier fit, min(1, (900/N)^0.9), predates the faster ring
     * stages: on 50 × 50 it kept the GEMM up to 1000 active points, 290 ms against 170.) Early iterations leave
     * most of the grid empty (on 50 × 50, ~200 of 2500 points during the symmetric phase), where the GEMM cuts the
     * product from ~0.17 s to ~0.06 s.
     */
    static double restrictedFraction(int big) {
        return Math.min(1.0, 0.61 * Math.pow(900.0 / big, 0.95));
    }

    /** Whether D_X is kept dense for the restricted GEMMs. */
    static boolean denseActiveProducts(MetricSpace x, Options options) {
        DistanceProducts.Choice k = options.kernel();
        return DenseBlas.isNative() && x.size() <= DENSE_ACTIVE_MAX
                && (k == DistanceProducts.Choice.AUTO || k == DistanceProducts.Choice.DENSE);
    }

    /** a followed by b. */
    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Σ |a_i − b_i|. */
    private static double l1Distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s;
    }

    /** (D ∘ D) w for a row-major {@code n × n} matrix D, rows in parallel. */
    static double[] squaredTimes(double[] d, int n, double[] w, int threads) {
        double[] out = new double[n];
        GromovCost.squaredTimes(d, n, w, out, threads);
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** max |after − before| / max |after| (the plain max difference when after is zero) from {diff, max}. */
    static double relative(double[] change) {
        return change[1] > 0 ? change[0] / change[1] : change[0];
    }
}
