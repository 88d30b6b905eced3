package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class DenseMetricSpaceTest {

    private static final double[][] TRIANGLE = {{0, 3, 4}, {3, 0, 5}, {4, 5, 0}};

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void validMatrixIsCopiedAndServedBack() {
        double[][] d = {{0, 3, 4}, {3, 0, 5}, {4, 5, 0}};
        DenseMetricSpace s = DenseMetricSpace.of(d, "triangle");
        d[0][1] = 99;
        assertEquals(3.0, s.distance(0, 1));
        DMatrixRMaj m = s.distanceMatrix();
        m.set(0, 1, 42);
        assertEquals(3.0, s.distance(0, 1), "distanceMatrix() must return a private copy");
        assertEquals(5.0, s.maxDistance());
        assertEquals(1.0, s.normalizedToMax(1.0).maxDistance(), 1e-15);
        assertEquals(0.6, s.normalizedToMax(1.0).distance(0, 1), 1e-15);
    }

    @Test
    void roundOffAsymmetryIsSymmetrised() {
        double[][] d = {{0, 1 + 1e-12}, {1, 0}};
        DenseMetricSpace s = DenseMetricSpace.of(d, "nearly symmetric");
        assertEquals(s.distance(0, 1), s.distance(1, 0), 0.0);
    }

    @Test
    void invalidMatricesAreRejectedWithMessagesNamingTheEntry() {
        assertTrue(message(() -> DenseMetricSpace.of(new DMatrixRMaj(3, 4), "x")).contains("square, got 3x4"));
        assertTrue(message(() -> DenseMetricSpace.of(new double[][] {{0, 1}, {1}}, "x")).contains("row 1"));
        String nan = message(() -> DenseMetricSpace.of(new double[][] {{0, Double.NaN}, {1, 0}}, "x"));
        assertTrue(nan.contains("distances[0,1]") && nan.contains("NaN"), nan);
        String neg = message(() -> DenseMetricSpace.of(new double[][] {{0, -1}, {-1, 0}}, "x"));
        assertTrue(neg.contains("distances[0,1]") && neg.contains("-1.0"), neg);
        String asym = message(() -> DenseMetricSpace.of(new double[][] {{0, 1}, {2, 0}}, "x"));
        assertTrue(asym.contains("symmetric") && asym.contains("distances[1,0] = 2.0"), asym);
        String diag = message(() -> DenseMetricSpace.of(new double[][] {{0, 1}, {1, 0.5}}, "x"));
        assertTrue(diag.contains("zero diagonal") && diag.contains("distances[1,1] = 0.5"), diag);
        String zero = message(() -> DenseMetricSpace.of(new double[][] {{0, 0}, {0, 0}}, "x").normalizedToMax(1));
        assertTrue(zero.contains("all distances are 0"), zero);
    }

    @Test
    void largeMatricesAreSymmetrisedAndTheFirstAsymmetricPairIsNamed() {
        // 150 points: several of the check's tiles, pairs on both sides of tile borders
        int n = 150;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = 1 + rng.nextDouble();
                d[i][j] = v;
                d[j][i] = v * (1 + 1e-12 * rng.nextDouble()); // round-off asymmetry: symmetrised to the mean
            }
        }
        DenseMetricSpace s = DenseMetricSpace.of(d, "big");
        for (int i = 0; i < n; i++) {
            assertEquals(0.0, s.distance(i, i));
            for (int j = 0; j < n; j++) {
                assertEquals(s.distance(i, j), s.distance(j, i), 0.0);
                assertEquals(d[Math.min(i, j)][Math.max(i, j)], s.distance(i, j), 1e-11);
            }
        }
        // asymmetric in a late tile of row 10 and in an early tile of row 70: row 10's pair is the first
        d[10][140] = 7;
        d[70][71] = 9;
        String m = message(() -> DenseMetricSpace.of(d, "big"));
        assertTrue(m.contains("distances[10,140] = 7.0") && m.contains("distances[140,10]"), m);
        d[10][140] = d[140][10];
        d[10][100] = 5;
        String m2 = message(() -> DenseMetricSpace.of(d, "big"));
        assertTrue(m2.contains("distances[10,100] = 5.0"), m2);
    }

    @Test
    void subsetKeepsDistancesAndCoordinates() {
        DMatrixRMaj coords = new DMatrixRMaj(new double[][] {{0, 0}, {3, 0}, {0, 4}});
        DenseMetricSpace s = DenseMetricSpace.of(new DMatrixRMaj(TRIANGLE),
                new Coordinates(coords, java.util.List.of("x", "y"), Coordinates.Kind.EUCLIDEAN),
                java.util.List.of(), "triangle");
        DenseMetricSpace sub = s.subset(new int[] {2, 1}, "sub");
        assertEquals(5.0, sub.distance(0, 1));
        assertArrayEquals(new double[] {0, 4, 3, 0}, sub.coordinates().orElseThrow().values().data);
        assertTrue(message(() -> s.subset(new int[] {3}, "bad")).contains("indices[0] = 3"));
    }

    @Test
    void measureSpacesValidateWeights() {
        DenseMetricSpace s = DenseMetricSpace.of(TRIANGLE, "triangle");
        MetricMeasureSpace u = MetricMeasureSpace.uniform(s);
        assertEquals(1.0 / 3, u.weight(2), 1e-16);
        MetricMeasureSpace w = MetricMeasureSpace.of(s, new double[] {0.2, 0.3, 0.5});
        assertEquals(0.5, w.weights()[2]);
        assertTrue(message(() -> MetricMeasureSpace.of(s, new double[] {0.5, 0.5})).contains("2 entries, expected 3"));
        assertTrue(message(() -> MetricMeasureSpace.of(s, new double[] {0.5, 0.6, 0})).contains("sum to 1"));
        assertTrue(message(() -> MetricMeasureSpace.of(s, new double[] {-0.1, 0.6, 0.5})).contains("weights[0]"));
        MetricMeasureSpace n = MetricMeasureSpace.normalizing(s, new double[] {1, 1, 2});
        assertArrayEquals(new double[] {0.25, 0.25, 0.5}, n.weights(), 1e-16);
        assertTrue(message(() -> MetricMeasureSpace.normalizing(s, new double[] {0, 0, 0})).contains("positive"));
        assertEquals(1.0, n.normalizedToMax(1.0).space().maxDistance(), 1e-15);
        assertArrayEquals(n.weights(), n.normalizedToMax(1.0).weights(), 0.0);
    }
}
