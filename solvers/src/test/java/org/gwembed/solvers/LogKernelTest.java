package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.gwembed.metricspaces.FlatTorusGrid;
import org.gwembed.metricspaces.GaussianSpace;
import org.gwembed.metricspaces.GridStructure;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.metricspaces.PlaneGrid;
import org.junit.jupiter.api.Test;

class LogKernelTest {

    /** Relative agreement required between interchangeable kernels. */
    private static final double AGREE = 1e-10;

    static double naive(double[] c, int n, int m, int i, double eps, double[] in, boolean transpose) {
        double max = Double.NEGATIVE_INFINITY;
        int len = transpose ? n : m;
        double[] t = new double[len];
        for (int k = 0; k < len; k++) {
            double cost = transpose ? c[k * m + i] : c[i * m + k];
            t[k] = -cost / eps + in[k];
            max = Math.max(max, t[k]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (double v : t) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    private static void assertClose(double expected, double actual, String what) {
        if (expected == Double.NEGATIVE_INFINITY) {
            assertEquals(expected, actual, what);
            return;
        }
        assertEquals(expected, actual, AGREE * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void denseKernelMatchesNaiveLogSumExpThroughRefreshesAndDrift() {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 37;
        int m = 23;
        double[] c = rng.doubles(n * m).toArray();
        DenseLogKernel k = new DenseLogKernel(c, n, m, 2);
        for (double eps : new double[] {1.0, 1e-2, 1e-4}) {
            double[] w = new double[m];
            double[] v = new double[n];
            for (int round = 0; round < 6; round++) {
                // small drifts reuse the cached kernel, large ones force a refresh
                double amplitude = round % 2 == 0 ? 0.5 : 50;
                for (int j = 0; j < m; j++) {
                    w[j] += amplitude * (rng.nextDouble() - 0.5);
                }
                for (int i = 0; i < n; i++) {
                    v[i] += amplitude * (rng.nextDouble() - 0.5);
                }
                w[3] = Double.NEGATIVE_INFINITY; // zero mass
                double[] out = new double[n];
                k.apply(eps, w, out);
                for (int i = 0; i < n; i++) {
                    assertClose(naive(c, n, m, i, eps, w, false), out[i], "apply eps=" + eps + " row " + i);
                }
                double[] outT = new double[m];
                k.applyTranspose(eps, v, outT);
                for (int j = 0; j < m; j++) {
                    assertClose(naive(c, n, m, j, eps, v, true), outT[j], "transpose eps=" + eps + " col " + j);
                }
            }
        }
        assertTrue(k.refreshes() >= 6, "each epsilon needs a refresh per direction, got " + k.refreshes());
        // all-zero input mass gives −∞ everywhere, not NaN
        double[] out = new double[n];
        double[] none = new double[m];
        java.util.Arrays.fill(none, Double.NEGATIVE_INFINITY);
        k.apply(0.1, none, out);
        for (double o : out) {
            assertEquals(Double.NEGATIVE_INFINITY, o);
        }
    }

    static void assertSeparableMatchesDense(MetricSpace space, double scale, double eps) {
        GridStructure g = space.hint(GridStructure.class).orElseThrow();
        int n = space.size();
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = space.distance(i, j);
                c[i * n + j] = scale * d * d;
            }
        }
        DenseLogKernel dense = new DenseLogKernel(c, n, n, 1);
        SeparableLogKernel sep = new SeparableLogKernel(g, scale, 2);
        SplittableRandom rng = new SplittableRandom(5);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 20 * rng.nextDouble() - 10;
        }
        w[0] = Double.NEGATIVE_INFINITY;
        double[] a = new double[n];
        double[] b = new double[n];
        dense.apply(eps, w, a);
        sep.apply(eps, w, b);
        for (int i = 0; i < n; i++) {
            assertClose(a[i], b[i], space.description() + " eps=" + eps + " entry " + i);
        }
        dense.applyTranspose(eps, w, a);
        sep.applyTranspose(eps, w, b);
        for (int i = 0; i < n; i++) {
            assertClose(a[i], b[i], "transpose " + space.description() + " entry " + i);
        }
        for (int t = 0; t < 20; t++) {
            int i = rng.nextInt(n);
            int j = rng.nextInt(n);
            assertEquals(c[i * n + j], sep.cost(i, j), 1e-14);
        }
    }

    @Test
    void separableKernelMatchesDenseOnPlaneTorusAndGaussians() {
        for (double eps : new double[] {1.0, 1e-2, 1e-4}) {
            assertSeparableMatchesDense(PlaneGrid.of(9, 1.3), 1.0, eps);
            assertSeparableMatchesDense(FlatTorusGrid.of(7, 6, 1.3), 0.4, eps);
            assertSeparableMatchesDense(GaussianSpace.of(3, 0.05).normalizedToMax(1.3), 2.0, eps);
        }
        assertEquals("separable 9x9", new SeparableLogKernel(
                PlaneGrid.of(9).hint(GridStructure.class).orElseThrow(), 1, 1).kind());
    }
}
