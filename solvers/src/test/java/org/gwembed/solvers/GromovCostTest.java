package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class GromovCostTest {

    private static final double BRUTE_FORCE_TOLERANCE = 1e-12;

    static double[] randomMatrix(SplittableRandom rng, int rows, int cols) {
        double[] x = new double[rows * cols];
        for (int t = 0; t < x.length; t++) {
            x[t] = rng.nextDouble();
        }
        return x;
    }

    static double[] randomSymmetric(SplittableRandom rng, int n) {
        double[] x = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = 0.1 + rng.nextDouble();
                x[i * n + j] = v;
                x[j * n + i] = v;
            }
        }
        return x;
    }

    /** (L ⊗ P)_ik = Σ_{i',k'} (A_ii' − B_kk')² P_i'k', four nested loops. */
    static double[] bruteForceTensor(double[] a, double[] b, double[] plan, int n, int m) {
        double[] t = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                double s = 0;
                for (int i2 = 0; i2 < n; i2++) {
                    for (int k2 = 0; k2 < m; k2++) {
                        double d = a[i * n + i2] - b[k * m + k2];
                        s += d * d * plan[i2 * m + k2];
                    }
                }
                t[i * m + k] = s;
            }
        }
        return t;
    }

    /** Σ_{i,i',k,k'} (A_ii' − B_kk')² P_ik P_i'k'. */
    static double bruteForceObjective(double[] a, double[] b, double[] plan, int n, int m) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int i2 = 0; i2 < n; i2++) {
                for (int k = 0; k < m; k++) {
                    for (int k2 = 0; k2 < m; k2++) {
                        double d = a[i * n + i2] - b[k * m + k2];
                        s += d * d * plan[i * m + k] * plan[i2 * m + k2];
                    }
                }
            }
        }
        return s;
    }

    @Test
    void tensorProductMatchesTheFourIndexSumOnTinySymmetricCases() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 4;
        int m = 3;
        for (int trial = 0; trial < 5; trial++) {
            double[] a = randomSymmetric(rng, n);
            double[] b = randomSymmetric(rng, m);
            double[] plan = randomMatrix(rng, n, m);
            double[] expected = bruteForceTensor(a, b, plan, n, m);
            assertArrayEquals(expected, GromovCost.tensorProduct(a, b, plan, n, m), BRUTE_FORCE_TOLERANCE);
        }
    }

    @Test
    void tensorProductHoldsForNonSymmetricMatricesToo() {
        SplittableRandom rng = new SplittableRandom(12);
        int n = 4;
        int m = 3;
        double[] a = randomMatrix(rng, n, n);
        double[] b = randomMatrix(rng, m, m);
        double[] plan = randomMatrix(rng, n, m);
        assertArrayEquals(bruteForceTensor(a, b, plan, n, m), GromovCost.tensorProduct(a, b, plan, n, m),
                BRUTE_FORCE_TOLERANCE);
        assertEquals(bruteForceObjective(a, b, plan, n, m), GromovCost.gwObjective(a, b, plan, n, m),
                BRUTE_FORCE_TOLERANCE);
    }

    @Test
    void gwObjectiveMatchesTheFourIndexSum() {
        SplittableRandom rng = new SplittableRandom(13);
        int n = 4;
        int m = 3;
        for (int trial = 0; trial < 5; trial++) {
            double[] a = randomSymmetric(rng, n);
            double[] b = randomSymmetric(rng, m);
            double[] plan = randomMatrix(rng, n, m);
            double expected = bruteForceObjective(a, b, plan, n, m);
            assertEquals(expected, GromovCost.gwObjective(a, b, plan, n, m), BRUTE_FORCE_TOLERANCE);
            DMatrixRMaj am = DMatrixRMaj.wrap(n, n, a.clone());
            DMatrixRMaj bm = DMatrixRMaj.wrap(m, m, b.clone());
            DMatrixRMaj pm = DMatrixRMaj.wrap(n, m, plan.clone());
            assertEquals(expected, GromovCost.gwObjective(am, bm, pm), BRUTE_FORCE_TOLERANCE);
            assertArrayEquals(bruteForceTensor(a, b, plan, n, m), GromovCost.tensorProduct(am, bm, pm).data,
                    BRUTE_FORCE_TOLERANCE);
        }
    }

    @Test
    void explicitMarginalsOfACouplingGiveTheSameTensor() {
        SplittableRandom rng = new SplittableRandom(14);
        int n = 4;
        int m = 3;
        double[] a = randomSymmetric(rng, n);
        double[] b = randomSymmetric(rng, m);
        double[] plan = randomMatrix(rng, n, m);
        double[] p = GromovCost.rowSums(plan, n, m);
        double[] q = GromovCost.columnSums(plan, n, m);
        double[] out = new double[n * m];
        double[] returned = GromovCost.tensorProduct(GromovCost.dense(a, n, b, m), p, q, plan, out);
        assertTrue(returned == out, "the output buffer is filled and returned");
        assertArrayEquals(bruteForceTensor(a, b, plan, n, m), out, BRUTE_FORCE_TOLERANCE);
    }

    @Test
    void sparseProductEqualsDenseProduct() {
        SplittableRandom rng = new SplittableRandom(15);
        int n = 7;
        int m = 5;
        GromovProduct product = GromovCost.dense(randomMatrix(rng, n, n), n, randomMatrix(rng, m, m), m);
        int[] rows = {0, 3, 3, 6, 2};
        int[] cols = {1, 0, 4, 2, 2};
        double[] values = {0.3, 0.1, 0.25, 0.05, 0.3};
        double[] dense = new double[n * m];
        for (int t = 0; t < rows.length; t++) {
            dense[rows[t] * m + cols[t]] += values[t];
        }
        double[] expected = new double[n * m];
        product.multiply(dense, expected);
        double[] sparse = new double[n * m];
        product.multiplySparse(rows.length, rows, cols, values, sparse);
        assertArrayEquals(expected, sparse, BRUTE_FORCE_TOLERANCE);
    }

    @Test
    void badShapesAreRejectedWithTheArgumentNamed() {
        double[] a = new double[16];
        double[] b = new double[9];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GromovCost.tensorProduct(new double[15], b, new double[12], 4, 3));
        assertTrue(e.getMessage().startsWith("A has 15 entries, expected 4x4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GromovCost.tensorProduct(a, b, new double[13], 4, 3));
        assertTrue(e.getMessage().startsWith("plan has 13 entries, expected 4x3"), e.getMessage());
        double[] bad = b.clone();
        bad[5] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> GromovCost.gwObjective(a, bad, new double[12], 4, 3));
        assertTrue(e.getMessage().startsWith("B[1,2] must be finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GromovCost.gwObjective(
                new DMatrixRMaj(4, 4), new DMatrixRMaj(3, 3), new DMatrixRMaj(3, 4)));
        assertTrue(e.getMessage().startsWith("plan is 3x4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GromovCost.dense(new DMatrixRMaj(4, 3),
                new DMatrixRMaj(3, 3)));
        assertTrue(e.getMessage().startsWith("A must be square"), e.getMessage());
    }

    @Test
    void squaredTimesMatchesTheNaiveSumAndNamesBadShapes() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
        int n = 150;
        double[] d = rng.doubles(n * n).toArray();
        double[] w = rng.doubles(n).toArray();
        double[] out = new double[n];
        GromovCost.squaredTimes(d, n, w, out, 2);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += d[i * n + j] * d[i * n + j] * w[j];
            }
            org.junit.jupiter.api.Assertions.assertEquals(s, out[i], 1e-12 * s, "row " + i);
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GromovCost.squaredTimes(d, n, new double[n - 1], out, 1));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(n + "x" + n), e.getMessage());
    }
}
