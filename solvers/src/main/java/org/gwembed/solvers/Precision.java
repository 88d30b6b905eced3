package org.gwembed.solvers;

/**
 * The floating-point format of the large arrays that are streamed over and over: the normalised kernels of
 * {@link DenseLogKernel} and the operands of the big matrix products of an EW_λ outer iteration. Potentials, sums,
 * logarithms, plans and everything reported stay in double precision either way.
 */
public enum Precision {
    /** Everything in double precision: the reference behaviour. */
    DOUBLE,
    /**
     * Kernels and product operands in single precision (float32), accumulated by BLAS in single precision: half
     * the memory traffic and twice the SIMD width. Each kernel entry and each product carries a relative error of
     * about 1e-7 (products over a few thousand terms up to ~1e-6), which is the error of solving with costs
     * perturbed by that much: far below what the stopping rules resolve, but no longer reproducible to the last
     * digits of a double-precision run.
     */
    SINGLE;

    /** Bytes per entry of an array in this precision. */
    public int bytes() {
        return this == SINGLE ? Float.BYTES : Double.BYTES;
    }
}
