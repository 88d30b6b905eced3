package org.gwembed.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.GaussianSpace;
import org.gwembed.metricspaces.PointCloudGenerators;
import org.gwembed.solvers.GromovWasserstein;
import org.junit.jupiter.api.Test;

class GaussianMixtureTest {

    private static DMatrixRMaj spd(SplittableRandom rng, int d) {
        DMatrixRMaj a = new DMatrixRMaj(d, d);
        for (int t = 0; t < d * d; t++) {
            a.data[t] = rng.nextGaussian();
        }
        DMatrixRMaj s = new DMatrixRMaj(d, d);
        org.ejml.dense.row.CommonOps_DDRM.multTransB(a, a, s);
        for (int i = 0; i < d; i++) {
            s.add(i, i, 0.1);
        }
        return s;
    }

    @Test
    void wassersteinMatchesTheTwoDimensionalClosedFormAndCommutingCases() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int t = 0; t < 20; t++) {
            DMatrixRMaj a = spd(rng, 2);
            DMatrixRMaj b = spd(rng, 2);
            double expected = GaussianSpace.buresSquared(new double[] {a.get(0, 0), a.get(0, 1), a.get(1, 1)},
                    new double[] {b.get(0, 0), b.get(0, 1), b.get(1, 1)}) + 2.0;
            double got = GaussianMixture.wasserstein2Squared(new double[] {1, 0}, a, new double[] {0, 1}, b);
            assertEquals(expected, got, 1e-10 * Math.max(1, expected));
        }
        // diagonal 3D covariances: Σ (√a_i − √b_i)²
        DMatrixRMaj a = org.ejml.dense.row.CommonOps_DDRM.diag(1, 4, 9);
        DMatrixRMaj b = org.ejml.dense.row.CommonOps_DDRM.diag(4, 1, 16);
        assertEquals(1 + 1 + 1, GaussianMixture.wasserstein2Squared(new double[3], a, new double[3], b), 1e-12);
    }

    private static GaussianMixture randomMixture(SplittableRandom rng, int k, int d) {
        double[] w = new double[k];
        List<double[]> means = new ArrayList<>();
        List<DMatrixRMaj> covs = new ArrayList<>();
        double s = 0;
        for (int i = 0; i < k; i++) {
            w[i] = 0.5 + rng.nextDouble();
            s += w[i];
            double[] m = new double[d];
            for (int j = 0; j < d; j++) {
                m[j] = 5 * rng.nextDouble();
            }
            means.add(m);
            covs.add(spd(rng, d));
        }
        for (int i = 0; i < k; i++) {
            w[i] /= s;
        }
        return new GaussianMixture(w, means, covs);
    }

    @Test
    void mgw2IsZeroForAnIsometricCopyAcrossDimensionsAndFindsTheMatching() {
        SplittableRandom rng = new SplittableRandom(2);
        GaussianMixture a = randomMixture(rng, 5, 2);
        // rotate by 40°, translate, and lift into R³ (third coordinate 0, zero variance there)
        double c = Math.cos(0.7);
        double s = Math.sin(0.7);
        DMatrixRMaj r = new DMatrixRMaj(new double[][] {{c, -s}, {s, c}, {0, 0}});
        List<double[]> means = new ArrayList<>();
        List<DMatrixRMaj> covs = new ArrayList<>();
        int[] order = {3, 0, 4, 1, 2};
        double[] w = new double[5];
        for (int t = 0; t < 5; t++) {
            int i = order[t];
            w[t] = a.weights()[i];
            double[] m = a.means().get(i);
            means.add(new double[] {c * m[0] - s * m[1] + 2, s * m[0] + c * m[1] - 1, 7});
            DMatrixRMaj rs = new DMatrixRMaj(3, 2);
            org.ejml.dense.row.CommonOps_DDRM.mult(r, a.covariances().get(i), rs);
            DMatrixRMaj cov = new DMatrixRMaj(3, 3);
            org.ejml.dense.row.CommonOps_DDRM.multTransB(rs, r, cov);
            covs.add(cov);
        }
        GaussianMixture b = new GaussianMixture(w, means, covs);
        MixtureGromovWasserstein.Result res = MixtureGromovWasserstein.compute(a, b,
                GromovWasserstein.Options.defaults());
        assertEquals(0.0, res.squared(), 1e-10);
        for (int t = 0; t < 5; t++) {
            assertEquals(w[t], res.plan().get(order[t], t), 1e-9, "component " + order[t] + " -> " + t);
        }
        GaussianMixture other = randomMixture(rng, 4, 2);
        assertTrue(MixtureGromovWasserstein.compute(a, other, GromovWasserstein.Options.defaults()).squared() > 1e-3);
    }

    @Test
    void emRecoversWellSeparatedBlobs() {
        PointCloudGenerators.LabelledPoints blobs = PointCloudGenerators.blobs(600, 3, 0.3, 20, 11L);
        GaussianMixture g = GaussianMixture.fit(blobs.points(), 3, 500);
        double total = 0;
        for (double w : g.weights()) {
            total += w;
            assertEquals(1.0 / 3, w, 0.05);
        }
        assertEquals(1.0, total, 1e-12);
        // every fitted mean lies close to the mean of one blob
        for (double[] m : g.means()) {
            double best = Double.POSITIVE_INFINITY;
            for (int label = 0; label < 3; label++) {
                double[] centre = new double[2];
                int count = 0;
                for (int i = 0; i < 600; i++) {
                    if (blobs.labels()[i] == label) {
                        centre[0] += blobs.points().get(i, 0);
                        centre[1] += blobs.points().get(i, 1);
                        count++;
                    }
                }
                best = Math.min(best, Math.hypot(m[0] - centre[0] / count, m[1] - centre[1] / count));
            }
            assertTrue(best < 0.1, "fitted mean far from every blob: " + best);
        }
        assertThrows(IllegalArgumentException.class, () -> GaussianMixture.fit(new DMatrixRMaj(3, 2), 2, 10));
    }
}
