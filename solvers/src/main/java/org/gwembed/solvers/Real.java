package org.gwembed.solvers;

/**
 * A dense array of reals held in double or in single precision (exactly one of {@link #d}, {@link #f} is set), so
 * that a sequence of BLAS products can be written once and run in either ({@link RingFourierProduct}'s stages).
 */
final class Real {
    final double[] d;
    final float[] f;

    private Real(double[] d, float[] f) {
        this.d = d;
        this.f = f;
    }

    /** A zeroed array of {@code size} entries. */
    static Real zeros(boolean single, int size) {
        return single ? new Real(null, new float[size]) : new Real(new double[size], null);
    }

    /** {@code values} itself (double), or a rounded copy (single). */
    static Real of(double[] values, boolean single) {
        if (!single) {
            return new Real(values, null);
        }
        float[] f = new float[values.length];
        for (int t = 0; t < f.length; t++) {
            f[t] = (float) values[t];
        }
        return new Real(null, f);
    }

    boolean single() {
        return f != null;
    }

    /** Copies {@code length} entries from {@code at} into {@code out[to ..]}. */
    void copyTo(int at, double[] out, int to, int length) {
        if (f == null) {
            System.arraycopy(d, at, out, to, length);
        } else {
            for (int t = 0; t < length; t++) {
                out[to + t] = f[at + t];
            }
        }
    }

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C} on blocks in place, as
     * {@link DenseBlas#gemm(boolean, boolean, int, int, int, double, double[], int, int, double[], int, int, double,
     * double[], int, int)}; all three in the same precision.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Real a, int offA, int lda,
            Real b, int offB, int ldb, double beta, Real c, int offC, int ldc) {
        if (c.f == null) {
            DenseBlas.gemm(transA, transB, m, n, k, alpha, a.d, offA, lda, b.d, offB, ldb, beta, c.d, offC, ldc);
        } else {
            DenseBlas.gemm(transA, transB, m, n, k, (float) alpha, a.f, offA, lda, b.f, offB, ldb, (float) beta, c.f,
                    offC, ldc);
        }
    }
}
