package org.gwembed.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SparseProductsTest {

    /** A symmetric n × n matrix with entries in [0, 1). */
    private static double[] symmetric(int n, SplittableRandom rng) {
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = rng.nextDouble();
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
        return d;
    }

    /**
     * A rows × cols plan with the given fill on the columns not in {@code emptyEvery}, tiny entries (below the
     * drop threshold) elsewhere, so that both the kept entries and the inactive columns are exercised.
     */
    private static double[] plan(int rows, int cols, double fill, int emptyEvery, SplittableRandom rng) {
        double[] p = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) {
                boolean empty = k % emptyEvery == 0;
                p[i * cols + k] = !empty && rng.nextDouble() < fill ? rng.nextDouble() : 1e-20 * rng.nextDouble();
            }
        }
        return p;
    }

    private static double[] naive(double[] a, int rows, int inner, double[] b, int cols) {
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < inner; t++) {
                double v = a[i * inner + t];
                for (int j = 0; j < cols; j++) {
                    out[i * cols + j] += v * b[t * cols + j];
                }
            }
        }
        return out;
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    @Test
    void sparseAndDensePathsMatchTheNaiveProductBothWays() {
        SplittableRandom rng = new SplittableRandom(11);
        // n above one cache block (128) and not a multiple of it; fills on both sides of the path switch
        int n = 300;
        int grid = 70;
        double[] d = symmetric(n, rng);
        for (double fill : new double[] {0.02, 0.1, 0.9}) {
            double[] p = plan(n, grid, fill, 5, rng);
            double[] expected = naive(d, n, n, p, grid);
            double[] out = new double[n * grid];
            boolean[] active = SparseProducts.symmetricTimesPlan(d, n, p, grid, out, 2);
            double[] pt = transpose(p, n, grid);
            double[] outT = new double[grid * n];
            boolean[] activeT = SparseProducts.planTimesSymmetric(pt, grid, d, n, outT, 2);
            assertArrayEquals(active, activeT, "the same grid points are active both ways");
            double scale = 0;
            for (double v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < grid; k++) {
                    double e = expected[i * grid + k];
                    assertEquals(e, out[i * grid + k], 1e-12 * scale, "D·P fill " + fill + " at " + i + "," + k);
                    assertEquals(e, outT[k * n + i], 1e-12 * scale, "P·D fill " + fill + " at " + k + "," + i);
                }
            }
            for (int k = 0; k < grid; k++) {
                assertEquals(k % 5 != 0, active[k], "grid point " + k + " active");
                if (!active[k]) {
                    for (int i = 0; i < n; i++) {
                        assertEquals(0.0, out[i * grid + k], "inactive column " + k + " is exactly zero");
                    }
                }
            }
        }
    }

    @Test
    void productsWithTheGridDistanceSkipInactiveGridPointsExactly() {
        SplittableRandom rng = new SplittableRandom(12);
        int rows = 40;
        int big = 25;
        double[] d = symmetric(big, rng);
        boolean[] active = new boolean[big];
        int count = 0;
        for (int k = 0; k < big; k++) {
            active[k] = k % 3 != 1;
            count += active[k] ? 1 : 0;
        }
        // Q (rows × N) zero outside the active columns, and its transpose for the other side
        double[] q = new double[rows * big];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < big; k++) {
                q[i * big + k] = active[k] ? rng.nextDouble() - 0.5 : 0.0;
            }
        }
        double[] expected = naive(q, rows, big, d, big);
        double[] out = new double[rows * big];
        SparseProducts.activeTimesSymmetric(q, rows, d, big, active, count, out);
        double[] qt = transpose(q, rows, big);
        double[] outT = new double[big * rows];
        SparseProducts.symmetricTimesActive(d, big, qt, rows, active, count, outT);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < big; k++) {
                assertEquals(expected[i * big + k], out[i * big + k], 1e-13, "Q·D at " + i + "," + k);
                assertEquals(expected[i * big + k], outT[k * rows + i], 1e-13, "D·Q at " + k + "," + i);
            }
        }
    }
}
