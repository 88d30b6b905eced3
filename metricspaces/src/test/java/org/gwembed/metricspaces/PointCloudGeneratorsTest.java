package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

import org.gwembed.metricspaces.PointCloudGenerators.AffineMap;
import org.gwembed.metricspaces.PointCloudGenerators.LabelledPoints;

class PointCloudGeneratorsTest {

    private static final double EXACT = 1e-12;
    /** Sample std of 2000 N(0, σ²) draws is within a few percent of σ. */
    private static final double STD_REL_TOL = 0.06;

    @Test
    void blobsAreDeterministicBalancedAndHaveTheRequestedSpread() {
        LabelledPoints a = PointCloudGenerators.blobs(6001, 3, 0.5, 10, 42);
        LabelledPoints b = PointCloudGenerators.blobs(6001, 3, 0.5, 10, 42);
        LabelledPoints c = PointCloudGenerators.blobs(6001, 3, 0.5, 10, 43);
        assertArrayEquals(a.points().data, b.points().data, 0.0);
        assertFalse(Arrays.equals(a.points().data, c.points().data));
        int[] counts = new int[3];
        for (int l : a.labels()) {
            counts[l]++;
        }
        assertArrayEquals(new int[] {2001, 2000, 2000}, counts);
        for (int k = 0; k < 3; k++) {
            double[] mean = new double[2];
            for (int i = 0; i < 6001; i++) {
                if (a.labels()[i] == k) {
                    mean[0] += a.points().get(i, 0) / counts[k];
                    mean[1] += a.points().get(i, 1) / counts[k];
                }
            }
            double ss = 0;
            for (int i = 0; i < 6001; i++) {
                if (a.labels()[i] == k) {
                    ss += Math.pow(a.points().get(i, 0) - mean[0], 2) + Math.pow(a.points().get(i, 1) - mean[1], 2);
                }
            }
            double std = Math.sqrt(ss / (2.0 * (counts[k] - 1)));
            assertEquals(0.5, std, 0.5 * STD_REL_TOL, "cluster " + k);
            assertTrue(Math.abs(mean[0]) <= 10.5 && Math.abs(mean[1]) <= 10.5, "centre inside the box");
        }
    }

    @Test
    void moonsWithoutNoiseLieOnTheirHalfCircles() {
        LabelledPoints m = PointCloudGenerators.moons(101, 0.0, 1);
        assertEquals(101, m.points().numRows);
        for (int i = 0; i < 101; i++) {
            double x = m.points().get(i, 0);
            double y = m.points().get(i, 1);
            if (i < 50) {
                assertEquals(0, m.labels()[i]);
                assertEquals(1.0, Math.hypot(x, y), EXACT);
                assertTrue(y >= -EXACT);
            } else {
                assertEquals(1, m.labels()[i]);
                assertEquals(1.0, Math.hypot(x - 1, y - 0.5), EXACT);
                assertTrue(y <= 0.5 + EXACT);
            }
        }
        assertEquals(-1.0, m.points().get(49, 0), EXACT, "outer moon ends at angle π");
        LabelledPoints noisy = PointCloudGenerators.moons(101, 0.1, 1);
        assertFalse(Arrays.equals(m.points().data, noisy.points().data));
        assertThrows(IllegalArgumentException.class, () -> PointCloudGenerators.moons(10, -1, 1));
    }

    @Test
    void randomAffineIsARotationTimesABoundedScalePlusAShift() {
        AffineMap f = PointCloudGenerators.randomAffine(3, 0.5, 2.0, 4.0, 9);
        assertArrayEquals(f.linear().data, PointCloudGenerators.randomAffine(3, 0.5, 2.0, 4.0, 9).linear().data, 0.0);
        // A = R diag(s): AᵀA = diag(s²), det A = Π s > 0.
        DMatrixRMaj ata = new DMatrixRMaj(3, 3);
        CommonOps_DDRM.multTransA(f.linear(), f.linear(), ata);
        double prod = 1;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i != j) {
                    assertEquals(0.0, ata.get(i, j), EXACT);
                }
            }
            double s = Math.sqrt(ata.get(i, i));
            assertTrue(s >= 0.5 && s <= 2.0, "scale " + s);
            prod *= s;
        }
        assertEquals(prod, CommonOps_DDRM.det(f.linear()), EXACT, "a rotation, not a reflection");
        for (double b : f.shift()) {
            assertTrue(Math.abs(b) <= 4.0);
        }
        // Isometry when the scale is fixed at 1: distances are preserved.
        AffineMap iso = PointCloudGenerators.randomAffine(2, 1, 1, 3, 5);
        LabelledPoints p = PointCloudGenerators.blobs(30, 2, 5);
        DMatrixRMaj before = PointClouds.euclideanDistances(p.points());
        DMatrixRMaj after = PointClouds.euclideanDistances(iso.apply(p.points()));
        for (int k = 0; k < before.data.length; k++) {
            assertEquals(before.data[k], after.data[k], 1e-10);
        }
        assertThrows(IllegalArgumentException.class, () -> PointCloudGenerators.randomAffine(2, 2, 1, 0, 1));
    }
}
