package org.gwembed.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.Coordinates;
import org.gwembed.metricspaces.FlatTorusGrid;
import org.gwembed.metricspaces.PlaneGrid;
import org.gwembed.metricspaces.SphereGrid;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    private static final double EXACT = 1e-12;

    @Test
    void barycentricProjectionOnThePlaneIsTheWeightedMean() {
        PlaneGrid g = PlaneGrid.of(3, 1.3);
        Coordinates c = g.coordinates().orElseThrow();
        DMatrixRMaj p = new DMatrixRMaj(2, 9);
        p.set(0, 4, 0.5);                 // all mass on the centre
        p.set(1, 0, 0.1);                 // split 1:3 between corner 0 and point 2
        p.set(1, 2, 0.3);
        DMatrixRMaj t = BarycentricProjection.project(p, true, c);
        assertEquals(g.x(4), t.get(0, 0), EXACT);
        assertEquals(g.y(4), t.get(0, 1), EXACT);
        assertEquals(0.75 * g.x(2), t.get(1, 0), EXACT);
        assertEquals(0.0, t.get(1, 1), EXACT);
        // the same plan transposed (data along columns, as P2)
        DMatrixRMaj pt = new DMatrixRMaj(9, 2);
        org.ejml.dense.row.CommonOps_DDRM.transpose(p, pt);
        DMatrixRMaj t2 = BarycentricProjection.project(pt, false, c);
        assertTrue(org.ejml.dense.row.MatrixFeatures_DDRM.isIdentical(t, t2, EXACT));
        assertThrows(IllegalArgumentException.class, () -> BarycentricProjection.project(new DMatrixRMaj(1, 9), true,
                c));
    }

    @Test
    void angleCoordinatesUseCircularMeans() {
        FlatTorusGrid t = FlatTorusGrid.of(20, 20, 1.0);
        Coordinates c = t.coordinates().orElseThrow();
        DMatrixRMaj p = new DMatrixRMaj(1, 400);
        p.set(0, 1, 0.5);  // u = 2π/20
        p.set(0, 19, 0.5); // u = 2π·19/20, across the seam
        DMatrixRMaj z = BarycentricProjection.project(p, true, c);
        double u = z.get(0, 0);
        assertEquals(0.0, Math.min(u, 2 * Math.PI - u), 1e-12, "circular mean across the seam");
    }

    @Test
    void sphereMeansNormaliseAndFrechetIsStationary() {
        SphereGrid s = SphereGrid.of(8, Math.PI);
        Coordinates c = s.coordinates().orElseThrow();
        int n = s.size();
        DMatrixRMaj p = new DMatrixRMaj(1, n);
        SplittableRandom rng = new SplittableRandom(3);
        for (int k = 1; k < 1 + 9 * 3; k++) { // northern rings
            p.set(0, k, rng.nextDouble());
        }
        DMatrixRMaj e = BarycentricProjection.project(p, true, c, BarycentricProjection.SphereMean.NORMALISED_EUCLIDEAN);
        DMatrixRMaj f = BarycentricProjection.project(p, true, c, BarycentricProjection.SphereMean.FRECHET);
        assertEquals(1.0, Math.sqrt(e.get(0, 0) * e.get(0, 0) + e.get(0, 1) * e.get(0, 1) + e.get(0, 2) * e.get(0, 2)),
                EXACT);
        // Fréchet mean: the weighted sum of log maps vanishes (first-order condition)
        double[] q = {f.get(0, 0), f.get(0, 1), f.get(0, 2)};
        double[] grad = new double[3];
        for (int k = 0; k < n; k++) {
            double w = p.get(0, k);
            if (w == 0) {
                continue;
            }
            double[] x = {c.get(k, 0), c.get(k, 1), c.get(k, 2)};
            double cos = q[0] * x[0] + q[1] * x[1] + q[2] * x[2];
            double[] tan = {x[0] - cos * q[0], x[1] - cos * q[1], x[2] - cos * q[2]};
            double tn = Math.sqrt(tan[0] * tan[0] + tan[1] * tan[1] + tan[2] * tan[2]);
            double angle = Math.atan2(tn, cos);
            for (int d = 0; d < 3; d++) {
                grad[d] += w * angle * tan[d] / tn;
            }
        }
        assertEquals(0.0, Math.sqrt(grad[0] * grad[0] + grad[1] * grad[1] + grad[2] * grad[2]), 1e-10);
        // and it differs from the normalised Euclidean mean for this asymmetric mass
        assertTrue(Math.abs(f.get(0, 2) - e.get(0, 2)) > 1e-6);
    }

    /** FOSCTTM by its definition, ties counted ½. */
    private static double bruteForward(DMatrixRMaj a, DMatrixRMaj b) {
        int n = a.numRows;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double own = dist(a, i, b, i);
            double count = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double d = dist(a, i, b, j);
                    count += d < own ? 1 : d == own ? 0.5 : 0;
                }
            }
            total += count / (n - 1);
        }
        return total / n;
    }

    private static double dist(DMatrixRMaj a, int i, DMatrixRMaj b, int j) {
        double s = 0;
        for (int c = 0; c < a.numCols; c++) {
            s += Math.pow(a.get(i, c) - b.get(j, c), 2);
        }
        return Math.sqrt(s);
    }

    @Test
    void foscttmMatchesItsDefinitionAndTiesDoNotFavourTheMethod() {
        DMatrixRMaj line = new DMatrixRMaj(new double[][] {{0}, {1}, {2}, {3}});
        assertEquals(0.0, AlignmentMetrics.foscttm(line, line).symmetric(), EXACT);
        DMatrixRMaj reversed = new DMatrixRMaj(new double[][] {{3}, {2}, {1}, {0}});
        // by hand: sample 0 (z1 = 0, match 3 at d 3): all three others closer -> 1; sample 1 (z1 = 1, match 2 at
        // d 1): 1 (d 0) closer, 0 (d 1) tied, 3 (d 2) not -> 1.5/3; sample 2 likewise 1.5/3; sample 3 -> 1
        double expected = (1 + 1.5 / 3 + 1.5 / 3 + 1) / 4;
        assertEquals(expected, AlignmentMetrics.foscttm(line, reversed).oneDirectional(), EXACT);
        DMatrixRMaj collapsed = new DMatrixRMaj(4, 2);
        AlignmentMetrics.Foscttm c = AlignmentMetrics.foscttm(collapsed, collapsed);
        assertEquals(0.5, c.symmetric(), EXACT, "a collapsed embedding is at chance level, not perfect");
        assertEquals(24, c.ties());
        SplittableRandom rng = new SplittableRandom(5);
        DMatrixRMaj a = new DMatrixRMaj(30, 2);
        DMatrixRMaj b = new DMatrixRMaj(30, 2);
        for (int t = 0; t < 60; t++) {
            a.data[t] = rng.nextDouble();
            b.data[t] = a.data[t] + 0.3 * rng.nextGaussian();
        }
        AlignmentMetrics.Foscttm f = AlignmentMetrics.foscttm(a, b);
        assertEquals(bruteForward(a, b), f.oneDirectional(), EXACT);
        assertEquals(bruteForward(b, a), f.reverse(), EXACT);
        assertEquals(0.5 * (f.oneDirectional() + f.reverse()), f.symmetric(), EXACT);
        // angles: 0.05 and 2π − 0.05 are neighbours
        DMatrixRMaj u = new DMatrixRMaj(new double[][] {{0.05}, {3.0}, {1.5}});
        DMatrixRMaj v = new DMatrixRMaj(new double[][] {{2 * Math.PI - 0.05}, {3.0}, {1.5}});
        assertEquals(0.0, AlignmentMetrics.foscttm(u, v, true).symmetric(), EXACT);
        assertTrue(AlignmentMetrics.foscttm(u, v, false).symmetric() > 0);
        assertThrows(IllegalArgumentException.class, () -> AlignmentMetrics.foscttm(a, new DMatrixRMaj(29, 2)));
    }

    @Test
    void labelTransferOnSeparatedClusters() {
        DMatrixRMaj z1 = new DMatrixRMaj(12, 1);
        DMatrixRMaj z2 = new DMatrixRMaj(12, 1);
        int[] labels = new int[12];
        for (int i = 0; i < 12; i++) {
            labels[i] = i / 6;
            z1.set(i, 0, labels[i] * 10 + i % 6 * 0.1);
            z2.set(i, 0, labels[i] * 10 + i % 6 * 0.1 + 0.05);
        }
        AlignmentMetrics.LabelTransfer t = AlignmentMetrics.labelTransfer(z1, labels, z2, labels, 5);
        assertEquals(1.0, t.oneFromTwo(), EXACT);
        assertEquals(1.0, t.twoFromOne(), EXACT);
        int[] swapped = new int[12];
        for (int i = 0; i < 12; i++) {
            swapped[i] = 1 - labels[i];
        }
        assertEquals(0.0, AlignmentMetrics.labelTransfer(z1, labels, z2, swapped, 5).oneFromTwo(), EXACT);
        assertThrows(IllegalArgumentException.class,
                () -> AlignmentMetrics.labelTransfer(z1, new int[3], z2, labels, 5));
    }

    @Test
    void gridSearchPicksTheBestValidationScoreAndReportsTheTestSplit() {
        ModelSelection.Split split = ModelSelection.Split.first(20, 0.1);
        assertEquals(List.of(0, 1), split.validation());
        assertEquals(18, split.test().size());
        ModelSelection.Split random = ModelSelection.Split.random(20, 0.25, 9);
        assertEquals(5, random.validation().size());
        assertEquals(random, ModelSelection.Split.random(20, 0.25, 9));
        DMatrixRMaj truth = new DMatrixRMaj(20, 1);
        for (int i = 0; i < 20; i++) {
            truth.set(i, 0, i);
        }
        DMatrixRMaj shuffled = new DMatrixRMaj(20, 1);
        for (int i = 0; i < 20; i++) {
            shuffled.set(i, 0, 19 - i);
        }
        ModelSelection.Selection s = ModelSelection.gridSearch(List.of(0.1, 1.0, 10.0), l -> "lambda=" + l,
                l -> new ModelSelection.Projections(truth, l == 1.0 ? truth : shuffled, false), random, null, null, 5);
        assertEquals(1, s.bestIndex());
        assertEquals("lambda=1.0", s.best().label());
        assertEquals(0.0, s.best().test().symmetric(), EXACT);
        assertEquals(3, s.all().size());
    }
}
