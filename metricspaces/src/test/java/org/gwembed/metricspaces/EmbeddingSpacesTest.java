package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EmbeddingSpacesTest {

    private static final double EXACT = 1e-12;

    static Stream<Arguments> spaces() {
        return Stream.of(
                Arguments.of(PlaneGrid.of(7, 1.3)),
                Arguments.of(SphereGrid.of(6, 1.3)),
                Arguments.of(FlatTorusGrid.of(6, 5, 1.3)),
                Arguments.of(CircleSpace.of(9, 1.3)),
                Arguments.of(GaussianSpace.of(3, 0.05)),
                Arguments.of(EmbeddedTorusGrid.of(8, 6, 1.0, 0.3, 1.3)));
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void metricAxiomsHoldOnEveryTriple(MetricSpace space) {
        DMatrixRMaj d = space.distanceMatrix();
        int n = space.size();
        double max = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(0.0, d.get(i, i), 0.0, "diagonal at " + i);
            for (int j = 0; j < n; j++) {
                assertEquals(d.get(i, j), d.get(j, i), 0.0, "symmetry at " + i + "," + j);
                assertEquals(space.distance(i, j), d.get(i, j), EXACT, "distance() vs matrix at " + i + "," + j);
                max = Math.max(max, d.get(i, j));
                if (i != j) {
                    assertTrue(d.get(i, j) > 0, "distinct points at distance 0: " + i + "," + j);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    assertTrue(d.get(i, k) <= d.get(i, j) + d.get(j, k) + 1e-12,
                            "triangle inequality fails for " + i + "," + j + "," + k);
                }
            }
        }
        assertEquals(max, space.maxDistance(), 1e-12, "maxDistance()");
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void normalizedToMaxScalesEveryDistance(MetricSpace space) {
        MetricSpace scaled = space.normalizedToMax(2.5);
        assertEquals(2.5, scaled.maxDistance(), 1e-12);
        double f = 2.5 / space.maxDistance();
        SplittableRandom rng = new SplittableRandom(7);
        for (int t = 0; t < 50; t++) {
            int i = rng.nextInt(space.size());
            int j = rng.nextInt(space.size());
            assertEquals(f * space.distance(i, j), scaled.distance(i, j), 1e-12);
        }
        for (StructureHint hint : scaled.structure()) {
            if (hint instanceof GridStructure g) {
                for (int t = 0; t < 50; t++) {
                    int i = rng.nextInt(space.size());
                    int j = rng.nextInt(space.size());
                    double d = scaled.distance(i, j);
                    assertEquals(d * d, g.squaredDistance(i, j), 1e-12);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void structureHintsHoldExactly(MetricSpace space) {
        for (StructureHint hint : space.structure()) {
            if (hint instanceof GridStructure g) {
                assertEquals(space.size(), g.size(), "grid size");
                for (int i = 0; i < space.size(); i++) {
                    for (int j = 0; j < space.size(); j++) {
                        double d = space.distance(i, j);
                        assertEquals(d * d, g.squaredDistance(i, j), 1e-12, "squared distance " + i + "," + j);
                    }
                }
                for (GridStructure.Axis axis : g.axes()) {
                    if (axis.translationInvariant()) {
                        int m = axis.size();
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < m; j++) {
                                int off = axis.periodic() ? Math.floorMod(j - i, m) : Math.abs(j - i);
                                assertEquals(axis.squaredDistance(0, off), axis.squaredDistance(i, j), 1e-12,
                                        "axis not translation invariant at " + i + "," + j);
                            }
                        }
                    }
                }
            } else if (hint instanceof RingStructure r) {
                int m = r.ringSize();
                // every block between two rings is circulant; off-ring points see a whole ring at one distance
                for (int p = 0; p < space.size(); p++) {
                    for (int ring = 0; ring < r.rings(); ring++) {
                        int base = r.offset() + ring * m;
                        boolean onRing = p >= r.offset() && p < r.offset() + r.rings() * m;
                        for (int b = 0; b < m; b++) {
                            double expected;
                            if (onRing) {
                                int pr = (p - r.offset()) / m;
                                int pa = (p - r.offset()) % m;
                                // shift p to position 0 of its ring, and b along
                                expected = space.distance(r.offset() + pr * m, base + Math.floorMod(b - pa, m));
                            } else {
                                expected = space.distance(p, base);
                            }
                            assertEquals(expected, space.distance(p, base + b), 1e-12,
                                    "ring structure fails at point " + p + ", ring " + ring + ", position " + b);
                        }
                    }
                }
            }
        }
    }

    @Test
    void planeGridOrderingCoordinatesAndClosedForm() {
        PlaneGrid g = PlaneGrid.of(20, 1.3);
        assertEquals(400, g.size());
        double h = 1.3 / (19 * Math.sqrt(2));
        assertEquals(h, g.spacing(), EXACT);
        // point i = iy * n + ix: x varies fastest
        assertEquals(3 * h, g.x(3), EXACT);
        assertEquals(0.0, g.y(3), EXACT);
        assertEquals(0.0, g.x(20), EXACT);
        assertEquals(h, g.y(20), EXACT);
        assertEquals(h * Math.hypot(3, 4), g.distance(0, 4 * 20 + 3), EXACT);
        assertEquals(1.3, g.distance(0, 399), EXACT);
        DMatrixRMaj c = g.coordinates().orElseThrow().values();
        for (int i = 0; i < g.size(); i += 17) {
            for (int j = 0; j < g.size(); j += 13) {
                double dx = c.get(i, 0) - c.get(j, 0);
                double dy = c.get(i, 1) - c.get(j, 1);
                assertEquals(Math.hypot(dx, dy), g.distance(i, j), EXACT);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PlaneGrid.of(1, 1.3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlaneGrid.of(5, -1));
        assertTrue(e.getMessage().contains("maxLength") && e.getMessage().contains("-1.0"), e.getMessage());
    }

    @Test
    void sphereGridHasTheReferenceLayoutAndGreatCircleDistances() {
        SphereGrid s = SphereGrid.of(30, Math.PI);
        assertEquals(901, s.size());
        assertEquals(31, s.longitudes());
        assertEquals(29, s.rings());
        assertEquals(1.0, s.radius(), EXACT);
        int south = s.size() - 1;
        assertEquals(Math.PI, s.distance(0, south), EXACT);
        // colatitude of ring r is π (r + 1) / 30: distance from the north pole
        for (int r = 0; r < 29; r++) {
            int i = 1 + r * 31 + 5;
            assertEquals(Math.PI * (r + 1) / 30, s.distance(0, i), 1e-12);
            assertEquals(Math.PI * (r + 1) / 30, s.colatitude(i), 1e-12);
        }
        // two points on the equator-most ring (r = 14 is the equator: θ = π/2) separated by Δφ have distance Δφ
        int equator = 1 + 14 * 31;
        assertEquals(2 * Math.PI * 3 / 31, s.distance(equator, equator + 3), 1e-12);
        // closed form: cos d = cos θ1 cos θ2 + sin θ1 sin θ2 cos Δφ
        SplittableRandom rng = new SplittableRandom(11);
        for (int t = 0; t < 200; t++) {
            int i = rng.nextInt(s.size());
            int j = rng.nextInt(s.size());
            double t1 = s.colatitude(i);
            double t2 = s.colatitude(j);
            double cosd = Math.cos(t1) * Math.cos(t2)
                    + Math.sin(t1) * Math.sin(t2) * Math.cos(s.longitude(i) - s.longitude(j));
            assertEquals(Math.acos(Math.max(-1, Math.min(1, cosd))), s.distance(i, j), 1e-7);
        }
        assertEquals(1.3, SphereGrid.of(30, 1.3).maxDistance(), EXACT);
    }

    @Test
    void flatTorusWrapsAround() {
        FlatTorusGrid t = FlatTorusGrid.of(10, 8, 1.0);
        double s = t.scale();
        double stepU = 2 * Math.PI / 10;
        double stepV = 2 * Math.PI / 8;
        // u = 0 and u = 9 are neighbours through the seam
        assertEquals(s * stepU, t.distance(0, 9), EXACT);
        // v = 0 and v = 7 likewise (index iv * nu + iu)
        assertEquals(s * stepV, t.distance(0, 7 * 10), EXACT);
        assertEquals(s * Math.hypot(stepU, stepV), t.distance(0, 7 * 10 + 9), EXACT);
        // the farthest point is half way round in both angles
        assertEquals(1.0, t.distance(0, 4 * 10 + 5), EXACT);
        assertEquals(1.0, t.maxDistance(), EXACT);
    }

    @Test
    void embeddedTorusGeodesicsFollowMeridiansAndTheInnerEquator() {
        int nu = 24;
        int nv = 12;
        double bigR = 1.0;
        double r = 0.2;
        EmbeddedTorusGrid t = EmbeddedTorusGrid.of(nu, nv, bigR, r, 1.3);
        assertEquals(1.3, t.maxDistance(), EXACT);
        // along a meridian (fixed u) the mesh path is k chords of the tube circle
        double tubeChord = 2 * r * Math.sin(Math.PI / nv);
        double unit = t.distance(0, nu) / tubeChord; // the scale factor applied to the mesh lengths
        for (int k = 1; k <= nv / 2; k++) {
            assertEquals(k * tubeChord * unit, t.distance(0, k * nu), 1e-12, "meridian, k = " + k);
        }
        // on the inner equator (v = π) the shortest path follows the equator: k chords of radius R - r
        int inner = (nv / 2) * nu;
        double innerChord = 2 * (bigR - r) * Math.sin(Math.PI / nu);
        for (int k = 1; k <= nu / 2; k++) {
            assertEquals(k * innerChord * unit, t.distance(inner, inner + k), 1e-12, "inner equator, k = " + k);
        }
        // coordinates lie on the scaled torus: distance from the tube's centre circle is r * unit
        DMatrixRMaj c = t.coordinates().orElseThrow().values();
        for (int i = 0; i < t.size(); i++) {
            double rho = Math.hypot(c.get(i, 0), c.get(i, 1)) - bigR * unit;
            assertEquals(r * unit, Math.hypot(rho, c.get(i, 2)), 1e-12);
        }
    }

    @Test
    void circleArcLengthAndVonMises() {
        CircleSpace c = CircleSpace.unit(360);
        assertEquals(Math.PI / 180, c.distance(0, 1), EXACT);
        assertEquals(Math.PI / 180, c.distance(0, 359), EXACT);
        assertEquals(Math.PI, c.distance(10, 190), EXACT);
        double[] uniform = c.vonMisesWeights(0, 0);
        for (double w : uniform) {
            assertEquals(1.0 / 360, w, EXACT);
        }
        double[] w = c.vonMisesWeights(5, Math.PI / 2);
        double sum = 0;
        int argmax = 0;
        for (int i = 0; i < 360; i++) {
            sum += w[i];
            if (w[i] > w[argmax]) {
                argmax = i;
            }
        }
        assertEquals(1.0, sum, 1e-12);
        assertEquals(90, argmax);
        // ratio of two bins is exp(κ (cos a − cos b))
        assertEquals(Math.exp(5 * (Math.cos(0) - Math.cos(Math.PI / 2 + Math.PI / 2))), w[90] / w[270], 1e-9);
        double[] huge = c.vonMisesWeights(1e4, 0);
        assertTrue(Double.isFinite(huge[0]) && huge[0] > 0.5, "large kappa must stay finite");
    }

    @Test
    void buresClosedFormsAndReferenceValues() throws IOException {
        // equal covariances: distance 0; commuting: sum of squared root differences
        double[] a = {1, 0, 2};
        double[] b = {3, 0, 0.5};
        assertEquals(0.0, GaussianSpace.buresSquared(a, a), 1e-14);
        double expected = Math.pow(1 - Math.sqrt(3), 2) + Math.pow(Math.sqrt(2) - Math.sqrt(0.5), 2);
        assertEquals(expected, GaussianSpace.buresSquared(a, b), 1e-14);
        // scalar multiples: W2² between σ²I and τ²I in 2D is 2 (σ − τ)²
        assertEquals(2 * Math.pow(2 - 3, 2), GaussianSpace.buresSquared(new double[] {4, 0, 4},
                new double[] {9, 0, 9}), 1e-13);
        // non-commuting cases against scipy.linalg.sqrtm (script: reference/bures_reference.py)
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/reference/bures_reference.csv")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
        }
        assertEquals(23, lines.size());
        for (String line : lines) {
            double[] v = Stream.of(line.split(",")).mapToDouble(Double::parseDouble).toArray();
            double got = GaussianSpace.buresSquared(new double[] {v[0], v[1], v[2]}, new double[] {v[3], v[4], v[5]});
            assertEquals(v[6], got, 1e-10 * Math.max(1, v[6]), "case " + line);
            double swapped = GaussianSpace.buresSquared(new double[] {v[3], v[4], v[5]},
                    new double[] {v[0], v[1], v[2]});
            assertEquals(got, swapped, 1e-12, "symmetry " + line);
        }
    }

    @Test
    void gaussianSpaceHasThePaperLayout() {
        GaussianSpace g = GaussianSpace.of(15, 0.01);
        assertEquals(2700, g.size());
        assertEquals(12, g.covarianceCount());
        // point i = (iy * k + ix) * 12 + c
        int i = (2 * 15 + 3) * 12 + 7;
        assertEquals(3.0 / 14, g.mean(i)[0], EXACT);
        assertEquals(2.0 / 14, g.mean(i)[1], EXACT);
        List<double[]> covs = GaussianSpace.paperCovariances(0.01);
        assertEquals(covs.get(7)[1], g.covariance(i)[1], EXACT);
        int j = (5 * 15 + 1) * 12 + 2;
        double w2 = GaussianSpace.wassersteinSquared(g.mean(i), g.covariance(i), g.mean(j), g.covariance(j));
        assertEquals(Math.sqrt(w2), g.distance(i, j), EXACT);
        // the covariance family: a, b in {0.5, 1}, rho in {-0.5, 0, 0.5}
        double[] c0 = covs.get(0);
        assertEquals(0.005, c0[0], EXACT);
        assertEquals(-0.5 * 0.005, c0[1], EXACT);
        assertThrows(IllegalArgumentException.class,
                () -> GaussianSpace.of(3, 1.0, List.of(new double[] {1, 2, 1})));
        GaussianSpace n = g.normalizedToMax(1.3);
        assertEquals(1.3, n.maxDistance(), 1e-12);
        assertEquals(1.3, DenseMetricSpace.copyOf(GaussianSpace.of(3, 0.05).normalizedToMax(1.3)).maxDistance(),
                1e-12);
    }
}
