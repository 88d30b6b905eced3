package org.gwembed.solvers;

/**
 * The Gibbs kernel {@code K = exp(−C/ε)} of a cost matrix {@code C} ({@code rows × cols}), applied in the log
 * domain so that no ε is too small:
 * <pre>
 *   apply:           out_i = log Σ_j exp(−C_ij/ε + in_j)     (in: cols entries, out: rows entries)
 *   applyTranspose:  out_j = log Σ_i exp(−C_ij/ε + in_i)     (in: rows entries, out: cols entries)
 * </pre>
 * Entries of {@code in} may be {@code −∞} (zero mass); an output is {@code −∞} only when every term is.
 * Implementations are interchangeable and tested against {@link DenseLogKernel}: dense (stabilised products
 * through BLAS), separable (Kronecker structure of {@code D_X²} on grids). Instances may cache work between calls
 * and are not thread-safe; they may use several threads inside one call.
 */
public interface LogKernel {

    /** Number of rows of {@code C}. */
    int rows();

    /** Number of columns of {@code C}. */
    int cols();

    /** The cost entry {@code C_ij}. */
    double cost(int i, int j);

    /** {@code out_i = log Σ_j exp(−C_ij/ε + in_j)}. */
    void apply(double epsilon, double[] in, double[] out);

    /** {@code out_j = log Σ_i exp(−C_ij/ε + in_i)}. */
    void applyTranspose(double epsilon, double[] in, double[] out);

    /** A short name of the implementation for diagnostics, e.g. {@code "dense"} or {@code "separable 30x30"}. */
    String kind();

    /**
     * The kernel in the scaling domain, for implementations that keep it as a matrix with potentials absorbed
     * (Schmitzer 2019): {@code exp(−C_ij/ε) = exp(base_i) K̃_ij exp(−reference_j)}, {@code K̃} applied by
     * {@code product}. Scaling iterations on {@code K̃} are then the log-domain iterations without an exponential
     * or a logarithm per entry. Valid until the kernel is next used otherwise.
     *
     * @param reference the column input the kernel was built for ({@code cols} entries, log domain)
     * @param base      the row offsets ({@code rows} entries)
     * @param product   {@code y = K̃ x}, or {@code y = K̃ᵀ x} when transposed
     */
    record Scaling(double[] reference, double[] base, Product product) {
        /** A product with {@code K̃}. */
        public interface Product {
            /** {@code y = K̃ x} ({@code transposed}: {@code y = K̃ᵀ x}); {@code y} is overwritten. */
            void apply(boolean transposed, double[] x, double[] y);
        }
    }

    /**
     * This kernel in the scaling domain for the column input {@code w} (log domain, as {@link #apply} takes it),
     * whose {@code reference} is then within {@link DenseLogKernel#DRIFT_LIMIT} of {@code w} entrywise; or null
     * when the implementation has no such form (this default): the caller then stays in the log domain.
     */
    default Scaling scaling(double epsilon, double[] w) {
        return null;
    }

    /**
     * The plan {@code P_ij = exp(left_i − C_ij/ε + right_j)} as a dense row-major {@code rows × cols} array.
     * Costs {@code rows · cols} doubles: for large structured kernels only on request.
     */
    default double[] plan(double epsilon, double[] left, double[] right) {
        double[] p = new double[Math.multiplyExact(rows(), cols())];
        plan(epsilon, left, right, p);
        return p;
    }

    /** As {@link #plan(double, double[], double[])}, written into {@code out} (at least rows · cols entries). */
    default void plan(double epsilon, double[] left, double[] right, double[] out) {
        int n = rows();
        int m = cols();
        if (out.length < (long) n * m) {
            throw new IllegalArgumentException("plan output has " + out.length + " entries, needs " + n + "x" + m);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                out[i * m + j] = Math.exp(left[i] - cost(i, j) / epsilon + right[j]);
            }
        }
    }

    /**
     * Overwrites {@code plan}, which holds a previous plan, with {@link #plan(double, double[], double[], double[])}
     * and returns {@code {max |new − old|, max |new|}}: the change an outer loop tests, without a second array or
     * a second pass where the implementation fuses them (this default does not).
     */
    default double[] replacePlan(double epsilon, double[] left, double[] right, double[] plan) {
        double[] fresh = plan(epsilon, left, right);
        double diff = 0;
        double max = 0;
        for (int t = 0; t < fresh.length; t++) {
            diff = Math.max(diff, Math.abs(fresh[t] - plan[t]));
            max = Math.max(max, Math.abs(fresh[t]));
        }
        System.arraycopy(fresh, 0, plan, 0, fresh.length);
        return new double[] {diff, max};
    }

    /**
     * {@code Σ_ij C_ij exp(left_i − C_ij/ε + right_j)}, the cost of the plan {@link #plan}, without forming it where
     * the implementation can.
     */
    default double planCost(double epsilon, double[] left, double[] right) {
        int n = rows();
        int m = cols();
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double c = cost(i, j);
                total += c * Math.exp(left[i] - c / epsilon + right[j]);
            }
        }
        return total;
    }
}
