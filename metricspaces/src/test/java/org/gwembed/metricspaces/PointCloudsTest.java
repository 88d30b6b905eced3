package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class PointCloudsTest {

    private static final double EXACT = 1e-15;
    private static final double GRAM_AGREEMENT = 1e-10;

    private static DMatrixRMaj rows(double[]... r) {
        return new DMatrixRMaj(r);
    }

    private static DMatrixRMaj random(int n, int d, long seed) {
        Random rnd = new Random(seed);
        DMatrixRMaj m = new DMatrixRMaj(n, d);
        for (int k = 0; k < m.data.length; k++) {
            m.data[k] = rnd.nextGaussian();
        }
        return m;
    }

    @Test
    void correlationDistanceMatchesHandComputedValues() {
        DMatrixRMaj x = rows(new double[] {1, 2, 3}, new double[] {3, 2, 1}, new double[] {1, 2, 4},
                new double[] {2, 4, 6}, new double[] {-1, 5, 1});
        DMatrixRMaj d = PointClouds.correlationDistances(x);
        assertEquals(2.0, d.get(0, 1), EXACT, "perfectly anti-correlated rows");
        // u - ū = (-1, 0, 1), w - w̄ = (-4, -1, 5)/3: ρ = 3 / (√2 · √42 / 3) = 9 / √84.
        assertEquals(1 - 9 / Math.sqrt(84), d.get(0, 2), EXACT);
        assertEquals(0.0, d.get(0, 3), EXACT, "a row and its positive multiple");
        // v = (-1, 5, 1): v - v̄ = (-8, 10, -2)/3, (u - ū)·(v - v̄) = 2, ‖v - v̄‖ = √168 / 3, ρ = 6 / √336.
        assertEquals(1 - 6 / Math.sqrt(336), d.get(0, 4), EXACT);
        for (int i = 0; i < 5; i++) {
            assertEquals(0.0, d.get(i, i), 0.0);
            for (int j = 0; j < 5; j++) {
                assertEquals(d.get(i, j), d.get(j, i), 0.0);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PointClouds.correlationDistances(rows(new double[] {1, 2}, new double[] {3, 3})));
        assertTrue(e.getMessage().contains("row 1 is constant"), e.getMessage());
    }

    @Test
    void euclideanDistancesAreSymmetricWithZeroDiagonalAndAgreeWithTheGramFormula() {
        DMatrixRMaj small = rows(new double[] {0, 0}, new double[] {3, 4}, new double[] {3, 0});
        DMatrixRMaj ds = PointClouds.euclideanDistances(small);
        assertEquals(5.0, ds.get(0, 1), 0.0);
        assertEquals(4.0, ds.get(1, 2), 0.0);

        DMatrixRMaj x = random(60, 7, 3);
        DMatrixRMaj d1 = PointClouds.euclideanDistances(x, 1);
        DMatrixRMaj d3 = PointClouds.euclideanDistances(x, 3);
        for (int i = 0; i < 60; i++) {
            assertEquals(0.0, d1.get(i, i), 0.0);
            for (int j = 0; j < 60; j++) {
                assertEquals(d1.get(i, j), d1.get(j, i), 0.0, "exact symmetry");
                assertEquals(d1.get(i, j), d3.get(i, j), 0.0, "thread count must not change the result");
                double xx = 0;
                double yy = 0;
                double xy = 0;
                for (int k = 0; k < 7; k++) {
                    xx += x.get(i, k) * x.get(i, k);
                    yy += x.get(j, k) * x.get(j, k);
                    xy += x.get(i, k) * x.get(j, k);
                }
                assertEquals(Math.sqrt(Math.max(0, xx + yy - 2 * xy)), d1.get(i, j), GRAM_AGREEMENT);
            }
        }
    }

    @Test
    void l2NormalisationGivesUnitRowsAndKeepsZeroRows() {
        DMatrixRMaj x = rows(new double[] {3, 4}, new double[] {0, 0}, new double[] {-2, 0});
        DMatrixRMaj n = PointClouds.l2NormalizedRows(x);
        assertEquals(0.6, n.get(0, 0), EXACT);
        assertEquals(0.8, n.get(0, 1), EXACT);
        assertEquals(0.0, n.get(1, 0), 0.0);
        assertEquals(-1.0, n.get(2, 0), 0.0);
        assertEquals(3.0, x.get(0, 0), 0.0, "input must not be modified");
    }

    @Test
    void nonFinitePointsAreRejectedByPosition() {
        DMatrixRMaj x = rows(new double[] {0, 1}, new double[] {2, Double.NaN});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PointClouds.euclideanDistances(x));
        assertTrue(e.getMessage().contains("points[1,1]"), e.getMessage());
    }
}
