package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

import org.gwembed.metricspaces.KnnGraph.Metric;
import org.gwembed.metricspaces.KnnGraph.Options;
import org.gwembed.metricspaces.KnnGraph.Unreachable;
import org.gwembed.metricspaces.KnnGraph.Weighting;

class KnnGraphTest {

    private static final double TOL = 1e-12;

    /** Five points on a line at 0, 1, 3, 6, 10 (gaps 1, 2, 3, 4). */
    private static final DMatrixRMaj LINE = new DMatrixRMaj(new double[][] {{0}, {1}, {3}, {6}, {10}});

    private static final Options EUCLIDEAN_2 = Options.euclidean(2).withThreads(2);

    private static void assertMatrix(double[][] expected, MetricSpace actual) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[i][j], actual.distance(i, j), TOL, "entry (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void lineWithTwoNeighboursSelfExcluded() {
        // Neighbours: 0 → {1, 2}; 1 → {0, 2}; 2 → {1, then 0 and 3 tie at 3: 0 by lower index}; 3 → {2, 4};
        // 4 → {3, 2}. Edges: 01 (1), 02 (3), 12 (2), 23 (3), 34 (4), 24 (7).
        int[][] nn = KnnGraph.neighbours(KnnGraph.neighbourDistances(LINE, EUCLIDEAN_2), EUCLIDEAN_2);
        assertArrayEquals(new int[] {1, 2}, nn[0]);
        assertArrayEquals(new int[] {0, 2}, nn[1]);
        assertArrayEquals(new int[] {1, 0}, nn[2], "tie between points 0 and 3 goes to the lower index");
        assertArrayEquals(new int[] {2, 4}, nn[3]);
        assertArrayEquals(new int[] {3, 2}, nn[4]);
        WeightedGraph g = KnnGraph.graph(LINE, EUCLIDEAN_2);
        assertEquals(6, g.edgeCount());
        assertEquals(7.0, g.edgeLength(2, 4), 0.0);

        // DISTANCE: every geodesic on the line is |x_i - x_j| (e.g. 0→4: 0-2-4 = 3 + 7 = 10).
        assertMatrix(new double[][] {
            {0, 1, 3, 6, 10},
            {1, 0, 2, 5, 9},
            {3, 2, 0, 3, 7},
            {6, 5, 3, 0, 4},
            {10, 9, 7, 4, 0}}, KnnGraph.geodesics(LINE, EUCLIDEAN_2));

        // CONNECTIVITY: hop counts; 0, 1 reach 3, 4 through 2 in two hops.
        assertMatrix(new double[][] {
            {0, 1, 1, 2, 2},
            {1, 0, 1, 2, 2},
            {1, 1, 0, 1, 1},
            {2, 2, 1, 0, 1},
            {2, 2, 1, 1, 0}}, KnnGraph.geodesics(LINE, EUCLIDEAN_2.withWeighting(Weighting.CONNECTIVITY)));
    }

    @Test
    void lineWithTwoNeighboursSelfIncluded() {
        // Self counts as one of the two: each point keeps its single nearest other point.
        // 0 → 1; 1 → 0; 2 → 1; 3 → 2; 4 → 3: the path 0-1-2-3-4.
        Options o = EUCLIDEAN_2.withIncludeSelf(true);
        assertMatrix(new double[][] {
            {0, 1, 3, 6, 10},
            {1, 0, 2, 5, 9},
            {3, 2, 0, 3, 7},
            {6, 5, 3, 0, 4},
            {10, 9, 7, 4, 0}}, KnnGraph.geodesics(LINE, o));
        assertEquals(4, KnnGraph.graph(LINE, o).edgeCount());
        assertMatrix(new double[][] {
            {0, 1, 2, 3, 4},
            {1, 0, 1, 2, 3},
            {2, 1, 0, 1, 2},
            {3, 2, 1, 0, 1},
            {4, 3, 2, 1, 0}}, KnnGraph.geodesics(LINE, o.withWeighting(Weighting.CONNECTIVITY)));
    }

    @Test
    void geodesicsFollowTheGraphNotTheStraightLine() {
        // An L: (0,0) (1,0) (2,0) (2,1) (2,2), one neighbour each (ties by lower index) → the path A-B-C-D-E.
        DMatrixRMaj l = new DMatrixRMaj(new double[][] {{0, 0}, {1, 0}, {2, 0}, {2, 1}, {2, 2}});
        DenseMetricSpace d = KnnGraph.geodesics(l, Options.euclidean(1));
        assertEquals(4.0, d.distance(0, 4), TOL);
        assertEquals(3.0, d.distance(1, 4), TOL);
    }

    @Test
    void disconnectedGraphIsReportedOrRepairedByScotsRule() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{0}, {1}, {2}, {100}, {101}});
        Options o = Options.euclidean(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KnnGraph.geodesics(x, o));
        assertTrue(e.getMessage().contains("disconnected: 2 connected components of sizes [3, 2]"), e.getMessage());

        KnnGraph.Result r = KnnGraph.compute(x, o.withUnreachable(Unreachable.LARGEST_FINITE));
        assertEquals(2, r.components().size());
        assertEquals(12, r.replacedPairs(), "3 x 2 pairs in each direction");
        // Largest finite geodesic: 0 → 2 = 2; every cross-component pair gets it.
        assertMatrix(new double[][] {
            {0, 1, 2, 2, 2},
            {1, 0, 1, 2, 2},
            {2, 1, 0, 2, 2},
            {2, 2, 2, 0, 1},
            {2, 2, 2, 1, 0}}, r.distances());
    }

    @Test
    void optionsPresetsAndValidation() {
        Options scot = Options.scot(110);
        assertEquals(110, scot.k());
        assertEquals(Metric.CORRELATION, scot.metric());
        assertEquals(Weighting.CONNECTIVITY, scot.weighting());
        assertTrue(scot.includeSelf());
        assertTrue(scot.l2NormalizeRows());
        assertEquals(Unreachable.LARGEST_FINITE, scot.unreachable());
        Options euc = Options.defaults();
        assertEquals(10, euc.k());
        assertEquals(Metric.EUCLIDEAN, euc.metric());
        assertEquals(Weighting.DISTANCE, euc.weighting());
        assertEquals(Unreachable.ERROR, euc.unreachable());
        assertEquals(false, euc.includeSelf());
        assertEquals(7, euc.withK(7).k());
        assertEquals(3, euc.withThreads(3).threads());
        assertEquals(true, euc.withL2NormalizeRows(true).l2NormalizeRows());
        assertEquals(Metric.CORRELATION, euc.withMetric(Metric.CORRELATION).metric());

        assertTrue(assertThrows(IllegalArgumentException.class, () -> euc.withK(0)).getMessage().contains("k"));
        assertThrows(IllegalArgumentException.class, () -> euc.withThreads(0));
        assertThrows(IllegalArgumentException.class, () -> euc.withMetric(null));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> KnnGraph.geodesics(LINE, Options.euclidean(5)));
        assertTrue(big.getMessage().contains("k = 5 is too large for 5 points"), big.getMessage());
        // Self included: k = n is allowed (every point is everyone's neighbour).
        assertEquals(1.0, KnnGraph.geodesics(LINE, Options.scot(5).withMetric(Metric.EUCLIDEAN))
                .distance(0, 4), 0.0);
    }

    @Test
    void scotPresetUsesCorrelationOfNormalisedRows() {
        // Rows 0 and 1 are positive multiples (correlation distance 0), row 2 is anti-correlated with both,
        // row 3 is close to row 2. With k = 2 (one other neighbour): 0 ↔ 1 and 2 ↔ 3, two components; SCOT's rule
        // sets the cross pairs to the largest finite hop count, 1.
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 2, 3}, {2, 4, 6.1}, {3, 2, 1}, {3, 2.1, 1}});
        KnnGraph.Result r = KnnGraph.compute(x, Options.scot(2));
        assertEquals(2, r.components().size());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(i == j ? 0.0 : 1.0, r.distances().distance(i, j), 0.0);
            }
        }
        assertTrue(r.distances().description().contains("CORRELATION"), r.distances().description());
    }
}
