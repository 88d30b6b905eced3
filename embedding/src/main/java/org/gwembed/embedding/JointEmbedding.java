package org.gwembed.embedding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.solvers.ChainSinkhorn;
import org.gwembed.solvers.DenseLogKernel;
import org.gwembed.solvers.DistanceProducts;
import org.gwembed.solvers.EmbeddingProducts;
import org.gwembed.solvers.GromovLinearisation;
import org.gwembed.solvers.KernelWorkspace;
import org.gwembed.solvers.LogKernel;
import org.gwembed.solvers.Precision;
import org.gwembed.solvers.WarmStarts;

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
 * <p><b>Faster settings, same method.</b> {@link Options#withOverRelaxedInnerSolves} (on in {@link Options#defaults}),
 * {@link Options#withWarmInnerStarts} and {@link Options#withPrecision}({@code SINGLE}) solve every inner problem to
 * the same tolerance with less work (the last also perturbs the costs by ~1e-7 relative). They leave the authors'
 * iterates ({@link Options#reference}, {@link Options#withExactReference}) by up to the inner tolerance, so round-off
 * may then settle a run in another of EW_λ's local minima: over-relaxation alone kept the reference's minimum on
 * every case measured (rolls, SNAREseq's λ grid); warm starts on top of it ended elsewhere once (SNAREseq, λ = 1,
 * after 50 outer iterations; the same J after 200), single precision more often.
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
        ITERATION_LIMIT,
        /** The listener asked to stop ({@link ProgressListener#cancelled()}): the last completed outer iteration. */
        INTERRUPTED
    }

    /**
     * Settings (STYLE.md: a validated record with {@code defaults()} and {@code withX} copies; the copies go through
     * {@link Builder}, so the record is built, and validated, in one place).
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
     *                        before's when the outer iterates alternate between two states, {@link WarmStarts})
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
         * The default setting for one λ: the reference's method — REFERENCE scaling, ε relative, 50 outer
         * iterations, outer tolerance 1e-9, the reference's inner stopping rule (10 000 iterations, scaling change
         * 1e-5), cold inner starts, uniform start, all threads — with its inner Sinkhorn updates over-relaxed
         * ({@link #withOverRelaxedInnerSolves}): each inner solve reaches the reference's fixed point to the
         * reference's tolerance in 1.5–5× fewer iterations. On the paper's rolls and on SNAREseq's λ grid it ends at
         * the reference's minimum (J within 0.5 % after 50 outer iterations, the same FOSCTTM to ±0.005);
         * {@link #reference} gives the authors' iterates themselves.
         */
        public static Options defaults(double lambda, double epsilon) {
            return builder(lambda, epsilon).build();
        }

        /**
         * The authors' iterates (REW_utils.py {@code REW}): {@link #defaults} with plain inner Sinkhorn updates, as
         * {@code tree_sinkhorn_torch} does.
         */
        public static Options reference(double lambda, double epsilon) {
            return builder(lambda, epsilon).inner(ChainSinkhorn.Options.reference(epsilon)).build();
        }

        /**
         * Raw costs with absolute ε, marginal error 1e-9 in the inner solver, warm starts, adaptively over-relaxed
         * inner updates ({@link #withOverRelaxedInnerSolves}).
         */
        public static Options plain(double lambda, double epsilon) {
            return builder(lambda, epsilon).costScaling(CostScaling.PLAIN)
                    .inner(ChainSinkhorn.Options.defaults(epsilon).withMaxIterations(20_000)
                            .withAdaptiveRelaxation(MAX_RELAXATION))
                    .warmStart(true).build();
        }

        /** A builder holding {@link #defaults}{@code (lambda, epsilon)}. */
        public static Builder builder(double lambda, double epsilon) {
            return new Builder(lambda, epsilon);
        }

        /** A builder holding these settings. */
        public Builder toBuilder() {
            return new Builder(this);
        }

        /** The outer tolerance in force: {@link #outerTolerance}, raised to the single-precision floor there. */
        public double effectiveOuterTolerance() {
            return precision == Precision.SINGLE ? Math.max(outerTolerance, SINGLE_OUTER_TOLERANCE) : outerTolerance;
        }

        public Options withLambdas(List<Double> value) {
            return toBuilder().lambdas(value).build();
        }

        /** ε, also in the inner settings. */
        public Options withEpsilon(double value) {
            return toBuilder().epsilon(value).build();
        }

        public Options withOuterIterations(int value) {
            return toBuilder().outerIterations(value).build();
        }

        public Options withOuterTolerance(double value) {
            return toBuilder().outerTolerance(value).build();
        }

        public Options withInner(ChainSinkhorn.Options value) {
            return toBuilder().inner(value).build();
        }

        public Options withCostScaling(CostScaling value) {
            return toBuilder().costScaling(value).build();
        }

        public Options withWarmStart(boolean value) {
            return toBuilder().warmStart(value).build();
        }

        /**
         * Warm inner starts whose first iteration uses the carried potentials: the reference's unit start (which
         * skips the first backward sweep) would discard half of them.
         */
        public Options withWarmInnerStarts() {
            return toBuilder().warmStart(true).inner(inner.withUnitStart(false)).build();
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

        /**
         * The authors' iterates from these settings: plain inner updates (ω = 1), cold inner starts with the
         * reference's unit start, double precision. Everything else (λ, ε, iterations, scaling, threads) is kept.
         */
        public Options withExactReference() {
            return toBuilder().warmStart(false).precision(Precision.DOUBLE)
                    .inner(inner.withRelaxation(1).withUnitStart(true)).build();
        }

        /** Whether these settings give the authors' iterates: REFERENCE scaling, {@link #withExactReference}. */
        public boolean exactReference() {
            return costScaling == CostScaling.REFERENCE && !warmStart && precision == Precision.DOUBLE
                    && inner.relaxation() == 1.0 && !inner.adaptiveRelaxation() && inner.unitStart();
        }

        public Options withKernel(DistanceProducts.Choice value) {
            return toBuilder().kernel(value).build();
        }

        public Options withPrecision(Precision value) {
            return toBuilder().precision(value).build();
        }

        public Options withThreads(int value) {
            return toBuilder().threads(value).build();
        }

        /** Perturbed starts and restarts (see the record's parameters). */
        public Options withRestarts(int count, double amplitude, long seedValue) {
            return toBuilder().restarts(count).perturbation(amplitude).seed(seedValue).build();
        }

        public Options withKeepMiddlePlan(boolean value) {
            return toBuilder().keepMiddlePlan(value).build();
        }

        public Options withListener(ProgressListener value) {
            return toBuilder().listener(value).build();
        }

        /** Mutable settings for {@link Options}; {@link #build} validates them (see the record's parameters). */
        public static final class Builder {
            private List<Double> lambdas;
            private double epsilon;
            private int outerIterations = 50;
            private double outerTolerance = 1e-9;
            private ChainSinkhorn.Options inner;
            private CostScaling costScaling = CostScaling.REFERENCE;
            private boolean warmStart;
            private DistanceProducts.Choice kernel = DistanceProducts.Choice.AUTO;
            private Precision precision = Precision.DOUBLE;
            private int threads = Parallel.defaultThreads();
            private long seed;
            private double perturbation;
            private int restarts = 1;
            private boolean keepMiddlePlan;
            private ProgressListener listener = ProgressListener.NONE;

            private Builder(double lambda, double epsilon) {
                this.lambdas = List.of(lambda);
                this.epsilon = epsilon;
                this.inner = ChainSinkhorn.Options.reference(epsilon).withAdaptiveRelaxation(MAX_RELAXATION);
            }

            private Builder(Options o) {
                lambdas = o.lambdas;
                epsilon = o.epsilon;
                outerIterations = o.outerIterations;
                outerTolerance = o.outerTolerance;
                inner = o.inner;
                costScaling = o.costScaling;
                warmStart = o.warmStart;
                kernel = o.kernel;
                precision = o.precision;
                threads = o.threads;
                seed = o.seed;
                perturbation = o.perturbation;
                restarts = o.restarts;
                keepMiddlePlan = o.keepMiddlePlan;
                listener = o.listener;
            }

            public Builder lambdas(List<Double> value) {
                lambdas = value;
                return this;
            }

            /** ε, also set in the inner settings (when they are set). */
            public Builder epsilon(double value) {
                epsilon = value;
                if (inner != null) {
                    inner = inner.withEpsilon(value);
                }
                return this;
            }

            public Builder outerIterations(int value) {
                outerIterations = value;
                return this;
            }

            public Builder outerTolerance(double value) {
                outerTolerance = value;
                return this;
            }

            public Builder inner(ChainSinkhorn.Options value) {
                inner = value;
                return this;
            }

            public Builder costScaling(CostScaling value) {
                costScaling = value;
                return this;
            }

            public Builder warmStart(boolean value) {
                warmStart = value;
                return this;
            }

            public Builder kernel(DistanceProducts.Choice value) {
                kernel = value;
                return this;
            }

            public Builder precision(Precision value) {
                precision = value;
                return this;
            }

            public Builder threads(int value) {
                threads = value;
                return this;
            }

            public Builder seed(long value) {
                seed = value;
                return this;
            }

            public Builder perturbation(double value) {
                perturbation = value;
                return this;
            }

            public Builder restarts(int value) {
                restarts = value;
                return this;
            }

            public Builder keepMiddlePlan(boolean value) {
                keepMiddlePlan = value;
                return this;
            }

            public Builder listener(ProgressListener value) {
                listener = value;
                return this;
            }

            public Options build() {
                return new Options(lambdas, epsilon, outerIterations, outerTolerance, inner, costScaling, warmStart,
                        kernel, precision, threads, seed, perturbation, restarts, keepMiddlePlan, listener);
            }
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

    /**
     * Smallest outer tolerance in single precision: float kernels and products leave the plans a round-off change
     * (max-norm, relative) per outer iteration even at a fixed point, so a smaller tolerance would never fire.
     * Measured: SNAREseq at λ 0.01 (20 × 20 grid, Fourier D_X product in double), 2.5–3.1e-7 over the last ten of
     * 50 iterations, while the double-precision run falls below 1e-9 after 32; a 60/50-point problem on an 8 × 8
     * grid with every product in single precision, 1.1–2.1e-6 from iteration 40 to 300.
     */
    public static final double SINGLE_OUTER_TOLERANCE = 1e-5;

    private JointEmbedding() {
    }

    /**
     * Bytes a run needs, roughly, for the heap check: the sum of what its parts keep (the plans, the GW products and
     * their operands, the two sides' linearisations, the kernel workspaces, the middle kernel, Π on request), plus
     * the temporaries of the largest product with D_X ({@link #transientBytes}).
     */
    static long estimateBytes(int n1, int n2, MetricSpace x, Options options) {
        int big = x.size();
        Precision p = options.precision();
        long plans = 8L * n1 * big + 8L * big * n2;
        long middle = options.keepMiddlePlan() ? 8L * big * big : 0;
        return plans + EmbeddingProducts.bytes(x, n1, n2, hints(options))
                + GromovLinearisation.bytes(n1, big) + GromovLinearisation.bytes(big, n2)
                + KernelWorkspace.bytes(n1, big, p) + KernelWorkspace.bytes(big, n2, p)
                + DistanceProducts.gibbsBytes(x, options.kernel()) + middle + transientBytes(n1, n2, big, p);
    }

    /**
     * What a product with D_X allocates while it runs, on top of what the parts keep: a product without its own
     * left-hand form transposes the {@code n × N} operand and its result (two double arrays), and in single
     * precision widens the float operand to double first (a third). Measured (issue 17: the smallest {@code -Xmx}
     * with which two PLAIN outer iterations on a 30 × 30 grid complete, estimates with this term, without it in
     * brackets): 700/600 points, serial collector, double 106 MB against 95.7 (86.1) MiB, single 85 MB against 83.5
     * (69.1) MiB; 2000/1500 points, double 330 ± 10 MB under both the serial collector and G1 against 269.5
     * (242.0) MiB, single 290 ± 10 MB (serial) against 252.1 MiB. So a run needs up to about 1.2 times the estimate;
     * the rest is in the products' work blocks, whose size depends on the plans' sparsity, and the collectors'
     * layout (generations, contiguous regions for large arrays).
     */
    static long transientBytes(int n1, int n2, int big, Precision precision) {
        return (precision == Precision.SINGLE ? 3L : 2L) * 8L * Math.max(n1, n2) * big;
    }

    /** Bytes in MiB with one decimal, e.g. {@code "12.5 MiB"}. */
    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static EmbeddingProducts.Hints hints(Options options) {
        return new EmbeddingProducts.Hints(options.kernel(), options.precision(), options.threads());
    }

    /**
     * Embeds 𝕐₁ and 𝕐₂ jointly into X. X carries the uniform reference measure; its distances are used as given
     * (scale X beforehand, e.g. {@code EmbeddingSpaces.parse("plane:30")} has max distance 1.3, and the inputs to max
     * 1 as the reference does).
     *
     * @throws IllegalArgumentException on invalid input, when the run would not fit the heap (the message says
     *                                  how much it needs), or when ε is too small for double precision to resolve
     *                                  against the costs ({@link #MIN_RELATIVE_EPSILON})
     */
    public static EmbeddingResult embed(MetricMeasureSpace y1, MetricMeasureSpace y2, MetricSpace x, Options options) {
        Runtime rt = Runtime.getRuntime();
        return embed(y1, y2, x, options, rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()), rt.maxMemory());
    }

    /**
     * {@link #embed(MetricMeasureSpace, MetricMeasureSpace, MetricSpace, Options)} with the heap check against the
     * given limit: runs whose {@link #estimateBytes} exceed {@code availableBytes} are refused ({@code maxHeapBytes}
     * only enters the message). The public method passes the runtime's free heap (max heap less what is in use).
     */
    static EmbeddingResult embed(MetricMeasureSpace y1, MetricMeasureSpace y2, MetricSpace x, Options options,
            long availableBytes, long maxHeapBytes) {
        Require.nonNull(y1, "y1");
        Require.nonNull(y2, "y2");
        Require.nonNull(x, "x");
        Require.nonNull(options, "options");
        long need = estimateBytes(y1.size(), y2.size(), x, options);
        if (need > availableBytes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "embedding %d and %d points into %s needs "
                    + "about %s (%d bytes) but only %s of heap are available (maximum heap %s); raise -Xmx or use a "
                    + "smaller space", y1.size(), y2.size(), x.description(), mebibytes(need), need,
                    mebibytes(availableBytes), mebibytes(maxHeapBytes)));
        }
        if (x.maxDistance() <= 0) {
            throw new IllegalArgumentException("the embedding space must have a positive distance, got "
                    + x.description());
        }
        requireResolvableEpsilon(y1.space().maxDistance(), y2.space().maxDistance(), x.maxDistance(), options);
        long start = System.nanoTime();
        Run best = null;
        for (int r = 0; r < options.restarts(); r++) {
            Run run = new Run(y1, y2, x, options, r);
            run.execute();
            if (best == null || run.objective.total() < best.objective.total()) {
                best = run;
            }
            if (run.stopReason == StopReason.INTERRUPTED) {
                best.stopReason = StopReason.INTERRUPTED;
                break;
            }
        }
        return best.result((System.nanoTime() - start) / 1e9);
    }

    /**
     * Smallest ε relative to the chain cost's range ({@link #costRangeBound}) that double precision resolves: the
     * solver works with {@code C/ε} and potentials {@code ε log u}, and as ε shrinks the exponents' round-off
     * ({@code 1/ε} times the costs' ulp) swamps the plans. Measured (issue 17: rolls 85/64 on a 6 × 6 grid and sphere
     * pieces 60/68 on sphere:6, both scalings and precisions, 3 outer iterations), the largest difference between
     * ζ and the plans' column sums (entries ~1/36): 1e-9 with ε from 1e-4 down to 1e-9 of the range, 1e-8 at
     * 1e-11, 2e-7 at 1e-12; from about 1e-21 down, runs returned infinite ζ, NaN costs or failed inside the
     * products. The sweep goes down to 9e-10 of this bound (PLAIN, λ 1e4, ε 1e-4).
     */
    static final double MIN_RELATIVE_EPSILON = 1e-11;

    /**
     * An upper bound of the range of the chain cost {@code C₁₂ + C₂₃ + C₃₄} before {@code exp(−C/ε)}: 1 in
     * {@link CostScaling#REFERENCE} (ε is relative to the common maximum there), otherwise
     * {@code λ (max D₁ + max D_X)² + max D_X² + λ (max D₂ + max D_X)²} for the largest λ (each linearised GW cost
     * {@code (D∘D ξ)_i + (D_X∘D_X ζ)_k − 2 (D P D_X)_ik} spans at most {@code (max D + max D_X)²}).
     */
    static double costRangeBound(double maxD1, double maxD2, double maxDx, Options options) {
        if (options.costScaling() == CostScaling.REFERENCE) {
            return 1.0;
        }
        double lambda = options.lambdas().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return lambda * ((maxD1 + maxDx) * (maxD1 + maxDx) + (maxD2 + maxDx) * (maxD2 + maxDx)) + maxDx * maxDx;
    }

    /** Rejects an ε that cannot be resolved against the chain cost's range ({@link #MIN_RELATIVE_EPSILON}). */
    static void requireResolvableEpsilon(double maxD1, double maxD2, double maxDx, Options options) {
        double range = costRangeBound(maxD1, maxD2, maxDx, options);
        if (!(options.epsilon() >= MIN_RELATIVE_EPSILON * range)) { // also when the range overflows to ∞
            throw new IllegalArgumentException(String.format(Locale.ROOT, "epsilon = %g cannot work with "
                    + "%s cost scaling here: the chain costs span up to %g (lambda = %g, max distances %g, %g and "
                    + "%g in X), and epsilon must be at least %g of that, i.e. >= %g; raise epsilon%s",
                    options.epsilon(), options.costScaling(), range,
                    options.lambdas().stream().mapToDouble(Double::doubleValue).max().orElseThrow(), maxD1, maxD2,
                    maxDx, MIN_RELATIVE_EPSILON, MIN_RELATIVE_EPSILON * range,
                    options.costScaling() == CostScaling.PLAIN ? ", lower lambda or use REFERENCE scaling" : ""));
        }
    }

    /**
     * One run of Algorithm 1 from one start. How fast each step is computed is not decided here: the GW products
     * ({@link EmbeddingProducts}), the linearisations ({@link GromovLinearisation}), the kernels' storage
     * ({@link KernelWorkspace}) and the warm starts ({@link WarmStarts}) choose and own that.
     */
    private static final class Run {
        final int n1;
        final int n2;
        final int big;
        final MetricSpace x;
        final Options options;
        final int restart;
        final double[] xi1;
        final double[] xi2;
        final double[] a1;                  // (D₁∘D₁) ξ₁
        final double[] a2;                  // (D₂∘D₂) ξ₂
        final double maxDx2;                // max D_X², the reference's scale of C₂₃
        final EmbeddingProducts products;   // D₁ P₁ D_X and D_X P₂ D₂
        final GromovLinearisation side1;    // G(D₁, D_X; P₁) and C₁₂ at the current plans
        final GromovLinearisation side2;    // G(D_X, D₂; P₂) and C₃₄
        final KernelWorkspace kernels12;
        final KernelWorkspace kernels34;
        final WarmStarts warmStarts = new WarmStarts();
        final List<ChainSinkhorn.Node> nodes;
        double[] p1;                        // n1 x N
        double[] p2;                        // N x n2
        double[] zeta1;
        double[] zeta2;
        double[] middlePlan;
        Objective objective;
        final List<Step> history = new ArrayList<>();
        StopReason stopReason = StopReason.ITERATION_LIMIT;
        ChainSinkhorn.Result lastInner;
        int innerTotal;
        int outerTotal;
        int innerNotConverged;
        List<String> kernelKinds = List.of();

        Run(MetricMeasureSpace y1, MetricMeasureSpace y2, MetricSpace x, Options options, int restart) {
            this.n1 = y1.size();
            this.n2 = y2.size();
            this.big = x.size();
            this.x = x;
            this.options = options;
            this.restart = restart;
            this.xi1 = y1.weights();
            this.xi2 = y2.weights();
            int threads = options.threads();
            products = EmbeddingProducts.of(x, y1.space().distanceMatrix().data, n1,
                    y2.space().distanceMatrix().data, n2, hints(options));
            side1 = new GromovLinearisation(products.left(), threads);
            side2 = new GromovLinearisation(products.right(), threads);
            a1 = new double[n1];
            a2 = new double[n2];
            products.left().squaredLeft(xi1, a1);
            products.right().squaredRight(xi2, a2);
            double m = x.maxDistance();
            maxDx2 = m * m;
            kernels12 = new KernelWorkspace(n1, big, options.precision(), threads);
            kernels34 = new KernelWorkspace(big, n2, options.precision(), threads);
            nodes = List.of(ChainSinkhorn.Node.hard(xi1), ChainSinkhorn.Node.free(big), ChainSinkhorn.Node.free(big),
                    ChainSinkhorn.Node.hard(xi2));
        }

        void execute() {
            initialise();
            // The starting plans are rank one and their products could be formed as (D₁ ξ₁)(D_X ζ)ᵀ, but that exact
            // structure keeps the uniform start's symmetry for longer: on the demo (50×50, ε 6e-4, 40 iterations)
            // it ended in a squashed embedding (J 0.255 and 0.118 with two BLAS settings against 0.071 / 0.067 for
            // the dense products, whose round-off breaks the symmetry as the authors' code does). Kept dense.
            linearise(Double.NaN, Double.NaN);
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
                    if (options.listener().cancelled()) {
                        stopReason = StopReason.INTERRUPTED;
                        return;
                    }
                    // Algorithm 1, step 6: stop when the plans no longer change
                    if (options.outerTolerance() > 0 && change < options.effectiveOuterTolerance()) {
                        stopReason = StopReason.PLANS_CONVERGED;
                        break;
                    }
                }
            }
        }

        /** Algorithm 1, step 1: uniform (or perturbed) ζ; P₁ = ξ₁ ζᵀ, P₂ = ζ ξ₂ᵀ. */
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

        /** One outer iteration at λ (METHOD.md §4); returns the plans' relative change. */
        private double step(double lambda) {
            // Algorithm 1, step 2: the chain costs C₁₂, C₂₃, C₃₄ at the current plans, scaled as asked
            Scaling scaling = scaling(lambda);
            ChainSinkhorn.Options inner = options.inner().withEpsilon(options.epsilon());
            double[] input = concat(zeta1, zeta2);
            List<double[]> nearest = warmStarts.nearest(input);
            KernelWorkspace.Preparation prepared = kernels12.preparation(inner, nearest);
            side1.writeCost(lambda, scaling.inverse(), kernels12.cost(), prepared == null ? null : prepared.rowInput(),
                    1.0 / inner.epsilon(), prepared == null ? null : prepared.columnMax());
            side2.writeCost(lambda, scaling.inverse(), kernels34.cost(), null, 0, null);
            DenseLogKernel k12 = kernels12.next(prepared);
            LogKernel k23 = DistanceProducts.gibbs(x, scaling.middle(), options.kernel(), options.threads());
            DenseLogKernel k34 = kernels34.next(null);
            // step 3: the entropic chain problem on Y₁ – X – X – Y₂ by the multi-marginal Sinkhorn
            ChainSinkhorn chain = new ChainSinkhorn(List.of(k12, k23, k34), nodes);
            lastInner = chain.solve(inner, options.warmStart() ? nearest : null);
            warmStarts.solved(input, lastInner.potentials());
            count(lastInner, List.of(k12.kind(), k23.kind() + " (" + products.kind() + ")", k34.kind()));
            // step 4: γ̃ ← γ, the new plans in place (their change measured in the same pass), ζ₁ and ζ₂
            double[] change1 = chain.replaceEdgePlan(0, p1);
            double[] change2 = chain.replaceEdgePlan(2, p2);
            zeta1 = lastInner.marginals().get(1);
            zeta2 = lastInner.marginals().get(2);
            double wasserstein = chain.edgePlanCost(1) / scaling.middle();
            if (options.keepMiddlePlan()) {
                middlePlan = chain.edgePlan(1);
            }
            // step 5: the GW products at the new plans: the objective J, term by term, and the next costs' terms
            linearise(change1[1], change2[1]);
            objective = new Objective(wasserstein, side1.objective(), side2.objective(), lambda);
            return Math.max(relative(change1), relative(change2));
        }

        /**
         * How the chain costs are scaled before {@code exp(−C/ε)}: {@code C₁₂, C₃₄ = λ (L − min L) · inverse},
         * {@code C₂₃ = middle · D_X²}.
         */
        private record Scaling(double middle, double inverse) {
        }

        /**
         * Raw costs (PLAIN), or the reference's (REFERENCE): D_X² divided by its maximum, then every cost by the common
         * maximum of the three. The ranges of the unshifted costs came with the last pass over the plans; rounding is
         * monotone, so these are the largest entries of the shifted, λ-scaled costs.
         */
        private Scaling scaling(double lambda) {
            if (options.costScaling() != CostScaling.REFERENCE) {
                return new Scaling(1.0, 1.0);
            }
            double max12 = (side1.max() - side1.min()) * lambda;
            double max34 = (side2.max() - side2.min()) * lambda;
            double common = Math.max(Math.max(max12, 1.0), max34);
            return new Scaling(1.0 / (maxDx2 * common), 1.0 / common);
        }

        /**
         * The GW products at the current plans (largest entries {@code largest1}, {@code largest2}, NaN if not known)
         * with the linearised costs' marginal terms (D₁∘D₁) ξ₁, (D_X∘D_X) ζ₁ and (D_X∘D_X) ζ₂, (D₂∘D₂) ξ₂.
         */
        private void linearise(double largest1, double largest2) {
            double[] bz1 = new double[big];
            double[] bz2 = new double[big];
            products.left().squaredRight(zeta1, bz1);
            products.right().squaredLeft(zeta2, bz2);
            side1.update(p1, largest1, a1, bz1);
            side2.update(p2, largest2, bz2, a2);
        }

        private void count(ChainSinkhorn.Result inner, List<String> kinds) {
            innerTotal += inner.totalIterations();
            if (!inner.converged()) {
                innerNotConverged++;
            }
            kernelKinds = kinds;
        }

        EmbeddingResult result(double seconds) {
            return new EmbeddingResult(x, zeta1, zeta2, DMatrixRMaj.wrap(n1, big, p1), DMatrixRMaj.wrap(big, n2, p2),
                    middlePlan == null ? null : DMatrixRMaj.wrap(big, big, middlePlan), objective, List.copyOf(history),
                    stopReason, outerTotal, innerTotal, innerNotConverged,
                    lastInner == null ? Double.NaN : lastInner.marginalError(), seconds, restart, kernelKinds,
                    options);
        }
    }

    /** a followed by b. */
    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** max |after − before| / max |after| (the plain max difference when after is zero) from {diff, max}. */
    static double relative(double[] change) {
        return change[1] > 0 ? change[0] / change[1] : change[0];
    }
}
