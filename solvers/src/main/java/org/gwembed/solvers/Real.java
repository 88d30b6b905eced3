package org.gwembed.solvers;

/**
 * A dense row-major array of reals held in double or in single precision (exactly one of {@link #doubles()},
 * {@link #floats()} is non-null), so that a sequence of BLAS products can be written once and run in either
 * ({@link RingFourierProduct}'s stages, the chunked products of the embedding module).
 */
public final class Real {
    private final double[] d;
    private final float[] f;

    private Real(double[] d, float[] f) {
        this.d = d;
        this.f = f;
    }

    /** A zeroed array of {@code size} entries. */
    public static Real zeros(boolean single, int size) {
        return single ? new Real(null, new float[size]) : new Real(new double[size], null);
    }

    /** {@code values} itself (double), or a rounded copy (single). */
    public static Real of(double[] values, boolean single) {
        if (!single) {
            return new Real(values, null);
        }
        float[] f = new float[values.length];
        for (int t = 0; t < f.length; t++) {
            f[t] = (float) values[t];
        }
        return new Real(null, f);
    }

    /** The already rounded {@code values} itself. */
    public static Real of(float[] values) {
        return new Real(null, values);
    }

    public boolean single() {
        return f != null;
    }

    /** The double-precision entries, or null in single precision. */
    public double[] doubles() {
        return d;
    }

    /** The single-precision entries, or null in double precision. */
    public float[] floats() {
        return f;
    }

    public int length() {
        return f != null ? f.length : d.length;
    }

    public void set(int at, double value) {
        if (f != null) {
            f[at] = (float) value;
        } else {
            d[at] = value;
        }
    }

    /** Entry {@code at}, as a double. */
    public double get(int at) {
        return f != null ? f[at] : d[at];
    }

    /** Sets the first {@code length} entries to zero. */
    public void clear(int length) {
        if (f != null) {
            java.util.Arrays.fill(f, 0, length, 0f);
        } else {
            java.util.Arrays.fill(d, 0, length, 0.0);
        }
    }

    /** Copies (rounding in single precision) {@code src[from ..]} into {@code length} entries from {@code at}. */
    public void copyFrom(double[] src, int from, int at, int length) {
        if (f == null) {
            System.arraycopy(src, from, d, at, length);
        } else {
            for (int t = 0; t < length; t++) {
                f[at + t] = (float) src[from + t];
            }
        }
    }

    /** Copies {@code length} entries from {@code at} into {@code out[to ..]}. */
    public void copyTo(int at, double[] out, int to, int length) {
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
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Real a, int offA,
            int lda, Real b, int offB, int ldb, double beta, Real c, int offC, int ldc) {
        if (c.f == null) {
            DenseBlas.gemm(transA, transB, m, n, k, alpha, a.d, offA, lda, b.d, offB, ldb, beta, c.d, offC, ldc);
        } else {
            DenseBlas.gemm(transA, transB, m, n, k, (float) alpha, a.f, offA, lda, b.f, offB, ldb, (float) beta, c.f,
                    offC, ldc);
        }
    }

    /** {@code C = op(A) · op(B)} on whole row-major arrays ({@code op(A)} is {@code m × k}, C {@code m × n}). */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, Real a, Real b, Real c) {
        gemm(transA, transB, m, n, k, 1.0, a, 0, Math.max(1, transA ? m : k), b, 0, Math.max(1, transB ? k : n), 0.0,
                c, 0, Math.max(1, n));
    }

    /** {@code c = op(A) · op(B)} into a double array, through a float product in single precision. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, Real a, Real b, double[] c) {
        gemm(transA, transB, m, n, k, a, b, c, null);
    }

    /**
     * As above, the float product (single precision) in {@code work} when it holds at least {@code m · n} floats
     * (a fresh block otherwise): callers repeating products of the same size keep one instead of allocating
     * megabytes per call.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, Real a, Real b, double[] c,
            Real work) {
        Real out = !a.single() ? of(c, false)
                : work != null && work.single() && work.length() >= (long) m * n ? work : zeros(true, m * n);
        gemm(transA, transB, m, n, k, a, b, out);
        if (a.single()) {
            out.copyTo(0, c, 0, m * n);
        }
    }
}
