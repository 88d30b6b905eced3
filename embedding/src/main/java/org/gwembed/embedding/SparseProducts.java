package org.gwembed.embedding;

import org.gwembed.metricspaces.Parallel;
import org.gwembed.solvers.DenseBlas;

/**
 * Products of a dense symmetric matrix with a transport plan that is numerically sparse. At small ε the plans
 * P₁, P₂ of EW_λ carry almost all their mass on a few grid points per data point (4–9 % of the entries are above
 * 1e-15 of the largest in the paper's roll setting): entries below {@link #DROP} times the plan's largest entry
 * change {@code D₁ P₁} by less than {@code n · DROP} relative, far below what any stopping rule resolves.
 *
 * <p>Two savings, both exact to that level: grid points whose whole plan column (row for P₂) is below the drop
 * threshold are left out of the product (their output is zero), and when few entries remain the product runs as
 * sparse row updates instead of a dense GEMM. Which of GEMM and sparse updates is faster depends on the BLAS:
 * measured on 2 cores, native OpenBLAS ran the n = 2000 product at ~36 GFLOPS and beat the sparse loop (~1.6
 * GFLOPS) above ~4 % fill; the pure-Java BLAS runs at ~2.5 GFLOPS, so there the sparse loop wins up to ~50 %.
 */
final class SparseProducts {

    /** Relative size below which a plan entry is skipped. */
    static final double DROP = 1e-15;

    /** Use the sparse path when at most this fraction of the entries is kept (see the class comment). */
    static final double MAX_FILL = DenseBlas.isNative() ? 0.04 : 0.5;

    private SparseProducts() {
    }

    /**
     * {@code out = D · P} for symmetric {@code D} ({@code n × n}) and {@code P} ({@code n × cols}), all row-major.
     */
    static void symmetricTimesPlan(double[] d, int n, double[] p, int cols, double[] out, int threads) {
        double max = 0;
        for (double v : p) {
            max = Math.max(max, Math.abs(v));
        }
        double drop = DROP * max;
        // column-compressed copy of P: for each column k, the rows i with |P(i, k)| > drop
        int[] count = new int[cols + 1];
        long kept = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < cols; k++) {
                if (Math.abs(p[i * cols + k]) > drop) {
                    count[k + 1]++;
                    kept++;
                }
            }
        }
        if (kept > MAX_FILL * n * (long) cols) {
            denseOnActiveColumns(d, n, p, cols, out, count);
            return;
        }
        for (int k = 0; k < cols; k++) {
            count[k + 1] += count[k];
        }
        int[] fill = count.clone();
        int[] rows = new int[(int) kept];
        double[] values = new double[(int) kept];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < cols; k++) {
                double v = p[i * cols + k];
                if (Math.abs(v) > drop) {
                    int at = fill[k]++;
                    rows[at] = i;
                    values[at] = v;
                }
            }
        }
        // (D P)ᵀ row k = Σ_i P(i, k) D(i, ·)  (D symmetric): contiguous axpys, parallel over k
        double[] transposed = new double[cols * n];
        Parallel.forRange(cols, threads, (long) n * Math.max(1, kept / Math.max(1, cols)), (from, to) -> {
            for (int k = from; k < to; k++) {
                int off = k * n;
                for (int t = count[k]; t < count[k + 1]; t++) {
                    double v = values[t];
                    int row = rows[t] * n;
                    for (int j = 0; j < n; j++) {
                        transposed[off + j] += v * d[row + j];
                    }
                }
            }
        });
        for (int k = 0; k < cols; k++) {
            for (int j = 0; j < n; j++) {
                out[j * cols + k] = transposed[k * n + j];
            }
        }
    }

    /**
     * {@code out = P · D} for {@code P} ({@code rows × n}) and symmetric {@code D} ({@code n × n}): the transpose of
     * {@link #symmetricTimesPlan} applied to {@code Pᵀ}.
     */
    static void planTimesSymmetric(double[] p, int rows, double[] d, int n, double[] out, int threads) {
        double max = 0;
        for (double v : p) {
            max = Math.max(max, Math.abs(v));
        }
        double drop = DROP * max;
        long kept = 0;
        for (double v : p) {
            if (Math.abs(v) > drop) {
                kept++;
            }
        }
        if (kept > MAX_FILL * rows * (long) n) {
            denseOnActiveRows(p, rows, d, n, out, drop);
            return;
        }
        // row r of P D = Σ_j P(r, j) D(j, ·): contiguous axpys, parallel over rows
        long perRow = Math.max(1, kept / Math.max(1, rows));
        Parallel.forRange(rows, threads, (long) n * perRow, (from, to) -> {
            for (int r = from; r < to; r++) {
                int off = r * n;
                java.util.Arrays.fill(out, off, off + n, 0.0);
                for (int j = 0; j < n; j++) {
                    double v = p[off + j];
                    if (Math.abs(v) > drop) {
                        int row = j * n;
                        for (int c = 0; c < n; c++) {
                            out[off + c] += v * d[row + c];
                        }
                    }
                }
            }
        });
    }

    /** D · P through BLAS on the columns of P that hold any kept entry ({@code count[k+1] > count[k]}). */
    private static void denseOnActiveColumns(double[] d, int n, double[] p, int cols, double[] out, int[] count) {
        int active = 0;
        int[] map = new int[cols];
        for (int k = 0; k < cols; k++) {
            if (count[k + 1] > 0) {
                map[active++] = k;
            }
        }
        if (active == cols) {
            DenseBlas.gemm(n, cols, n, 1.0, d, p, 0.0, out);
            return;
        }
        double[] compact = new double[n * active];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < active; a++) {
                compact[i * active + a] = p[i * cols + map[a]];
            }
        }
        double[] product = new double[n * active];
        DenseBlas.gemm(n, active, n, 1.0, d, compact, 0.0, product);
        java.util.Arrays.fill(out, 0, n * cols, 0.0);
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < active; a++) {
                out[i * cols + map[a]] = product[i * active + a];
            }
        }
    }

    /** P · D through BLAS on the rows of P that hold any entry above {@code drop}. */
    private static void denseOnActiveRows(double[] p, int rows, double[] d, int n, double[] out, double drop) {
        int active = 0;
        int[] map = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                if (Math.abs(p[r * n + j]) > drop) {
                    map[active++] = r;
                    break;
                }
            }
        }
        if (active == rows) {
            DenseBlas.gemm(rows, n, n, 1.0, p, d, 0.0, out);
            return;
        }
        double[] compact = new double[active * n];
        for (int a = 0; a < active; a++) {
            System.arraycopy(p, map[a] * n, compact, a * n, n);
        }
        double[] product = new double[active * n];
        DenseBlas.gemm(active, n, n, 1.0, compact, d, 0.0, product);
        java.util.Arrays.fill(out, 0, rows * n, 0.0);
        for (int a = 0; a < active; a++) {
            System.arraycopy(product, a * n, out, map[a] * n, n);
        }
    }
}
