package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntFunction;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.MeshGenerators.GeneratedMesh;
import org.junit.jupiter.api.Test;

class MeshGeodesicsTest {

    /** Approximate vertex counts of the three resolutions (each about twice the previous). */
    private static final int[] RESOLUTIONS = {250, 500, 1000};
    /**
     * Bound on the mean relative error of edge-graph distances against exact geodesics. Paths must follow the edges
     * of the (checkerboard-diagonal) grid, so the error depends on the direction, not on the mesh size: measured
     * 0.049–0.051 on the S-curve and Swiss roll at 250–4000 vertices; it does not tend to 0 under refinement.
     */
    private static final double MEAN_GRID_BIAS_BOUND = 0.06;
    /** Largest allowed underestimate {@code 1 − graph/exact}: only the chords of curved edges can cause it. */
    private static final double CHORD_DEFICIT_BOUND = 0.02;
    /** Doubling the vertex count must shrink the O(h²) chord errors by at least this factor (expected: 2). */
    private static final double REFINEMENT_FACTOR = 0.75;
    private static final int THREADS = 2;

    private record Errors(double meanRelative, double maxDeficit) {
    }

    private static Errors errorsAgainstUnrolled(GeneratedMesh g) {
        DMatrixRMaj d = GraphGeodesics.allPairs(g.mesh().edgeGraph(), THREADS);
        int n = g.mesh().vertexCount();
        double sum = 0;
        double deficit = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double exact = g.unrolledDistance(i, j);
                double ratio = d.get(i, j) / exact;
                sum += Math.abs(ratio - 1);
                deficit = Math.max(deficit, 1 - ratio);
                pairs++;
            }
        }
        return new Errors(sum / pairs, deficit);
    }

    private static void checkAgainstUnrolled(IntFunction<GeneratedMesh> surface) {
        double previousDeficit = Double.POSITIVE_INFINITY;
        for (int n : RESOLUTIONS) {
            GeneratedMesh g = surface.apply(n);
            Errors e = errorsAgainstUnrolled(g);
            String where = g.description() + ": " + e;
            assertTrue(e.meanRelative() < MEAN_GRID_BIAS_BOUND, where);
            assertTrue(e.maxDeficit() < CHORD_DEFICIT_BOUND, where);
            assertTrue(e.maxDeficit() > 0, "curved edges are chords, shorter than arcs: " + where);
            assertTrue(e.maxDeficit() < REFINEMENT_FACTOR * previousDeficit, "chord deficit must shrink: " + where
                    + ", previous " + previousDeficit);
            previousDeficit = e.maxDeficit();
        }
    }

    @Test
    void sCurveGeodesicsMatchTheUnrolledDistanceUpToGridBiasAndShrinkingChordError() {
        checkAgainstUnrolled(MeshGenerators::sCurve);
    }

    @Test
    void swissRollGeodesicsMatchTheUnrolledDistanceUpToGridBiasAndShrinkingChordError() {
        checkAgainstUnrolled(MeshGenerators::swissRoll);
    }

    /** The same triangles with the vertices placed at their unrolled coordinates in the plane z = 0. */
    private static TriangleMesh flattened(GeneratedMesh g) {
        int n = g.mesh().vertexCount();
        DMatrixRMaj v = new DMatrixRMaj(n, 3);
        for (int i = 0; i < n; i++) {
            v.set(i, 0, g.unrolled().get(i, 0));
            v.set(i, 1, g.unrolled().get(i, 1));
        }
        int[] t = new int[3 * g.mesh().triangleCount()];
        for (int k = 0; k < t.length; k++) {
            t[k] = g.mesh().corner(k / 3, k % 3);
        }
        return TriangleMesh.of(v, t);
    }

    /**
     * Against the same graph drawn flat (which removes the direction-dependent grid bias), the curved mesh's
     * distances converge: the mean relative difference is the chord error, O(h²).
     */
    @Test
    void curvedMeshDistancesConvergeToThoseOfTheFlattenedMeshUnderRefinement() {
        for (IntFunction<GeneratedMesh> surface : java.util.List.<IntFunction<GeneratedMesh>>of(
                MeshGenerators::sCurve, MeshGenerators::swissRoll)) {
            double previous = Double.POSITIVE_INFINITY;
            for (int n : RESOLUTIONS) {
                GeneratedMesh g = surface.apply(n);
                DMatrixRMaj curved = GraphGeodesics.allPairs(g.mesh().edgeGraph(), THREADS);
                DMatrixRMaj flat = GraphGeodesics.allPairs(flattened(g).edgeGraph(), THREADS);
                double sum = 0;
                long pairs = 0;
                for (int i = 0; i < curved.numRows; i++) {
                    for (int j = i + 1; j < curved.numCols; j++) {
                        sum += Math.abs(curved.get(i, j) / flat.get(i, j) - 1);
                        pairs++;
                    }
                }
                double mean = sum / pairs;
                assertTrue(mean < CHORD_DEFICIT_BOUND && mean < REFINEMENT_FACTOR * previous, g.description()
                        + ": mean relative difference " + mean + ", previous " + previous);
                previous = mean;
            }
        }
    }

    /** The S-curve mesh plus a separate triangle (3 vertices) and an isolated vertex. */
    private static TriangleMesh withTwoExtraComponents(TriangleMesh base) {
        int n = base.vertexCount();
        DMatrixRMaj v = new DMatrixRMaj(n + 4, 3);
        DMatrixRMaj bv = base.vertices();
        System.arraycopy(bv.data, 0, v.data, 0, bv.data.length);
        for (int k = 0; k < 4; k++) {
            v.set(n + k, 0, 10 + k);
            v.set(n + k, 1, k * k);
        }
        int m = base.triangleCount();
        int[] t = new int[3 * (m + 1)];
        for (int k = 0; k < 3 * m; k++) {
            t[k] = base.corner(k / 3, k % 3);
        }
        t[3 * m] = n;
        t[3 * m + 1] = n + 1;
        t[3 * m + 2] = n + 2;
        return TriangleMesh.of(v, t);
    }

    @Test
    void disconnectedMeshIsReportedWithComponentSizes() {
        TriangleMesh base = MeshGenerators.sCurve(200).mesh();
        TriangleMesh mesh = withTwoExtraComponents(base);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MeshGeodesics.geodesics(mesh, MeshGeodesics.Options.defaults()));
        String expected = "mesh has 3 connected components (sizes " + base.vertexCount() + ", 3, 1)";
        assertTrue(e.getMessage().startsWith(expected) && e.getMessage().contains("keepLargestComponent"),
                e.getMessage());
    }

    @Test
    void largestComponentIsKeptWhenAsked() {
        TriangleMesh base = MeshGenerators.sCurve(200).mesh();
        TriangleMesh mesh = withTwoExtraComponents(base);
        MeshGeodesics.Options keep = MeshGeodesics.Options.defaults().withThreads(THREADS).keepLargestComponent();
        DenseMetricSpace d = MeshGeodesics.geodesics(mesh, keep);
        DenseMetricSpace expected = MeshGeodesics.geodesics(base, keep);
        assertEquals(base.vertexCount(), d.size());
        assertArrayEquals(expected.distanceMatrix().data, d.distanceMatrix().data, 0.0);
        assertArrayEquals(base.vertices().data, d.coordinates().orElseThrow().values().data, 0.0);
        assertTrue(d.description().contains("largest component"), d.description());
    }

    @Test
    void metricMeasureSpaceCarriesTheChosenVertexMeasure() {
        TriangleMesh mesh = MeshGenerators.halfTorus(200).mesh();
        MeshGeodesics.Options options = MeshGeodesics.Options.defaults().withThreads(THREADS);
        MetricMeasureSpace area = MeshGeodesics.metricMeasureSpace(mesh, MeshGeodesics.VertexMeasure.AREA, options);
        assertArrayEquals(mesh.areaMeasure(), area.weights(), 1e-15);
        MetricMeasureSpace uniform = MeshGeodesics.metricMeasureSpace(mesh, MeshGeodesics.VertexMeasure.UNIFORM,
                options);
        assertEquals(1.0 / mesh.vertexCount(), uniform.weight(7), 0.0);
        assertTrue(area.space().coordinates().isPresent());
        // Distances are the edge-graph geodesics: adjacent vertices are one edge apart.
        assertEquals(mesh.euclideanDistance(mesh.corner(0, 0), mesh.corner(0, 1)),
                area.space().distance(mesh.corner(0, 0), mesh.corner(0, 1)), 1e-15);
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new MeshGeodesics.Options(0,
                MeshGeodesics.Disconnected.FAIL));
        assertThrows(IllegalArgumentException.class, () -> new MeshGeodesics.Options(1, null));
    }
}
