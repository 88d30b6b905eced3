package org.gwembed.solvers;

import java.util.Arrays;

import org.gwembed.core.Parallel;
import org.gwembed.core.Require;

/**
 * One side of the square-loss Gromov–Wasserstein terms of EW_λ at a plan {@code P} ({@code rows × cols}) of a
 * {@link GromovProduct} with matrices A and B (METHOD.md §3): the product {@code M = A P Bᵀ}, the objective's term
 * <pre>
 *   G(A, B; P) = pᵀ (A∘A) p + qᵀ (B∘B) q − 2 ⟨M, P⟩,     p = P1, q = Pᵀ1,
 * </pre>
 * and the linearised cost {@code r 1ᵀ + 1 cᵀ − 2 M} for given marginal terms {@code r}, {@code c} (EW_λ's
 * {@code C₁₂} has {@code r = (D₁∘D₁) ξ₁}, {@code c = (D_X∘D_X) ζ₁}), shifted to minimum 0 and scaled. One pass over
 * the plan and its product after each {@link #update} gathers all of it: the plan's row and column sums,
 * {@code ⟨M, P⟩} and the linearised cost's range. Keeps {@code M} between updates. Not for concurrent use.
 */
public final class GromovLinearisation {

    private final GromovProduct product;
    private final int rows;
    private final int cols;
    private final int threads;
    private final double[] m;
    private double[] rowTerm;
    private double[] colTerm;
    private double[] rowSums;
    private double[] colSums;
    private double cross;
    private double min;
    private double max;

    public GromovLinearisation(GromovProduct product, int threads) {
        this.product = Require.nonNull(product, "product");
        this.rows = product.leftSize();
        this.cols = product.rightSize();
        this.threads = Require.atLeast(threads, 1, "threads");
        this.m = new double[Math.multiplyExact(rows, cols)];
    }

    /** Bytes a linearisation of a {@code rows × cols} plan keeps: its product M. */
    public static long bytes(int rows, int cols) {
        return 8L * rows * cols;
    }

    /**
     * Recomputes {@code M = A P Bᵀ} for {@code plan} (largest {@code |entry|} {@code largest}, NaN if not known) and
     * the pass over both, with the linearised cost's marginal terms {@code rowTerm} ({@code rows} entries) and
     * {@code colTerm} ({@code cols}), which are kept (not copied) until the next update.
     */
    public void update(double[] plan, double largest, double[] rowTerm, double[] colTerm) {
        product.multiply(plan, largest, m);
        this.rowTerm = rowTerm;
        this.colTerm = colTerm;
        pass(plan);
    }

    /** {@code G(A, B; P)} at the last update's plan, with its own marginals. */
    public double objective() {
        return product.squaredFormLeft(rowSums) + product.squaredFormRight(colSums) - 2 * cross;
    }

    /** The smallest entry of the unshifted linearised cost {@code r 1ᵀ + 1 cᵀ − 2 M}. */
    public double min() {
        return min;
    }

    /** The largest entry of the unshifted linearised cost. */
    public double max() {
        return max;
    }

    /**
     * {@code out(r, c) = ((rowTerm[r] + colTerm[c] − 2 M(r, c) − min) · factor) · inv}: the linearised cost shifted to
     * minimum 0, then scaled, in this order (the unshifted entry is the very value whose range the pass took, so
     * the shifted entries are ≥ 0 and the largest is {@code ((max − min) · factor) · inv}). With {@code w} non-null
     * also {@code columnMax[c] = max_r (w[r] − out(r, c) · invEps)}, evaluated as {@link DenseLogKernel} does (the
     * column maxima of its kernel for the row input {@code w}, taken in the same pass).
     */
    public void writeCost(double factor, double inv, double[] out, double[] w, double invEps, double[] columnMax) {
        if (out.length < (long) rows * cols) {
            throw new IllegalArgumentException("cost output has " + out.length + " entries, needs " + rows + "x"
                    + cols);
        }
        double lo = min;
        if (columnMax != null) {
            Arrays.fill(columnMax, Double.NEGATIVE_INFINITY);
        }
        Parallel.forRange(rows, threads, cols, (from, to) -> {
            double[] local = columnMax == null ? null : new double[cols];
            if (local != null) {
                Arrays.fill(local, Double.NEGATIVE_INFINITY);
            }
            for (int r = from; r < to; r++) {
                int off = r * cols;
                double rt = rowTerm[r];
                for (int c = 0; c < cols; c++) {
                    double v = rt + colTerm[c] - 2 * m[off + c];
                    double cost = ((v - lo) * factor) * inv;
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

    /** Plan rows per block of {@link #pass} (fewer blocks than {@link #MAX_BLOCKS} allows). */
    static final int ROWS_PER_BLOCK = 32;
    /** Most blocks of {@link #pass}: bounds its per-block column sums to {@code MAX_BLOCKS · cols} doubles. */
    static final int MAX_BLOCKS = 64;

    /**
     * The blocks of rows whose partial column sums and {@code ⟨M, P⟩} {@link #pass} adds, in order: a function of
     * the plan's size only, never of the thread count, so that the sums, and with them every result of EW_λ, are
     * bit-identical for any number of threads (issue 17; with {@code 4 · threads} blocks, 1 and 2 threads gave G
     * terms differing in the last digits).
     */
    static int passBlocks(int rows) {
        return Math.max(1, Math.min(MAX_BLOCKS, (rows + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK));
    }

    /** Row and column sums of the plan, {@code ⟨M, P⟩} and the linearised cost's range, in one parallel pass. */
    private void pass(double[] p) {
        double[] rs = new double[rows];
        int blocks = passBlocks(rows);
        double[][] colParts = new double[blocks][cols];
        double[] crossParts = new double[blocks];
        double[] mins = new double[blocks];
        double[] maxs = new double[blocks];
        Parallel.forEach(blocks, threads, b -> {
            double[] cs = colParts[b];
            double x = 0;
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
                    cs[j] += v;
                    x += mj * v;
                    double c = rt + colTerm[j] - 2 * mj;
                    lo = Math.min(lo, c);
                    hi = Math.max(hi, c);
                }
                rs[i] = r;
            }
            crossParts[b] = x;
            mins[b] = lo;
            maxs[b] = hi;
        });
        double[] cs = new double[cols];
        double x = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < cols; j++) {
                cs[j] += colParts[b][j];
            }
            x += crossParts[b];
            lo = Math.min(lo, mins[b]);
            hi = Math.max(hi, maxs[b]);
        }
        rowSums = rs;
        colSums = cs;
        cross = x;
        min = lo;
        max = hi;
    }
}
