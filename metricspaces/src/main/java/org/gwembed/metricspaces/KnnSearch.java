package org.gwembed.metricspaces;

import org.gwembed.core.Parallel;
import org.gwembed.core.Require;

/**
 * Exact k-nearest-neighbour search on sparse rows ({@link SparseRows}) by brute force over dot products, without
 * densifying the rows and without an {@code n × n} matrix: every pair is considered (nothing is approximated away).
 *
 * <p><b>How.</b> The rows are transposed once (columns → the rows holding them). For a query row {@code i} the dot
 * products with all rows are accumulated column by column, {@code acc[j] += x_if · x_jf} over the stored entries
 * {@code f} of row {@code i} — {@code Σ_f nnz(column f)} multiply-adds, which for single-cell counts (a few percent
 * non-zero) is far below the dense {@code n·d}. With the rows' sums and squared norms the three metrics follow from
 * {@code acc}: Euclidean {@code √(‖x‖² + ‖y‖² − 2x·y)}, cosine {@code 1 − x·y/(‖x‖‖y‖)}, correlation
 * {@code 1 − (x·y − d x̄ȳ) / (‖x − x̄‖ ‖y − ȳ‖)} (SciPy's {@code cdist} metrics; cosine and correlation clipped to
 * {@code [0, 2]}). For the Euclidean metric every row whose expanded distance is, within a bound on its rounding error
 * ({@code (nnz + 4) 2⁻⁵² (‖x‖² + ‖y‖²)}), no worse than the {@code m}-th is then re-measured exactly (a merge of the
 * two sparse rows), so cancellation in {@code ‖x‖² + ‖y‖² − 2x·y} cannot reorder near neighbours of points far from
 * the origin; the best {@code m} are kept, nearest first, ties by the lower index (as {@link KnnGraph}).
 * Queries run in parallel, one accumulator of {@code n} doubles per worker.
 */
public final class KnnSearch {

    private KnnSearch() {
    }

    /** The neighbour metrics. */
    public enum Metric {
        /** Euclidean distance. */
        EUCLIDEAN,
        /** {@code 1 − cos} of the angle between the rows (SciPy's {@code 'cosine'}); zero rows are refused. */
        COSINE,
        /** {@code 1 −} Pearson correlation of the rows (SciPy's {@code 'correlation'}); constant rows are refused. */
        CORRELATION
    }

    /**
     * Each point's nearest other points.
     *
     * @param index    {@code index[i]}: the {@code m} nearest points {@code j != i}, nearest first
     * @param distance {@code distance[i][t]}: the distance from {@code i} to {@code index[i][t]}
     */
    public record Neighbours(int[][] index, double[][] distance) {
    }

    /**
     * The {@code m} nearest other rows of every row.
     *
     * @param m       neighbours per row, {@code 0 <= m <= rows - 1}
     * @param threads worker threads, {@code >= 1}
     * @throws IllegalArgumentException if {@code m} is out of range, or a row is zero (cosine) or constant
     *                                  (correlation); the message names the row
     */
    public static Neighbours search(SparseRows x, int m, Metric metric, int threads) {
        Require.nonNull(x, "x");
        Require.nonNull(metric, "metric");
        Require.atLeast(threads, 1, "threads");
        int n = x.rows();
        if (m < 0 || m > n - 1) {
            throw new IllegalArgumentException("m must be in [0, " + (n - 1) + "] for " + n + " rows, got " + m);
        }
        double d = x.cols();
        double[] sq = new double[n];
        double[] sum = new double[n];
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            for (int p = x.rowStart()[i]; p < x.rowStart()[i + 1]; p++) {
                sq[i] += x.values()[p] * x.values()[p];
                sum[i] += x.values()[p];
            }
            if (metric == Metric.COSINE) {
                scale[i] = Math.sqrt(sq[i]);
                if (!(scale[i] > 0)) {
                    throw new IllegalArgumentException("row " + i + " is zero, so its cosine distance to other rows "
                            + "is undefined");
                }
            } else if (metric == Metric.CORRELATION) {
                double centred = sq[i] - sum[i] * sum[i] / d;
                scale[i] = Math.sqrt(Math.max(0, centred));
                if (!(scale[i] > 1e-12 * Math.sqrt(sq[i])) || d < 2) {
                    throw new IllegalArgumentException("row " + i + " is constant (or has fewer than 2 columns), so "
                            + "its correlation distance to other rows is undefined");
                }
            }
        }
        SparseRows t = x.transpose();
        int[][] index = new int[n][];
        double[][] distance = new double[n][];
        ThreadLocal<double[]> accumulators = ThreadLocal.withInitial(() -> new double[n]);
        Parallel.forEach(n, threads, i -> {
            double[] acc = accumulators.get();
            java.util.Arrays.fill(acc, 0);
            for (int p = x.rowStart()[i]; p < x.rowStart()[i + 1]; p++) {
                double v = x.values()[p];
                int f = x.columns()[p];
                for (int q = t.rowStart()[f]; q < t.rowStart()[f + 1]; q++) {
                    acc[t.columns()[q]] += v * t.values()[q];
                }
            }
            for (int j = 0; j < n; j++) {
                double dot = acc[j];
                acc[j] = switch (metric) {
                    case EUCLIDEAN -> Math.sqrt(Math.max(0, sq[i] + sq[j] - 2 * dot));
                    case COSINE -> Math.min(2.0, Math.max(0.0, 1 - dot / (scale[i] * scale[j])));
                    case CORRELATION -> Math.min(2.0, Math.max(0.0, 1 - (dot - sum[i] * sum[j] / d)
                            / (scale[i] * scale[j])));
                };
            }
            int[] best = KnnGraph.nearest(acc, 0, n, i, m);
            if (metric == Metric.EUCLIDEAN && m > 0) {
                // every row whose expanded distance could, within its rounding bound, beat the m-th is re-measured
                double gamma = (x.rowStart()[i + 1] - x.rowStart()[i] + 4) * 0x1p-52;
                double worstSq = 0; // an upper bound on the true m-th smallest squared distance
                for (int b : best) {
                    worstSq = Math.max(worstSq, acc[b] * acc[b] + gamma * (sq[i] + sq[b]));
                }
                for (int j = 0; j < n; j++) {
                    double lower = acc[j] * acc[j] - gamma * (sq[i] + sq[j]);
                    acc[j] = j != i && lower <= worstSq ? euclidean(x, i, j) : Double.POSITIVE_INFINITY;
                }
                best = KnnGraph.nearest(acc, 0, n, i, m);
            }
            double[] out = new double[best.length];
            for (int s = 0; s < best.length; s++) {
                out[s] = acc[best[s]];
            }
            index[i] = best;
            distance[i] = out;
        });
        return new Neighbours(index, distance);
    }

    /** The Euclidean distance of rows {@code i} and {@code j}, by merging their entries. */
    static double euclidean(SparseRows x, int i, int j) {
        int p = x.rowStart()[i];
        int pe = x.rowStart()[i + 1];
        int q = x.rowStart()[j];
        int qe = x.rowStart()[j + 1];
        int[] c = x.columns();
        double[] v = x.values();
        double s = 0;
        while (p < pe || q < qe) {
            double diff;
            if (q >= qe || (p < pe && c[p] < c[q])) {
                diff = v[p++];
            } else if (p >= pe || c[q] < c[p]) {
                diff = -v[q++];
            } else {
                diff = v[p++] - v[q++];
            }
            s += diff * diff;
        }
        return Math.sqrt(s);
    }
}
