package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KnnSearchTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(KnnSearchTest.class.getResource("/knn/" + name)).toURI());
    }

    /** SciPy's cdist brute force (knn/knn_reference.py): the same 6 neighbours in the same order, the same values. */
    @ParameterizedTest
    @EnumSource(KnnSearch.Metric.class)
    void matchesScipysBruteForce(KnnSearch.Metric metric) throws URISyntaxException {
        DMatrixRMaj x = Tables.read(resource("knn_x.csv")).values();
        String name = metric.name().toLowerCase(java.util.Locale.ROOT);
        DMatrixRMaj index = Tables.read(resource("knn_" + name + "_index.csv")).values();
        DMatrixRMaj distance = Tables.read(resource("knn_" + name + "_distance.csv")).values();
        SparseRows s = SparseRows.fromDense(x);
        assertTrue(s.storedEntries() < x.getNumElements() / 4, "the input is sparse");
        for (int threads : new int[] {1, 2}) {
            KnnSearch.Neighbours nn = KnnSearch.search(s, 6, metric, threads);
            for (int i = 0; i < x.numRows; i++) {
                for (int t = 0; t < 6; t++) {
                    assertEquals((int) index.get(i, t), nn.index()[i][t], metric + " row " + i + " neighbour " + t);
                    assertEquals(distance.get(i, t), nn.distance()[i][t], 1e-13, metric + " row " + i);
                }
            }
        }
    }

    /** The sparse path of KnnGraph gives the dense path's graph geodesics, for the paper's graph and SCOT's. */
    @Test
    void sparseGeodesicsEqualTheDensePaths() throws URISyntaxException {
        DMatrixRMaj x = Tables.read(resource("knn_x.csv")).values();
        SparseRows s = SparseRows.fromDense(x);
        for (KnnGraph.Options o : new KnnGraph.Options[] {KnnGraph.Options.euclidean(8).withThreads(1),
            KnnGraph.Options.scot(8).withThreads(2),
            KnnGraph.Options.euclidean(8).withMetric(KnnGraph.Metric.COSINE).withThreads(1)}) {
            DMatrixRMaj dense = KnnGraph.compute(x, o).distances().distanceMatrix();
            DMatrixRMaj sparse = KnnGraph.compute(s, o).distances().distanceMatrix();
            for (int t = 0; t < dense.data.length; t++) {
                assertEquals(dense.data[t], sparse.data[t], 1e-12, o.describe() + " entry " + t);
            }
        }
    }

    /** Near-duplicate rows far from the origin: the exact re-measurement keeps the Euclidean order right. */
    @Test
    void euclideanNeighboursOfNearDuplicatesFarFromTheOrigin() {
        int n = 40;
        DMatrixRMaj x = new DMatrixRMaj(n, 3);
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, 1e7);
            x.set(i, 1, 1e-3 * rng.nextDouble());
            x.set(i, 2, 1e-3 * rng.nextDouble());
        }
        KnnSearch.Neighbours nn = KnnSearch.search(SparseRows.fromDense(x), 3, KnnSearch.Metric.EUCLIDEAN, 1);
        DMatrixRMaj d = PointClouds.euclideanDistances(x);
        for (int i = 0; i < n; i++) {
            int[] expect = KnnGraph.nearest(d.data, i * n, n, i, 3);
            assertArrayEquals(expect, nn.index()[i], "row " + i);
            assertEquals(d.get(i, expect[0]), nn.distance()[i][0], 0.0);
        }
    }

    @Test
    void undefinedRowsAndBadCountsAreNamed() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 0, 2}, {0, 0, 0}, {3, 1, 0}});
        SparseRows s = SparseRows.fromDense(x);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KnnSearch.search(s, 1, KnnSearch.Metric.COSINE,
                1)).getMessage().contains("row 1 is zero"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KnnSearch.search(s, 1,
                KnnSearch.Metric.CORRELATION, 1)).getMessage().contains("row 1 is constant"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KnnSearch.search(s, 3,
                KnnSearch.Metric.EUCLIDEAN, 1)).getMessage().contains("[0, 2]"));
    }

    /** Triplets: duplicates summed, rows sorted; the transpose and the dense form agree. */
    @Test
    void tripletsTransposeAndDense() {
        SparseRows s = SparseRows.fromTriplets(2, 3, new int[] {1, 0, 1, 0}, new int[] {2, 1, 0, 1},
                new double[] {5, 1, 2, 3}, 4);
        assertArrayEquals(new double[] {0, 4, 0, 2, 0, 5}, s.toDense().data, 0.0);
        assertArrayEquals(new double[] {0, 2, 4, 0, 0, 5}, s.transpose().toDense().data, 0.0);
        assertThrows(IllegalArgumentException.class, () -> new SparseRows(1, 2, new int[] {0, 2}, new int[] {1, 0},
                new double[] {1, 1}));
    }
}
