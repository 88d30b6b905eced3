package org.gwembed.solvers;

import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * The dense LAPACK routines gwembed uses, through {@code dev.ludovic.netlib}'s {@link LAPACK}: the machine's native
 * LAPACK (e.g. OpenBLAS's, {@code apt-get install libopenblas0}) through JNI when a shared library is installed,
 * otherwise a pure-Java translation of the reference LAPACK. The companion of {@link DenseBlas}.
 *
 * <p>Only what a symmetric positive-definite solve needs: Cholesky factorisation ({@code dpotrf}) and the triangular
 * solves ({@code dpotrs}). A symmetric matrix stored row-major is the same array as stored column-major, so the
 * factor is taken of the array as given; right-hand sides are row-major {@code n × nrhs} and are transposed to
 * LAPACK's column-major layout internally.
 */
public final class DenseLapack {

    private static final LAPACK LAPACK_INSTANCE = quietly();

    /** The triangle the factor is stored in, in LAPACK's column-major view (the upper triangle row-major). */
    private static final String UPLO = "L";

    private DenseLapack() {
    }

    /** Loads the LAPACK with the loader's "failed to load native implementation" warnings silenced. */
    private static LAPACK quietly() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(
                "dev.ludovic.netlib.lapack.InstanceBuilder");
        java.util.logging.Level previous = logger.getLevel();
        logger.setLevel(java.util.logging.Level.SEVERE);
        NativeBlasLibrary.prepare();
        try {
            return LAPACK.getInstance();
        } finally {
            logger.setLevel(previous);
        }
    }

    /** The LAPACK in use. */
    public static LAPACK lapack() {
        return LAPACK_INSTANCE;
    }

    /** Whether the LAPACK in use is a native library called through JNI. */
    public static boolean isNative() {
        return !(LAPACK_INSTANCE instanceof JavaLAPACK);
    }

    /** A one-line description of the LAPACK in use, e.g. {@code "native (dev.ludovic.netlib.lapack.JNILAPACK)"}. */
    public static String describe() {
        return (isNative() ? "native" : "pure Java") + " (" + LAPACK_INSTANCE.getClass().getName() + ")";
    }

    /**
     * Cholesky factorisation in place of the symmetric positive-definite {@code n × n} matrix {@code a} (row-major or
     * column-major: the same array). On success {@code a} holds the factor in one triangle (the other triangle keeps
     * its input values) and must be passed unchanged to {@link #choleskySolve}.
     *
     * @param a the matrix; modified
     * @return 0 on success, {@code k > 0} when the leading minor of order {@code k} is not positive definite
     * @throws IllegalArgumentException if {@code a} holds fewer than {@code n²} entries
     */
    public static int choleskyFactor(int n, double[] a) {
        if (n < 0 || a == null || a.length < (long) n * n) {
            throw new IllegalArgumentException("choleskyFactor: a must hold " + n + "x" + n + " entries, got "
                    + (a == null ? "null" : a.length));
        }
        if (n == 0) {
            return 0;
        }
        intW info = new intW(0);
        LAPACK_INSTANCE.dpotrf(UPLO, n, a, Math.max(1, n), info);
        if (info.val < 0) {
            throw new IllegalStateException("dpotrf rejected argument " + (-info.val));
        }
        return info.val;
    }

    /**
     * Solves {@code A X = B} given the factor of {@code A} from {@link #choleskyFactor}; {@code b} is row-major
     * {@code n × nrhs} and is overwritten by {@code X}.
     *
     * @param work optional buffer of at least {@code n · nrhs} entries (may be {@code null})
     */
    public static void choleskySolve(int n, double[] factor, int nrhs, double[] b, double[] work) {
        if (factor == null || factor.length < (long) n * n || b == null || b.length < (long) n * nrhs || nrhs < 0) {
            throw new IllegalArgumentException("choleskySolve: factor must hold " + n + "x" + n + " and b " + n + "x"
                    + nrhs + " entries, got " + (factor == null ? "null" : factor.length) + " and "
                    + (b == null ? "null" : b.length));
        }
        if (n == 0 || nrhs == 0) {
            return;
        }
        double[] cm = (work != null && work.length >= n * nrhs) ? work : new double[n * nrhs];
        if (nrhs == 1) {
            System.arraycopy(b, 0, cm, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < nrhs; c++) {
                    cm[c * n + i] = b[i * nrhs + c];
                }
            }
        }
        intW info = new intW(0);
        LAPACK_INSTANCE.dpotrs(UPLO, n, nrhs, factor, Math.max(1, n), cm, Math.max(1, n), info);
        if (info.val != 0) {
            throw new IllegalStateException("dpotrs rejected argument " + (-info.val));
        }
        if (nrhs == 1) {
            System.arraycopy(cm, 0, b, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < nrhs; c++) {
                    b[i * nrhs + c] = cm[c * n + i];
                }
            }
        }
    }
}
