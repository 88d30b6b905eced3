package org.gwembed.embedding;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.solvers.ChainSinkhorn;
import org.gwembed.solvers.DenseLogKernel;
import org.gwembed.solvers.KernelWorkspace;
import org.gwembed.solvers.Precision;
import org.gwembed.solvers.Sinkhorn;

/**
 * Wasserstein–Procrustes between two point sets {@code Z₁} ({@code m × d}) and {@code Z₂} ({@code n × d}), as
 * JointMDS's {@code inv_ot} computes it (METHOD.md §7): starting from {@code O = I}, alternate at most
 * {@code maxIterations} times
 * <ol>
 *   <li>{@code P ←} a few log-domain Sinkhorn iterations (balanced, marginals {@code a}, {@code b}, regularisation
 *       ε) on the cost {@code C_ij = ‖z¹_i‖² + ‖z²_j‖² − 2 (z¹_i O)·z²_j = ‖z¹_i O − z²_j‖²}, warm-started from the
 *       previous alternation's row potential;</li>
 *   <li>{@code O ← U Vᵀ} from the SVD {@code Z₁ᵀ P Z₂ = U Σ Vᵀ} (orthogonal, reflections allowed);</li>
 * </ol>
 * and stop after the {@code O} update when {@code ‖P − P_prev‖_F < tolerance} ({@code P_prev = 0} at the start).
 *
 * <p>The Sinkhorn is the reference's {@code sinkhorn(C, a, b, eps, v, max_iter=5)}: in log units
 * {@code u_j = log b_j − logsumexp_i(v_i − C_ij/ε)}, then {@code v_i = log a_i − logsumexp_j(u_j − C_ij/ε)},
 * {@code iterations} times from the warm {@code v} (0 at the first alternation of a call), plan
 * {@code exp(u_j + v_i − C_ij/ε)}: its rows sum to {@code a} exactly, its columns to {@code b} only approximately.
 * It is {@link Sinkhorn} on the chain {@code b – Cᵀ – a} (the columns as the first node, so that each iteration
 * updates {@code u} and then {@code v}) with {@link ChainSinkhorn.StopRule#FIXED_ITERATIONS}, over a
 * {@link DenseLogKernel}: the same iterates, with one exponential per cost entry and call (the kernel with
 * {@code v} absorbed) instead of one per entry and half-iteration, and the log domain wherever the potentials
 * drift far.
 */
public final class WassersteinProcrustes {

    private WassersteinProcrustes() {
    }

    /**
     * The outcome.
     *
     * @param coupling    {@code P} ({@code m × n}) of the last alternation
     * @param rotation    {@code O} ({@code d × d}) computed from that {@code P}
     * @param iterations  alternations run
     * @param converged   whether {@code ‖P − P_prev‖_F < tolerance} ended the loop
     * @param planChange  the last {@code ‖P − P_prev‖_F}
     * @param rowMarginalError    {@code ‖P1 − a‖₁}
     * @param columnMarginalError {@code ‖Pᵀ1 − b‖₁}
     */
    public record Result(DMatrixRMaj coupling, DMatrixRMaj rotation, int iterations, boolean converged,
            double planChange, double rowMarginalError, double columnMarginalError) {
    }

    /**
     * The orthogonal Procrustes step: {@code O = U Vᵀ} from the SVD of {@code Z₁ᵀ P Z₂}, the orthogonal matrix
     * maximising {@code tr(Oᵀ Z₁ᵀ P Z₂)}, i.e. minimising {@code Σ_ij P_ij ‖z¹_i O − z²_j‖²}.
     *
     * @param z1   {@code m × d}
     * @param plan {@code m × n} (the identity for paired points)
     * @param z2   {@code n × d}
     * @return {@code O}, {@code d × d}
     */
    public static DMatrixRMaj orthogonal(DMatrixRMaj z1, DMatrixRMaj plan, DMatrixRMaj z2) {
        Require.nonNull(z1, "z1");
        Require.nonNull(plan, "plan");
        Require.nonNull(z2, "z2");
        if (plan.numRows != z1.numRows || plan.numCols != z2.numRows || z1.numCols != z2.numCols) {
            throw new IllegalArgumentException("z1 is " + z1.numRows + "x" + z1.numCols + ", plan " + plan.numRows
                    + "x" + plan.numCols + ", z2 " + z2.numRows + "x" + z2.numCols + "; expected m x d, m x n, n x d");
        }
        int d = z1.numCols;
        DMatrixRMaj pz2 = new DMatrixRMaj(z1.numRows, d);
        CommonOps_DDRM.mult(plan, z2, pz2);
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(z1, pz2, m);
        return polar(m);
    }

    /** {@code U Vᵀ} from the SVD of the square {@code m}. */
    static DMatrixRMaj polar(DMatrixRMaj m) {
        int d = m.numRows;
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(d, d, true, true, false);
        if (!svd.decompose(m.copy())) {
            throw new IllegalStateException("SVD of the " + d + "x" + d + " Procrustes matrix failed: " + m);
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        DMatrixRMaj o = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransB(u, v, o);
        return o;
    }

    /**
     * Wasserstein–Procrustes with the reference's settings as parameters (JointMDS: 10 alternations, 5 Sinkhorn
     * iterations, tolerance 1e-5).
     *
     * @param z1 {@code m × d}, not modified
     * @param z2 {@code n × d}, not modified
     * @param a  probability vector of length {@code m}
     * @param b  probability vector of length {@code n}
     * @throws IllegalArgumentException for bad shapes or values (the message names the argument)
     */
    public static Result solve(DMatrixRMaj z1, DMatrixRMaj z2, double[] a, double[] b, double epsilon,
            int maxIterations, int sinkhornIterations, double tolerance) {
        Require.nonNull(z1, "z1");
        Require.nonNull(z2, "z2");
        if (z1.numCols != z2.numCols || z1.numCols < 1) {
            throw new IllegalArgumentException("z1 is " + z1.numRows + "x" + z1.numCols + " and z2 " + z2.numRows
                    + "x" + z2.numCols + "; they need the same number (>= 1) of columns");
        }
        Require.finiteVector(z1.data, z1.getNumElements(), "z1");
        Require.finiteVector(z2.data, z2.getNumElements(), "z2");
        Require.probabilityVector(a, z1.numRows, MetricMeasureSpace.WEIGHT_SUM_TOLERANCE, "a");
        Require.probabilityVector(b, z2.numRows, MetricMeasureSpace.WEIGHT_SUM_TOLERANCE, "b");
        Require.positive(epsilon, "epsilon");
        Require.atLeast(maxIterations, 1, "maxIterations");
        Require.atLeast(sinkhornIterations, 1, "sinkhornIterations");
        Require.positive(tolerance, "tolerance");
        return run(z1, z2, a, b, epsilon, maxIterations, sinkhornIterations, tolerance);
    }

    /** {@link #solve} without validation. */
    static Result run(DMatrixRMaj z1, DMatrixRMaj z2, double[] a, double[] b, double epsilon, int maxIterations,
            int sinkhornIterations, double tolerance) {
        Outcome o = compute(z1, z2, a, b, epsilon, maxIterations, sinkhornIterations, tolerance);
        int m = z1.numRows;
        int n = z2.numRows;
        DMatrixRMaj coupling = new DMatrixRMaj(m, n);
        double[] rows = new double[m];
        double[] cols = new double[n];
        for (int j = 0; j < n; j++) {
            int off = j * m;
            for (int i = 0; i < m; i++) {
                double p = o.planT[off + i];
                coupling.data[i * n + j] = p;
                rows[i] += p;
                cols[j] += p;
            }
        }
        double rowError = 0;
        for (int i = 0; i < m; i++) {
            rowError += Math.abs(rows[i] - a[i]);
        }
        double colError = 0;
        for (int j = 0; j < n; j++) {
            colError += Math.abs(cols[j] - b[j]);
        }
        return new Result(coupling, o.rotation, o.iterations, o.converged, o.planChange, rowError, colError);
    }

    /** The working result: the plan transposed ({@code n × m}). */
    record Outcome(double[] planT, DMatrixRMaj rotation, int iterations, boolean converged, double planChange) {
    }

    /** The alternations; the plan stays transposed ({@code Pᵀ}, {@code n × m}). */
    static Outcome compute(DMatrixRMaj z1, DMatrixRMaj z2, double[] a, double[] b, double epsilon,
            int maxIterations, int sinkhornIterations, double tolerance) {
        return compute(z1, z2, a, b, epsilon, maxIterations, sinkhornIterations, tolerance,
                Parallel.defaultThreads());
    }

    /**
     * Blocks of plan rows whose partial sums of {@code Z₁ᵀ P Z₂} and {@code ‖P − P_prev‖²} are added in order: 32
     * rows each, at most 64, a function of the size only, so that the result does not depend on the thread count
     * (nor on the machine's number of cores, the default).
     */
    static int blocks(int rows) {
        return Math.max(1, Math.min(64, (rows + 31) / 32));
    }

    /** As above on {@code threads} worker threads (bit-identical results for any count). */
    static Outcome compute(DMatrixRMaj z1, DMatrixRMaj z2, double[] a, double[] b, double epsilon,
            int maxIterations, int sinkhornIterations, double tolerance, int threads) {
        int m = z1.numRows;
        int n = z2.numRows;
        int d = z1.numCols;
        double[] x1 = z1.data;
        double[] x2 = z2.data;
        double[] norm1 = new double[m];
        double[] norm2 = new double[n];
        for (int i = 0; i < m; i++) {
            norm1[i] = dot(x1, i * d, x1, i * d, d);
        }
        for (int j = 0; j < n; j++) {
            norm2[j] = dot(x2, j * d, x2, j * d, d);
        }
        DMatrixRMaj o = CommonOps_DDRM.identity(d);
        double[] rotated = new double[m * d];
        KernelWorkspace costs = new KernelWorkspace(n, m, Precision.DOUBLE, threads);
        double[] costT = costs.cost();
        ChainSinkhorn.Options sinkhorn = ChainSinkhorn.Options.defaults(epsilon).withMaxIterations(sinkhornIterations)
                .withStopRule(ChainSinkhorn.StopRule.FIXED_ITERATIONS);
        double[] rowPotential = null; // ε v of the last alternation, the next one's warm start
        double[] previous = null; // P_prev as Pᵀ (n x m); null means 0
        double[] planT = null;
        double[] spare = null;
        double change = Double.NaN;
        boolean converged = false;
        int blocks = blocks(n);
        int it = 0;
        while (it < maxIterations) {
            // rotated = Z1 O; costᵀ_ji = |z1_i|² + |z2_j|² − 2 (z1_i O)·z2_j
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < d; c++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += x1[i * d + k] * o.data[k * d + c];
                    }
                    rotated[i * d + c] = s;
                }
            }
            Parallel.forRange(n, threads, (long) m * d, (from, to) -> {
                for (int j = from; j < to; j++) {
                    int off = j * m;
                    double nj = norm2[j];
                    if (d == 2) {
                        double y0 = x2[2 * j];
                        double y1 = x2[2 * j + 1];
                        for (int i = 0; i < m; i++) {
                            costT[off + i] = norm1[i] + nj - 2 * (rotated[2 * i] * y0 + rotated[2 * i + 1] * y1);
                        }
                    } else {
                        for (int i = 0; i < m; i++) {
                            costT[off + i] = norm1[i] + nj - 2 * dot(rotated, i * d, x2, j * d, d);
                        }
                    }
                }
            });
            double[] fresh = spare != null ? spare : new double[n * m];
            // the last kernel is done with: the new one takes over its storage (and costT, rewritten above)
            DenseLogKernel kernel = costs.next(null);
            rowPotential = Sinkhorn.solve(kernel, b, Double.POSITIVE_INFINITY, a, Double.POSITIVE_INFINITY, sinkhorn,
                    null, rowPotential, fresh).potentials().get(1);
            planT = fresh;
            // one pass: Z1ᵀ P Z2 = Σ_ij P_ij z1_i z2_jᵀ and ‖P − P_prev‖²
            double[] prev = previous;
            double[][] partM = new double[blocks][];
            double[] partChange = new double[blocks];
            Parallel.forEach(blocks, threads, blk -> {
                int from = (int) ((long) n * blk / blocks);
                int to = (int) ((long) n * (blk + 1) / blocks);
                double[] mm = new double[d * d];
                double[] acc = new double[d];
                double ch = 0;
                for (int j = from; j < to; j++) {
                    int off = j * m;
                    java.util.Arrays.fill(acc, 0.0);
                    for (int i = 0; i < m; i++) {
                        double p = fresh[off + i];
                        double t = p - (prev == null ? 0 : prev[off + i]);
                        ch += t * t;
                        for (int k = 0; k < d; k++) {
                            acc[k] += p * x1[i * d + k];
                        }
                    }
                    for (int k = 0; k < d; k++) {
                        for (int c = 0; c < d; c++) {
                            mm[k * d + c] += acc[k] * x2[j * d + c];
                        }
                    }
                }
                partM[blk] = mm;
                partChange[blk] = ch;
            });
            DMatrixRMaj mm = new DMatrixRMaj(d, d);
            double ch = 0;
            for (int blk = 0; blk < blocks; blk++) {
                for (int k = 0; k < d * d; k++) {
                    mm.data[k] += partM[blk][k];
                }
                ch += partChange[blk];
            }
            o = polar(mm);
            it++;
            change = Math.sqrt(ch);
            if (change < tolerance) {
                converged = true;
                break;
            }
            spare = previous;
            previous = planT;
        }
        return new Outcome(planT, o, it, converged, change);
    }

    private static double dot(double[] x, int xo, double[] y, int yo, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += x[xo + k] * y[yo + k];
        }
        return s;
    }
}
