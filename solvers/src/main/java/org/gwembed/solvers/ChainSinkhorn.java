package org.gwembed.solvers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.gwembed.metricspaces.Require;

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
 * kept in the log domain ({@link LogKernel}), so any ε > 0 is safe: ε = 1e-4 on costs in [0, 1] stays finite.
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
        REFERENCE_SCALING
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
     */
    public record Options(double epsilon, int maxIterations, double tolerance, int checkEvery, StopRule stopRule,
            double epsilonScaling, double scalingFactor, int levelIterations, boolean unitStart) {
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
        }

        /** ε as given, 10 000 iterations, tolerance 1e-9 on the marginals, checked every 10, no ε-scaling. */
        public static Options defaults(double epsilon) {
            return new Options(epsilon, 10_000, 1e-9, 10, StopRule.MARGINAL_ERROR, Double.NaN, 4.0, 50, false);
        }

        /**
         * The reference implementation's inner settings ({@code tree_sinkhorn_torch}): at most 10 000 iterations,
         * scaling change below 1e-5 checked every 10 iterations, unit start messages.
         */
        public static Options reference(double epsilon) {
            return new Options(epsilon, 10_000, 1e-5, 10, StopRule.REFERENCE_SCALING, Double.NaN, 4.0, 50, true);
        }

        public Options withUnitStart(boolean unit) {
            return new Options(epsilon, maxIterations, tolerance, checkEvery, stopRule, epsilonScaling, scalingFactor,
                    levelIterations, unit);
        }

        public Options withEpsilon(double e) {
            return new Options(e, maxIterations, tolerance, checkEvery, stopRule, epsilonScaling, scalingFactor,
                    levelIterations, unitStart);
        }

        public Options withMaxIterations(int n) {
            return new Options(epsilon, n, tolerance, checkEvery, stopRule, epsilonScaling, scalingFactor,
                    levelIterations, unitStart);
        }

        public Options withTolerance(double t) {
            return new Options(epsilon, maxIterations, t, checkEvery, stopRule, epsilonScaling, scalingFactor,
                    levelIterations, unitStart);
        }

        public Options withCheckEvery(int k) {
            return new Options(epsilon, maxIterations, tolerance, k, stopRule, epsilonScaling, scalingFactor,
                    levelIterations, unitStart);
        }

        public Options withStopRule(StopRule rule) {
            return new Options(epsilon, maxIterations, tolerance, checkEvery, rule, epsilonScaling, scalingFactor,
                    levelIterations, unitStart);
        }

        /** ε-scaling from {@code start} down to ε, dividing by {@code factor} per level. */
        public Options withEpsilonScaling(double start, double factor, int iterationsPerLevel) {
            return new Options(epsilon, maxIterations, tolerance, checkEvery, stopRule, start, factor,
                    iterationsPerLevel, unitStart);
        }
    }

    /**
     * The outcome. Potentials are {@code ε log u_v} (cost units; 0 for free nodes): pass them back as a warm start.
     *
     * @param potentials     per node
     * @param marginals      per node, {@code α_v ⊙ u_v ⊙ β_v} at the returned scalings
     * @param iterations     iterations run at the final ε (plus those of the ε-scaling levels, see
     *                       {@code totalIterations})
     * @param marginalError  Σ over hard nodes of {@code ‖marginal − μ‖₁} at the returned scalings
     * @param potentialChange largest change of a non-free potential over the last check interval
     * @param scalingChange  the reference rule's measure at the last check (NaN unless that rule is used)
     */
    public record Result(List<double[]> potentials, List<double[]> marginals, int iterations, int totalIterations,
            StopReason stopReason, double marginalError, double potentialChange, double scalingChange,
            double epsilon, List<String> kernelKinds) {

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
    private double eps = Double.NaN;
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
        for (int v = 0; v < length; v++) {
            int n = nodes.get(v).size();
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
     * {@link Result#potentials()}; {@code null} (or a {@code null} entry) means a cold start for that node.
     */
    public Result solve(Options options, List<double[]> initialPotentials) {
        Require.nonNull(options, "options");
        double target = options.epsilon();
        double start = options.epsilonScaling();
        double current = (start > target) ? start : target;
        for (int v = 0; v < length; v++) {
            double[] init = initialPotentials == null ? null : initialPotentials.get(v);
            if (init != null && !nodes.get(v).isFree()) {
                Require.finiteVector(init, nodes.get(v).size(), "initialPotentials[" + v + "]");
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
                r.marginalError(), r.potentialChange(), r.scalingChange(), r.epsilon(), r.kernelKinds());
    }

    private Result iterate(double epsilon, Options options, int maxIterations, boolean stopEarly) {
        eps = epsilon;
        solved = true;
        boolean reference = options.stopRule() == StopRule.REFERENCE_SCALING;
        int every = options.checkEvery();
        double[][] lastChecked = new double[length][];
        double[][] beforeForward = new double[length][];
        for (int v = 0; v < length; v++) {
            lastChecked[v] = logU[v].clone();
            beforeForward[v] = logU[v].clone();
            Arrays.fill(logBeta[v], 0.0);
        }
        boolean haveAlpha = false;
        double error = Double.NaN;
        double change = Double.NaN;
        double scaling = Double.NaN;
        for (int it = 0; it < maxIterations; it++) {
            if (!(it == 0 && options.unitStart())) {
                backwardSweep();
            }
            if (haveAlpha && (it % every == 0)) {
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
            }
            if (reference && (it + 1) % every == 0) {
                for (int v = 0; v < length; v++) {
                    System.arraycopy(logU[v], 0, beforeForward[v], 0, logU[v].length);
                }
            }
            forwardSweep();
            haveAlpha = true;
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
        return result(maxIterations, ok ? StopReason.CONVERGED : StopReason.MAX_ITERATIONS, error, change, scaling);
    }

    private boolean met(Options options, double error, double change, double scaling) {
        boolean unbalanced = nodes.stream().anyMatch(n -> !n.isFree() && !n.isHard());
        return switch (options.stopRule()) {
            case MARGINAL_ERROR -> error <= options.tolerance() && (!unbalanced || change <= options.tolerance());
            case POTENTIAL_CHANGE -> change <= options.tolerance();
            case REFERENCE_SCALING -> scaling <= options.tolerance();
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
            double[] in = add(logU[v + 1], logBeta[v + 1]);
            kernels.get(v).apply(eps, in, logBeta[v]);
        }
    }

    /** Updates u_0, then for v = 1..L−1: α_v = K_{v−1}ᵀ(α_{v−1} ⊙ u_{v−1}) and u_v. */
    private void forwardSweep() {
        Arrays.fill(logAlpha[0], 0.0);
        update(0);
        for (int v = 1; v < length; v++) {
            double[] in = add(logAlpha[v - 1], logU[v - 1]);
            kernels.get(v - 1).applyTranspose(eps, in, logAlpha[v]);
            update(v);
        }
    }

    private void update(int v) {
        Node node = nodes.get(v);
        if (node.isFree()) {
            return;
        }
        double kappa = node.exponent(eps);
        double[] mu = logMu[v];
        double[] u = logU[v];
        double[] a = logAlpha[v];
        double[] b = logBeta[v];
        for (int i = 0; i < u.length; i++) {
            if (mu[i] == Double.NEGATIVE_INFINITY) {
                u[i] = Double.NEGATIVE_INFINITY;
            } else {
                u[i] = kappa * (mu[i] - a[i] - b[i]);
            }
        }
    }

    private static double[] add(double[] x, double[] y) {
        double[] z = new double[x.length];
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
                double[] m = marginal(v);
                double[] mu = node.measure();
                for (int i = 0; i < m.length; i++) {
                    err += Math.abs(m[i] - mu[i]);
                }
            }
        }
        return err;
    }

    private double potentialChange(double[][] previous) {
        double max = 0;
        for (int v = 0; v < length; v++) {
            if (nodes.get(v).isFree()) {
                continue;
            }
            double[] u = logU[v];
            double[] p = previous[v];
            for (int i = 0; i < u.length; i++) {
                if (u[i] == Double.NEGATIVE_INFINITY && p[i] == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                max = Math.max(max, eps * Math.abs(u[i] - p[i]));
            }
        }
        return max;
    }

    private Result result(int iterations, StopReason reason, double error, double change, double scaling) {
        List<double[]> potentials = new ArrayList<>();
        List<double[]> marginals = new ArrayList<>();
        for (int v = 0; v < length; v++) {
            double[] f = new double[logU[v].length];
            for (int i = 0; i < f.length; i++) {
                f[i] = eps * logU[v][i];
            }
            potentials.add(f);
            marginals.add(marginal(v));
        }
        return new Result(potentials, marginals, iterations, iterations, reason, error, change, scaling, eps,
                kernels.stream().map(LogKernel::kind).toList());
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
