package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.ArticulatedBody.Body;
import org.gwembed.metricspaces.ArticulatedBody.Part;
import org.gwembed.metricspaces.ArticulatedBody.Pose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArticulatedBodyTest {

    /** Requested and generated vertex counts may differ by this fraction (n >= 500). */
    private static final double COUNT_TOLERANCE = 0.05;
    /**
     * Bound on the relative L1 difference Σ|D₁ − D₂| / Σ D₁ of the geodesic matrices of the two poses. Measured:
     * 0.034 at 300 vertices, 0.024 at 1500 (the limbs keep their lengths; only the joints bend).
     */
    private static final double MEAN_DISTORTION = 0.045;
    /**
     * Pairs (farther apart than 0.1) whose geodesic changes by more than {@link #LARGE_CHANGE} (relative) between the
     * poses, at most this fraction. Measured: 0.9 % at 300 vertices, 0.6 % at 1500. The large changes are local, at
     * the shoulders: a tube bent by an angle θ is shorter by about 2rθ on the inside of the bend than on the outside,
     * and raising the arm turns the inside of the bend (the armpit) to the outside; real skin does the same.
     */
    private static final double LARGE_FRACTION = 0.02;
    /** What counts as a large relative change of one geodesic distance. */
    private static final double LARGE_CHANGE = 0.2;
    /** Smallest allowed triangle area relative to the mean area. */
    private static final double MIN_RELATIVE_AREA = 1e-3;

    @TempDir
    Path dir;

    @Test
    void vertexCountsAreCloseToTheTarget() {
        for (int n : new int[] {500, 1500, 3000}) {
            Body b = ArticulatedBody.generate(n, Pose.standing());
            int nv = b.mesh().vertexCount();
            assertTrue(Math.abs(nv - n) <= COUNT_TOLERANCE * n, nv + " vertices for " + n);
            assertEquals(nv, b.mesh().usedVertexIndices().length, "unused vertices");
            assertEquals(nv, b.parts().length);
            assertEquals(nv, b.generated().parameters().numRows);
        }
        int small = ArticulatedBody.generate(300, Pose.standing()).mesh().vertexCount();
        assertTrue(small > 200 && small < 400, small + " vertices for 300");
    }

    @Test
    void theMeshIsAClosedOrientedSphereInOnePiece() {
        for (int n : new int[] {300, 1500}) {
            for (Pose pose : new Pose[] {Pose.standing(), Pose.armsRaisedStep()}) {
                TriangleMesh mesh = ArticulatedBody.generate(n, pose).mesh();
                assertEquals(1, mesh.connectedComponents().size());
                // every directed edge once and its reverse once: closed, consistently oriented, manifold along edges
                Map<Long, Integer> directed = new HashMap<>();
                Set<Long> undirected = new HashSet<>();
                int[][] t = mesh.triangles();
                for (int[] c : t) {
                    for (int e = 0; e < 3; e++) {
                        int a = c[e];
                        int b = c[(e + 1) % 3];
                        directed.merge(((long) a << 32) | b, 1, Integer::sum);
                        undirected.add(((long) Math.min(a, b) << 32) | Math.max(a, b));
                    }
                }
                for (Map.Entry<Long, Integer> e : directed.entrySet()) {
                    assertEquals(1, e.getValue(), "directed edge used twice");
                    long rev = ((e.getKey() & 0xffffffffL) << 32) | (e.getKey() >>> 32);
                    assertTrue(directed.containsKey(rev), "boundary edge");
                }
                // Euler characteristic of a sphere
                assertEquals(2, mesh.vertexCount() - undirected.size() + mesh.triangleCount());
                // outward: positive enclosed volume
                double volume = 0;
                for (int[] c : t) {
                    volume += det(mesh, c[0], c[1], c[2]);
                }
                assertTrue(volume > 0, "inward orientation");
            }
        }
    }

    @Test
    void noDegenerateTriangles() {
        for (Pose pose : new Pose[] {Pose.standing(), Pose.armsRaisedStep()}) {
            TriangleMesh mesh = ArticulatedBody.generate(800, pose).mesh();
            double mean = mesh.surfaceArea() / mesh.triangleCount();
            for (int t = 0; t < mesh.triangleCount(); t++) {
                assertTrue(mesh.triangleArea(t) > MIN_RELATIVE_AREA * mean, "triangle " + t + " has area "
                        + mesh.triangleArea(t) + ", mean " + mean);
            }
        }
    }

    @Test
    void posesShareVerticesTrianglesAndPartsAndAreNearlyIsometric() {
        for (int n : new int[] {300, 1500}) {
            Body a = ArticulatedBody.generate(n, Pose.standing());
            Body b = ArticulatedBody.generate(n, Pose.armsRaisedStep());
            assertEquals(a.mesh().vertexCount(), b.mesh().vertexCount());
            assertArrayEquals(a.mesh().triangles(), b.mesh().triangles());
            assertArrayEquals(a.parts(), b.parts());
            assertArrayEquals(a.generated().parameters().data, b.generated().parameters().data);
            assertTrue(maxCoordinateChange(a.mesh(), b.mesh()) > 0.5, "the poses should differ visibly");
            DMatrixRMaj da = MeshGeodesics.geodesics(a.mesh()).distanceMatrix();
            DMatrixRMaj db = MeshGeodesics.geodesics(b.mesh()).distanceMatrix();
            double diff = 0;
            double sum = 0;
            long pairs = 0;
            long large = 0;
            for (int k = 0; k < da.data.length; k++) {
                diff += Math.abs(da.data[k] - db.data[k]);
                sum += da.data[k];
                if (da.data[k] > 0.1) {
                    pairs++;
                    if (Math.abs(da.data[k] - db.data[k]) > LARGE_CHANGE * da.data[k]) {
                        large++;
                    }
                }
            }
            assertTrue(diff / sum < MEAN_DISTORTION, "mean relative geodesic change " + diff / sum + " at " + n);
            assertTrue(large < LARGE_FRACTION * pairs, large + " of " + pairs + " pairs change by more than "
                    + LARGE_CHANGE + " at " + n);
        }
    }

    @Test
    void everyPartIsPresentAndHumanlyProportioned() {
        Body b = ArticulatedBody.generate(1500, Pose.standing());
        int[] count = new int[Part.values().length];
        double zMin = Double.POSITIVE_INFINITY;
        double zMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < b.mesh().vertexCount(); i++) {
            count[b.parts()[i]]++;
            zMin = Math.min(zMin, b.mesh().vertex(i, 2));
            zMax = Math.max(zMax, b.mesh().vertex(i, 2));
        }
        for (Part p : Part.values()) {
            assertTrue(count[p.ordinal()] > 20, p + " has " + count[p.ordinal()] + " vertices");
            assertEquals(count[p.ordinal()], count[p.mirrored().ordinal()], p + " vs its mirror");
        }
        assertEquals(1.8, zMax - zMin, 0.1, "height");
        // the head is on top, the shins at the bottom
        double headZ = meanHeight(b, Part.HEAD);
        assertTrue(headZ > meanHeight(b, Part.TORSO) && meanHeight(b, Part.TORSO) > meanHeight(b, Part.LEFT_THIGH)
                && meanHeight(b, Part.LEFT_THIGH) > meanHeight(b, Part.LEFT_SHIN));
        assertEquals("left upper arm", Part.LEFT_UPPER_ARM.label());
        assertEquals(Part.RIGHT_SHIN, Part.LEFT_SHIN.mirrored());
    }

    @Test
    void writtenMeshesReadBackUnchanged() throws IOException {
        TriangleMesh mesh = ArticulatedBody.generate(400, Pose.armsRaisedStep()).mesh();
        for (String name : new String[] {"body.obj", "body.ply", "body.off"}) {
            Path file = dir.resolve(name);
            MeshWriters.write(mesh, file);
            TriangleMesh back = MeshReaders.read(file);
            assertEquals(mesh.vertexCount(), back.vertexCount(), name);
            assertArrayEquals(mesh.triangles(), back.triangles(), name);
            assertTrue(maxCoordinateChange(mesh, back) < 1e-9, name);
        }
    }

    @Test
    void generationIsDeterministicAndValidatesItsArguments() {
        assertEquals(ArticulatedBody.generate(500, Pose.armsRaisedStep()).mesh(),
                ArticulatedBody.generate(500, Pose.armsRaisedStep()).mesh());
        assertThrows(IllegalArgumentException.class, () -> ArticulatedBody.generate(50, Pose.standing()));
        assertThrows(IllegalArgumentException.class, () -> new Pose(200, 0, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Pose(Double.NaN, 0, 0, 0, 0, 0, 0, 0));
    }

    private static double meanHeight(Body b, Part p) {
        double s = 0;
        int c = 0;
        for (int i = 0; i < b.mesh().vertexCount(); i++) {
            if (b.part(i) == p) {
                s += b.mesh().vertex(i, 2);
                c++;
            }
        }
        return s / c;
    }

    private static double maxCoordinateChange(TriangleMesh a, TriangleMesh b) {
        double m = 0;
        for (int i = 0; i < a.vertexCount(); i++) {
            for (int c = 0; c < 3; c++) {
                m = Math.max(m, Math.abs(a.vertex(i, c) - b.vertex(i, c)));
            }
        }
        return m;
    }

    private static double det(TriangleMesh m, int a, int b, int c) {
        double[] p = {m.vertex(a, 0), m.vertex(a, 1), m.vertex(a, 2)};
        double[] q = {m.vertex(b, 0), m.vertex(b, 1), m.vertex(b, 2)};
        double[] r = {m.vertex(c, 0), m.vertex(c, 1), m.vertex(c, 2)};
        return p[0] * (q[1] * r[2] - q[2] * r[1]) - p[1] * (q[0] * r[2] - q[2] * r[0])
                + p[2] * (q[0] * r[1] - q[1] * r[0]);
    }
}
