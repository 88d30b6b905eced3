package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class DenseBlasTest {

    @Test
    void rowMajorGemmMatchesTheNaiveProduct() {
        SplittableRandom rng = new SplittableRandom(3);
        int m = 7;
        int k = 5;
        int n = 4;
        double[] a = rng.doubles(m * k).toArray();
        double[] b = rng.doubles(k * n).toArray();
        double[] c = rng.doubles(m * n).toArray();
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += a[i * k + t] * b[t * n + j];
                }
                expected[i * n + j] = 2 * s + 0.5 * c[i * n + j];
            }
        }
        DenseBlas.gemm(m, n, k, 2, a, b, 0.5, c);
        for (int i = 0; i < m * n; i++) {
            assertEquals(expected[i], c[i], 1e-13, "entry " + i);
        }
    }

    @Test
    void describesTheImplementationAndRejectsShortArrays() {
        assertTrue(DenseBlas.describe().contains("dev.ludovic.netlib"), DenseBlas.describe());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DenseBlas.gemm(2, 2, 2, 1, new double[3], new double[4], 0, new double[4]));
        assertTrue(e.getMessage().contains("2x2"), e.getMessage());
    }
}
