package org.gwembed.solvers;

import java.util.Locale;
import java.util.concurrent.ForkJoinWorkerThread;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;

import org.gwembed.core.Parallel;
import org.gwembed.core.Workers;

/**
 * The dense BLAS that gwembed's matrix products go through: {@code dev.ludovic.netlib}'s {@link BLAS}, which calls
 * native OpenBLAS through JNI — by default the build shipped in the jar ({@link NativeBlasLibrary}), else the
 * machine's {@code libblas.so.3} — and otherwise falls back to a pure-Java implementation (vectorised on JDKs with
 * {@code jdk.incubator.vector}, plain otherwise). Measured on this machine: n = 2000 GEMM at 42 GFLOPS native
 * against 2.3 GFLOPS for EJML's {@code CommonOps_DDRM.mult}.
 *
 * <p>All matrices are row-major {@code double[]}; since BLAS is column-major, a row-major {@code C = A·B} is
 * issued as the column-major {@code Cᵀ = Bᵀ·Aᵀ}.
 *
 * <p><b>Threads.</b> When the library runs one thread per call (the pure-Java BLAS, or OpenBLAS/MKL/BLIS told so by
 * {@code OPENBLAS_NUM_THREADS=1} and the like, which the {@code gwembed} launcher sets), a large GEMM or GEMV is split
 * into one band of the output's rows or columns per processor, one BLAS call per band on the caller and
 * {@link Workers} (never from inside a part of a parallel loop or of another split call, already one of many).
 * Measured on 2 cores, n = 2000 by 900: GEMM 91 GFLOPS as one call, 175 split, 180 with OpenBLAS's own two threads —
 * whose idle threads spin while gwembed's Java loops run (4.8 s of system time in a 40-iteration rolls run), which
 * the split avoids. A multi-threaded library is called as one.
 */
public final class DenseBlas {

    private static final BLAS BLAS_INSTANCE = quietly();

    /** The library's own threads per call, as it reads them from the environment at load (1 for pure Java). */
    private static final int LIBRARY_THREADS = libraryThreads();

    /** Multiply–adds below which a call is not split (a hand-off costs ~10 µs, 4·10⁶ multiply–adds ~40 µs). */
    static final long SPLIT_WORK = 1L << 22;

    /** The workers a large call is split over: all processors. */
    private static final int THREADS = Parallel.defaultThreads();

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

    /**
     * The library's own threads per call: 1 for the pure-Java BLAS; for a native one, what the first set variable
     * of the library's own ({@code MKL_NUM_THREADS} for MKL, {@code BLIS_NUM_THREADS} for BLIS, else
     * {@code OPENBLAS_NUM_THREADS}, {@code GOTO_NUM_THREADS}) and {@code OMP_NUM_THREADS} says, else all processors.
     */
    private static int libraryThreads() {
        if (BLAS_INSTANCE instanceof JavaBLAS) {
            return 1;
        }
        String what = NativeBlasLibrary.describe().toLowerCase(Locale.ROOT);
        String[] names = what.contains("mkl") ? new String[] {"MKL_NUM_THREADS", "OMP_NUM_THREADS"}
                : what.contains("blis") ? new String[] {"BLIS_NUM_THREADS", "OMP_NUM_THREADS"}
                : new String[] {"OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"};
        for (String name : names) {
            String v = System.getenv(name);
            if (v != null && !v.isBlank()) {
                try {
                    int t = Integer.parseInt(v.trim());
                    return t >= 1 ? t : Parallel.defaultThreads();
                } catch (NumberFormatException e) {
                    return Parallel.defaultThreads();
                }
            }
        }
        return Parallel.defaultThreads();
    }

    /**
     * Into how many blocks a call of {@code work} multiply–adds with {@code extent} rows or columns to split is cut:
     * 1 unless the library runs one thread, the work is large and the caller is not itself a worker thread.
     */
    private static int blocks(long work, int extent) {
        int t = THREADS;
        if (LIBRARY_THREADS != 1 || t <= 1 || work < SPLIT_WORK || extent < 2
                || Thread.currentThread() instanceof ForkJoinWorkerThread || Workers.inside()) {
            return 1;
        }
        return Math.min(t, extent);
    }

    /** Whether the BLAS in use is a native library called through JNI. */
    public static boolean isNative() {
        return !(BLAS_INSTANCE instanceof JavaBLAS);
    }

    /** A one-line description of the BLAS in use, e.g. {@code "native (dev.ludovic.netlib.blas.JNIBLAS)"}. */
    public static String describe() {
        return (isNative() ? "native" : "pure Java") + " (" + BLAS_INSTANCE.getClass().getName() + "; "
                + NativeBlasLibrary.describe() + "; " + (LIBRARY_THREADS == 1
                        ? "one thread per call, large calls split over " + THREADS + " workers"
                        : LIBRARY_THREADS + " library threads per call") + ")";
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
        gemmBlocks(transA, transB, m, n, k, alpha, a, 0, ld(transA, m, k), b, 0, ld(transB, k, n), beta, c, 0,
                Math.max(1, n));
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
        gemmBlocks(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /**
     * The checked block product, split by {@link #blocks} into bands of C's rows (or columns, when it has more of
     * them): a band of rows is op(A)'s rows times op(B), a band of columns op(A) times op(B)'s columns; every
     * entry of C is the same sum as in one call.
     */
    private static void gemmBlocks(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
            int offA, int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        int parts = blocks((long) m * n * k, Math.max(m, n));
        gemmParts(parts, transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /** The checked block product in {@code parts} bands (1: one call), whatever the library's threads (tests). */
    static void gemmParts(int parts, boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
            int offA, int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        // Column-major: C^T = op(B)^T op(A)^T; a row-major X (r x c) is the column-major X^T with leading dim c.
        gemmBands(parts, transA, transB, m, n, offA, lda, offB, ldb, offC, ldc, (bm, bn, aOff, bOff, cOff) ->
                BLAS_INSTANCE.dgemm(transB ? "T" : "N", transA ? "T" : "N", bn, bm, k, alpha, b, bOff,
                        Math.max(1, ldb), a, aOff, Math.max(1, lda), beta, c, cOff, Math.max(1, ldc)));
    }

    /** One BLAS product on a band: {@code bm × bn} of C at {@code cOff}, op(A)'s rows at {@code aOff}, ... */
    @FunctionalInterface
    private interface BandProduct {
        void run(int bm, int bn, int aOff, int bOff, int cOff);
    }

    /**
     * Cuts C ({@code m × n}) into {@code parts} bands of its rows, or of its columns when it has more of them, and
     * runs {@code call} on each: a band of rows is op(A)'s rows (rows of A, or columns of a transposed A) times
     * op(B), a band of columns op(A) times op(B)'s columns (columns of B, or rows of a transposed B); every entry of
     * C is the same sum as in one call. One call for {@code parts == 1}.
     */
    private static void gemmBands(int parts, boolean transA, boolean transB, int m, int n, int offA, int lda,
            int offB, int ldb, int offC, int ldc, BandProduct call) {
        if (parts == 1) {
            call.run(m, n, offA, offB, offC);
        } else if (m >= n) {
            bands(parts, m, (s, e) -> call.run(e - s, n, offA + (transA ? s : s * lda), offB, offC + s * ldc));
        } else {
            bands(parts, n, (s, e) -> call.run(m, e - s, offA, offB + (transB ? s * ldb : s), offC + s));
        }
    }

    /** The indices {@code [s, e)} of one non-empty band. */
    @FunctionalInterface
    private interface BandRange {
        void run(int s, int e);
    }

    /** Runs {@code body} on the non-empty bands of {@code [0, extent)} in {@code parts}, split over the workers. */
    private static void bands(int parts, int extent, BandRange body) {
        split(parts, p -> {
            int s = band(extent, parts, p);
            int e = band(extent, parts, p + 1);
            if (e > s) {
                body.run(s, e);
            }
        });
    }

    /**
     * Runs {@code band} for parts 0 .. parts−1 on the caller and the {@link Workers}, or all on the caller
     * when another thread's split call holds them (the same bands, so the same result).
     */
    private static void split(int parts, Workers.Part band) {
        if (!Workers.tryRun(parts, Math.max(1, Math.min(parts, THREADS) - 1), band)) {
            for (int p = 0; p < parts; p++) {
                band.run(p);
            }
        }
    }

    /** Start of band {@code p} of {@code parts} over {@code extent}, on multiples of 8 (whole SIMD tiles). */
    private static int band(int extent, int parts, int p) {
        if (p >= parts) {
            return extent;
        }
        int s = (int) ((long) extent * p / parts);
        return Math.min(extent, (s + 7) & ~7);
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
        gemmBlocks(transA, transB, m, n, k, alpha, a, 0, ld(transA, m, k), b, 0, ld(transB, k, n), beta, c, 0,
                Math.max(1, n));
    }

    /** Single-precision form of the block product above. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int offA,
            int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        if (emptyBlocks(transA, transB, m, n, k, a.length, offA, lda, b.length, offB, ldb, c.length, offC, ldc)) {
            return;
        }
        gemmBlocks(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /** Single-precision form of the double {@code gemmBlocks}. */
    private static void gemmBlocks(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
            int offA, int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        // half the arithmetic cost per multiply–add: split at twice the size
        int parts = blocks((long) m * n * k / 2, Math.max(m, n));
        gemmParts(parts, transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /** Single-precision form of the double {@code gemmParts} (tests). */
    static void gemmParts(int parts, boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
            int offA, int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        gemmBands(parts, transA, transB, m, n, offA, lda, offB, ldb, offC, ldc, (bm, bn, aOff, bOff, cOff) ->
                BLAS_INSTANCE.sgemm(transB ? "T" : "N", transA ? "T" : "N", bn, bm, k, alpha, b, bOff,
                        Math.max(1, ldb), a, aOff, Math.max(1, lda), beta, c, cOff, Math.max(1, ldc)));
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
        // memory-bound: a hand-off pays at an eighth of a GEMM's size
        gemvParts(blocks((long) rows * cols * 8, transpose ? cols : rows), transpose, rows, cols, a, x, y);
    }

    /** {@link #gemv(boolean, int, int, double[], double[], double[])} in {@code parts} bands of y (tests). */
    static void gemvParts(int parts, boolean transpose, int rows, int cols, double[] a, double[] x, double[] y) {
        // Column-major view of row-major A is Aᵀ (cols x rows, leading dimension cols): y[s..e) = A[:, s..e)ᵀ x is
        // the column-major (e−s) × rows block at offset s, y[s..e) = A[s..e, :] x the rows s..e of A.
        gemvBands(parts, transpose, rows, cols, (s, e) -> {
            if (transpose) {
                BLAS_INSTANCE.dgemv("N", e - s, rows, 1.0, a, s, cols, x, 0, 1, 0.0, y, s, 1);
            } else {
                BLAS_INSTANCE.dgemv("T", cols, e - s, 1.0, a, s * cols, cols, x, 0, 1, 0.0, y, s, 1);
            }
        });
    }

    /** The bands of y ({@code cols} entries for Aᵀ x, {@code rows} for A x); one call for {@code parts == 1}. */
    private static void gemvBands(int parts, boolean transpose, int rows, int cols, BandRange call) {
        int extent = transpose ? cols : rows;
        if (parts == 1) {
            call.run(0, extent);
        } else {
            bands(parts, extent, call);
        }
    }

    /** Single-precision form of {@link #gemv(boolean, int, int, double[], double[], double[])}. */
    public static void gemv(boolean transpose, int rows, int cols, float[] a, float[] x, float[] y) {
        if (rows == 0 || cols == 0) {
            java.util.Arrays.fill(y, 0f);
            return;
        }
        gemvParts(blocks((long) rows * cols * 4, transpose ? cols : rows), transpose, rows, cols, a, x, y);
    }

    /** Single-precision form of the double {@code gemvParts} (tests). */
    static void gemvParts(int parts, boolean transpose, int rows, int cols, float[] a, float[] x, float[] y) {
        gemvBands(parts, transpose, rows, cols, (s, e) -> {
            if (transpose) {
                BLAS_INSTANCE.sgemv("N", e - s, rows, 1f, a, s, cols, x, 0, 1, 0f, y, s, 1);
            } else {
                BLAS_INSTANCE.sgemv("T", cols, e - s, 1f, a, s * cols, cols, x, 0, 1, 0f, y, s, 1);
            }
        });
    }
}
