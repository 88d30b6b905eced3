package org.gwembed.solvers;

/**
 * The two matrices {@code A} ({@code n × n}) and {@code B} ({@code m × m}) of a square-loss Gromov–Wasserstein
 * problem, seen only through the products the GW cost needs (METHOD.md §3):
 * <pre>
 *   (L(A, B) ⊗ P)_ik = ((A∘A) p)_i + ((B∘B) q)_k − 2 (A P Bᵀ)_ik,   p = P1, q = Pᵀ1.
 * </pre>
 * {@link GromovCost#dense} gives the dense implementation (two BLAS GEMMs per product); structured
 * implementations (e.g. Toeplitz/FFT products for grid distance matrices, METHOD.md §5) can be swapped in
 * wherever a {@code GromovProduct} is accepted. Implementations may keep scratch buffers and need not be
 * thread-safe.
 */
public interface GromovProduct {

    /** The size {@code n} of {@code A}. */
    int leftSize();

    /** The size {@code m} of {@code B}. */
    int rightSize();

    /** {@code out = (A∘A) p}: {@code out_i = Σ_i' A_ii'² p_i'}; {@code p} and {@code out} have {@code n} entries. */
    void squaredLeft(double[] p, double[] out);

    /** {@code out = (B∘B) q}: {@code out_k = Σ_k' B_kk'² q_k'}; {@code q} and {@code out} have {@code m} entries. */
    void squaredRight(double[] q, double[] out);

    /**
     * {@code out = A · P · Bᵀ} for a dense row-major {@code n × m} plan {@code P}; {@code out} ({@code n × m}) is
     * overwritten, {@code plan} is not modified. {@code out} and {@code plan} must not be the same array.
     */
    void multiply(double[] plan, double[] out);

    /**
     * {@code out = A · P · Bᵀ} for a sparse plan given by its first {@code count} non-zero entries
     * {@code P[rows[t], cols[t]] = values[t]} (e.g. a basic solution of exact OT with at most {@code n + m − 1}
     * entries). The default densifies and calls {@link #multiply}; implementations may do better.
     */
    default void multiplySparse(int count, int[] rows, int[] cols, double[] values, double[] out) {
        int m = rightSize();
        double[] dense = new double[Math.multiplyExact(leftSize(), m)];
        for (int t = 0; t < count; t++) {
            dense[rows[t] * m + cols[t]] += values[t];
        }
        multiply(dense, out);
    }

    /**
     * {@code out = A · (u vᵀ) · Bᵀ = (A u)(B v)ᵀ} for the rank-one plan {@code u vᵀ} ({@code u}: {@code n} entries,
     * {@code v}: {@code m}), e.g. the independent coupling every GW and EW_λ run starts from: two matrix-vector
     * products instead of two matrix products (at n = 2000, N = 900 about 10³ times fewer operations). The default
     * forms the plan and calls {@link #multiply(double[], double[])}.
     */
    default void multiplyRankOne(double[] u, double[] v, double[] out) {
        int n = leftSize();
        int m = rightSize();
        GromovCost.requireRankOne(u, v, n, m);
        double[] plan = new double[Math.multiplyExact(n, m)];
        GromovCost.outer(u, v, plan);
        multiply(plan, out);
    }

    /**
     * {@link #multiply(double[], double[])} given the plan's largest {@code |entry|} ({@code largest}, NaN if not
     * known), which implementations that exploit the plan's numerical sparsity use to skip a pass over it.
     */
    default void multiply(double[] plan, double largest, double[] out) {
        multiply(plan, out);
    }

    /** {@code pᵀ (A∘A) p}, the first term of {@code G(A, B; P)} for row sums {@code p}. */
    default double squaredFormLeft(double[] p) {
        double[] t = new double[leftSize()];
        squaredLeft(p, t);
        return GromovCost.dot(t, p);
    }

    /** {@code qᵀ (B∘B) q}, the second term of {@code G(A, B; P)} for column sums {@code q}. */
    default double squaredFormRight(double[] q) {
        double[] t = new double[rightSize()];
        squaredRight(q, t);
        return GromovCost.dot(t, q);
    }

    /** A short name of the implementation for diagnostics. */
    default String kind() {
        return "dense";
    }
}
