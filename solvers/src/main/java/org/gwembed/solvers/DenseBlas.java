package org.gwembed.solvers;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;

/**
 * The dense BLAS that gwembed's matrix products go through: {@code dev.ludovic.netlib}'s {@link BLAS}, which calls
 * native OpenBLAS through JNI — by default the build shipped in the jar ({@link NativeBlasLibrary}), else the
 * machine's {@code libblas.so.3} — and otherwise falls back to a pure-Java implementation (vectorised on JDKs with
 * {@code jdk.incubator.vector}, plain otherwise). Measured on this machine: n = 2000 GEMM at 42 GFLOPS native
 * against 2.3 GFLOPS for EJML's {@code CommonOps_DDRM.mult}.
 *
 * <p>All matrices are row-major {@code double[]}; since BLAS is column-major, a row-major {@code C = A·B} is
 * issued as the column-major {@code Cᵀ = Bᵀ·Aᵀ}.
 */
public final class DenseBlas {

    private static final BLAS BLAS_INSTANCE = quietly();

    private DenseBlas() {
    }

    /**
     * Loads the BLAS with the loader's own warnings ("Failed to load implementation from ...JNIBLAS", logged through
     * java.util.logging when no native library is installed) silenced: that fallback is expected and
     * {@link #describe()} reports which implementation was chosen.
     */
    private static BLAS quietly() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
        java.util.logging.Level previous = logger.getLevel();
        logger.setLevel(java.util.logging.Level.SEVERE);
        NativeBlasLibrary.prepare();
        try {
            return BLAS.getInstance();
        } finally {
            logger.setLevel(previous);
        }
    }

    /** The BLAS in use. */
    public static BLAS blas() {
        return BLAS_INSTANCE;
    }

    /** Whether the BLAS in use is a native library called through JNI. */
    public static boolean isNative() {
        return !(BLAS_INSTANCE instanceof JavaBLAS);
    }

    /** A one-line description of the BLAS in use, e.g. {@code "native (dev.ludovic.netlib.blas.JNIBLAS)"}. */
    public static String describe() {
        return (isNative() ? "native" : "pure Java") + " (" + BLAS_INSTANCE.getClass().getName() + "; "
                + NativeBlasLibrary.describe() + ")";
    }

    /**
     * Row-major {@code C = alpha · A · B + beta · C} with {@code A} {@code m × k}, {@code B} {@code k × n},
     * {@code C} {@code m × n}, all dense row-major arrays. {@code C} is modified.
     */
    public static void gemm(int m, int n, int k, double alpha, double[] a, double[] b, double beta, double[] c) {
        gemm(false, false, m, n, k, alpha, a, b, beta, c);
    }

    /**
     * Row-major {@code C = alpha · op(A) · op(B) + beta · C} with {@code op(X) = Xᵀ} when the flag is set:
     * {@code op(A)} is {@code m × k}, {@code op(B)} is {@code k × n}, {@code C} is {@code m × n}; {@code A} is stored
     * as {@code m × k} (or {@code k × m} when transposed), likewise {@code B}. {@code C} is modified.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, double[] b,
            double beta, double[] c) {
        if (empty("gemm", m, n, k, a.length, b.length, c.length)) {
            return;
        }
        // Column-major: C^T = op(B)^T op(A)^T; a row-major X (r x c) is the column-major X^T with leading dim c.
        BLAS_INSTANCE.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, ld(transB, k, n), a,
                ld(transA, m, k), beta, c, Math.max(1, n));
    }

    /**
     * Checks that op(A) ({@code m × k}), op(B) ({@code k × n}) and C ({@code m × n}) fit their arrays; true when
     * there is nothing to compute.
     */
    private static boolean empty(String what, int m, int n, int k, int aLength, int bLength, int cLength) {
        if (aLength < (long) m * k || bLength < (long) k * n || cLength < (long) m * n) {
            throw new IllegalArgumentException(what + " shapes: op(A) must hold " + m + "x" + k + ", op(B) " + k + "x"
                    + n + ", C " + m + "x" + n + " entries, got " + aLength + ", " + bLength + ", " + cLength);
        }
        return m == 0 || n == 0;
    }

    /** The leading dimension of a row-major {@code rows × cols} operand stored transposed or not. */
    private static int ld(boolean transposed, int rows, int cols) {
        return Math.max(1, transposed ? rows : cols);
    }

    /**
     * As {@link #gemm(boolean, boolean, int, int, int, double, double[], double[], double, double[])} on
     * sub-matrices: each operand starts at its offset and has its own row-major leading dimension (the distance
     * between the starts of consecutive stored rows), so that blocks of larger arrays can be read and written in
     * place.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int offA,
            int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        if (emptyBlocks(transA, transB, m, n, k, a.length, offA, lda, b.length, offB, ldb, c.length, offC, ldc)) {
            return;
        }
        BLAS_INSTANCE.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, offB, Math.max(1, ldb), a, offA,
                Math.max(1, lda), beta, c, offC, Math.max(1, ldc));
    }

    /**
     * Single-precision form of {@link #gemm(boolean, boolean, int, int, int, double, double[], double[], double,
     * double[])}: same shapes and layout, {@code float} operands (half the memory traffic, twice the SIMD width).
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
            float beta, float[] c) {
        if (empty("sgemm", m, n, k, a.length, b.length, c.length)) {
            return;
        }
        BLAS_INSTANCE.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, ld(transB, k, n), a,
                ld(transA, m, k), beta, c, Math.max(1, n));
    }

    /** Single-precision form of the block product above. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int offA,
            int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        if (emptyBlocks(transA, transB, m, n, k, a.length, offA, lda, b.length, offB, ldb, c.length, offC, ldc)) {
            return;
        }
        BLAS_INSTANCE.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, offB, Math.max(1, ldb), a, offA,
                Math.max(1, lda), beta, c, offC, Math.max(1, ldc));
    }

    /** Checks that the three blocks fit their arrays (lengths given); true when there is nothing to compute. */
    private static boolean emptyBlocks(boolean transA, boolean transB, int m, int n, int k, int aLength, int offA,
            int lda, int bLength, int offB, int ldb, int cLength, int offC, int ldc) {
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        if (!fits(aLength, offA, lda, aRows, aCols) || !fits(bLength, offB, ldb, bRows, bCols)
                || !fits(cLength, offC, ldc, m, n)) {
            throw new IllegalArgumentException("gemm blocks: A " + aRows + "x" + aCols + " at " + offA + " (ld " + lda
                    + "), B " + bRows + "x" + bCols + " at " + offB + " (ld " + ldb + "), C " + m + "x" + n + " at "
                    + offC + " (ld " + ldc + ") do not fit arrays of " + aLength + ", " + bLength + ", " + cLength);
        }
        return m == 0 || n == 0;
    }

    private static boolean fits(int length, int offset, int ld, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return offset >= 0;
        }
        return offset >= 0 && ld >= cols && offset + (long) (rows - 1) * ld + cols <= length;
    }

    /**
     * Row-major {@code y = A · x} ({@code transpose = false}, {@code A} is {@code rows × cols}, {@code x} has
     * {@code cols} entries, {@code y} has {@code rows}) or {@code y = Aᵀ · x} ({@code transpose = true}, {@code x}
     * has {@code rows} entries, {@code y} has {@code cols}). {@code y} is overwritten.
     */
    public static void gemv(boolean transpose, int rows, int cols, double[] a, double[] x, double[] y) {
        if (rows == 0 || cols == 0) {
            java.util.Arrays.fill(y, 0.0);
            return;
        }
        // Column-major view of row-major A is Aᵀ (cols x rows, leading dimension cols).
        BLAS_INSTANCE.dgemv(transpose ? "N" : "T", cols, rows, 1.0, a, cols, x, 1, 0.0, y, 1);
    }

    /** Single-precision form of {@link #gemv(boolean, int, int, double[], double[], double[])}. */
    public static void gemv(boolean transpose, int rows, int cols, float[] a, float[] x, float[] y) {
        if (rows == 0 || cols == 0) {
            java.util.Arrays.fill(y, 0f);
            return;
        }
        BLAS_INSTANCE.sgemv(transpose ? "N" : "T", cols, rows, 1f, a, cols, x, 1, 0f, y, 1);
    }
}
