package org.gwembed.embedding;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;
import org.gwembed.solvers.DenseLapack;

/**
 * Metric multidimensional scaling by SMACOF (majorisation with the Guttman transform), unweighted and weighted, as
 * JointMDS's {@code utils/mds.py} computes it (METHOD.md §7).
 *
 * <p>For dissimilarities {@code Δ} ({@code N × N}, symmetric, zero diagonal), non-negative symmetric weights
 * {@code W} (all ones when unweighted) and a configuration {@code X} ({@code N × d}) the stress is
 * <pre>
 *   σ(X) = ½ Σ_{p,q} W_pq (‖x_p − x_q‖ − Δ_pq)²          (both triangles: the sum over pairs p &lt; q)
 * </pre>
 * and one Guttman transform is {@code X ← V⁺ B(X) X} with {@code B_pq = −W_pq Δ_pq / ‖x_p − x_q‖} (0 where the
 * distance is 0), {@code B_pp = −Σ_{q≠p} B_pq}, {@code V = diag(W1) − W} and
 * {@code V⁺ = (V + 11ᵀ/N)⁻¹ − 11ᵀ/N}; unweighted {@code V⁺ B X = B X / N}. The stress never increases.
 *
 * <p><b>Stopping rule (the reference's, verbatim).</b> Iteration {@code k} evaluates {@code σ_k = σ(X_k)}, applies
 * the transform, and divides by the new configuration's {@code Σ_p ‖x_p‖} (a sum of row norms, not a Frobenius
 * norm): {@code s_k = σ_k / Σ_p ‖x^{(k+1)}_p‖}. It stops after the transform when {@code s_{k−1} − s_k < tol}
 * (default 1e-3), else after {@code maxIterations} (default 300) transforms. Note that this is an absolute difference
 * of normalised stresses: with probability weights ({@code W ~ 1/N²}) {@code s_k} is tiny and the rule fires at the
 * second transform, which is what the reference does inside JointMDS.
 *
 * <p><b>Cost.</b> Each transform is {@code O(N²)} (distances and {@code B X}, parallel over rows). The weighted
 * variant factors {@code V + 11ᵀ/N} (symmetric positive definite when the weight graph is connected) once per run by
 * Cholesky and solves for the {@code d} right-hand sides at every transform; no inverse is formed. The reference
 * forms {@code V⁺} explicitly with {@code torch.inverse}.
 */
public final class Smacof {

    private Smacof() {
    }

    /**
     * Which Cholesky factorisation the weighted variant uses. Measured at N = 2094 (SNAREseq's joint problem) on a
     * 2-core machine: native LAPACK (OpenBLAS) {@code dpotrf} 0.19–0.22 s, EJML's block Cholesky 1.34–1.61 s, the
     * pure-Java netlib fallback (F2J) 2.6–2.9 s; hence {@link #AUTO}.
     */
    public enum Factorization {
        /** {@link #LAPACK} when a native LAPACK is loaded ({@link DenseLapack#isNative()}), else {@link #EJML}. */
        AUTO,
        /** {@code dpotrf}/{@code dpotrs} through {@link DenseLapack} (native LAPACK when installed). */
        LAPACK,
        /** EJML's {@code LinearSolverFactory_DDRM.chol} (pure Java). */
        EJML
    }

    /** Why a run ended. */
    public enum StopReason {
        /** The reference's stress-decrease rule fired. */
        CONVERGED,
        /** {@code maxIterations} transforms were applied first. */
        MAX_ITERATIONS,
        /**
         * {@code V + 11ᵀ/N} was not numerically positive definite (the weight graph is disconnected); no transform
         * was applied and the start configuration is returned.
         */
        NOT_POSITIVE_DEFINITE
    }

    /**
     * Settings (the reference's {@code smacof(max_iter=300, eps=1e-3)}).
     *
     * @param maxIterations  transforms per run, {@code >= 1}
     * @param tolerance      the stopping threshold on the normalised stress decrease, {@code > 0}
     * @param factorization  the Cholesky used by the weighted variant
     * @param threads        worker threads for the {@code O(N²)} loops, {@code >= 1}
     */
    public record Options(int maxIterations, double tolerance, Factorization factorization, int threads) {

        /** Validates the settings. */
        public Options {
            Require.atLeast(maxIterations, 1, "maxIterations");
            Require.positive(tolerance, "tolerance");
            Require.nonNull(factorization, "factorization");
            Require.atLeast(threads, 1, "threads");
        }

        /** 300 transforms, tolerance 1e-3, {@link Factorization#AUTO}, all processors. */
        public static Options defaults() {
            return new Builder().build();
        }

        /** A copy with another iteration limit. */
        public Options withMaxIterations(int n) {
            return with(b -> b.maxIterations = n);
        }

        /** A copy with another tolerance. */
        public Options withTolerance(double t) {
            return with(b -> b.tolerance = t);
        }

        /** A copy with another factorisation. */
        public Options withFactorization(Factorization f) {
            return with(b -> b.factorization = f);
        }

        /** A copy with another thread count. */
        public Options withThreads(int t) {
            return with(b -> b.threads = t);
        }

        private Options with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /** The settings as mutable fields, initialised to {@link #defaults}: the one caller of the constructor. */
        private static final class Builder {
            int maxIterations = 300;
            double tolerance = 1e-3;
            Factorization factorization = Factorization.AUTO;
            int threads = Parallel.defaultThreads();

            Builder() {
            }

            Builder(Options o) {
                maxIterations = o.maxIterations;
                tolerance = o.tolerance;
                factorization = o.factorization;
                threads = o.threads;
            }

            Options build() {
                return new Options(maxIterations, tolerance, factorization, threads);
            }
        }
    }

    /**
     * The outcome of one run.
     *
     * @param configuration  the final {@code X} ({@code N × d}), after the last transform
     * @param stressHistory  {@code σ(X_0), σ(X_1), ..., σ(X_k)}: the start, every transform's result, the last entry
     *                       being the returned configuration's stress ({@code iterations + 1} entries)
     * @param iterations     Guttman transforms applied
     * @param stopReason     why the run ended
     * @param factorSeconds  wall time of the Cholesky factorisation (0 when unweighted)
     */
    public record Result(DMatrixRMaj configuration, double[] stressHistory, int iterations, StopReason stopReason,
            double factorSeconds) {

        /** The returned configuration's stress. */
        public double stress() {
            return stressHistory[stressHistory.length - 1];
        }

        /**
         * The stress the reference returns: that of the configuration before the last transform (the value its
         * {@code n_init} selection compares).
         */
        public double referenceStress() {
            return stressHistory[Math.max(0, stressHistory.length - 2)];
        }

        /** Whether the stopping rule fired. */
        public boolean converged() {
            return stopReason == StopReason.CONVERGED;
        }
    }

    /**
     * Unweighted SMACOF from {@code initializations} random starts (entries uniform in [0, 1), drawn from
     * {@code random} one start after the other, as {@code X.uniform_()}); the run with the smallest
     * {@link Result#referenceStress()} wins (the reference's {@code n_init} rule).
     *
     * @param dissimilarities {@code N × N}, symmetric, finite, zero diagonal; not modified
     * @param random          advanced by {@code initializations · N · dimensions} draws
     * @throws IllegalArgumentException for bad shapes or values (the message names the argument)
     */
    public static Result unweighted(DMatrixRMaj dissimilarities, int dimensions, int initializations,
            RandomGenerator random, Options options) {
        int n = checkDissimilarities(dissimilarities);
        Require.atLeast(dimensions, 1, "dimensions");
        Require.atLeast(initializations, 1, "initializations");
        Require.nonNull(random, "random");
        Require.nonNull(options, "options");
        Result best = null;
        for (int s = 0; s < initializations; s++) {
            double[] x = new double[n * dimensions];
            for (int k = 0; k < x.length; k++) {
                x[k] = random.nextDouble();
            }
            Result r = run(dissimilarities.data, null, n, x, dimensions, options);
            if (best == null || r.referenceStress() < best.referenceStress()) {
                best = r;
            }
        }
        return best;
    }

    /**
     * Unweighted SMACOF started at {@code init} ({@code N × d}; not modified).
     *
     * @throws IllegalArgumentException for bad shapes or values (the message names the argument)
     */
    public static Result unweighted(DMatrixRMaj dissimilarities, DMatrixRMaj init, Options options) {
        int n = checkDissimilarities(dissimilarities);
        checkInit(init, n);
        Require.nonNull(options, "options");
        return run(dissimilarities.data, null, n, init.data.clone(), init.numCols, options);
    }

    /**
     * Weighted SMACOF started at {@code init}.
     *
     * @param dissimilarities {@code N × N}, symmetric, finite, zero diagonal; not modified
     * @param weights         {@code N × N}, symmetric, finite, {@code >= 0}; not modified
     * @param init            {@code N × d}; not modified
     * @throws IllegalArgumentException for bad shapes or values (the message names the argument)
     */
    public static Result weighted(DMatrixRMaj dissimilarities, DMatrixRMaj weights, DMatrixRMaj init,
            Options options) {
        int n = checkDissimilarities(dissimilarities);
        Require.nonNull(weights, "weights");
        if (weights.numRows != n || weights.numCols != n) {
            throw new IllegalArgumentException("weights is " + weights.numRows + "x" + weights.numCols
                    + " but dissimilarities is " + n + "x" + n);
        }
        double top = 0;
        for (int k = 0; k < n * n; k++) {
            double w = weights.data[k];
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("weights[" + (k / n) + "," + (k % n) + "] must be >= 0 and finite, got "
                        + w);
            }
            top = Math.max(top, w);
        }
        checkSymmetric(weights.data, n, 1e-12 * top, "weights");
        checkInit(init, n);
        Require.nonNull(options, "options");
        return run(dissimilarities.data, weights.data, n, init.data.clone(), init.numCols, options);
    }

    /** The stress {@code ½ Σ_{p,q} W_pq (‖x_p − x_q‖ − Δ_pq)²} ({@code weights} may be {@code null}: all ones). */
    public static double stress(DMatrixRMaj dissimilarities, DMatrixRMaj weights, DMatrixRMaj x) {
        int n = checkDissimilarities(dissimilarities);
        checkInit(x, n);
        if (weights != null && (weights.numRows != n || weights.numCols != n)) {
            throw new IllegalArgumentException("weights is " + weights.numRows + "x" + weights.numCols
                    + " but dissimilarities is " + n + "x" + n);
        }
        return stressAndB(dissimilarities.data, weights == null ? null : weights.data, n, x.data, x.numCols, null, 1);
    }

    /**
     * The run without validation (the arrays are trusted): {@code delta}, {@code w} (or {@code null}) {@code n × n}
     * row-major, {@code x} {@code n × d} row-major, taken over (modified).
     */
    static Result run(double[] delta, double[] w, int n, double[] x, int d, Options options) {
        int threads = options.threads();
        Factor factor = null;
        double factorSeconds = 0;
        if (w != null) {
            long t0 = System.nanoTime();
            factor = Factor.of(w, n, options.factorization());
            factorSeconds = (System.nanoTime() - t0) * 1e-9;
            if (factor == null) {
                double s = stressAndB(delta, w, n, x, d, null, threads);
                return new Result(new DMatrixRMaj(n, d, true, x), new double[] {s}, 0,
                        StopReason.NOT_POSITIVE_DEFINITE, factorSeconds);
            }
        }
        int max = options.maxIterations();
        double[] history = new double[max + 1];
        double[] bx = new double[n * d];
        double[] work = new double[n * d];
        double old = Double.NaN;
        int it = 0;
        StopReason reason = StopReason.MAX_ITERATIONS;
        while (it < max) {
            double stress = stressAndB(delta, w, n, x, d, bx, threads);
            history[it] = stress;
            if (factor == null) {
                double inv = 1.0 / n;
                for (int k = 0; k < bx.length; k++) {
                    x[k] = bx[k] * inv;
                }
            } else {
                // V⁺ B X = (V + 11ᵀ/N)⁻¹ B X − 11ᵀ/N B X
                double[] colMean = new double[d];
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < d; c++) {
                        colMean[c] += bx[i * d + c];
                    }
                }
                for (int c = 0; c < d; c++) {
                    colMean[c] /= n;
                }
                factor.solve(bx, d, work);
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < d; c++) {
                        x[i * d + c] = bx[i * d + c] - colMean[c];
                    }
                }
            }
            it++;
            double norms = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double v = x[i * d + c];
                    s += v * v;
                }
                norms += Math.sqrt(s);
            }
            double normalised = stress / norms;
            if (it > 1 && old - normalised < options.tolerance()) {
                reason = StopReason.CONVERGED;
                break;
            }
            old = normalised;
        }
        history[it] = stressAndB(delta, w, n, x, d, null, threads);
        return new Result(new DMatrixRMaj(n, d, true, x), java.util.Arrays.copyOf(history, it + 1), it, reason,
                factorSeconds);
    }

    /**
     * The stress at {@code x} and, when {@code bx != null}, {@code B(X) X} into it: {@code (B X)_p =
     * Σ_q r_pq (x_p − x_q)} with {@code r_pq = W_pq Δ_pq / ‖x_p − x_q‖} (0 at distance 0).
     */
    private static double stressAndB(double[] delta, double[] w, int n, double[] x, int d, double[] bx,
            int threads) {
        double[] partial = new double[n];
        if (d == 2) {
            Parallel.forRange(n, threads, n, (from, to) -> {
                for (int p = from; p < to; p++) {
                    int off = p * n;
                    double px = x[2 * p];
                    double py = x[2 * p + 1];
                    double s = 0;
                    double ax = 0;
                    double ay = 0;
                    for (int q = 0; q < n; q++) {
                        double dx = px - x[2 * q];
                        double dy = py - x[2 * q + 1];
                        double dist2 = dx * dx + dy * dy;
                        double del = delta[off + q];
                        double wt = w == null ? 1.0 : w[off + q];
                        if (del == 0) {
                            s += wt * dist2; // no ratio term: B_pq = 0
                            continue;
                        }
                        double dist = Math.sqrt(dist2);
                        double res = dist - del;
                        s += wt * res * res;
                        if (dist != 0) {
                            double ratio = wt * del / dist;
                            ax += ratio * dx;
                            ay += ratio * dy;
                        }
                    }
                    partial[p] = s;
                    if (bx != null) {
                        bx[2 * p] = ax;
                        bx[2 * p + 1] = ay;
                    }
                }
            });
            double total = 0;
            for (double v : partial) {
                total += v;
            }
            return 0.5 * total;
        }
        Parallel.forRange(n, threads, n, (from, to) -> {
            double[] acc = new double[d];
            for (int p = from; p < to; p++) {
                int off = p * n;
                int xp = p * d;
                double s = 0;
                java.util.Arrays.fill(acc, 0.0);
                for (int q = 0; q < n; q++) {
                    int xq = q * d;
                    double dist2 = 0;
                    for (int c = 0; c < d; c++) {
                        double t = x[xp + c] - x[xq + c];
                        dist2 += t * t;
                    }
                    double dist = Math.sqrt(dist2);
                    double del = delta[off + q];
                    double wt = w == null ? 1.0 : w[off + q];
                    double r = dist - del;
                    s += wt * r * r;
                    if (bx != null && dist != 0 && del != 0) {
                        double ratio = wt * del / dist;
                        for (int c = 0; c < d; c++) {
                            acc[c] += ratio * (x[xp + c] - x[xq + c]);
                        }
                    }
                }
                partial[p] = s;
                if (bx != null) {
                    System.arraycopy(acc, 0, bx, xp, d);
                }
            }
        });
        double total = 0;
        for (double s : partial) {
            total += s;
        }
        return 0.5 * total;
    }

    /** A Cholesky factor of {@code V + 11ᵀ/N}. */
    private abstract static class Factor {
        abstract void solve(double[] b, int nrhs, double[] work);

        /** The factor, or {@code null} when the matrix is not numerically positive definite. */
        static Factor of(double[] w, int n, Factorization kind) {
            double[] v = new double[n * n];
            double shift = 1.0 / n;
            for (int p = 0; p < n; p++) {
                int off = p * n;
                double row = 0;
                for (int q = 0; q < n; q++) {
                    if (q != p) {
                        row += w[off + q];
                    }
                    v[off + q] = shift - w[off + q];
                }
                v[off + p] = shift + row;
            }
            boolean lapack = kind == Factorization.LAPACK || (kind == Factorization.AUTO && DenseLapack.isNative());
            if (lapack) {
                if (DenseLapack.choleskyFactor(n, v) != 0) {
                    return null;
                }
                return new Factor() {
                    @Override
                    void solve(double[] b, int nrhs, double[] work) {
                        DenseLapack.choleskySolve(n, v, nrhs, b, work);
                    }
                };
            }
            LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(n);
            if (!solver.setA(DMatrixRMaj.wrap(n, n, v))) {
                return null;
            }
            return new Factor() {
                @Override
                void solve(double[] b, int nrhs, double[] work) {
                    DMatrixRMaj rhs = DMatrixRMaj.wrap(n, nrhs, b.clone());
                    DMatrixRMaj out = DMatrixRMaj.wrap(n, nrhs, b);
                    solver.solve(rhs, out);
                }
            };
        }
    }

    private static int checkDissimilarities(DMatrixRMaj delta) {
        Require.nonNull(delta, "dissimilarities");
        int n = delta.numRows;
        if (delta.numCols != n || n < 2) {
            throw new IllegalArgumentException("dissimilarities must be square with at least 2 rows, got "
                    + delta.numRows + "x" + delta.numCols);
        }
        double top = 0;
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                double v = delta.data[p * n + q];
                if (!(v >= 0) || !Double.isFinite(v)) {
                    throw new IllegalArgumentException("dissimilarities[" + p + "," + q
                            + "] must be >= 0 and finite, got " + v);
                }
                top = Math.max(top, v);
            }
            if (delta.data[p * n + p] != 0) {
                throw new IllegalArgumentException("dissimilarities[" + p + "," + p + "] must be 0, got "
                        + delta.data[p * n + p]);
            }
        }
        checkSymmetric(delta.data, n, 1e-9 * top, "dissimilarities");
        return n;
    }

    private static void checkSymmetric(double[] a, int n, double tol, String name) {
        for (int p = 0; p < n; p++) {
            for (int q = p + 1; q < n; q++) {
                if (Math.abs(a[p * n + q] - a[q * n + p]) > tol) {
                    throw new IllegalArgumentException(name + " must be symmetric, but [" + p + "," + q + "] = "
                            + a[p * n + q] + " and [" + q + "," + p + "] = " + a[q * n + p]);
                }
            }
        }
    }

    private static void checkInit(DMatrixRMaj init, int n) {
        Require.nonNull(init, "init");
        if (init.numRows != n || init.numCols < 1) {
            throw new IllegalArgumentException("init is " + init.numRows + "x" + init.numCols + " but needs " + n
                    + " rows (one per point) and at least 1 column");
        }
        for (int k = 0; k < init.getNumElements(); k++) {
            if (!Double.isFinite(init.data[k])) {
                throw new IllegalArgumentException("init[" + (k / init.numCols) + "," + (k % init.numCols)
                        + "] must be finite, got " + init.data[k]);
            }
        }
    }
}
