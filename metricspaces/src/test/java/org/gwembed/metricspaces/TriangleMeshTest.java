package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TriangleMeshTest {

    private static final double EXACT = 1e-15;

    /** The unit square (0,0)-(1,0)-(1,1)-(0,1) in the plane z = 0, split along the diagonal 0-2. */
    static TriangleMesh unitSquare() {
        return TriangleMesh.of(new double[][] {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}},
                new int[][] {{0, 1, 2}, {0, 2, 3}});
    }

    @Test
    void unitSquareVertexAreasAreThirdsOfAdjacentTriangles() {
        TriangleMesh sq = unitSquare();
        // Each triangle has area 1/2; vertices 0 and 2 touch both, 1 and 3 one.
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 6, 1.0 / 3, 1.0 / 6}, sq.vertexAreas(), EXACT);
        assertEquals(1.0, sq.surfaceArea(), EXACT);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 6, 1.0 / 3, 1.0 / 6}, sq.areaMeasure(), EXACT);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, sq.uniformMeasure(), 0.0);
    }

    @Test
    void vertexAreasSumToSurfaceAreaOnACurvedMesh() {
        TriangleMesh mesh = MeshGenerators.halfTorus(500).mesh();
        double sum = 0;
        for (double a : mesh.vertexAreas()) {
            sum += a;
        }
        assertEquals(mesh.surfaceArea(), sum, 1e-12 * mesh.surfaceArea());
    }

    @Test
    void edgeGraphHasEuclideanLengthsAndSharedEdgesOnce() {
        WeightedGraph g = unitSquare().edgeGraph();
        assertEquals(5, g.edgeCount());
        assertEquals(1.0, g.edgeLength(0, 1), EXACT);
        assertEquals(Math.sqrt(2), g.edgeLength(0, 2), EXACT);
        assertEquals(Double.POSITIVE_INFINITY, g.edgeLength(1, 3));
    }

    @Test
    void coordinatesAreEuclideanXyz() {
        Coordinates c = unitSquare().coordinates();
        assertEquals(List.of("x", "y", "z"), c.names());
        assertEquals(Coordinates.Kind.EUCLIDEAN, c.kind());
        assertEquals(1.0, c.get(2, 1), 0.0);
    }

    @Test
    void largestComponentDropsOtherVerticesAndRemapsIndices() {
        // Vertex 0 is unused; triangle {1,2,3} is one component; {4,5,6} and {6,7,4} another (larger: 4 vertices).
        double[][] v = new double[8][];
        for (int i = 0; i < 8; i++) {
            v[i] = new double[] {i, i * i, 0.5 * i};
        }
        TriangleMesh mesh = TriangleMesh.of(v, new int[][] {{1, 2, 3}, {4, 5, 6}, {6, 7, 4}});
        assertEquals(3, mesh.connectedComponents().size());
        assertArrayEquals(new int[] {4, 5, 6, 7}, mesh.largestComponentVertices());
        TriangleMesh big = mesh.largestComponent();
        assertEquals(4, big.vertexCount());
        assertArrayEquals(new int[][] {{0, 1, 2}, {2, 3, 0}}, big.triangles());
        assertEquals(7.0, big.vertex(3, 0), 0.0);
        assertEquals(49.0, big.vertex(3, 1), 0.0);
    }

    @Test
    void invalidMeshesAreRejectedWithTheTriangle() {
        double[][] v = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> TriangleMesh.of(v, new int[][] {{0, 1, 3}}));
        assertTrue(range.getMessage().contains("triangle 0") && range.getMessage().contains("outside [0, 3)"),
                range.getMessage());
        IllegalArgumentException repeat = assertThrows(IllegalArgumentException.class,
                () -> TriangleMesh.of(v, new int[][] {{0, 1, 2}, {2, 1, 2}}));
        assertTrue(repeat.getMessage().contains("triangle 1") && repeat.getMessage().contains("repeats"),
                repeat.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> TriangleMesh.of(new double[][] {{0, 0, 0}, {1, Double.NaN, 0}, {0, 1, 0}},
                        new int[][] {{0, 1, 2}}));
        assertTrue(nan.getMessage().contains("vertex 1 coordinate y"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TriangleMesh.of(new double[0][], new int[0][]));
    }

    @Test
    void arraysAreCopiedInAndOut() {
        double[][] v = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
        int[][] t = {{0, 1, 2}};
        TriangleMesh mesh = TriangleMesh.of(v, t);
        v[1][0] = 5;
        t[0][0] = 2;
        mesh.vertices().set(0, 0, 9);
        mesh.triangles()[0][1] = 0;
        assertEquals(TriangleMesh.of(new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}}, new int[][] {{0, 1, 2}}), mesh);
    }
}
