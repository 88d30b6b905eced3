package org.gwembed.solvers;

/**
 * The machine-dependent switch points of the solvers, in one place (as EJML's {@code EjmlParameters}): which of
 * several exact ways of computing a product is expected to be fastest. None of them changes a result beyond
 * round-off; all were measured on 2 cores with native OpenBLAS (the pure-Java BLAS has its own rule where it
 * matters), on the paper's rolls (2000 points, 30 × 30 and 50 × 50 grids, λ 50, ε 6e-4). The measurements
 * behind each value are in {@code bench/results/tuning.md}; re-measure there before changing one.
 */
public final class Tuning {

    private Tuning() {
    }

    /**
     * Speeds of the three paths of a data-side product {@code D · P} with a numerically sparse plan, relative to
     * native GEMM at its peak, per multiply–add actually performed ({@link PlanProducts#cheapest}): GEMM over the
     * active grid points, the blocked sparse loop over the kept entries, GEMMs over chunks of data points with
     * nearby supports. Without native BLAS the sparse loop is used throughout.
     */
    public static final double DENSE_SPEED = 0.9;
    /** See {@link #DENSE_SPEED}. */
    public static final double SPARSE_SPEED = 0.12;
    /** See {@link #DENSE_SPEED}. */
    public static final double CHUNKED_SPEED = 0.4;

    /** How much faster native GEMM runs in single precision ({@code sgemm} against {@code dgemm}). */
    public static final double SINGLE_GEMM_GAIN = 2.0;

    /** Data points per chunk of the chunked data-side products. */
    public static final int CHUNK = 128;

    /** Columns of {@code D} per packed block of the blocked sparse loop (2000 rows × 128 doubles, in L3). */
    public static final int SPARSE_BLOCK = 128;

    /**
     * Largest space whose dense D_X is kept for GEMMs restricted to the grid points carrying mass (3600: the paper's
     * 60 × 60 grid for FAUST, 104 MB).
     */
    public static final int DENSE_ACTIVE_MAX = 3600;

    /**
     * Where X also has a structured (Fourier) product with D_X, the restricted GEMM is used while the active grid
     * points are at most this fraction of the grid of {@code size} points: {@code min(1, (900 / N)^1.2)}. Refitted
     * once large GEMMs ran on every core ({@link DenseBlas} splits them): at 30 × 30 the restricted GEMM now beats
     * the Fourier product with up to 86 % of the points active (rolls, ε 3e-3, 40 iterations: 0.246 → 0.223 s per
     * outer iteration), at 40 × 40 with half of them (0.430 → 0.419 s), at 50 × 50 only below ~0.3 (unchanged,
     * 0.65–0.67 s). The old fit, {@code 0.61 (900 / N)^0.95}, was made before the split.
     */
    public static double restrictedFraction(int size) {
        return Math.min(1.0, Math.pow(900.0 / size, 1.2));
    }
}
