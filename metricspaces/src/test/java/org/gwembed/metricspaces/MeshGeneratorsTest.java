package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.gwembed.metricspaces.MeshGenerators.GeneratedMesh;
import org.junit.jupiter.api.Test;

class MeshGeneratorsTest {

    /** Requested and generated vertex counts may differ by this fraction. */
    private static final double COUNT_TOLERANCE = 0.06;
    /** Relative error of a polyhedral area against the smooth surface at about 2000 vertices (O(h²)). */
    private static final double AREA_TOLERANCE = 3e-3;

    private static List<GeneratedMesh> all(int n) {
        return List.of(MeshGenerators.sCurve(n), MeshGenerators.swissRoll(n),
                MeshGenerators.swissRoll(n, MeshGenerators.Hole.centre()), MeshGenerators.sphericalRectangleWithHole(n),
                MeshGenerators.sphericalCapWithHole(n), MeshGenerators.halfTorus(n), MeshGenerators.toroidalTriangle(n));
    }

    @Test
    void vertexCountsAreCloseToTheTargetAndMeshesAreConnected() {
        for (int n : new int[] {300, 1800, 2000}) {
            for (GeneratedMesh g : all(n)) {
                int nv = g.mesh().vertexCount();
                assertTrue(Math.abs(nv - n) <= COUNT_TOLERANCE * n, g.description() + ": " + nv + " vertices for " + n);
                assertEquals(1, g.mesh().connectedComponents().size(), g.description());
                assertEquals(nv, g.mesh().usedVertexIndices().length, "unused vertices in " + g.description());
                assertEquals(nv, g.parameters().numRows);
            }
        }
    }

    @Test
    void generatorsAreDeterministic() {
        assertEquals(MeshGenerators.swissRoll(500, MeshGenerators.Hole.centre()).mesh(),
                MeshGenerators.swissRoll(500, MeshGenerators.Hole.centre()).mesh());
    }

    @Test
    void sCurveMatchesScikitLearnFormulaAndIsUnrolledByArcLength() {
        GeneratedMesh g = MeshGenerators.sCurve(2000);
        for (int i = 0; i < g.mesh().vertexCount(); i += 37) {
            double t = g.parameters().get(i, 0);
            assertEquals(Math.sin(t), g.mesh().vertex(i, 0), 1e-15);
            assertEquals(Math.signum(t) * (Math.cos(t) - 1), g.mesh().vertex(i, 2), 1e-15);
            assertEquals(t + 1.5 * Math.PI, g.unrolled().get(i, 0), 1e-12);
        }
        // The surface is developable: its area is that of the unrolled rectangle 3π × 2, approached from below.
        double area = g.mesh().surfaceArea();
        assertTrue(area < 6 * Math.PI && area > (1 - AREA_TOLERANCE) * 6 * Math.PI, "area " + area);
    }

    @Test
    void swissRollArcLengthIsTheIntegralOfTheSpeedAndIsInverted() {
        double t0 = 1.5 * Math.PI;
        double t1 = 4.5 * Math.PI;
        int steps = 100_000;
        double h = (t1 - t0) / steps;
        double integral = 0;   // Simpson's rule for ∫ √(1 + t²) dt
        for (int k = 0; k <= steps; k++) {
            double t = t0 + k * h;
            double w = k == 0 || k == steps ? 1 : (k % 2 == 1 ? 4 : 2);
            integral += w * Math.sqrt(1 + t * t);
        }
        integral *= h / 3;
        assertEquals(integral, MeshGenerators.swissRollArcLength(t1) - MeshGenerators.swissRollArcLength(t0), 1e-9);
        double s = MeshGenerators.swissRollArcLength(7.3);
        assertEquals(7.3, MeshGenerators.swissRollParameter(s, t0, t1), 1e-13);
        GeneratedMesh g = MeshGenerators.swissRoll(1000);
        double area = g.mesh().surfaceArea();
        double unrolledArea = integral * MeshGenerators.SWISS_ROLL_HEIGHT;
        assertTrue(area < unrolledArea && area > (1 - AREA_TOLERANCE) * unrolledArea, "area " + area + " vs "
                + unrolledArea);
    }

    @Test
    void swissRollHoleRemovesTheMiddleOfTheParameterRectangle() {
        GeneratedMesh full = MeshGenerators.swissRoll(1800);
        GeneratedMesh holed = MeshGenerators.swissRoll(1800, MeshGenerators.Hole.centre());
        double sMax = full.unrolled().get(full.mesh().vertexCount() - 1, 0);
        for (int i = 0; i < holed.mesh().vertexCount(); i++) {
            double u = holed.unrolled().get(i, 0) / sMax;
            double v = holed.unrolled().get(i, 1) / MeshGenerators.SWISS_ROLL_HEIGHT;
            // Vertices on the boundary of the removed cells stay; none strictly inside a removed cell.
            double margin = 0.05;
            assertTrue(!(u > 1.0 / 3 + margin && u < 2.0 / 3 - margin && v > 1.0 / 3 + margin
                    && v < 2.0 / 3 - margin), "vertex " + i + " at (" + u + ", " + v + ") lies in the hole");
        }
        double ratio = holed.mesh().surfaceArea() / full.mesh().surfaceArea();
        assertEquals(8.0 / 9, ratio, 0.03);
    }

    @Test
    void sphericalRectangleAreaMatchesTheSphereAreaOfItsCells() {
        GeneratedMesh g = MeshGenerators.sphericalRectangleWithHole(2000);
        // Full rectangle minus the central hole cells; the hole is exactly the cells with centre in the middle
        // ninth. Recover the grid from the parameters: distinct longitudes and colatitudes.
        double[] phis = distinct(g, 0);
        double[] thetas = distinct(g, 1);
        int a = phis.length - 1;
        int b = thetas.length - 1;
        MeshGenerators.Hole hole = MeshGenerators.Hole.centre();
        double exact = 0;
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                if (!hole.contains((i + 0.5) / a, (j + 0.5) / b)) {
                    exact += (phis[i + 1] - phis[i]) * (Math.cos(thetas[j]) - Math.cos(thetas[j + 1]));
                }
            }
        }
        double area = g.mesh().surfaceArea();
        assertTrue(area < exact && area > (1 - AREA_TOLERANCE) * exact, "area " + area + " vs sphere " + exact);
    }

    private static double[] distinct(GeneratedMesh g, int column) {
        return java.util.stream.IntStream.range(0, g.mesh().vertexCount())
                .mapToDouble(i -> g.parameters().get(i, column)).distinct().sorted().toArray();
    }

    @Test
    void sphericalCapAreaApproachesTheAnalyticArea() {
        double exact = 2 * Math.PI * (Math.cos(MeshGenerators.CAP_HOLE_COLATITUDE)
                - Math.cos(MeshGenerators.CAP_RIM_COLATITUDE));
        double previous = Double.POSITIVE_INFINITY;
        for (int n : new int[] {500, 2000}) {
            GeneratedMesh g = MeshGenerators.sphericalCapWithHole(n);
            for (int i = 0; i < g.mesh().vertexCount(); i += 11) {
                double r = Math.sqrt(Math.pow(g.mesh().vertex(i, 0), 2) + Math.pow(g.mesh().vertex(i, 1), 2)
                        + Math.pow(g.mesh().vertex(i, 2), 2));
                assertEquals(1.0, r, 1e-15, "vertices lie on the unit sphere");
            }
            double error = Math.abs(g.mesh().surfaceArea() / exact - 1);
            assertTrue(error < previous / 2, "area error must shrink O(h²): " + error + " after " + previous);
            previous = error;
        }
        assertTrue(previous < AREA_TOLERANCE, "area error " + previous);
    }

    @Test
    void torusPatchesLieOnTheTorus() {
        double bigR = MeshGenerators.TORUS_MAJOR_RADIUS;
        double r = MeshGenerators.TORUS_MINOR_RADIUS;
        for (GeneratedMesh g : List.of(MeshGenerators.halfTorus(800), MeshGenerators.toroidalTriangle(800))) {
            for (int i = 0; i < g.mesh().vertexCount(); i++) {
                double x = g.mesh().vertex(i, 0);
                double y = g.mesh().vertex(i, 1);
                double z = g.mesh().vertex(i, 2);
                double ring = Math.hypot(x, y) - bigR;
                assertEquals(r * r, ring * ring + z * z, 1e-14, g.description() + " vertex " + i);
            }
        }
        GeneratedMesh half = MeshGenerators.halfTorus(2000);
        double exact = 2 * Math.PI * Math.PI * bigR * r;   // half of 4π²Rr
        assertEquals(exact, half.mesh().surfaceArea(), AREA_TOLERANCE * exact);
        GeneratedMesh tri = MeshGenerators.toroidalTriangle(2000);
        for (int i = 0; i < tri.mesh().vertexCount(); i++) {
            double u = tri.parameters().get(i, 0);
            double v = tri.parameters().get(i, 1);
            assertTrue(u >= 0 && v >= -Math.PI - 1e-12 && u / Math.PI + (v + Math.PI) / (2 * Math.PI) <= 1 + 1e-12,
                    "vertex " + i + " outside the parameter triangle");
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> MeshGenerators.sCurve(3));
        assertThrows(IllegalArgumentException.class, () -> new MeshGenerators.Hole(0.5, 0.4, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new MeshGenerators.Hole(0, 1.5, 0, 1));
        assertThrows(IllegalStateException.class, () -> MeshGenerators.halfTorus(100).unrolledDistance(0, 1));
    }
}
