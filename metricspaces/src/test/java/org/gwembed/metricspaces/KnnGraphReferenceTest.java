package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

import org.gwembed.metricspaces.KnnGraph.Options;

/**
 * Agreement with an independent implementation: {@code src/test/resources/reference/knn_reference.py} (NumPy +
 * SciPy {@code cdist} and {@code csgraph.dijkstra(directed=False)}, scikit-learn's {@code kneighbors_graph}
 * semantics re-implemented) computed the reference geodesics for a fixed 40 × 5 Gaussian point set.
 */
class KnnGraphReferenceTest {

    /** Relative agreement with the SciPy references. */
    private static final double REL_TOL = 1e-12;

    private static Path resource(String name) {
        try {
            return Path.of(KnnGraphReferenceTest.class.getResource("/reference/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource /reference/" + name + " is missing", e);
        }
    }

    private static void assertAgrees(String referenceFile, Options options) {
        DMatrixRMaj points = Tables.read(resource("knn_points.csv")).values();
        DMatrixRMaj expected = Tables.read(resource(referenceFile)).values();
        DenseMetricSpace actual = KnnGraph.geodesics(points, options);
        assertEquals(40, points.numRows);
        assertEquals(5, points.numCols);
        assertEquals(expected.numRows, actual.size());
        for (int i = 0; i < expected.numRows; i++) {
            for (int j = 0; j < expected.numCols; j++) {
                double e = expected.get(i, j);
                assertEquals(e, actual.distance(i, j), REL_TOL * Math.max(1, Math.abs(e)),
                        referenceFile + " entry (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void euclideanPresetMatchesScipy() {
        assertAgrees("knn_euclidean_k5.csv", Options.euclidean(5).withThreads(2));
    }

    @Test
    void scotPresetMatchesScipy() {
        assertAgrees("knn_scot_k5.csv", Options.scot(5).withThreads(2));
    }

    @Test
    void scotPresetOnADisconnectedGraphMatchesScipy() {
        assertAgrees("knn_scot_k2.csv", Options.scot(2).withThreads(1));
    }
}
