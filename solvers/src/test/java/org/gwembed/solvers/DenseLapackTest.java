package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class DenseLapackTest {

    private static final double SOLVE_TOLERANCE = 1e-10;

    /** A random symmetric positive-definite matrix A = GᵀG + n I. */
    private static DMatrixRMaj spd(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        DMatrixRMaj g = new DMatrixRMaj(n, n);
        for (int k = 0; k < n * n; k++) {
            g.data[k] = r.nextDouble(-1, 1);
        }
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransA(g, g, a);
        for (int i = 0; i < n; i++) {
            a.add(i, i, n);
        }
        return a;
    }

    @Test
    void choleskySolveMatchesTheResidualForSeveralRightHandSides() {
        for (int n : new int[] {1, 7, 130}) {
            DMatrixRMaj a = spd(n, n);
            SplittableRandom r = new SplittableRandom(42);
            int nrhs = 3;
            DMatrixRMaj b = new DMatrixRMaj(n, nrhs);
            for (int k = 0; k < n * nrhs; k++) {
                b.data[k] = r.nextDouble(-1, 1);
            }
            double[] factor = a.data.clone();
            assertEquals(0, DenseLapack.choleskyFactor(n, factor));
            double[] x = b.data.clone();
            DenseLapack.choleskySolve(n, factor, nrhs, x, null);
            DMatrixRMaj ax = new DMatrixRMaj(n, nrhs);
            CommonOps_DDRM.mult(a, DMatrixRMaj.wrap(n, nrhs, x), ax);
            for (int k = 0; k < n * nrhs; k++) {
                assertEquals(b.data[k], ax.data[k], SOLVE_TOLERANCE, "n = " + n + ", entry " + k);
            }
            // one right-hand side, with a work buffer
            double[] x1 = new double[n];
            for (int i = 0; i < n; i++) {
                x1[i] = b.get(i, 1);
            }
            DenseLapack.choleskySolve(n, factor, 1, x1, new double[n]);
            for (int i = 0; i < n; i++) {
                assertEquals(x[i * nrhs + 1], x1[i], SOLVE_TOLERANCE);
            }
        }
    }

    @Test
    void indefiniteMatrixIsReportedNotThrown() {
        double[] a = {1, 2, 2, 1}; // eigenvalues 3 and -1
        assertEquals(2, DenseLapack.choleskyFactor(2, a));
    }

    @Test
    void badShapesAreRejectedWithTheArgumentNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DenseLapack.choleskyFactor(3, new double[8]));
        assertTrue(e.getMessage().contains("a must hold 3x3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DenseLapack.choleskySolve(2, new double[4], 2, new double[3], null));
        assertTrue(e.getMessage().contains("b 2x2"), e.getMessage());
        assertTrue(DenseLapack.describe().contains("LAPACK"));
    }
}
