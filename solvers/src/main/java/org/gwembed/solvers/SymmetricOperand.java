package org.gwembed.solvers;

import org.gwembed.core.Parallel;

/**
 * A dense symmetric {@code n × n} matrix (D₁, D₂ or D_X) as the left or right factor of the products of
 * {@link PlanProducts} and {@link EmbeddingProducts}, held in a {@link Precision}: in single precision a float copy
 * is made once, since these matrices are multiplied in every outer iteration. It keeps the work blocks of its
 * products from one call to the next (gathered rows, chunked partial products, single-precision outputs), which
 * spares the allocator and the collector megabytes per outer iteration. Not for concurrent products.
 */
final class SymmetricOperand {
    final double[] d;
    final int n;
    private final Real block;   // d itself in double precision, its rounded copy in single
    private Real scratch;
    private Real rowsBlock;
    private Real productBlock;

    SymmetricOperand(double[] d, int n, Precision precision) {
        if (d.length != (long) n * n) {
            throw new IllegalArgumentException("a symmetric " + n + "x" + n + " matrix needs " + (long) n * n
                    + " entries, got " + d.length);
        }
        this.d = d;
        this.n = n;
        this.block = Real.of(d, precision);
    }

    /**
     * Bytes an operand of size {@code n} holds beyond its double matrix: the float copy in single precision and the
     * largest work block of the data-side products ({@code n × grid} entries, see {@link PlanProducts}).
     */
    static long bytes(int n, int grid, Precision precision) {
        long copy = precision == Precision.SINGLE ? 4L * n * n : 0;
        return copy + (long) precision.bytes() * n * grid;
    }

    Precision precision() {
        return block.precision();
    }

    boolean single() {
        return block.single();
    }

    /** The matrix in its working precision. */
    Real block() {
        return block;
    }

    /**
     * A work block of at least {@code size} entries in this matrix's precision, kept for the next product (the
     * products of one run share it; not for concurrent use). Its contents are not cleared.
     */
    Real scratch(int size) {
        scratch = atLeast(scratch, size);
        return scratch;
    }

    /**
     * {@code wᵀ (D∘D) w} (the objective's G terms), in parallel over rows, from the working copy, reading only the
     * upper triangle: {@code Σ_i w_i (D_ii² w_i + 2 Σ_{j>i} D_ij² w_j)} (D is exactly symmetric). The pass is
     * memory-bound, so half the entries read is half the time (2000 × 2000 doubles: ~4.5 ms → ~2.3 ms on 2 cores; the
     * float copy half that); the float entries' rounding (6e-8 relative) is below what single precision resolves
     * anyway; sums are in double precision.
     */
    double squaredForm(double[] w, int threads) {
        if (w.length != n) {
            throw new IllegalArgumentException("squaredForm: w has " + w.length + " entries, expected " + n);
        }
        double[] rows = new double[n];
        // rows shorten towards the end: 16 blocks per thread keep the two workers' shares even
        Parallel.forRange(n, threads, n / 2, (from, to) -> {
            for (int i = from; i < to; i++) {
                double dii = block.get(i * n + i);
                rows[i] = w[i] * (dii * dii * w[i] + 2 * block.weightedSquares(i * n, w, i + 1));
            }
        });
        double total = 0;
        for (double r : rows) {
            total += r;
        }
        return total;
    }

    /** Row {@code i} (length n) copied to {@code to[at ..]}, a block of this precision. */
    void copyRow(int i, Real to, int at) {
        block.copyTo(i * n, to, at, n);
    }

    /**
     * The rows {@code map} as a {@code map.length × n} block (at the start of a block kept for the next call:
     * D_X's rows are gathered in every outer iteration, up to N² entries).
     */
    Real rows(int[] map) {
        Real b = gathered(map.length * n);
        copyRows(map, b);
        return b;
    }

    /**
     * A block of at least {@code size} entries for rows gathered from this matrix ({@link #rows}, the chunked
     * products' rows of D), kept for the next call; its contents are not cleared.
     */
    Real gathered(int size) {
        rowsBlock = atLeast(rowsBlock, size);
        return rowsBlock;
    }

    /** The rows {@code map}, one after the other, into the first {@code map.length · n} entries of {@code to}. */
    void copyRows(int[] map, Real to) {
        for (int a = 0; a < map.length; a++) {
            copyRow(map[a], to, a * n);
        }
    }

    /**
     * {@code out = op(A) · op(B)} into a double array through this matrix's precision, a single-precision product
     * going through a float block kept for the next call (the rows × N products with D_X, 7 MB per call on the
     * rolls at 30 × 30).
     */
    void gemmInto(boolean transA, boolean transB, int m, int cols, int k, Real a, Real b, double[] out) {
        productBlock = Real.gemm(transA, transB, m, cols, k, a, b, out, productBlock);
    }

    /** {@code block} if it holds {@code size} entries in this matrix's precision, else a new one. */
    private Real atLeast(Real b, int size) {
        return b != null && b.length() >= size ? b : Real.zeros(precision(), size);
    }
}
