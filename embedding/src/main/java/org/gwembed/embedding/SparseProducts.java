package org.gwembed.embedding;

import java.util.Arrays;

import org.gwembed.metricspaces.Parallel;
import org.gwembed.solvers.DenseBlas;

/**
 * Products of a dense symmetric matrix with a transport plan that is numerically sparse. At small ε the plans
 * P₁, P₂ of EW_λ carry almost all their mass on a few grid points per data point: on the paper's rolls (2000
 * vertices, distances scaled to max 1, 30×30 grid, λ 50, ε 6e-4 relative) 6–7 % of the entries are above 1e-15 of
 * the largest after 40 outer iterations, and 40 % of the grid points hold no such entry at all. Entries below
 * {@link #DROP} times the plan's largest entry change {@code D₁ P₁} by less than {@code n · DROP} relative, far
 * below what any stopping rule resolves.
 *
 * <p>Two savings, both exact to that level: grid points whose whole plan column (row for P₂) is below the drop
 * threshold are left out (their output is zero, which {@link #activeGridPoints} reports so that the following
 * product with D_X can skip them too), and when few entries remain the product runs as sparse row updates
 * instead of a dense GEMM. The sparse loop is blocked over the output's columns so that the slab of {@code D} it
 * reads stays in the core's L2 cache, and accumulates each output segment in place; hand-written because no
 * library we use has a sparse × dense product (EJML's sparse matrices multiply sparse by sparse).
 */
final class SparseProducts {

    /** Relative size below which a plan entry is skipped. */
    static final double DROP = 1e-15;

    /**
     * Use the sparse loop when the kept entries are at most this fraction of the dense work on the active grid
     * points. Measured on 2 cores (2000 × 2000 distances, 900 grid points): the blocked loop runs at ~1/6 of
     * native OpenBLAS's GEMM speed (so at 7 % fill with 57 % of the grid active it takes 167 ms against 230 ms for
     * GEMM on the active columns and 405 ms for the full GEMM, all measured under the same load) and beats the
     * pure-Java BLAS (~2.5 GFLOPS) outright.
     */
    static final double SPARSE_RATIO = DenseBlas.isNative() ? 0.15 : 1.0;

    /**
     * Columns of {@code D} per block, packed contiguously (2000 rows × 128 doubles = 2 MiB, in L3). Measured on
     * 2 cores for 2000 × 900 plans at 7 % fill: 48 (in L2) 185 ms, 128 167 ms, 256 200 ms; unrolling by eight
     * entries instead of four was slower (240 ms).
     */
    private static final int BLOCK = 128;

    private SparseProducts() {
    }

    /** The compressed non-negligible entries of a plan, grouped by grid point. */
    private record Compressed(int[] start, int[] index, double[] value, int active) {
    }

    /**
     * {@code out = D · P} for symmetric {@code D} ({@code n × n}) and {@code P} ({@code n × cols}), all row-major.
     *
     * @return which columns of {@code out} may be non-zero (the others are exactly zero)
     */
    static boolean[] symmetricTimesPlan(double[] d, int n, double[] p, int cols, double[] out, int threads) {
        Compressed c = compress(p, n, cols, true);
        boolean[] active = activeFlags(c, cols);
        if (c.index.length > SPARSE_RATIO * n * (long) c.active) {
            denseOnActiveColumns(d, n, p, cols, out, active, c.active);
        } else {
            // (D P)(j, k) = Σ_i P(i, k) D(i, j)  (D symmetric): output column k, written with stride cols
            blocked(d, n, c, cols, out, 1, cols, threads);
        }
        return active;
    }

    /**
     * {@code out = P · D} for {@code P} ({@code rows × n}) and symmetric {@code D} ({@code n × n}).
     *
     * @return which rows of {@code out} may be non-zero (the others are exactly zero)
     */
    static boolean[] planTimesSymmetric(double[] p, int rows, double[] d, int n, double[] out, int threads) {
        Compressed c = compress(p, rows, n, false);
        boolean[] active = activeFlags(c, rows);
        if (c.index.length > SPARSE_RATIO * n * (long) c.active) {
            denseOnActiveRows(p, rows, d, n, out, active, c.active);
        } else {
            // (P D)(r, j) = Σ_i P(r, i) D(i, j): output row r, contiguous
            blocked(d, n, c, rows, out, n, 1, threads);
        }
        return active;
    }

    /**
     * Keeps the entries above {@code DROP · max|P|}, grouped by column ({@code byColumn}) or by row: group g's
     * entries are {@code index/value[start[g] .. start[g+1])}, with {@code index} the position along the other
     * axis.
     */
    private static Compressed compress(double[] p, int rows, int cols, boolean byColumn) {
        double max = 0;
        for (double v : p) {
            max = Math.max(max, Math.abs(v));
        }
        double drop = DROP * max;
        int groups = byColumn ? cols : rows;
        int[] start = new int[groups + 1];
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            for (int k = 0; k < cols; k++) {
                if (Math.abs(p[off + k]) > drop) {
                    start[(byColumn ? k : i) + 1]++;
                }
            }
        }
        int active = 0;
        for (int g = 0; g < groups; g++) {
            if (start[g + 1] > 0) {
                active++;
            }
            start[g + 1] += start[g];
        }
        int[] fill = Arrays.copyOf(start, groups);
        int[] index = new int[start[groups]];
        double[] value = new double[start[groups]];
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            for (int k = 0; k < cols; k++) {
                double v = p[off + k];
                if (Math.abs(v) > drop) {
                    int at = fill[byColumn ? k : i]++;
                    index[at] = byColumn ? i : k;
                    value[at] = v;
                }
            }
        }
        return new Compressed(start, index, value, active);
    }

    private static boolean[] activeFlags(Compressed c, int groups) {
        boolean[] active = new boolean[groups];
        for (int g = 0; g < groups; g++) {
            active[g] = c.start[g + 1] > c.start[g];
        }
        return active;
    }

    /**
     * For every group g and output position j: {@code out[g · groupStride + j · posStride] = Σ_t value_t D(index_t,
     * j)} over g's entries. Parallel over blocks of {@link #BLOCK} positions; within a block each group's sums are
     * accumulated in a small array (vectorised by the JIT) from rows of the block's slab of {@code D}.
     */
    private static void blocked(double[] d, int n, Compressed c, int groups, double[] out, int groupStride,
            int posStride, int threads) {
        int blocks = (n + BLOCK - 1) / BLOCK;
        long perBlock = Math.max(1, (long) c.index.length * BLOCK / Math.max(1, blocks));
        int[] start = c.start;
        int[] index = c.index;
        double[] value = c.value;
        Parallel.forRange(blocks, threads, perBlock, (from, to) -> {
            double[] acc = new double[BLOCK];
            double[] slab = new double[n * BLOCK];
            for (int b = from; b < to; b++) {
                int j0 = b * BLOCK;
                int width = Math.min(BLOCK, n - j0);
                // pack D(·, j0 .. j0+width) contiguously: rows of D are 8n bytes apart, a page or more each, and
                // reading them in place thrashes the TLB
                for (int i = 0; i < n; i++) {
                    System.arraycopy(d, i * n + j0, slab, i * width, width);
                }
                for (int g = 0; g < groups; g++) {
                    Arrays.fill(acc, 0, width, 0.0);
                    int t = start[g];
                    int end = start[g + 1];
                    // four entries per pass: one load and store of acc per four multiply-adds
                    for (; t + 3 < end; t += 4) {
                        double v0 = value[t];
                        double v1 = value[t + 1];
                        double v2 = value[t + 2];
                        double v3 = value[t + 3];
                        int r0 = index[t] * width;
                        int r1 = index[t + 1] * width;
                        int r2 = index[t + 2] * width;
                        int r3 = index[t + 3] * width;
                        for (int jj = 0; jj < width; jj++) {
                            acc[jj] += v0 * slab[r0 + jj] + v1 * slab[r1 + jj] + v2 * slab[r2 + jj]
                                    + v3 * slab[r3 + jj];
                        }
                    }
                    for (; t < end; t++) {
                        double v = value[t];
                        int row = index[t] * width;
                        for (int jj = 0; jj < width; jj++) {
                            acc[jj] += v * slab[row + jj];
                        }
                    }
                    int base = g * groupStride + j0 * posStride;
                    for (int jj = 0; jj < width; jj++) {
                        out[base + jj * posStride] = acc[jj];
                    }
                }
            }
        });
    }

    /** D · P through BLAS on the active columns of P. */
    private static void denseOnActiveColumns(double[] d, int n, double[] p, int cols, double[] out, boolean[] active,
            int count) {
        if (count == cols) {
            DenseBlas.gemm(n, cols, n, 1.0, d, p, 0.0, out);
            return;
        }
        int[] map = indices(active, count);
        double[] compact = new double[n * count];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < count; a++) {
                compact[i * count + a] = p[i * cols + map[a]];
            }
        }
        double[] product = new double[n * count];
        DenseBlas.gemm(n, count, n, 1.0, d, compact, 0.0, product);
        Arrays.fill(out, 0, n * cols, 0.0);
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < count; a++) {
                out[i * cols + map[a]] = product[i * count + a];
            }
        }
    }

    /** P · D through BLAS on the active rows of P. */
    private static void denseOnActiveRows(double[] p, int rows, double[] d, int n, double[] out, boolean[] active,
            int count) {
        if (count == rows) {
            DenseBlas.gemm(rows, n, n, 1.0, p, d, 0.0, out);
            return;
        }
        int[] map = indices(active, count);
        double[] compact = new double[count * n];
        for (int a = 0; a < count; a++) {
            System.arraycopy(p, map[a] * n, compact, a * n, n);
        }
        double[] product = new double[count * n];
        DenseBlas.gemm(count, n, n, 1.0, compact, d, 0.0, product);
        Arrays.fill(out, 0, rows * n, 0.0);
        for (int a = 0; a < count; a++) {
            System.arraycopy(product, a * n, out, map[a] * n, n);
        }
    }

    /**
     * {@code out = Q · D} for {@code Q} ({@code rows × N}) whose columns outside {@code active} are zero and
     * symmetric {@code D} ({@code N × N}): one GEMM over the {@code count} active columns of Q and rows of D.
     */
    static void activeTimesSymmetric(double[] q, int rows, double[] d, int big, boolean[] active, int count,
            double[] out) {
        int[] map = indices(active, count);
        double[] qa = new double[rows * count];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < count; a++) {
                qa[i * count + a] = q[i * big + map[a]];
            }
        }
        double[] da = new double[count * big];
        for (int a = 0; a < count; a++) {
            System.arraycopy(d, map[a] * big, da, a * big, big);
        }
        DenseBlas.gemm(rows, big, count, 1.0, qa, da, 0.0, out);
    }

    /**
     * {@code out = D · Q} for symmetric {@code D} ({@code N × N}) and {@code Q} ({@code N × cols}) whose rows
     * outside {@code active} are zero: {@code D(·, A) = D(A, ·)ᵀ}, one GEMM over the {@code count} active rows.
     */
    static void symmetricTimesActive(double[] d, int big, double[] q, int cols, boolean[] active, int count,
            double[] out) {
        int[] map = indices(active, count);
        double[] da = new double[count * big];
        double[] qa = new double[count * cols];
        for (int a = 0; a < count; a++) {
            System.arraycopy(d, map[a] * big, da, a * big, big);
            System.arraycopy(q, map[a] * cols, qa, a * cols, cols);
        }
        DenseBlas.gemm(true, false, big, cols, count, 1.0, da, qa, 0.0, out);
    }

    /** The positions of the true flags, in order. */
    static int[] indices(boolean[] flags, int count) {
        int[] map = new int[count];
        int a = 0;
        for (int k = 0; k < flags.length; k++) {
            if (flags[k]) {
                map[a++] = k;
            }
        }
        return map;
    }
}
