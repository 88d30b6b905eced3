package org.gwembed.solvers;

import java.util.Arrays;

import org.gwembed.metricspaces.Parallel;
import org.gwembed.metricspaces.Require;

/**
 * A {@link LogKernel} for a dense cost matrix, stabilised by lazy absorption (in the spirit of Schmitzer 2019):
 * for each direction it keeps a reference input {@code W}, the exact log output {@code B} for it, and the
 * normalised kernel {@code K̃_ij = exp(−C_ij/ε + W_j − B_i)} (every row sums to 1, so nothing over- or
 * underflows that matters). An application with input {@code w} then costs one BLAS matrix–vector product:
 * <pre>
 *   out_i = B_i + log Σ_j K̃_ij exp(w_j − W_j),
 * </pre>
 * valid while {@code |w − W| <= }{@link #DRIFT_LIMIT}; beyond that, or when ε changes, the reference is moved to
 * {@code w} and {@code K̃} recomputed ({@code rows · cols} exponentials, in parallel). Near a Sinkhorn fixed point
 * inputs drift slowly, so most applications are plain products: the speed of the scaling domain with the range
 * of the log domain.
 *
 * <p>Memory: the cost plus one normalised kernel per direction used, {@code 3 · rows · cols} doubles at most.
 */
public final class DenseLogKernel implements LogKernel {

    /** Largest {@code |w_j − W_j|} for which the cached kernel is reused (e^30 ≈ 1e13: far from overflow). */
    public static final double DRIFT_LIMIT = 30.0;

    private final int n;
    private final int m;
    private final double[] c;
    private final int threads;
    private final Cache forward = new Cache();   // apply: rows out, cols in
    private final Cache backward = new Cache();  // applyTranspose: cols out, rows in
    private long refreshes;

    private static final class Cache {
        double eps = Double.NaN;
        double[] reference; // W: input at the last refresh
        double[] base;      // B: output at the last refresh
        double[] kernel;    // K̃, rows x cols row-major in both directions
        double[] x;         // scratch: exp(w - W)
        double[] y;         // scratch: product
    }

    /**
     * A kernel over the row-major cost {@code cost} ({@code rows × cols}, finite entries), which is copied.
     *
     * @param threads worker threads for the exponentials (BLAS uses its own)
     */
    public DenseLogKernel(double[] cost, int rows, int cols, int threads) {
        Require.atLeast(rows, 1, "rows");
        Require.atLeast(cols, 1, "cols");
        Require.nonNull(cost, "cost");
        if (cost.length != (long) rows * cols) {
            throw new IllegalArgumentException("cost has " + cost.length + " entries, expected " + rows + "x" + cols);
        }
        for (int k = 0; k < cost.length; k++) {
            if (!Double.isFinite(cost[k])) {
                throw new IllegalArgumentException("cost[" + (k / cols) + "," + (k % cols) + "] must be finite, got "
                        + cost[k]);
            }
        }
        this.n = rows;
        this.m = cols;
        this.c = cost.clone();
        this.threads = Require.atLeast(threads, 1, "threads");
    }

    /** As {@link #DenseLogKernel(double[], int, int, int)} with the default thread count. */
    public DenseLogKernel(double[] cost, int rows, int cols) {
        this(cost, rows, cols, Parallel.defaultThreads());
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public int cols() {
        return m;
    }

    @Override
    public double cost(int i, int j) {
        return c[i * m + j];
    }

    /** How many times a normalised kernel was recomputed (diagnostics). */
    public long refreshes() {
        return refreshes;
    }

    @Override
    public String kind() {
        return "dense";
    }

    @Override
    public void apply(double epsilon, double[] in, double[] out) {
        check(in, m, out, n);
        if (!reuse(forward, epsilon, in)) {
            refreshRows(epsilon, in);
            System.arraycopy(forward.base, 0, out, 0, n);
            return;
        }
        DenseBlas.gemv(false, n, m, forward.kernel, forward.x, forward.y);
        if (!finish(forward, out)) {
            refreshRows(epsilon, in);
            System.arraycopy(forward.base, 0, out, 0, n);
        }
    }

    @Override
    public void applyTranspose(double epsilon, double[] in, double[] out) {
        check(in, n, out, m);
        if (!reuse(backward, epsilon, in)) {
            refreshColumns(epsilon, in);
            System.arraycopy(backward.base, 0, out, 0, m);
            return;
        }
        DenseBlas.gemv(true, n, m, backward.kernel, backward.x, backward.y);
        if (!finish(backward, out)) {
            refreshColumns(epsilon, in);
            System.arraycopy(backward.base, 0, out, 0, m);
        }
    }

    private static void check(double[] in, int inLength, double[] out, int outLength) {
        if (in.length != inLength || out.length != outLength) {
            throw new IllegalArgumentException("kernel input has " + in.length + " entries (expected " + inLength
                    + "), output " + out.length + " (expected " + outLength + ")");
        }
    }

    /** Fills cache.x with exp(w − W) when the cached kernel can be reused; false when a refresh is needed. */
    private static boolean reuse(Cache cache, double eps, double[] w) {
        if (cache.kernel == null || cache.eps != eps) {
            return false;
        }
        double[] ref = cache.reference;
        double[] x = cache.x;
        for (int j = 0; j < w.length; j++) {
            double wj = w[j];
            double rj = ref[j];
            if (wj == Double.NEGATIVE_INFINITY) {
                x[j] = 0;
            } else {
                double d = wj - rj; // +∞ when the reference was −∞: refresh
                if (!(Math.abs(d) <= DRIFT_LIMIT)) {
                    return false;
                }
                x[j] = Math.exp(d);
            }
        }
        return true;
    }

    /** out = B + log y; false when some output lost all its mass and needs a refresh. */
    private static boolean finish(Cache cache, double[] out) {
        double[] y = cache.y;
        double[] b = cache.base;
        for (int i = 0; i < out.length; i++) {
            double yi = y[i];
            if (b[i] == Double.NEGATIVE_INFINITY) {
                out[i] = Double.NEGATIVE_INFINITY;
            } else if (yi > 0 && yi < Double.POSITIVE_INFINITY) {
                out[i] = b[i] + Math.log(yi);
            } else {
                return false;
            }
        }
        return true;
    }

    private void allocate(Cache cache, int inLength, int outLength) {
        if (cache.kernel == null) {
            cache.kernel = new double[n * m];
            cache.reference = new double[inLength];
            cache.base = new double[outLength];
            cache.x = new double[inLength];
            cache.y = new double[outLength];
        }
    }

    /** K̃_ij = exp(−C_ij/ε + W_j − B_i), B_i = log Σ_j exp(−C_ij/ε + W_j). */
    private void refreshRows(double eps, double[] w) {
        refreshes++;
        Cache cache = forward;
        allocate(cache, m, n);
        cache.eps = eps;
        System.arraycopy(w, 0, cache.reference, 0, m);
        double[] k = cache.kernel;
        double[] base = cache.base;
        double inv = 1.0 / eps;
        Parallel.forRange(n, threads, m, (from, to) -> {
            for (int i = from; i < to; i++) {
                int off = i * m;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    double t = w[j] - c[off + j] * inv;
                    k[off + j] = t;
                    if (t > max) {
                        max = t;
                    }
                }
                if (max == Double.NEGATIVE_INFINITY) {
                    Arrays.fill(k, off, off + m, 0.0);
                    base[i] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                double s = 0;
                for (int j = 0; j < m; j++) {
                    double x = k[off + j] - max;
                    double e = x < LogOps.EXP_UNDERFLOW ? 0.0 : Math.exp(x);
                    k[off + j] = e;
                    s += e;
                }
                double invS = 1.0 / s;
                for (int j = 0; j < m; j++) {
                    k[off + j] *= invS;
                }
                base[i] = max + Math.log(s);
            }
        });
    }

    /** K̃_ij = exp(−C_ij/ε + W_i − B_j), B_j = log Σ_i exp(−C_ij/ε + W_i); stored rows x cols. */
    private void refreshColumns(double eps, double[] w) {
        refreshes++;
        Cache cache = backward;
        allocate(cache, n, m);
        cache.eps = eps;
        System.arraycopy(w, 0, cache.reference, 0, n);
        double[] k = cache.kernel;
        double[] base = cache.base;
        double inv = 1.0 / eps;
        Parallel.forRange(m, threads, n, (from, to) -> {
            int width = to - from;
            double[] max = new double[width];
            double[] sum = new double[width];
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (int i = 0; i < n; i++) {
                int off = i * m;
                double wi = w[i];
                for (int j = from; j < to; j++) {
                    double t = wi - c[off + j] * inv;
                    if (t > max[j - from]) {
                        max[j - from] = t;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                int off = i * m;
                double wi = w[i];
                for (int j = from; j < to; j++) {
                    double mj = max[j - from];
                    double x = wi - c[off + j] * inv - mj;
                    double e = (mj == Double.NEGATIVE_INFINITY || x < LogOps.EXP_UNDERFLOW) ? 0 : Math.exp(x);
                    k[off + j] = e;
                    sum[j - from] += e;
                }
            }
            for (int j = from; j < to; j++) {
                double mj = max[j - from];
                base[j] = mj == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : mj + Math.log(sum[j - from]);
            }
            for (int i = 0; i < n; i++) {
                int off = i * m;
                for (int j = from; j < to; j++) {
                    double s = sum[j - from];
                    k[off + j] = s > 0 ? k[off + j] / s : 0;
                }
            }
        });
    }

    @Override
    public double[] plan(double epsilon, double[] left, double[] right) {
        double[] p = new double[n * m];
        double inv = 1.0 / epsilon;
        Parallel.forRange(n, threads, m, (from, to) -> {
            for (int i = from; i < to; i++) {
                int off = i * m;
                double li = left[i];
                for (int j = 0; j < m; j++) {
                    double x = li - c[off + j] * inv + right[j];
                    p[off + j] = x < LogOps.EXP_UNDERFLOW ? 0.0 : Math.exp(x);
                }
            }
        });
        return p;
    }
}
