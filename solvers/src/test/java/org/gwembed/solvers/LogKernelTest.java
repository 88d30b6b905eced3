package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
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

    /**
     * Agreement of a log-sum-exp: {@link #AGREE} relative in double precision; in single precision the sum of up
     * to ~40 float products is good to ~3e-6 relative, an absolute error in its logarithm (the stabilising base is
     * exact), so 1e-5 absolute on top.
     */
    private static void assertClose(double expected, double actual, Precision precision, String what) {
        if (expected == Double.NEGATIVE_INFINITY) {
            assertEquals(expected, actual, what);
            return;
        }
        double slack = precision == Precision.SINGLE ? 1e-5 : 0;
        assertEquals(expected, actual, AGREE * Math.max(1, Math.abs(expected)) + slack, what + ", " + precision);
    }

    private static void assertClose(double expected, double actual, String what) {
        assertClose(expected, actual, Precision.DOUBLE, what);
    }

    @Test
    void denseKernelMatchesNaiveLogSumExpThroughRefreshesAndDrift() {
        for (Precision precision : Precision.values()) {
            denseKernelMatchesNaiveLogSumExp(precision);
        }
    }

    private static void denseKernelMatchesNaiveLogSumExp(Precision precision) {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 37;
        int m = 23;
        double[] c = rng.doubles(n * m).toArray();
        DenseLogKernel k = new DenseLogKernel(c, n, m, 2, precision);
        assertEquals(precision, k.precision());
        double worst = 0;
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
                    double e = naive(c, n, m, i, eps, w, false);
                    assertClose(e, out[i], precision, "apply eps=" + eps + " row " + i);
                    worst = Math.max(worst, Math.abs(e - out[i]));
                }
                double[] outT = new double[m];
                k.applyTranspose(eps, v, outT);
                for (int j = 0; j < m; j++) {
                    assertClose(naive(c, n, m, j, eps, v, true), outT[j], precision,
                            "transpose eps=" + eps + " col " + j);
                }
            }
        }
        assertTrue(k.refreshes() >= 6, "each epsilon needs a refresh per direction, got " + k.refreshes());
        if (precision == Precision.SINGLE) {
            assertTrue(worst > 1e-12, "the float kernel was used: largest deviation " + worst);
        }
        // all-zero input mass gives −∞ everywhere, not NaN
        double[] out = new double[n];
        double[] none = new double[m];
        java.util.Arrays.fill(none, Double.NEGATIVE_INFINITY);
        k.apply(0.1, none, out);
        for (double o : out) {
            assertEquals(Double.NEGATIVE_INFINITY, o);
        }
    }

    @Test
    void oneDirectionIsAppliedThroughTheOthersKernelWithoutAnotherRefresh() {
        for (Precision precision : Precision.values()) {
            oneDirectionThroughTheOther(precision);
        }
    }

    private static void oneDirectionThroughTheOther(Precision precision) {
        SplittableRandom rng = new SplittableRandom(2);
        int n = 41;
        int m = 29;
        double[] c = rng.doubles(n * m).toArray();
        double eps = 0.05;
        for (boolean forwardFirst : new boolean[] {true, false}) {
            DenseLogKernel k = new DenseLogKernel(c, n, m, 2, precision);
            double[] w = rng.doubles(m, -3, 3).toArray();
            double[] v = rng.doubles(n, -3, 3).toArray();
            if (forwardFirst) {
                k.apply(eps, w, new double[n]);
            } else {
                k.applyTranspose(eps, v, new double[m]);
            }
            for (int round = 0; round < 5; round++) {
                // inputs far from the cached reference (a shift of 1e3, −∞ entries) are fine: the sums are rescaled
                double shift = round * 250.0;
                double[] in = forwardFirst ? new double[n] : new double[m];
                for (int t = 0; t < in.length; t++) {
                    in[t] = shift + 6 * (rng.nextDouble() - 0.5);
                }
                in[round] = Double.NEGATIVE_INFINITY;
                double[] out = new double[forwardFirst ? m : n];
                if (forwardFirst) {
                    k.applyTranspose(eps, in, out);
                } else {
                    k.apply(eps, in, out);
                }
                for (int t = 0; t < out.length; t++) {
                    assertClose(naive(c, n, m, t, eps, in, forwardFirst), out[t], precision, "derived entry " + t);
                }
            }
            assertEquals(1, k.refreshes(), "one set of exponentials serves both directions");
        }
    }

    @Test
    void aColumnWithoutMassAtTheReferenceFallsBackToItsOwnKernel() {
        // column 0 costs 1 everywhere, the rest 0: at ε = 1e-3 the forward kernel's column 0 underflows to 0
        // (in single precision: e^-1000 is far below the smallest float)
        int n = 6;
        int m = 5;
        double[] c = new double[n * m];
        for (int i = 0; i < n; i++) {
            c[i * m] = 1.0;
        }
        double eps = 1e-3;
        for (Precision precision : Precision.values()) {
            DenseLogKernel k = new DenseLogKernel(c, n, m, 1, precision);
            k.apply(eps, new double[m], new double[n]);
            double[] v = new double[n];
            double[] out = new double[m];
            k.applyTranspose(eps, v, out);
            assertEquals(2, k.refreshes(), "the transpose needed a kernel of its own, " + precision);
            for (int j = 0; j < m; j++) {
                assertClose(naive(c, n, m, j, eps, v, true), out[j], precision, "column " + j);
            }
            assertEquals(-1000 + Math.log(n), out[0], 1e-9);
        }
    }

    @Test
    void aPreparedTransposeKernelServesBothDirectionsAndThePlanWhereAColumnHasNoMass() {
        // as above, column 0 holds no mass at ε = 1e-3; built first, the column kernel serves the rows too
        SplittableRandom rng = new SplittableRandom(4);
        int n = 40;
        int m = 9;
        double[] c = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                c[i * m + j] = j == 0 ? 1.0 : 0.05 * rng.nextDouble();
            }
        }
        double eps = 1e-3;
        for (Precision precision : Precision.values()) {
            DenseLogKernel k = new DenseLogKernel(c, n, m, 2, precision);
            double[] v = rng.doubles(n, -5, 5).toArray();
            k.prepareTranspose(eps, v);
            assertEquals(1, k.refreshes());
            double worst = 0;
            for (int round = 0; round < 4; round++) {
                double[] vr = v.clone();
                for (int i = 0; i < n; i++) {
                    vr[i] += 4 * (rng.nextDouble() - 0.5); // within the drift limit of the reference
                }
                double[] outT = new double[m];
                k.applyTranspose(eps, vr, outT);
                for (int j = 0; j < m; j++) {
                    double e = naive(c, n, m, j, eps, vr, true);
                    assertClose(e, outT[j], precision, "column " + j);
                    worst = Math.max(worst, Math.abs(e - outT[j]));
                }
                double[] w = rng.doubles(m, -5, 5).toArray();
                double[] out = new double[n];
                k.apply(eps, w, out);
                for (int i = 0; i < n; i++) {
                    double e = naive(c, n, m, i, eps, w, false);
                    assertClose(e, out[i], precision, "row " + i + " through the column kernel");
                    worst = Math.max(worst, Math.abs(e - out[i]));
                }
            }
            assertEquals(1, k.refreshes(), "one column kernel for both directions, " + precision);
            if (precision == Precision.SINGLE) {
                assertTrue(worst > 1e-12, "the float kernel was used: largest deviation " + worst);
            }
            // the plan of a Sinkhorn half-step, from the cached column kernel
            double[] right = rng.doubles(m, -2, 2).toArray();
            double[] rowLse = new double[n];
            k.apply(eps, right, rowLse);
            double[] left = new double[n];
            for (int i = 0; i < n; i++) {
                left[i] = -Math.log(n) - rowLse[i];
            }
            double[] p = k.plan(eps, left, right);
            assertEquals(1, k.cachedPlans(), precision.toString());
            double[] q = new DenseLogKernel(c, n, m, 1).plan(eps, left, right);
            for (int t = 0; t < p.length; t++) {
                double tolerance = precision == Precision.SINGLE ? 2e-7 * q[t] + 1e-25 : 1e-12 * q[t] + 1e-300;
                assertEquals(q[t], p[t], tolerance, precision + " plan entry " + t);
            }
        }
        // given the column maxima (as a caller writing the cost takes them), one pass and the same kernel; wrong
        // maxima are detected and recomputed
        for (Precision precision : Precision.values()) {
            double[] v = rng.doubles(n, -5, 5).toArray();
            double[] max = new double[m];
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    max[j] = Math.max(max[j], v[i] - c[i * m + j] * (1.0 / eps));
                }
            }
            DenseLogKernel plain = new DenseLogKernel(c, n, m, 2, precision);
            plain.prepareTranspose(eps, v);
            DenseLogKernel given = new DenseLogKernel(c, n, m, 2, precision);
            given.prepareTranspose(eps, v, max);
            double[] wrongMax = max.clone();
            wrongMax[3] += 1;
            DenseLogKernel wrong = new DenseLogKernel(c, n, m, 2, precision);
            wrong.prepareTranspose(eps, v, wrongMax);
            assertEquals(1, given.refreshes(), precision.toString());
            assertEquals(2, wrong.refreshes(), "a wrong maximum is caught and the kernel rebuilt, " + precision);
            double[] w = rng.doubles(m, -5, 5).toArray();
            double[] expected = new double[n];
            plain.apply(eps, w, expected);
            double[] expectedT = new double[m];
            plain.applyTranspose(eps, v, expectedT);
            for (DenseLogKernel k : new DenseLogKernel[] {given, wrong}) {
                double[] out = new double[n];
                k.apply(eps, w, out);
                double[] outT = new double[m];
                k.applyTranspose(eps, v, outT);
                assertArrayEquals(expected, out, 0.0, precision.toString());
                assertArrayEquals(expectedT, outT, 0.0, precision.toString());
            }
        }
        DenseLogKernel k = new DenseLogKernel(c, n, m, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> k.prepareTranspose(eps, new double[m]));
        assertThrows(IllegalArgumentException.class, () -> k.prepareTranspose(eps, new double[n], new double[2]));
        assertTrue(e.getMessage().contains("9 entries (expected 40)"), e.getMessage());
        double[] bad = new double[n];
        bad[7] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> k.prepareTranspose(eps, bad));
        assertTrue(e.getMessage().contains("w[7]"), e.getMessage());
    }

    @Test
    void replacingAPlanGivesThePlanAndItsChange() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 23;
        int m = 17;
        double[] c = rng.doubles(n * m).toArray();
        double eps = 0.05;
        for (Precision precision : Precision.values()) {
            for (boolean cached : new boolean[] {true, false}) {
                DenseLogKernel k = new DenseLogKernel(c, n, m, 2, precision);
                double[] right = rng.doubles(m, -1, 1).toArray();
                double[] rowLse = new double[n];
                double[] left = new double[n];
                if (cached) {
                    k.apply(eps, right, rowLse); // a kernel to form the plan from
                }
                for (int i = 0; i < n; i++) {
                    left[i] = -Math.log(n) - (cached ? rowLse[i] : 2.0);
                }
                double[] expected = k.plan(eps, left, right);
                long before = k.cachedPlans();
                double[] old = rng.doubles(n * m, 0, 0.01).toArray();
                double diff = 0;
                double max = 0;
                for (int t = 0; t < old.length; t++) {
                    diff = Math.max(diff, Math.abs(expected[t] - old[t]));
                    max = Math.max(max, expected[t]);
                }
                double[] change = k.replacePlan(eps, left, right, old);
                String what = precision + (cached ? ", from the cache" : ", from exponentials");
                assertEquals(cached ? before + 1 : 0, k.cachedPlans(), what);
                assertArrayEquals(expected, old, 0.0, what);
                assertEquals(diff, change[0], 0.0, what);
                assertEquals(max, change[1], 0.0, what);
            }
        }
        // the interface's default (a structured kernel)
        PlaneGrid grid = PlaneGrid.of(4, 1.0);
        LogKernel separable = DistanceProducts.gibbs(grid, 1.0, DistanceProducts.Choice.AUTO, 1);
        double[] l = rng.doubles(16, -1, 1).toArray();
        double[] r = rng.doubles(16, -1, 1).toArray();
        double[] expected = separable.plan(0.3, l, r);
        double[] old = new double[16 * 16];
        double[] change = separable.replacePlan(0.3, l, r, old);
        assertArrayEquals(expected, old, 0.0);
        double max = java.util.Arrays.stream(expected).max().getAsDouble();
        assertEquals(max, change[0], 0.0);
        assertEquals(max, change[1], 0.0);
    }

    @Test
    void plansHoldNoSubnormalEntriesWhetherFromTheCacheOrFromExponentials() {
        // costs in [0, 1] at eps 1e-3: plan exponents spread over ~1000, through every range down to underflow
        SplittableRandom rng = new SplittableRandom(8);
        int n = 40;
        int m = 30;
        double[] c = rng.doubles(n * m).toArray();
        double eps = 1e-3;
        double[] right = rng.doubles(m, -2, 2).toArray();
        for (boolean cached : new boolean[] {true, false}) {
            DenseLogKernel k = new DenseLogKernel(c, n, m, 2);
            double[] left = new double[n];
            if (cached) {
                double[] rowLse = new double[n];
                k.apply(eps, right, rowLse);
                for (int i = 0; i < n; i++) {
                    left[i] = -Math.log(n) - rowLse[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    left[i] = 2 * rng.nextDouble();
                }
            }
            double[] p = k.plan(eps, left, right);
            assertEquals(cached ? 1 : 0, k.cachedPlans());
            int zeros = 0;
            int exact = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double v = p[i * m + j];
                    double x = left[i] - c[i * m + j] / eps + right[j];
                    assertTrue(v == 0 || v >= DenseLogKernel.PLAN_FLOOR, "entry " + v + " below the floor");
                    if (v == 0) {
                        zeros++;
                        // from exponentials: below the floor; from the cache also what the kernel's floor drops,
                        // at most e^(−590 + 2 · 200) ≈ 3e-83 in the plan
                        double bound = cached ? DenseLogKernel.DOUBLE_KERNEL_FLOOR + 2 * DenseLogKernel.PLAN_SCALING_LIMIT
                                : DenseLogKernel.PLAN_FLOOR_EXPONENT;
                        assertTrue(x < bound + 1e-9, "a dropped entry " + x + " is below " + bound);
                    } else {
                        assertEquals(Math.exp(x), v, 1e-12 * Math.exp(x), "kept entry");
                        exact++;
                    }
                }
            }
            assertTrue(zeros > 0 && exact > 0, "both kinds present: " + zeros + " dropped, " + exact + " kept");
        }
    }

    @Test
    void plansFromTheCachedKernelMatchPlansFromExponentials() {
        for (Precision precision : Precision.values()) {
            plansFromTheCachedKernel(precision);
        }
    }

    /**
     * In single precision a plan from the cached kernel carries its float entries' rounding (6e-8 relative) and
     * loses entries below ~1e-25 (see DenseLogKernel.SINGLE_PLAN_FACTOR_LIMIT).
     */
    private static void plansFromTheCachedKernel(Precision precision) {
        boolean single = precision == Precision.SINGLE;
        SplittableRandom rng = new SplittableRandom(3);
        int n = 30;
        int m = 20;
        double[] c = rng.doubles(n * m).toArray();
        for (double eps : new double[] {1.0, 1e-2, 1e-3}) {
            for (double offset : new double[] {0.0, 150.0, 400.0, -300.0}) {
                DenseLogKernel cached = new DenseLogKernel(c, n, m, 2, precision);
                double[] right = rng.doubles(m, -2, 2).toArray();
                double[] rowLse = new double[n];
                cached.apply(eps, right, rowLse);
                // rows normalised to mass 1/n as after a Sinkhorn half-step; a positive offset moves mass between
                // the scalings, beyond PLAN_SCALING_LIMIT for 400 (then the plan must come from exponentials); the
                // negative one only lowers the rows, far below e^-200 (from the cache: tiny factors are fine)
                boolean rowsOnly = offset < 0;
                double[] left = new double[n];
                double[] shifted = new double[m];
                for (int i = 0; i < n; i++) {
                    left[i] = -Math.log(n) - rowLse[i] + offset;
                }
                for (int j = 0; j < m; j++) {
                    shifted[j] = rowsOnly ? right[j] : right[j] - offset;
                }
                right[1] = Double.NEGATIVE_INFINITY;
                shifted[1] = Double.NEGATIVE_INFINITY;
                double[] p = cached.plan(eps, left, shifted);
                assertEquals(offset == 400.0 ? 0 : 1, cached.cachedPlans(), "plan from the cached kernel, offset "
                        + offset + ", " + precision);
                double[] q = new DenseLogKernel(c, n, m, 1).plan(eps, left, shifted);
                double scale = rowsOnly ? Math.exp(offset) : 1.0; // the plan's mass
                double mass = 0;
                for (int t = 0; t < p.length; t++) {
                    mass += p[t];
                    // in double precision entries the kernel's floor dropped: below e^(−590 + 2 · 200) ≈ 3e-83
                    double tolerance = single ? 2e-7 * q[t] + 1e-25 * scale : 1e-12 * q[t] + 1e-82 * scale;
                    assertEquals(q[t], p[t], tolerance, precision + " eps=" + eps + " offset=" + offset + " entry "
                            + t);
                }
                assertTrue(Math.abs(mass / scale - 1) < 0.5, "plan mass " + mass + " of " + scale);
            }
        }
    }

    @Test
    void separableKernelIsExactFarFromConcentratedMassWhereScaledSumsUnderflow() {
        // mass on one grid point and ε so small that exp(−C/ε) underflows across the grid: most outputs come from
        // the exact log-sum-exp fallback, the near ones from the scaled product
        PlaneGrid grid = PlaneGrid.of(12);
        int n = grid.size();
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = grid.distance(i, j);
                c[i * n + j] = d * d;
            }
        }
        SeparableLogKernel sep = new SeparableLogKernel(grid.hint(GridStructure.class).orElseThrow(), 1.0, 2);
        DenseLogKernel dense = new DenseLogKernel(c, n, n, 1);
        for (double eps : new double[] {1e-2, 1e-4}) {
            double[] w = new double[n];
            java.util.Arrays.fill(w, -1e4);
            w[5 * 12 + 7] = 3.0;
            w[0] = Double.NEGATIVE_INFINITY;
            double[] a = new double[n];
            double[] b = new double[n];
            dense.apply(eps, w, a);
            sep.apply(eps, w, b);
            for (int i = 0; i < n; i++) {
                assertClose(a[i], b[i], "eps=" + eps + " entry " + i);
            }
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

    @Test
    void plansWrittenIntoAGivenArrayEqualTheAllocatedOnes() {
        SplittableRandom rng = new SplittableRandom(21);
        int n = 19;
        int m = 13;
        double[] c = rng.doubles(n * m).toArray();
        double[] left = rng.doubles(n, -2, 2).toArray();
        double[] right = rng.doubles(m, -2, 2).toArray();
        DenseLogKernel k = new DenseLogKernel(c, n, m, 2);
        k.apply(0.1, right, new double[n]); // a cached kernel: the plan comes from the cache
        for (LogKernel kernel : new LogKernel[] {k, new DenseLogKernel(c, n, m, 1)}) {
            double[] expected = kernel.plan(0.1, left, right);
            double[] into = new double[n * m + 3];
            kernel.plan(0.1, left, right, into);
            for (int t = 0; t < n * m; t++) {
                assertEquals(expected[t], into[t], 0.0, "entry " + t);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> kernel.plan(0.1, left, right, new double[n * m - 1]));
            assertTrue(e.getMessage().contains(n + "x" + m), e.getMessage());
        }
    }

    @Test
    void aKernelTakingOverAnothersStorageGivesTheSameResults() {
        SplittableRandom rng = new SplittableRandom(22);
        int n = 17;
        int m = 11;
        double eps = 0.05;
        double[] c1 = rng.doubles(n * m).toArray();
        double[] c2 = rng.doubles(n * m).toArray();
        double[] rowIn = rng.doubles(n, -3, 3).toArray();
        double[] colIn = rng.doubles(m, -3, 3).toArray();
        for (Precision precision : Precision.values()) {
            DenseLogKernel old = DenseLogKernel.adopt(c1, n, m, 1, precision);
            double[] oldOut = new double[n];
            old.apply(eps, colIn, oldOut);
            old.applyTranspose(eps, rowIn, new double[m]); // both directions cached
            DenseLogKernel fresh = DenseLogKernel.adopt(c2, n, m, 1, precision);
            DenseLogKernel recycled = DenseLogKernel.adopt(c2, n, m, 1, precision, old);
            double[][] outs = new double[2][];
            for (int t = 0; t < 2; t++) {
                DenseLogKernel k = t == 0 ? fresh : recycled;
                double[] out = new double[n];
                double[] outT = new double[m];
                k.apply(eps, colIn, out);
                k.applyTranspose(eps, rowIn, outT);
                outs[t] = concat(out, outT, k.plan(eps, rowIn, colIn));
            }
            assertArrayEquals(outs[0], outs[1], 0.0, precision.toString());
            // the kernel given up builds new storage when used again, without touching the one that took it over
            double[] again = new double[n];
            old.apply(eps, colIn, again);
            assertArrayEquals(oldOut, again, 0.0, precision.toString());
            double[] out = new double[n];
            double[] freshOut = new double[n];
            recycled.apply(eps, colIn, out);
            fresh.apply(eps, colIn, freshOut);
            assertArrayEquals(freshOut, out, 0.0, precision.toString());
            // storage of another size is left alone
            DenseLogKernel small = DenseLogKernel.adopt(rng.doubles(3 * m).toArray(), 3, m, 1, precision);
            small.apply(eps, colIn, new double[3]);
            double[] outSmall = new double[n];
            DenseLogKernel.adopt(c2, n, m, 1, precision, small).apply(eps, colIn, outSmall);
            assertArrayEquals(Arrays.copyOf(outs[0], n), outSmall, 0.0, precision.toString());
        }
    }

    private static double[] concat(double[]... parts) {
        int length = 0;
        for (double[] p : parts) {
            length += p.length;
        }
        double[] out = new double[length];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

}
