package org.gwembed.solvers;

import java.util.Arrays;
import java.util.List;

import org.gwembed.core.Require;

/**
 * Two-marginal entropic optimal transport, balanced or unbalanced: the chain {@code a – C – b} of
 * {@link ChainSinkhorn}, with its warm starts, stop rules (or a fixed iteration count) and start orders, over a
 * {@link LogKernel} (here a {@link DenseLogKernel}: scaling iterations on a normalised kernel with the potentials
 * absorbed, the log domain where they drift far, so any ε is safe). Minimises
 * {@code ⟨C, P⟩ + ε Σ P (log P − 1) + ρ_a KL(P1 | a) + ρ_b KL(Pᵀ1 | b)} (ρ = ∞: hard marginal). With both marginals
 * hard the entropy's reference measure only shifts the objective by a constant, so the plan is the same as with
 * {@code ε KL(P | a ⊗ b)} (POT's {@code ot.sinkhorn}).
 */
public final class Sinkhorn {

    private Sinkhorn() {
    }

    /**
     * The plan and its diagnostics.
     *
     * @param plan    {@code n × m} row-major
     * @param f       potential of the first marginal, cost units ({@code ε log u})
     * @param g       potential of the second marginal
     * @param cost    {@code ⟨C, P⟩}
     * @param chain   the underlying chain result (iterations, stop reason, marginal error)
     */
    public record Result(double[] plan, double[] f, double[] g, double cost, ChainSinkhorn.Result chain) {
        /** Whether the stop rule was met. */
        public boolean converged() {
            return chain.converged();
        }
    }

    /** Balanced entropic OT between {@code a} and {@code b} (equal total mass) with cost {@code n × m}. */
    public static Result balanced(double[] a, double[] b, double[] cost, ChainSinkhorn.Options options) {
        return solve(a, Double.POSITIVE_INFINITY, b, Double.POSITIVE_INFINITY, cost, options, null, null);
    }

    /**
     * Entropic OT with marginal penalties {@code rhoA}, {@code rhoB} ({@code +∞} hard, {@code 0} free, else KL),
     * warm-started from potentials {@code f0}, {@code g0} (may be {@code null}).
     */
    public static Result solve(double[] a, double rhoA, double[] b, double rhoB, double[] cost,
            ChainSinkhorn.Options options, double[] f0, double[] g0) {
        Require.nonNull(a, "a");
        Require.nonNull(b, "b");
        Require.nonNull(cost, "cost");
        int n = a.length;
        int m = b.length;
        if (cost.length != (long) n * m) {
            throw new IllegalArgumentException("cost has " + cost.length + " entries but the marginals have " + n
                    + " and " + m + " (expected " + n + "x" + m + " = " + ((long) n * m) + ")");
        }
        if (rhoA == Double.POSITIVE_INFINITY && rhoB == Double.POSITIVE_INFINITY) {
            double sa = sum(a);
            double sb = sum(b);
            if (Math.abs(sa - sb) > 1e-9 * Math.max(sa, sb)) {
                throw new IllegalArgumentException("balanced transport needs equal masses, but a sums to " + sa
                        + " and b to " + sb);
            }
        }
        double[] plan = new double[n * m];
        ChainSinkhorn.Result r = solve(new DenseLogKernel(cost, n, m), a, rhoA, b, rhoB, options, f0, g0, plan);
        double total = 0;
        for (int k = 0; k < plan.length; k++) {
            total += plan[k] * cost[k];
        }
        return new Result(plan, r.potentials().get(0), r.potentials().get(1), total, r);
    }

    /**
     * As {@link #solve(double[], double, double[], double, double[], ChainSinkhorn.Options, double[], double[])}
     * over a kernel the caller built ({@code a.length × b.length}), the plan written into the caller's array: for a
     * sequence of problems, e.g. over a {@link DenseLogKernel#adopt adopted} kernel that takes over the last one's
     * storage, warm-started from the last potentials ({@link ChainSinkhorn.Result#potentials()}: {@code f}, then
     * {@code g}). With {@link ChainSinkhorn.StopRule#FIXED_ITERATIONS} nothing is computed beyond the iterations and
     * the plan. The marginals are the caller's to validate (once for the sequence): balanced masses are not
     * checked here.
     *
     * @param plan receives the plan, {@code a.length × b.length} row-major
     */
    public static ChainSinkhorn.Result solve(LogKernel kernel, double[] a, double rhoA, double[] b, double rhoB,
            ChainSinkhorn.Options options, double[] f0, double[] g0, double[] plan) {
        Require.nonNull(kernel, "kernel");
        Require.nonNull(a, "a");
        Require.nonNull(b, "b");
        Require.nonNull(plan, "plan");
        ChainSinkhorn chain = new ChainSinkhorn(List.of(kernel), List.of(node(a, rhoA), node(b, rhoB)));
        ChainSinkhorn.Result r = chain.solve(options, (f0 == null && g0 == null) ? null : Arrays.asList(f0, g0));
        chain.edgePlan(0, plan);
        return r;
    }

    private static ChainSinkhorn.Node node(double[] measure, double rho) {
        return new ChainSinkhorn.Node(measure.length, measure, rho);
    }

    private static double sum(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s;
    }
}
