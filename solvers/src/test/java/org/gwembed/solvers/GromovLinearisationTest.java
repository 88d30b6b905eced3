package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The linearisation's pass, cost and column maxima against their definitions, entry by entry. */
class GromovLinearisationTest {

    @Test
    void costRangeShiftScaleAndColumnMaximaFollowTheirDefinitions() {
        SplittableRandom rng = new SplittableRandom(8);
        int n = 6;
        int m = 5;
        double[] a = symmetric(n, rng);
        double[] b = symmetric(m, rng);
        double[] p = rng.doubles(n * m).toArray();
        double[] rowTerm = rng.doubles(n).toArray();
        double[] colTerm = rng.doubles(m).toArray();
        GromovProduct product = GromovCost.dense(a, n, b, m);
        double[] apb = new double[n * m];
        product.multiply(p, apb);
        for (int threads : new int[] {1, 3}) {
            GromovLinearisation side = new GromovLinearisation(product, threads);
            side.update(p, Double.NaN, rowTerm, colTerm);
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < m; k++) {
                    double v = rowTerm[i] + colTerm[k] - 2 * apb[i * m + k];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            assertEquals(lo, side.min(), 1e-15);
            assertEquals(hi, side.max(), 1e-15);
            assertEquals(GromovCost.gwObjective(product, p), side.objective(), 1e-12);
            double factor = 3.0;
            double inv = 0.25;
            double invEps = 40.0;
            double[] w = rng.doubles(n).toArray();
            double[] cost = new double[n * m];
            double[] columnMax = new double[m];
            side.writeCost(factor, inv, cost, w, invEps, columnMax);
            for (int k = 0; k < m; k++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    double v = rowTerm[i] + colTerm[k] - 2 * apb[i * m + k];
                    double expected = ((v - lo) * factor) * inv;
                    assertEquals(expected, cost[i * m + k], 1e-14, "cost " + i + "," + k);
                    best = Math.max(best, w[i] - cost[i * m + k] * invEps);
                }
                assertEquals(best, columnMax[k], 0.0, "column max " + k);
            }
            double[] plainCost = new double[n * m];
            side.writeCost(factor, inv, plainCost, null, 0, null);
            org.junit.jupiter.api.Assertions.assertArrayEquals(cost, plainCost, 0.0, "the maxima change no cost");
        }
    }

    private static double[] symmetric(int n, SplittableRandom rng) {
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double v = rng.nextDouble();
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
        return d;
    }
}
