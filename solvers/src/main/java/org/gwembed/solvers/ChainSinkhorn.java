package org.gwembed.solvers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.gwembed.core.Require;

/**
 * Multi-marginal (unbalanced) entropic optimal transport on a chain of nodes {@code 0 – 1 – ... – L−1}
 * (METHOD.md §4): the plan is the tensor
 * <pre>
 *   γ(x_0, ..., x_{L−1}) = Π_v u_v(x_v) · Π_e K_e(x_e, x_{e+1}),   K_e = exp(−C_e/ε),
 * </pre>
 * minimising {@code Σ_e ⟨C_e, γ_e⟩ + ε Σ γ (log γ − 1) + Σ_v ρ_v KL(γ_v | μ_v)} (entropy relative to the counting
 * measure; when the total mass is fixed by a hard node, a product reference measure such as
 * {@code ξ₁ ⊗ U_X ⊗ U_X ⊗ ξ₂} changes the objective by a constant only), where each node is
 * <em>hard</em> (ρ = ∞: its marginal equals μ), <em>unbalanced</em> (finite ρ > 0) or <em>free</em> (ρ = 0: no
 * scaling). The tensor is never formed: forward messages {@code α_{v+1} = K_vᵀ(α_v ⊙ u_v)} and backward messages
 * {@code β_v = K_v(u_{v+1} ⊙ β_{v+1})} give the node marginals {@code α_v ⊙ u_v ⊙ β_v}, the pairwise plans
 * {@code diag(α_v u_v) K_v diag(u_{v+1} β_{v+1})}, and the updates {@code u_v = (μ_v / (α_v β_v))^{ρ/(ρ+ε)}}.
 *
 * <p>One iteration is a backward sweep followed by a forward sweep that updates the nodes from left to right
 * (Gauss–Seidel); for the chain {@code Y₁ – X – X – Y₂} with free middle nodes it is exactly METHOD.md §4's
 * {@code β₃ = K₃₄b; β₂ = K₂₃β₃; a = ξ₁ ⊘ (K₁₂β₂); α₁ = K₁₂ᵀa; α₂ = K₂₃ᵀα₁; b = ξ₂ ⊘ (K₃₄ᵀα₂)}. Everything is
 * kept in the log domain ({@link LogKernel}), so any ε > 0 is safe: ε = 1e-4 on costs in [0, 1] stays finite;
 * whether an application is a plain product or a log-sum-exp is the kernel's business ({@link DenseLogKernel} keeps
 * normalised kernels with the potentials absorbed, so near a fixed point its iterations are scaling iterations). A
 * two-node chain with hard marginals and plain updates goes further where the kernel offers its scaling form
 * ({@link LogKernel#scaling}): it iterates on the scalings themselves, without an exponential or a logarithm per
 * entry, and returns to the log domain where a scaling leaves the kernel's accurate range.
 *
 * <p>The two-node chain {@code a – C – b} is two-marginal Sinkhorn ({@link Sinkhorn}): the backward sweep updates
 * {@code a}'s scaling from {@code b}'s, the forward sweep {@code b}'s from {@code a}'s. So one iteration over the
 * columns of a cost as node 0 and its rows as node 1 is one iteration of JointMDS's {@code sinkhorn} (its
 * {@code u}, then its {@code v}); {@link Options#withForwardStart} begins with the second update instead (POT's
 * order, warm-started from the first marginal's potential), and {@link StopRule#FIXED_ITERATIONS} runs a fixed
 * number of iterations without tests, as JointMDS does.
 *
 * <p>Non-convergence is reported in the {@link Result}, never thrown.
 */
public final class ChainSinkhorn {

    /** Which test ends the iterations. */
    public enum StopRule {
        /**
         * The L1 error of every hard node's marginal is at most the tolerance and, when there are unbalanced
         * nodes, their potentials {@code ε log u} moved by at most the tolerance since the last check.
         */
        MARGINAL_ERROR,
        /** The potentials {@code ε log u} of all non-free nodes moved by at most the tolerance since the last check. */
        POTENTIAL_CHANGE,
        /**
         * The reference implementation's rule ({@code tree_sinkhorn_torch}): at every {@code checkEvery}-th iteration,
         * the largest change of a scaling {@code u} during that one iteration, divided by
         * {@code max(1, max u, max u_prev)}, taken over the non-free nodes, is below the tolerance (1e-5 there).
         */
        REFERENCE_SCALING,
        /**
         * No test: exactly {@code maxIterations} iterations (and {@code levelIterations} per ε-scaling level). A
         * two-node chain gets no closing backward sweep (its plan does not need one), so the marginals are not
         * known: the {@link Result}'s {@code marginals} are empty, its marginal error, potential and scaling changes
         * NaN, its stop reason {@link StopReason#MAX_ITERATIONS} (or {@link StopReason#NUMERICAL_FAILURE} when a
         * scaling is not finite). The plans and potentials are those of the last iteration.
         */
        FIXED_ITERATIONS
    }

    /** Why the iterations ended. */
    public enum StopReason {
        /** The stop rule was met. */
        CONVERGED,
        /** The iteration limit was reached first. */
        MAX_ITERATIONS,
        /** A non-finite value appeared (reported with the last finite state's diagnostics). */
        NUMERICAL_FAILURE
    }

    /**
     * A node of the chain.
     *
     * @param size    number of points
     * @param measure the reference/target marginal μ (non-negative, finite), or {@code null} for a free node
     * @param rho     marginal penalty: {@code +∞} hard, {@code 0} free, finite {@code > 0} unbalanced
     */
    public record Node(int size, double[] measure, double rho) {
        public Node {
            Require.atLeast(size, 1, "node size");
            if (!(rho >= 0)) {
                throw new IllegalArgumentException("rho must be >= 0 (0 free, +Infinity hard), got " + rho);
            }
            if (rho > 0) {
                Require.nonNull(measure, "measure of a constrained node");
                Require.finiteVector(measure, size, "measure");
                for (int i = 0; i < size; i++) {
                    if (measure[i] < 0) {
                        throw new IllegalArgumentException("measure[" + i + "] must be >= 0, got " + measure[i]);
                    }
                }
                measure = measure.clone();
            } else {
                measure = null;
            }
        }

        /** A node whose marginal must equal {@code measure}. */
        public static Node hard(double[] measure) {
            Require.nonNull(measure, "measure");
            return new Node(measure.length, measure, Double.POSITIVE_INFINITY);
        }

        /** A node with a KL marginal penalty {@code rho > 0} towards {@code measure}. */
        public static Node unbalanced(double[] measure, double rho) {
            Require.nonNull(measure, "measure");
            Require.positive(rho, "rho");
            return new Node(measure.length, measure, rho);
        }

        /** A node with a free marginal. */
        public static Node free(int size) {
            return new Node(size, null, 0);
        }

        boolean isFree() {
            return rho == 0;
        }

        boolean isHard() {
            return rho == Double.POSITIVE_INFINITY;
        }

        /** The exponent ρ / (ρ + ε) of the scaling update. */
        double exponent(double eps) {
            return isHard() ? 1.0 : isFree() ? 0.0 : rho / (rho + eps);
        }
    }

    /**
     * Settings.
     *
     * @param epsilon         entropic regularisation ε > 0, in the units of the costs
     * @param maxIterations   iteration limit (each iteration = one backward and one forward sweep)
     * @param tolerance       threshold of the stop rule
     * @param checkEvery      test the stop rule every this many iterations (the test is free of extra sweeps)
     * @param stopRule        which test ends the run
     * @param epsilonScaling  when {@code > epsilon}, start at this ε and divide it by {@code scalingFactor} per level
     *                        down to {@code epsilon}, warm-starting each level (NaN or {@code <= epsilon}: off)
     * @param scalingFactor   the ε divisor per level ({@code > 1})
     * @param levelIterations iterations per intermediate ε level
     * @param unitStart       start from unit messages: the first update of node 0 divides by 1 instead of by its
     *                        backward message, as the reference implementation initialises (its first iteration is
     *                        update–forward–backward rather than backward–update–forward)
     * @param relaxation      the over-relaxation factor ω in [1, 2) of the scaling updates,
     *                        {@code log u ← log u + ω (log ũ − log u)} with {@code ũ} the plain update (1: plain
     *                        Sinkhorn, the reference's); with {@code adaptiveRelaxation}, the largest ω allowed
     * @param adaptiveRelaxation choose ω in each solve from the rate of its first plain iterations (see
     *                        {@link #withAdaptiveRelaxation}); ω is then at most {@code relaxation}
     * @param forwardStart    shift the iterations by half a sweep: each updates nodes 1..L−1 in a forward sweep from
     *                        node 0's scaling, then node 0 from the backward messages; the first starts from node
     *                        0's starting scaling (a warm start's, or 1) with unit backward messages (as
     *                        {@code unitStart}). Without it node 0's starting scaling is overwritten by the first
     *                        update, which depends on node 1's. A two-marginal solve warm-started from the first
     *                        marginal's potential then updates the second marginal first (POT's order); the stop
     *                        rule is tested between the two halves, as the plain iteration tests it between its
     *                        sweeps
     */
    public record Options(double epsilon, int maxIterations, double tolerance, int checkEvery, StopRule stopRule,
            double epsilonScaling, double scalingFactor, int levelIterations, boolean unitStart, double relaxation,
            boolean adaptiveRelaxation, boolean forwardStart) {
        public Options {
            Require.positive(epsilon, "epsilon");
            Require.atLeast(maxIterations, 1, "maxIterations");
            Require.positive(tolerance, "tolerance");
            Require.atLeast(checkEvery, 1, "checkEvery");
            Require.nonNull(stopRule, "stopRule");
            if (!(scalingFactor > 1) || !Double.isFinite(scalingFactor)) {
                throw new IllegalArgumentException("scalingFactor must be > 1 and finite, got " + scalingFactor);
            }
            Require.atLeast(levelIterations, 1, "levelIterations");
            if (!(relaxation >= 1 && relaxation < 2)) {
                throw new IllegalArgumentException("relaxation must be in [1, 2), got " + relaxation);
            }
        }

        /** ε as given, 10 000 iterations, tolerance 1e-9 on the marginals, checked every 10, no ε-scaling. */
        public static Options defaults(double epsilon) {
            Builder b = new Builder();
            b.epsilon = epsilon;
            return b.build();
        }

        /**
         * The reference implementation's inner settings ({@code tree_sinkhorn_torch}): at most 10 000 iterations,
         * scaling change below 1e-5 checked every 10 iterations, unit start messages.
         */
        public static Options reference(double epsilon) {
            return defaults(epsilon).with(b -> {
                b.tolerance = 1e-5;
                b.stopRule = StopRule.REFERENCE_SCALING;
                b.unitStart = true;
            });
        }

        public Options withUnitStart(boolean unit) {
            return with(b -> b.unitStart = unit);
        }

        /** A copy that begins with the forward sweep (or not): see {@code forwardStart}. */
        public Options withForwardStart(boolean forward) {
            return with(b -> b.forwardStart = forward);
        }

        public Options withEpsilon(double e) {
            return with(b -> b.epsilon = e);
        }

        public Options withMaxIterations(int n) {
            return with(b -> b.maxIterations = n);
        }

        public Options withTolerance(double t) {
            return with(b -> b.tolerance = t);
        }

        public Options withCheckEvery(int k) {
            return with(b -> b.checkEvery = k);
        }

        public Options withStopRule(StopRule rule) {
            return with(b -> b.stopRule = rule);
        }

        /**
         * Over-relaxed updates with the fixed factor {@code omega} in [1, 2) (1: plain Sinkhorn). The fixed point,
         * and so the solution, is the plain iteration's; near it the error shrinks faster when ω is well chosen
         * (Thibault, Chizat, Dossal, Papadakis 2021; Lehmann, von Renesse, Sambale, Uschmajew 2021), and slower
         * when the plain iteration already converges fast.
         */
        public Options withRelaxation(double omega) {
            return with(b -> {
                b.relaxation = omega;
                b.adaptiveRelaxation = false;
            });
        }

        /**
         * Over-relaxation chosen per solve: the first iterations are plain; once the largest change of the
         * log-scalings, {@code r_k}, has shrunk over two iterations, the plain rate {@code θ = √(r_k / r_{k−2})}
         * gives {@code ω = 2 / (1 + √(1 − θ))} (the successive over-relaxation optimum for a rate θ of the plain
         * Gauss–Seidel sweep), at most {@code maxOmega}. A solve whose plain iterations contract fast keeps ω close
         * to 1. Should {@code r} fail to shrink between two checks of the stop rule, the solve returns to plain
         * updates. {@link Result#relaxation()} reports the ω in use at the end.
         */
        public Options withAdaptiveRelaxation(double maxOmega) {
            return with(b -> {
                b.relaxation = maxOmega;
                b.adaptiveRelaxation = true;
            });
        }

        /** ε-scaling from {@code start} down to ε, dividing by {@code factor} per level. */
        public Options withEpsilonScaling(double start, double factor, int iterationsPerLevel) {
            return with(b -> {
                b.epsilonScaling = start;
                b.scalingFactor = factor;
                b.levelIterations = iterationsPerLevel;
            });
        }

        /** A copy with the changes made to a mutable copy of these settings. */
        private Options with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /**
         * The settings as mutable fields, initialised to {@link #defaults}' values (ε excepted): the one place that
         * calls the canonical constructor, whose compact form validates.
         */
        private static final class Builder {
            double epsilon = Double.NaN;
            int maxIterations = 10_000;
            double tolerance = 1e-9;
            int checkEvery = 10;
            StopRule stopRule = StopRule.MARGINAL_ERROR;
            double epsilonScaling = Double.NaN;
            double scalingFactor = 4.0;
            int levelIterations = 50;
            boolean unitStart;
            double relaxation = 1.0;
            boolean adaptiveRelaxation;
            boolean forwardStart;

            Builder() {
            }

            Builder(Options o) {
                epsilon = o.epsilon;
                maxIterations = o.maxIterations;
                tolerance = o.tolerance;
                checkEvery = o.checkEvery;
                stopRule = o.stopRule;
                epsilonScaling = o.epsilonScaling;
                scalingFactor = o.scalingFactor;
                levelIterations = o.levelIterations;
                unitStart = o.unitStart;
                relaxation = o.relaxation;
                adaptiveRelaxation = o.adaptiveRelaxation;
                forwardStart = o.forwardStart;
            }

            Options build() {
                return new Options(epsilon, maxIterations, tolerance, checkEvery, stopRule, epsilonScaling,
                        scalingFactor, levelIterations, unitStart, relaxation, adaptiveRelaxation, forwardStart);
            }
        }
    }

    /**
     * The outcome. Potentials are {@code ε log u_v} (cost units; 0 for free nodes): pass them back as a warm start.
     *
     * @param potentials     per node
     * @param marginals      per node, {@code α_v ⊙ u_v ⊙ β_v} at the returned scalings (empty with
     *                       {@link StopRule#FIXED_ITERATIONS})
     * @param iterations     iterations run at the final ε (plus those of the ε-scaling levels, see
     *                       {@code totalIterations})
     * @param marginalError  Σ over hard nodes of {@code ‖marginal − μ‖₁} at the returned scalings
     * @param potentialChange largest change of a non-free potential over the last check interval
     * @param scalingChange  the reference rule's measure at the last check (NaN unless that rule is used)
     * @param relaxation     the over-relaxation factor ω of the last iterations (1: plain updates)
     */
    public record Result(List<double[]> potentials, List<double[]> marginals, int iterations, int totalIterations,
            StopReason stopReason, double marginalError, double potentialChange, double scalingChange,
            double epsilon, List<String> kernelKinds, double relaxation) {

        /** Whether the stop rule was met. */
        public boolean converged() {
            return stopReason == StopReason.CONVERGED;
        }
    }

    private final List<LogKernel> kernels;
    private final List<Node> nodes;
    private final int length;

    // state, in log units (log u, log α, log β), kept for plans and warm starts
    private final double[][] logU;
    private final double[][] logAlpha;
    private final double[][] logBeta;
    private final double[][] logMu;
    private final double[][] input; // per node: the kernel input formed from it during a sweep
    private double eps = Double.NaN;
    private Relaxation relax; // the over-relaxation of the current (or last) solve; null before any
    private boolean solved;

    /**
     * A solver over the chain {@code nodes.get(0) – kernels.get(0) – nodes.get(1) – ...}; kernel {@code e} has
     * {@code nodes.get(e).size()} rows and {@code nodes.get(e + 1).size()} columns.
     */
    public ChainSinkhorn(List<? extends LogKernel> kernels, List<Node> nodes) {
        Require.nonNull(kernels, "kernels");
        Require.nonNull(nodes, "nodes");
        if (nodes.size() != kernels.size() + 1 || kernels.isEmpty()) {
            throw new IllegalArgumentException("a chain of " + nodes.size() + " nodes needs " + (nodes.size() - 1)
                    + " kernels (at least 1), got " + kernels.size());
        }
        for (int e = 0; e < kernels.size(); e++) {
            LogKernel k = Require.nonNull(kernels.get(e), "kernels[" + e + "]");
            int r = nodes.get(e).size();
            int c = nodes.get(e + 1).size();
            if (k.rows() != r || k.cols() != c) {
                throw new IllegalArgumentException("kernel " + e + " is " + k.rows() + "x" + k.cols()
                        + " but nodes " + e + " and " + (e + 1) + " have " + r + " and " + c + " points");
            }
        }
        if (nodes.stream().allMatch(Node::isFree)) {
            throw new IllegalArgumentException("at least one node must carry a measure");
        }
        this.kernels = List.copyOf(kernels);
        this.nodes = List.copyOf(nodes);
        this.length = nodes.size();
        logU = new double[length][];
        logAlpha = new double[length][];
        logBeta = new double[length][];
        logMu = new double[length][];
        input = new double[length][];
        for (int v = 0; v < length; v++) {
            int n = nodes.get(v).size();
            input[v] = new double[n];
            logU[v] = new double[n];
            logAlpha[v] = new double[n];
            logBeta[v] = new double[n];
            logMu[v] = nodes.get(v).isFree() ? null : LogOps.log(nodes.get(v).measure());
        }
    }

    /** Solves from a cold start (all scalings 1). */
    public Result solve(Options options) {
        return solve(options, null);
    }

    /**
     * Solves, warm-started from potentials {@code ε log u_v} (cost units) as returned by a previous
     * {@link Result#potentials()}; {@code null} (or a {@code null} entry) means a cold start for that node. Entries
     * must be finite, except {@code −∞} where the node's measure is 0 (what a solve returns there).
     */
    public Result solve(Options options, List<double[]> initialPotentials) {
        Require.nonNull(options, "options");
        double target = options.epsilon();
        double start = options.epsilonScaling();
        double current = (start > target) ? start : target;
        for (int v = 0; v < length; v++) {
            double[] init = initialPotentials == null ? null : initialPotentials.get(v);
            if (init != null && !nodes.get(v).isFree()) {
                requireStart(init, v);
                for (int i = 0; i < init.length; i++) {
                    logU[v][i] = init[i] / current;
                }
            } else {
                Arrays.fill(logU[v], 0.0);
            }
        }
        int total = 0;
        while (current > target) {
            Result level = iterate(current, options, options.levelIterations(), false);
            total += level.iterations();
            if (level.stopReason() == StopReason.NUMERICAL_FAILURE) {
                return level;
            }
            double next = Math.max(target, current / options.scalingFactor());
            for (int v = 0; v < length; v++) {
                for (int i = 0; i < logU[v].length; i++) {
                    logU[v][i] *= current / next; // keep the potentials ε log u fixed
                }
            }
            current = next;
        }
        Result r = iterate(target, options, options.maxIterations(), true);
        return new Result(r.potentials(), r.marginals(), r.iterations(), total + r.iterations(), r.stopReason(),
                r.marginalError(), r.potentialChange(), r.scalingChange(), r.epsilon(), r.kernelKinds(),
                r.relaxation());
    }

    /**
     * A warm start for node {@code v}: its size, and finite entries, or {@code −∞} where the measure is 0 (a solve
     * sets those potentials to −∞ whatever they start from; rejecting them made a solve's own potentials unusable as
     * the next start, e.g. in EW_λ's warm-started outer iterations for inputs with zero weights).
     */
    private void requireStart(double[] init, int v) {
        int n = nodes.get(v).size();
        if (init.length != n) {
            throw new IllegalArgumentException("initialPotentials[" + v + "] has " + init.length + " entries, expected "
                    + n);
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(init[i]) && !(init[i] == Double.NEGATIVE_INFINITY
                    && logMu[v][i] == Double.NEGATIVE_INFINITY)) {
                throw new IllegalArgumentException("initialPotentials[" + v + "][" + i + "] must be finite (or -Infinity"
                        + " where the measure is 0), got " + init[i]);
            }
        }
    }

    private Result iterate(double epsilon, Options options, int maxIterations, boolean stopEarly) {
        eps = epsilon;
        solved = true;
        LogKernel.Scaling scaling = inScalingDomain(options) ? kernels.get(0).scaling(eps, logU[1]) : null;
        if (scaling != null) {
            ScalingIteration plain = new ScalingIteration(scaling);
            Result r = plain.run(options, maxIterations, stopEarly);
            if (r != null) {
                return r;
            }
            return iterate(options, maxIterations, stopEarly, plain.handover, plain.resume);
        }
        return iterate(options, maxIterations, stopEarly, 0, false);
    }

    /**
     * The log-domain iterations {@code from .. maxIterations − 1} (all of them from 0); with {@code resume}, iteration
     * {@code from} begins with its forward sweep (node 0 already updated).
     */
    private Result iterate(Options options, int maxIterations, boolean stopEarly, int from, boolean resume) {
        boolean reference = options.stopRule() == StopRule.REFERENCE_SCALING;
        boolean fixed = options.stopRule() == StopRule.FIXED_ITERATIONS;
        int every = options.checkEvery();
        double[][] lastChecked = new double[length][];
        double[][] beforeForward = new double[length][];
        for (int v = 0; v < length; v++) {
            lastChecked[v] = logU[v].clone();
            beforeForward[v] = logU[v].clone();
            Arrays.fill(logBeta[v], 0.0);
        }
        boolean haveAlpha = from > 0;
        double error = Double.NaN;
        double change = Double.NaN;
        double scaling = Double.NaN;
        relax = new Relaxation(options);
        for (int it = from; it < maxIterations; it++) {
            boolean forwardOnly = (it == 0 && options.forwardStart()) || (resume && it == from);
            if (!(it == 0 && options.unitStart()) && !forwardOnly) {
                backwardSweep();
            }
            if (!fixed && haveAlpha && (it % every == 0)) {
                error = marginalError();
                change = potentialChange(lastChecked);
                scaling = reference ? scalingChange(beforeForward) : Double.NaN;
                if (!Double.isFinite(error) || !Double.isFinite(change)) {
                    return result(it, StopReason.NUMERICAL_FAILURE, error, change, scaling);
                }
                if (stopEarly && met(options, error, change, scaling)) {
                    return result(it, StopReason.CONVERGED, error, change, scaling);
                }
                for (int v = 0; v < length; v++) {
                    System.arraycopy(logU[v], 0, lastChecked[v], 0, logU[v].length);
                }
                relax.checked();
            }
            if (reference && (it + 1) % every == 0) {
                for (int v = 0; v < length; v++) {
                    System.arraycopy(logU[v], 0, beforeForward[v], 0, logU[v].length);
                }
            }
            relax.after(forwardSweep(forwardOnly));
            haveAlpha = true;
        }
        if (fixed) {
            if (options.forwardStart()) {
                backwardSweep();
                completeLastIteration(length > 2);
            } else if (length > 2) {
                backwardSweep(); // the inner nodes' backward messages enter the pairwise plans
            }
            return result(maxIterations, finiteScalings() ? StopReason.MAX_ITERATIONS : StopReason.NUMERICAL_FAILURE,
                    Double.NaN, Double.NaN, Double.NaN, false);
        }
        backwardSweep();
        error = marginalError();
        change = potentialChange(lastChecked);
        boolean checked = !reference || maxIterations % every == 0;
        if (reference && checked) {
            scaling = scalingChange(beforeForward);
        }
        if (!Double.isFinite(error) || !Double.isFinite(change)) {
            return result(maxIterations, StopReason.NUMERICAL_FAILURE, error, change, scaling);
        }
        boolean ok = stopEarly && checked && met(options, error, change, scaling);
        if (!ok && options.forwardStart()) {
            completeLastIteration(true);
            error = marginalError();
            change = potentialChange(lastChecked);
            if (!Double.isFinite(error) || !Double.isFinite(change)) {
                return result(maxIterations, StopReason.NUMERICAL_FAILURE, error, change, scaling);
            }
        }
        return result(maxIterations, ok ? StopReason.CONVERGED : StopReason.MAX_ITERATIONS, error, change, scaling);
    }

    /**
     * Whether a solve may iterate in the scaling domain: a two-marginal chain with both marginals hard, updates from
     * the backward (or forward) sweep (plain or over-relaxed), and a stop rule that needs the marginals only; the
     * kernel decides ({@link LogKernel#scaling}).
     */
    private boolean inScalingDomain(Options options) {
        return length == 2 && nodes.get(0).isHard() && nodes.get(1).isHard() && !options.unitStart()
                && (options.stopRule() == StopRule.MARGINAL_ERROR
                        || options.stopRule() == StopRule.FIXED_ITERATIONS);
    }

    /**
     * The iterations of {@link #iterate(Options, int, boolean, int, boolean)} on a two-node chain in the scaling
     * domain of its kernel, {@code exp(−C/ε) = diag(e^B) K̃ diag(e^−W)} ({@link LogKernel#scaling}): with
     * {@code σ₀ = exp(u₀ + B)} and {@code σ₁ = exp(u₁ − W)} the updates are {@code σ₀ = μ₀ / (K̃σ₁)} and
     * {@code σ₁ = μ₁ / (K̃ᵀσ₀)}, the node marginals {@code σ₀ ⊙ K̃σ₁} and {@code σ₁ ⊙ K̃ᵀσ₀}: two products per
     * iteration and no exponential or logarithm, the same iterates up to round-off, tested at the same iterations.
     * Over-relaxed (by the solve's {@link Relaxation}), an update is {@code σ ← σ (σ_plain / σ)^ω}, the log domain's
     * {@code u ← u + ω (u_plain − u)}, with the same residuals (the largest {@code |log(σ₁_plain / σ₁)|} of each
     * iteration) for the adaptive factor: one power per entry and update, a few per cent of a product.
     * The kernel stays accurate while {@code |log σ₁| <=} {@link DenseLogKernel#DRIFT_LIMIT} (the range in which
     * {@link DenseLogKernel} reuses it) and the sums {@code K̃ᵀσ₀} stay above {@link DenseLogKernel#DERIVED_FLOOR}
     * times {@code max σ₀} (as for its derived direction). When {@code σ₁} drifts further the kernel is rebuilt for
     * the current potentials; when a sum falls below the floor, or a scaling is not usable, the log-domain
     * iterations take over from there.
     */
    private final class ScalingIteration {
        private static final double LOW = Math.exp(-DenseLogKernel.DRIFT_LIMIT);
        private static final double HIGH = Math.exp(DenseLogKernel.DRIFT_LIMIT);

        private LogKernel.Scaling kernel;
        private final double[] mu0 = nodes.get(0).measure();
        private final double[] mu1 = nodes.get(1).measure();
        private final double[] s0 = new double[mu0.length];
        private final double[] s1 = new double[mu1.length];
        private final double[] y0 = new double[mu0.length];       // K̃σ₁
        private final double[] y1 = new double[mu1.length];       // K̃ᵀσ₀
        private final double[] next0 = new double[mu0.length];
        private final double[] next1 = new double[mu1.length];
        private final double[] checked0 = new double[mu0.length]; // σ at the last test, for the potential change
        private final double[] checked1 = new double[mu1.length];
        private double max0;
        private double residual0; // largest |log(σ₀_plain / σ₀)| of the last update of σ₀ (0 when it had none)
        private double residual; // of the last iteration: over both updates (see updateSecond)
        private boolean haveFirst; // whether σ₀ stands for node 0's potential (else logU[0] does, until its update)
        /** Where the log-domain iterations take over when {@link #run} returns null (logU then holds the state). */
        int handover;
        /** Whether they resume iteration {@link #handover} at its forward sweep (node 0 already updated). */
        boolean resume;

        ScalingIteration(LogKernel.Scaling kernel) {
            this.kernel = kernel;
        }

        /** The result, or null when the log-domain iterations are to take over. */
        Result run(Options options, int maxIterations, boolean stopEarly) {
            boolean fixed = options.stopRule() == StopRule.FIXED_ITERATIONS;
            boolean forward = options.forwardStart();
            int every = options.checkEvery();
            relax = new Relaxation(options);
            if (!absorb(forward)) {
                return handOver(0, false, false); // logU as it was
            }
            if (forward) {
                System.arraycopy(s0, 0, checked0, 0, s0.length);
            } else {
                Arrays.fill(checked0, Double.NaN); // node 0's start is neither used nor compared
            }
            System.arraycopy(s1, 0, checked1, 0, s1.length);
            for (int it = 0; it < maxIterations; it++) {
                if (!(it == 0 && forward)) {
                    kernel.product().apply(false, s1, y0);
                    if (!fixed && it > 0 && it % every == 0) {
                        double error = error();
                        if (!Double.isFinite(error)) {
                            return finish(it, StopReason.NUMERICAL_FAILURE, error);
                        }
                        if (stopEarly && error <= options.tolerance()) {
                            return finish(it, StopReason.CONVERGED, error);
                        }
                        System.arraycopy(s0, 0, checked0, 0, s0.length);
                        System.arraycopy(s1, 0, checked1, 0, s1.length);
                        relax.checked();
                    }
                    if (!updateFirst()) {
                        return handOver(it, false, true);
                    }
                }
                kernel.product().apply(true, s0, y1);
                if (!updateSecond()) {
                    return handOver(it, true, true);
                }
                relax.after(residual);
                if (!inRange() && !rebuild()) {
                    return handOver(it + 1, false, false); // stored by rebuild
                }
            }
            if (fixed) {
                // a two-node chain needs no closing sweep, except to complete a forward-started last iteration
                if (forward) {
                    kernel.product().apply(false, s1, y0);
                    if (!updateFirst()) {
                        return handOver(maxIterations, false, true);
                    }
                }
                store();
                return result(maxIterations, finiteScalings() ? StopReason.MAX_ITERATIONS
                        : StopReason.NUMERICAL_FAILURE, Double.NaN, Double.NaN, Double.NaN, false);
            }
            kernel.product().apply(false, s1, y0);
            double error = error();
            boolean ok = stopEarly && error <= options.tolerance();
            if (!ok && forward) {
                if (!updateFirst()) {
                    return handOver(maxIterations, false, true);
                }
                kernel.product().apply(true, s0, y1);
                error = error();
            }
            if (!Double.isFinite(error)) {
                return finish(maxIterations, StopReason.NUMERICAL_FAILURE, error);
            }
            return finish(maxIterations, ok ? StopReason.CONVERGED : StopReason.MAX_ITERATIONS, error);
        }

        /**
         * σ₁, and σ₀ when {@code first}, from the potentials in logU over {@code kernel}; false when they are not
         * usable there (σ₀ not positive and finite where there is mass, σ₁ beyond the drift limit).
         */
        private boolean absorb(boolean first) {
            double[] base = kernel.base();
            double[] ref = kernel.reference();
            haveFirst = first;
            max0 = 0;
            for (int i = 0; first && i < s0.length; i++) {
                double s = Math.exp(logU[0][i] + base[i]);
                if (!(s < Double.POSITIVE_INFINITY) || (mu0[i] > 0 && !(s > 0))) {
                    return false;
                }
                s0[i] = s;
                max0 = Math.max(max0, s);
            }
            for (int j = 0; j < s1.length; j++) {
                double d = logU[1][j] - ref[j];
                if (!(Math.abs(d) <= DenseLogKernel.DRIFT_LIMIT) && !(mu1[j] == 0 && d < 0)) {
                    return false;
                }
                s1[j] = Math.exp(d);
            }
            return true;
        }

        /** Whether σ₁ is within the range in which the kernel is accurate. */
        private boolean inRange() {
            for (int j = 0; j < s1.length; j++) {
                if (mu1[j] > 0 && !(s1[j] >= LOW && s1[j] <= HIGH)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * A kernel for the current potentials, σ and the tested σ carried over to it; false (logU holding the
         * state) when there is none or the potentials are not usable in it.
         */
        private boolean rebuild() {
            store();
            double[] oldBase = kernel.base().clone(); // the kernel's own arrays, overwritten by the rebuild
            double[] oldRef = kernel.reference().clone();
            kernel = kernels.get(0).scaling(eps, logU[1]);
            if (kernel == null || !absorb(true)) {
                return false;
            }
            double[] base = kernel.base();
            double[] ref = kernel.reference();
            for (int i = 0; i < s0.length; i++) {
                checked0[i] *= Math.exp(base[i] - oldBase[i]);
            }
            for (int j = 0; j < s1.length; j++) {
                checked1[j] *= Math.exp(oldRef[j] - ref[j]);
            }
            return true;
        }

        /**
         * σ₀ = μ₀ / (K̃σ₁), over-relaxed; false (σ₀ untouched) where a sum is not positive and finite for positive
         * mass.
         */
        private boolean updateFirst() {
            for (int i = 0; i < y0.length; i++) {
                if (mu0[i] > 0 && !(y0[i] > 0 && y0[i] < Double.POSITIVE_INFINITY)) {
                    return false;
                }
            }
            double w = relax.omega;
            boolean relaxed = w != 1.0;
            double[] base = kernel.base();
            double lo = 1;
            double hi = 1;
            double max = 0;
            for (int i = 0; i < s0.length; i++) {
                double s = mu0[i] == 0 ? 0 : mu0[i] / y0[i];
                // before its first update node 0's potential is logU[0] (the start), as in the log domain
                double old = haveFirst ? s0[i] : Math.exp(logU[0][i] + base[i]);
                if (s > 0 && old > 0 && old < Double.POSITIVE_INFINITY) {
                    double r = s / old;
                    lo = Math.min(lo, r);
                    hi = Math.max(hi, r);
                    if (relaxed) {
                        s = old * Math.pow(r, w);
                        if (!(s > 0 && s < Double.POSITIVE_INFINITY)) {
                            return false; // beyond double range: the log domain takes this update over
                        }
                    }
                }
                next0[i] = s;
                max = Math.max(max, s);
            }
            System.arraycopy(next0, 0, s0, 0, s0.length);
            residual0 = Math.max(Math.log(hi), -Math.log(lo));
            max0 = max;
            haveFirst = true;
            return true;
        }

        /**
         * σ₁ = μ₁ / (K̃ᵀσ₀), over-relaxed; false (σ₁ untouched) where a sum is below the floor or not finite. Sets
         * {@link #residual}, the largest {@code |log(σ_plain / σ)|} of this update and the last one of σ₀.
         */
        private boolean updateSecond() {
            double floor = DenseLogKernel.DERIVED_FLOOR * max0;
            double lo = 1;
            double hi = 1;
            for (int j = 0; j < y1.length; j++) {
                double y = y1[j];
                if (mu1[j] == 0) {
                    next1[j] = 0;
                } else if (y >= floor && y > 0 && y < Double.POSITIVE_INFINITY) {
                    double plain = mu1[j] / y;
                    next1[j] = plain;
                    double old = s1[j];
                    if (old > 0) {
                        double r = plain / old;
                        lo = Math.min(lo, r);
                        hi = Math.max(hi, r);
                    }
                } else {
                    return false;
                }
            }
            residual = Math.max(residual0, Math.max(Math.log(hi), -Math.log(lo)));
            residual0 = 0;
            double w = relax.omega;
            if (w != 1.0) {
                for (int j = 0; j < s1.length; j++) {
                    double old = s1[j];
                    double plain = next1[j];
                    if (old > 0 && plain > 0) {
                        double relaxed = old * Math.pow(plain / old, w);
                        if (!(relaxed > 0 && relaxed < Double.POSITIVE_INFINITY)) {
                            return false; // beyond double range: the log domain takes this update over
                        }
                        next1[j] = relaxed;
                    }
                }
            }
            System.arraycopy(next1, 0, s1, 0, s1.length);
            return true;
        }

        /** Σ over both nodes of {@code ‖marginal − μ‖₁}, the marginals being {@code σ₀ ⊙ y₀} and {@code σ₁ ⊙ y₁}. */
        private double error() {
            double e = 0;
            for (int i = 0; i < s0.length; i++) {
                e += Math.abs(s0[i] * y0[i] - mu0[i]);
            }
            for (int j = 0; j < s1.length; j++) {
                e += Math.abs(s1[j] * y1[j] - mu1[j]);
            }
            return e;
        }

        /** logU from σ, and the messages {@code β₀ = B + log y₀}, {@code α₁ = log y₁ − W}. */
        private void store() {
            double[] base = kernel.base();
            double[] ref = kernel.reference();
            for (int i = 0; haveFirst && i < s0.length; i++) {
                logU[0][i] = Math.log(s0[i]) - base[i];
                logBeta[0][i] = base[i] + Math.log(y0[i]);
            }
            for (int j = 0; j < s1.length; j++) {
                logU[1][j] = Math.log(s1[j]) + ref[j];
                logAlpha[1][j] = Math.log(y1[j]) - ref[j];
            }
            Arrays.fill(logAlpha[0], 0.0);
            Arrays.fill(logBeta[1], 0.0);
        }

        /** The result at the current σ, with the largest change {@code ε |log(σ / σ_tested)|} of a potential. */
        private Result finish(int iterations, StopReason reason, double error) {
            store();
            double change = Math.max(change(s0, checked0, mu0), change(s1, checked1, mu1));
            return result(iterations, reason, error, change, Double.NaN);
        }

        private double change(double[] s, double[] before, double[] mu) {
            double max = 0;
            for (int k = 0; k < s.length; k++) {
                if (mu[k] > 0 && before[k] > 0 && s[k] != before[k]) {
                    max = Math.max(max, eps * Math.abs(Math.log(s[k] / before[k])));
                }
            }
            return max;
        }

        /**
         * Hands iteration {@code it} to the log domain (at its forward sweep when {@code resumeForward}), with logU
         * from σ when {@code fromScalings} (else as it is).
         */
        private Result handOver(int it, boolean resumeForward, boolean fromScalings) {
            if (fromScalings) {
                store();
            }
            handover = it;
            resume = resumeForward;
            return null;
        }
    }

    private boolean met(Options options, double error, double change, double scaling) {
        boolean unbalanced = nodes.stream().anyMatch(n -> !n.isFree() && !n.isHard());
        return switch (options.stopRule()) {
            case MARGINAL_ERROR -> error <= options.tolerance() && (!unbalanced || change <= options.tolerance());
            case POTENTIAL_CHANGE -> change <= options.tolerance();
            case REFERENCE_SCALING -> scaling <= options.tolerance();
            case FIXED_ITERATIONS -> false;
        };
    }

    /**
     * max over non-free nodes of {@code max_i |u_i − p_i| / max(1, max u, max p)} with {@code u = exp(log u)},
     * evaluated in a scaled form so that large scalings do not overflow.
     */
    private double scalingChange(double[][] previous) {
        double worst = 0;
        for (int v = 0; v < length; v++) {
            if (nodes.get(v).isFree()) {
                continue;
            }
            double[] u = logU[v];
            double[] p = previous[v];
            double top = 0; // log max(1, max u, max p)
            for (int i = 0; i < u.length; i++) {
                top = Math.max(top, Math.max(u[i], p[i]));
            }
            double diff = 0;
            for (int i = 0; i < u.length; i++) {
                diff = Math.max(diff, Math.abs(Math.exp(u[i] - top) - Math.exp(p[i] - top)));
            }
            worst = Math.max(worst, diff);
        }
        return worst;
    }

    /** β_{L−1} = 0 (log 1); β_v = K_v(u_{v+1} ⊙ β_{v+1}). */
    private void backwardSweep() {
        Arrays.fill(logBeta[length - 1], 0.0);
        for (int v = length - 2; v >= 0; v--) {
            double[] in = add(logU[v + 1], logBeta[v + 1], input[v + 1]);
            kernels.get(v).apply(eps, in, logBeta[v]);
        }
    }

    /**
     * With {@link Options#forwardStart}, after the backward sweep of the last iteration: node 0's update, which
     * completes it (the iterations are shifted by half a sweep), and, if asked, the forward messages of the new
     * scalings, for the marginals and the pairwise plans of inner nodes.
     */
    private void completeLastIteration(boolean messages) {
        update(0);
        if (messages) {
            Arrays.fill(logAlpha[0], 0.0);
            for (int v = 1; v < length; v++) {
                kernels.get(v - 1).applyTranspose(eps, add(logAlpha[v - 1], logU[v - 1], input[v - 1]),
                        logAlpha[v]);
            }
        }
    }

    /**
     * Updates u_0 (unless {@code keepFirst}), then for v = 1..L−1: α_v = K_{v−1}ᵀ(α_{v−1} ⊙ u_{v−1}) and u_v; returns
     * the largest change {@code |log ũ − log u|} of a plain update (over finite entries of non-free nodes).
     */
    private double forwardSweep(boolean keepFirst) {
        Arrays.fill(logAlpha[0], 0.0);
        double residual = keepFirst ? 0 : update(0);
        for (int v = 1; v < length; v++) {
            double[] in = add(logAlpha[v - 1], logU[v - 1], input[v - 1]);
            kernels.get(v - 1).applyTranspose(eps, in, logAlpha[v]);
            residual = Math.max(residual, update(v));
        }
        return residual;
    }

    /**
     * u_v = (μ_v / (α_v β_v))^κ, over-relaxed by the current factor where the old and new values are finite; returns
     * the largest {@code |log ũ − log u|} over those entries (0 for a free node).
     */
    private double update(int v) {
        Node node = nodes.get(v);
        if (node.isFree()) {
            return 0;
        }
        double kappa = node.exponent(eps);
        double[] mu = logMu[v];
        double[] u = logU[v];
        double[] a = logAlpha[v];
        double[] b = logBeta[v];
        double w = relax == null ? 1.0 : relax.omega;
        double residual = 0;
        for (int i = 0; i < u.length; i++) {
            if (mu[i] == Double.NEGATIVE_INFINITY) {
                u[i] = Double.NEGATIVE_INFINITY;
            } else {
                double plain = kappa * (mu[i] - a[i] - b[i]);
                double old = u[i];
                double d = plain - old;
                if (Double.isFinite(d)) {
                    residual = Math.max(residual, Math.abs(d));
                    u[i] = w == 1.0 ? plain : old + w * d;
                } else {
                    u[i] = plain;
                }
            }
        }
        return residual;
    }

    /**
     * The over-relaxation factor over one solve: fixed, or adaptive (see {@link Options#withAdaptiveRelaxation}).
     *
     * <p>Adaptive: plain until the residuals (largest change of a plain update, one per iteration) of three
     * successive iterations give a contraction rate θ, then ω = 2 / (1 + √(1 − θ)). The first iterations' rate is
     * usually faster than the asymptotic one, so ω is revised upwards while the solve runs: for a 2-cyclic
     * Gauss–Seidel sweep (Sinkhorn's two half-steps; here the data nodes, the grid nodes being free) an observed
     * rate λ under ω (real while ω is below its optimum) stems from the plain rate θ = (λ + ω − 1)² / (λ ω²)
     * (Young's relation), which gives the next ω. Above the optimum the rate is ω − 1 and the relation returns the
     * same ω, so the revision settles. Should the residual fail to shrink between two checks of the stop rule,
     * the solve returns to plain updates for good.
     */
    private static final class Relaxation {
        /** Plain iterations after which an adaptive solve that has not found a rate stays plain. */
        static final int ESTIMATE_WITHIN = 50;
        /** Iterations over which a rate is measured once ω is in use (and before the first comparison). */
        static final int SPAN = 4;
        /**
         * ω is revised only while the observed rate exceeds ω − 1 by this factor: below the optimum the rate is
         * well above ω − 1 (θ = 0.9, ω = 1.37: 0.77 against 0.37), at and above it the rate is ω − 1 up to the
         * residual's fluctuations, which must not ratchet ω up to the cap.
         */
        static final double REAL_MARGIN = 1.2;
        /** Observed rates above this are taken as stagnation (round-off), not as a rate to fit. */
        static final double STAGNATION = 0.99;

        final boolean adaptive;
        final double cap;
        double omega;
        boolean decided;
        boolean reverted;
        int seen;           // iterations so far
        int since;          // iterations since ω last changed
        final double[] recent = new double[SPAN + 1]; // residuals of the last SPAN + 1 iterations, by seen % length
        double atLastCheck = Double.NaN;

        Relaxation(Options options) {
            adaptive = options.adaptiveRelaxation();
            cap = options.relaxation();
            omega = adaptive ? 1.0 : cap;
            decided = !adaptive;
        }

        private double back(int k) {
            return recent[Math.floorMod(seen - k, recent.length)];
        }

        private static boolean usable(double r) {
            return r > 0 && Double.isFinite(r);
        }

        /** After an iteration whose plain updates changed the log-scalings by at most {@code residual}. */
        void after(double residual) {
            seen++;
            recent[seen % recent.length] = residual;
            since++;
            if (!adaptive || reverted) {
                return;
            }
            if (!decided) {
                // the first iteration's change reflects the start, not the rate
                if (seen >= 4 && usable(back(2)) && usable(residual)) {
                    double theta = Math.sqrt(residual / back(2));
                    if (theta < 1) {
                        omega = optimum(theta);
                        since = 0;
                        decided = true;
                        atLastCheck = residual;
                    }
                }
                if (seen >= ESTIMATE_WITHIN) {
                    decided = true;
                }
                return;
            }
            if (omega > 1 && omega < cap && since >= SPAN && usable(back(SPAN)) && usable(residual)) {
                double lambda = Math.pow(residual / back(SPAN), 1.0 / SPAN);
                if (lambda > REAL_MARGIN * (omega - 1) && lambda < STAGNATION) {
                    double t = lambda + omega - 1;
                    double next = optimum(Math.min(t * t / (lambda * omega * omega), 1.0));
                    if (next > omega) { // revised upwards only
                        omega = next;
                        since = 0;
                    }
                }
            }
        }

        /** The factor for a plain rate θ, at most the cap. */
        private double optimum(double theta) {
            return Math.min(cap, 2 / (1 + Math.sqrt(1 - theta)));
        }

        /** At a check of the stop rule: keeps ω while the residual shrinks from check to check. */
        void checked() {
            if (adaptive && !reverted && omega > 1 && since >= SPAN) {
                if (!(recent[seen % recent.length] < atLastCheck)) {
                    omega = 1.0;
                    reverted = true;
                }
                atLastCheck = recent[seen % recent.length];
            }
        }
    }

    private static double[] add(double[] x, double[] y) {
        return add(x, y, new double[x.length]);
    }

    /** {@code z = x + y}, returned. */
    private static double[] add(double[] x, double[] y, double[] z) {
        for (int i = 0; i < x.length; i++) {
            z[i] = x[i] + y[i];
        }
        return z;
    }

    private double[] marginal(int v) {
        double[] m = new double[nodes.get(v).size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = Math.exp(logAlpha[v][i] + logU[v][i] + logBeta[v][i]);
        }
        return m;
    }

    private double marginalError() {
        double err = 0;
        for (int v = 0; v < length; v++) {
            Node node = nodes.get(v);
            if (node.isHard()) {
                double[] mu = node.measure();
                double[] lm = logMu[v];
                double[] a = logAlpha[v];
                double[] u = logU[v];
                double[] b = logBeta[v];
                for (int i = 0; i < mu.length; i++) {
                    double x = a[i] + u[i] + b[i]; // the log marginal
                    err += lm[i] == Double.NEGATIVE_INFINITY ? Math.exp(x) : mu[i] * relativeError(x - lm[i]);
                }
            }
        }
        return err;
    }

    /**
     * {@code |e^d − 1|}, the relative error of a marginal entry {@code μ e^d}: without cancellation, and near a fixed
     * point ({@code |d| < 1e-5}) without an exponential (the series to {@code d³}, exact to below round-off).
     */
    private static double relativeError(double d) {
        double ad = Math.abs(d);
        if (ad < 1e-5) {
            return ad * (1 + d * (0.5 + d * (1.0 / 6)));
        }
        return Math.abs(Math.exp(d) - 1);
    }

    /**
     * The largest {@code ε |log u − log u_previous|} over non-free nodes, entries without mass left out (their
     * potential is −∞ after the first update, whatever it started from).
     */
    private double potentialChange(double[][] previous) {
        double max = 0;
        for (int v = 0; v < length; v++) {
            if (nodes.get(v).isFree()) {
                continue;
            }
            double[] u = logU[v];
            double[] p = previous[v];
            double[] lm = logMu[v];
            for (int i = 0; i < u.length; i++) {
                if (lm[i] == Double.NEGATIVE_INFINITY
                        || (u[i] == Double.NEGATIVE_INFINITY && p[i] == Double.NEGATIVE_INFINITY)) {
                    continue;
                }
                max = Math.max(max, eps * Math.abs(u[i] - p[i]));
            }
        }
        return max;
    }

    private Result result(int iterations, StopReason reason, double error, double change, double scaling) {
        return result(iterations, reason, error, change, scaling, true);
    }

    /** The result at the current scalings; the node marginals only when {@code withMarginals} (else empty). */
    private Result result(int iterations, StopReason reason, double error, double change, double scaling,
            boolean withMarginals) {
        List<double[]> potentials = new ArrayList<>();
        List<double[]> marginals = new ArrayList<>();
        for (int v = 0; v < length; v++) {
            double[] f = new double[logU[v].length];
            for (int i = 0; i < f.length; i++) {
                f[i] = eps * logU[v][i];
            }
            potentials.add(f);
            if (withMarginals) {
                marginals.add(marginal(v));
            }
        }
        return new Result(potentials, marginals, iterations, iterations, reason, error, change, scaling, eps,
                kernels.stream().map(LogKernel::kind).toList(), relax == null ? 1.0 : relax.omega);
    }

    /** Whether every scaling of a non-free node is finite where its measure is positive. */
    private boolean finiteScalings() {
        for (int v = 0; v < length; v++) {
            if (nodes.get(v).isFree()) {
                continue;
            }
            for (int i = 0; i < logU[v].length; i++) {
                if (logMu[v][i] != Double.NEGATIVE_INFINITY && !Double.isFinite(logU[v][i])) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The pairwise plan on edge {@code e} (between nodes {@code e} and {@code e + 1}) at the last solve's scalings,
     * dense row-major: {@code diag(α_e u_e) K_e diag(u_{e+1} β_{e+1})}.
     */
    public double[] edgePlan(int e) {
        LogKernel k = edgeKernel(e);
        double[] p = new double[Math.multiplyExact(k.rows(), k.cols())];
        edgePlan(e, p);
        return p;
    }

    /** As {@link #edgePlan(int)}, written into {@code out} (at least rows · cols entries of the edge's kernel). */
    public void edgePlan(int e, double[] out) {
        edgeKernel(e).plan(eps, add(logAlpha[e], logU[e]), add(logU[e + 1], logBeta[e + 1]), out);
    }

    /**
     * As {@link #edgePlan(int, double[])} into {@code plan}, which holds a previous plan of the edge; returns
     * {@code {max |new − old|, max |new|}} ({@link LogKernel#replacePlan}).
     */
    public double[] replaceEdgePlan(int e, double[] plan) {
        return edgeKernel(e).replacePlan(eps, add(logAlpha[e], logU[e]), add(logU[e + 1], logBeta[e + 1]), plan);
    }

    private LogKernel edgeKernel(int e) {
        if (!solved) {
            throw new IllegalStateException("solve() has not been called");
        }
        if (e < 0 || e >= kernels.size()) {
            throw new IllegalArgumentException("edge " + e + " is outside [0, " + kernels.size() + ")");
        }
        return kernels.get(e);
    }

    /**
     * {@code ⟨C_e, P_e⟩}, the transport cost of edge {@code e}'s pairwise plan at the last solve's scalings, without
     * forming the plan when the kernel is structured.
     */
    public double edgePlanCost(int e) {
        if (!solved) {
            throw new IllegalStateException("solve() has not been called");
        }
        if (e < 0 || e >= kernels.size()) {
            throw new IllegalArgumentException("edge " + e + " is outside [0, " + kernels.size() + ")");
        }
        return kernels.get(e).planCost(eps, add(logAlpha[e], logU[e]), add(logU[e + 1], logBeta[e + 1]));
    }

    /** The log of the node marginal {@code α_v ⊙ u_v ⊙ β_v} at the last solve's scalings. */
    public double[] logMarginal(int v) {
        if (!solved) {
            throw new IllegalStateException("solve() has not been called");
        }
        double[] m = new double[nodes.get(v).size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = logAlpha[v][i] + logU[v][i] + logBeta[v][i];
        }
        return m;
    }
}
