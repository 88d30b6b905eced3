package org.gwembed.solvers;

/**
 * Products with the distance matrix {@code D} (or {@code D²}) of an embedding space X, {@code N × N} and
 * symmetric: the dominant term {@code P · D_X} of the Gromov–Wasserstein costs (METHOD.md §3–§5). Implementations
 * ({@link DistanceProducts}) are interchangeable and tested against the dense one: dense GEMM, separable sums for
 * {@code D²} on product grids, FFT convolution for translation-invariant grids.
 */
public interface DistanceProduct {

    /** {@code N}, the size of the space. */
    int size();

    /**
     * {@code out = P · D} for {@code P} with {@code rows} rows and {@code N} columns, row-major; {@code out} has the
     * same shape and is overwritten ({@code out} must not alias {@code p}).
     */
    void multiplyRight(double[] p, int rows, double[] out);

    /**
     * {@code out = D · P} for {@code P} with {@code N} rows and {@code cols} columns, row-major; {@code out} has the
     * same shape and is overwritten.
     */
    default void multiplyLeft(double[] p, int cols, double[] out) {
        int n = size();
        double[] t = transpose(p, n, cols);
        double[] r = new double[t.length];
        multiplyRight(t, cols, r);
        double[] back = transpose(r, cols, n);
        System.arraycopy(back, 0, out, 0, back.length);
    }

    /**
     * {@link #multiplyRight(double[], int, double[])} for {@code P} held in either precision: products running in
     * single precision take a float {@code P} as it is (no rounded copy); otherwise it is widened to double.
     */
    default void multiplyRight(Real p, int rows, double[] out) {
        multiplyRight(p.asDoubles(), rows, out);
    }

    /** {@link #multiplyLeft(double[], int, double[])} for {@code P} held in either precision, as multiplyRight. */
    default void multiplyLeft(Real p, int cols, double[] out) {
        multiplyLeft(p.asDoubles(), cols, out);
    }

    /** A short name for diagnostics, e.g. {@code "dense"}, {@code "separable"}, {@code "fft 100x100"}. */
    String kind();

    /** The precision the products run in (double unless asked for and supported, see DistanceProducts.of). */
    default Precision precision() {
        return Precision.DOUBLE;
    }

    /** Row-major transpose of a {@code rows × cols} matrix. */
    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        final int block = 32;
        for (int i0 = 0; i0 < rows; i0 += block) {
            int i1 = Math.min(rows, i0 + block);
            for (int j0 = 0; j0 < cols; j0 += block) {
                int j1 = Math.min(cols, j0 + block);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        t[j * rows + i] = a[i * cols + j];
                    }
                }
            }
        }
        return t;
    }
}
