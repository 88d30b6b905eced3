package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;

import org.gwembed.core.Parallel;
import org.junit.jupiter.api.Test;

/**
 * The bands a large GEMM or GEMV is split into when the BLAS runs one thread per call: every transposition, with
 * offsets and leading dimensions larger than the blocks (a block inside a larger array), in both precisions, and
 * with more parts than SIMD tiles so that some bands are empty; each against a triple loop, and the split call
 * against the one call to round-off.
 */
class DenseBlasSplitTest {

    private static final int[] PARTS = {1, 2, 3, 5, 40};

    @Test
    void splitGemmOnBlocksOfLargerArraysMatchesTheNaiveProduct() {
        SplittableRandom rng = new SplittableRandom(11);
        // tall C (split by rows) and wide C (split by columns)
        int[][] shapes = {{37, 9, 13}, {6, 41, 17}, {64, 64, 8}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int aRows = ta ? k : m;
                    int aCols = ta ? m : k;
                    int bRows = tb ? n : k;
                    int bCols = tb ? k : n;
                    int lda = aCols + 3;
                    int ldb = bCols + 2;
                    int ldc = n + 5;
                    int offA = 4;
                    int offB = 7;
                    int offC = 2;
                    double[] a = rng.doubles(offA + aRows * lda).toArray();
                    double[] b = rng.doubles(offB + bRows * ldb).toArray();
                    double[] c0 = rng.doubles(offC + m * ldc).toArray();
                    double[] expected = c0.clone();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double s = 0;
                            for (int t = 0; t < k; t++) {
                                double av = ta ? a[offA + t * lda + i] : a[offA + i * lda + t];
                                double bv = tb ? b[offB + j * ldb + t] : b[offB + t * ldb + j];
                                s += av * bv;
                            }
                            expected[offC + i * ldc + j] = 1.5 * s - 0.25 * c0[offC + i * ldc + j];
                        }
                    }
                    float[] af = toFloat(a);
                    float[] bf = toFloat(b);
                    for (int parts : PARTS) {
                        double[] c = c0.clone();
                        DenseBlas.gemmParts(parts, ta, tb, m, n, k, 1.5, a, offA, lda, b, offB, ldb, -0.25, c, offC,
                                ldc);
                        float[] cf = toFloat(c0);
                        DenseBlas.gemmParts(parts, ta, tb, m, n, k, 1.5f, af, offA, lda, bf, offB, ldb, -0.25f, cf,
                                offC, ldc);
                        String what = "m " + m + " n " + n + " k " + k + " ta " + ta + " tb " + tb + " parts " + parts;
                        for (int i = 0; i < c.length; i++) {
                            // padding between rows and before the block is left alone
                            assertEquals(expected[i], c[i], 1e-12, what + " entry " + i);
                            assertEquals(expected[i], cf[i], 1e-4, what + " float entry " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void splitGemvMatchesTheNaiveProductBothWays() {
        SplittableRandom rng = new SplittableRandom(12);
        int rows = 53;
        int cols = 29;
        double[] a = rng.doubles(rows * cols).toArray();
        float[] af = toFloat(a);
        for (boolean transpose : new boolean[] {false, true}) {
            int in = transpose ? rows : cols;
            int out = transpose ? cols : rows;
            double[] x = rng.doubles(in).toArray();
            double[] expected = new double[out];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    if (transpose) {
                        expected[j] += a[i * cols + j] * x[i];
                    } else {
                        expected[i] += a[i * cols + j] * x[j];
                    }
                }
            }
            for (int parts : PARTS) {
                double[] y = rng.doubles(out).toArray(); // overwritten
                DenseBlas.gemvParts(parts, transpose, rows, cols, a, x, y);
                float[] yf = new float[out];
                DenseBlas.gemvParts(parts, transpose, rows, cols, af, toFloat(x), yf);
                for (int i = 0; i < out; i++) {
                    assertEquals(expected[i], y[i], 1e-12, "transpose " + transpose + " parts " + parts + " " + i);
                    assertEquals(expected[i], yf[i], 1e-4, "float, transpose " + transpose + " parts " + parts);
                }
            }
        }
    }

    @Test
    void aLargeProductThroughThePublicEntryEqualsOneCallToRoundOff() {
        // large enough to be split when the library runs one thread (as in the build's test runs)
        SplittableRandom rng = new SplittableRandom(13);
        int m = 300;
        int n = 200;
        int k = 150;
        double[] a = rng.doubles(m * k).toArray();
        double[] b = rng.doubles(k * n).toArray();
        double[] split = new double[m * n];
        double[] one = new double[m * n];
        DenseBlas.gemm(false, false, m, n, k, 1.0, a, b, 0.0, split);
        DenseBlas.gemmParts(1, false, false, m, n, k, 1.0, a, 0, k, b, 0, n, 0.0, one, 0, n);
        for (int i = 0; i < one.length; i++) {
            assertEquals(one[i], split[i], 1e-12 * Math.abs(one[i]), "entry " + i);
        }
        // and from inside a worker (never split there) the same
        double[] inside = new double[m * n];
        Parallel.forRange(2, 2, Long.MAX_VALUE / 2, (from, to) -> {
            if (from == 0) {
                DenseBlas.gemm(false, false, m, n, k, 1.0, a, b, 0.0, inside);
            }
        });
        for (int i = 0; i < one.length; i++) {
            assertEquals(one[i], inside[i], 1e-12 * Math.abs(one[i]), "entry " + i);
        }
    }

    @Test
    void aLibraryToldToRunOneThreadIsSplitAndSaysSo() {
        // the build's test runs set OPENBLAS_NUM_THREADS=1, as the launcher does
        assumeTrue("1".equals(System.getenv("OPENBLAS_NUM_THREADS")), "OPENBLAS_NUM_THREADS is not 1 here");
        assertTrue(DenseBlas.describe().contains("one thread per call, large calls split over "),
                DenseBlas.describe());
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
