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
    void singlePrecisionGemmAndGemvMatchTheNaiveProducts() {
        SplittableRandom rng = new SplittableRandom(5);
        int m = 9;
        int k = 6;
        int n = 5;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int t = 0; t < a.length; t++) {
            a[t] = (float) rng.nextDouble();
        }
        for (int t = 0; t < b.length; t++) {
            b[t] = (float) rng.nextDouble();
        }
        for (boolean transA : new boolean[] {false, true}) {
            // op(A) = A (m × k) or, stored k × m, its transpose
            float[] stored = transA ? new float[k * m] : a;
            if (transA) {
                for (int i = 0; i < m; i++) {
                    for (int t = 0; t < k; t++) {
                        stored[t * m + i] = a[i * k + t];
                    }
                }
            }
            float[] c = new float[m * n];
            DenseBlas.gemm(transA, false, m, n, k, 1f, stored, b, 0f, c);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int t = 0; t < k; t++) {
                        s += (double) a[i * k + t] * b[t * n + j];
                    }
                    assertEquals(s, c[i * n + j], 1e-5, "sgemm transA=" + transA + " at " + i + "," + j);
                }
            }
        }
        float[] x = new float[k];
        float[] xt = new float[m];
        for (int t = 0; t < k; t++) {
            x[t] = (float) rng.nextDouble();
        }
        for (int t = 0; t < m; t++) {
            xt[t] = (float) rng.nextDouble();
        }
        float[] y = new float[m];
        float[] yt = new float[k];
        DenseBlas.gemv(false, m, k, a, x, y);
        DenseBlas.gemv(true, m, k, a, xt, yt);
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int t = 0; t < k; t++) {
                s += (double) a[i * k + t] * x[t];
            }
            assertEquals(s, y[i], 1e-5, "sgemv row " + i);
        }
        for (int t = 0; t < k; t++) {
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += (double) a[i * k + t] * xt[i];
            }
            assertEquals(s, yt[t], 1e-5, "sgemv transposed column " + t);
        }
        assertThrows(IllegalArgumentException.class,
                () -> DenseBlas.gemm(false, false, m, n, k, 1f, new float[3], b, 0f, new float[m * n]));
    }

    @Test
    void describesTheImplementationAndRejectsShortArrays() {
        assertTrue(DenseBlas.describe().contains("dev.ludovic.netlib"), DenseBlas.describe());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DenseBlas.gemm(2, 2, 2, 1, new double[3], new double[4], 0, new double[4]));
        assertTrue(e.getMessage().contains("2x2"), e.getMessage());
    }

    @Test
    void blockGemmReadsAndWritesSubMatricesInPlace() {
        SplittableRandom rng = new SplittableRandom(4);
        // A: rows 1..3 of a 5 x 6 array, columns 2..5 (3 x 4 block, transposed: op(A) is 4 x 3);
        // B: a 3 x 2 block at offset 7 of rows of length 5; C: a 4 x 2 block at offset 3 of rows of length 6
        double[] a = rng.doubles(30).toArray();
        double[] b = rng.doubles(30).toArray();
        double[] c = rng.doubles(40).toArray();
        double[] before = c.clone();
        DenseBlas.gemm(true, false, 4, 2, 3, 1.5, a, 6 + 2, 6, b, 7, 5, 0.5, c, 3, 6);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                double s = 0;
                for (int t = 0; t < 3; t++) {
                    s += a[8 + t * 6 + i] * b[7 + t * 5 + j];
                }
                assertEquals(1.5 * s + 0.5 * before[3 + i * 6 + j], c[3 + i * 6 + j], 1e-13, "C(" + i + "," + j + ")");
            }
        }
        for (int q = 0; q < c.length; q++) {
            int row = (q - 3) / 6;
            int col = (q - 3) % 6;
            boolean inside = q >= 3 && row < 4 && col < 2;
            if (!inside) {
                assertEquals(before[q], c[q], "outside the block " + q);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DenseBlas.gemm(false, false, 4, 2, 3, 1, a, 25, 6, b, 0, 5, 0, c, 0, 6));
        assertTrue(e.getMessage().contains("A 4x3 at 25"), e.getMessage());
    }
}
