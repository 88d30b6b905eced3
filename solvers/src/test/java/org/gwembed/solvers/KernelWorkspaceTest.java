package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class KernelWorkspaceTest {

    @Test
    void successiveKernelsOverRecycledStorageEqualFreshOnes() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 9;
        int m = 14;
        double eps = 0.02;
        double[] rowIn = rng.doubles(n, -2, 2).toArray();
        double[] colIn = rng.doubles(m, -2, 2).toArray();
        for (Precision precision : Precision.values()) {
            KernelWorkspace workspace = new KernelWorkspace(n, m, precision, 2);
            for (int iteration = 0; iteration < 4; iteration++) {
                double[] cost = rng.doubles(n * m).toArray();
                System.arraycopy(cost, 0, workspace.cost(), 0, cost.length);
                DenseLogKernel k = workspace.next(null);
                DenseLogKernel fresh = new DenseLogKernel(cost, n, m, 1, precision);
                double[] a = new double[n];
                double[] b = new double[n];
                k.apply(eps, colIn, a);
                fresh.apply(eps, colIn, b);
                assertArrayEquals(b, a, 0.0, precision + " iteration " + iteration);
                double[] at = new double[m];
                double[] bt = new double[m];
                k.applyTranspose(eps, rowIn, at);
                fresh.applyTranspose(eps, rowIn, bt);
                assertArrayEquals(bt, at, 0.0, precision + " iteration " + iteration + ", transposed");
                assertArrayEquals(fresh.plan(eps, rowIn, colIn), k.plan(eps, rowIn, colIn), 0.0);
            }
        }
    }

    @Test
    void columnsArePreparedInSinglePrecisionOnlyAndForUsablePotentials() {
        ChainSinkhorn.Options inner = ChainSinkhorn.Options.defaults(0.01);
        List<double[]> potentials = List.of(new double[] {0.1, -0.2, 0.3}, new double[] {0, 0});
        assertNull(new KernelWorkspace(3, 2, Precision.DOUBLE, 1).preparation(inner, potentials));
        KernelWorkspace single = new KernelWorkspace(3, 2, Precision.SINGLE, 1);
        assertNull(single.preparation(inner, null), "no potentials yet");
        assertNull(single.preparation(inner.withEpsilonScaling(1.0, 4, 10), potentials), "ε-scaling");
        assertNull(single.preparation(inner, List.of(new double[] {0, Double.NaN, 0}, new double[2])),
                "a failed solve");
        KernelWorkspace.Preparation p = single.preparation(inner, potentials);
        assertNotNull(p);
        assertEquals(0.01, p.epsilon());
        assertArrayEquals(new double[] {10, -20, 30}, p.rowInput(), 1e-12);
        assertEquals(2, p.columnMax().length);
    }
}
