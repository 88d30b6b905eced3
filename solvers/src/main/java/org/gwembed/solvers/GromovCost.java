package org.gwembed.solvers;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;

/**
 * The square-loss Gromov–Wasserstein cost without a 4-tensor (METHOD.md §3). For matrices {@code A}
 * ({@code n × n}), {@code B} ({@code m × m}) and a plan {@code P} ({@code n × m}) with row sums {@code p} and
 * column sums {@code q}:
 * <pre>
 *   (L(A, B) ⊗ P)_ik = Σ_{i',k'} (A_ii' − B_kk')² P_i'k' = ((A∘A) p)_i + ((B∘B) q)_k − 2 (A P Bᵀ)_ik,
 *   G(A, B; P)       = Σ_{i,i',k,k'} (A_ii' − B_kk')² P_ik P_i'k' = ⟨L(A, B) ⊗ P, P⟩          (no factor ½).
 * </pre>
 * {@code A P Bᵀ} goes through a {@link GromovProduct} (dense: two BLAS GEMMs, {@code O(n²m + nm²)}), so that
 * structured products can replace it. In POT's notation ({@code ot.gromov.init_matrix} with
 * {@code loss_fun='square_loss'}): {@code constC = (A∘A) p 1ᵀ + 1 ((B∘B) q)ᵀ}, {@code hC1 = A}, {@code hC2 = 2B},
 * {@code tensor_product = constC − hC1 P hC2ᵀ}; the GW gradient ({@code gwggrad}) is {@code 2 · (L ⊗ P)}.
 *
 * <p>Stateless; row-major {@code double[]} or EJML {@link DMatrixRMaj} at the boundary. Nothing passed in is
 * modified except an explicit {@code out} buffer.
 */
public final class GromovCost {

    private GromovCost() {
    }

    /**
     * The dense {@link GromovProduct} of row-major {@code A} ({@code n × n}) and {@code B} ({@code m × m}),
     * finite entries (copied). {@code A} and {@code B} need not be symmetric for the cost formulas.
     */
    public static GromovProduct dense(double[] a, int n, double[] b, int m) {
        Require.atLeast(n, 1, "n");
        Require.atLeast(m, 1, "m");
        requireSquare(a, n, "A");
        requireSquare(b, m, "B");
        return new DenseProduct(a.clone(), n, transpose(b, m), m);
    }

    /** The dense {@link GromovProduct} of square matrices {@code A} and {@code B} (copied). */
    public static GromovProduct dense(DMatrixRMaj a, DMatrixRMaj b) {
        Require.nonNull(a, "A");
        Require.nonNull(b, "B");
        requireSquareShape(a, "A");
        requireSquareShape(b, "B");
        return dense(a.data, a.numRows, b.data, b.numRows);
    }

    /**
     * {@code L(A, B) ⊗ P = (A∘A p) 1ᵀ + 1 (B∘B q)ᵀ − 2 A P Bᵀ} with the given {@code p} and {@code q} (POT uses the
     * target marginals here, which equal the plan's sums for a feasible plan).
     *
     * @param out {@code n × m} buffer to overwrite, or {@code null} for a new array
     * @return {@code out} (or the new array)
     */
    public static double[] tensorProduct(GromovProduct product, double[] p, double[] q, double[] plan, double[] out) {
        Require.nonNull(product, "product");
        int n = product.leftSize();
        int m = product.rightSize();
        Require.finiteVector(p, n, "p");
        Require.finiteVector(q, m, "q");
        requirePlan(plan, n, m, "plan");
        double[] result = out == null ? new double[n * m] : requirePlan(out, n, m, "out");
        if (result == plan) {
            throw new IllegalArgumentException("out must not be the same array as plan");
        }
        double[] left = new double[n];
        double[] right = new double[m];
        product.squaredLeft(p, left);
        product.squaredRight(q, right);
        product.multiply(plan, result);
        assemble(left, right, result, n, m);
        return result;
    }

    /**
     * {@code L(A, B) ⊗ P} for row-major {@code A} ({@code n × n}), {@code B} ({@code m × m}) and plan {@code P}
     * ({@code n × m}), with {@code p}, {@code q} the plan's own row and column sums. Returns a new array.
     */
    public static double[] tensorProduct(double[] a, double[] b, double[] plan, int n, int m) {
        GromovProduct product = dense(a, n, b, m);
        requirePlan(plan, n, m, "plan");
        return tensorProduct(product, rowSums(plan, n, m), columnSums(plan, n, m), plan, null);
    }

    /** {@code L(A, B) ⊗ P} with the plan's own marginals, as a new {@code n × m} matrix. */
    public static DMatrixRMaj tensorProduct(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj plan) {
        GromovProduct product = dense(a, b);
        int n = product.leftSize();
        int m = product.rightSize();
        requirePlanShape(plan, n, m);
        double[] t = tensorProduct(product, rowSums(plan.data, n, m), columnSums(plan.data, n, m), plan.data, null);
        return DMatrixRMaj.wrap(n, m, t);
    }

    /**
     * {@code G(A, B; P) = Σ (A_ii' − B_kk')² P_ik P_i'k' = ⟨L(A, B) ⊗ P, P⟩}, with the plan's own marginals: the
     * exact 4-index sum for any non-negative or signed {@code P}.
     */
    public static double gwObjective(GromovProduct product, double[] plan) {
        Require.nonNull(product, "product");
        int n = product.leftSize();
        int m = product.rightSize();
        requirePlan(plan, n, m, "plan");
        double[] t = tensorProduct(product, rowSums(plan, n, m), columnSums(plan, n, m), plan, null);
        return dot(t, plan);
    }

    /** {@link #gwObjective(GromovProduct, double[])} for row-major {@code A}, {@code B}, {@code P}. */
    public static double gwObjective(double[] a, double[] b, double[] plan, int n, int m) {
        return gwObjective(dense(a, n, b, m), plan);
    }

    /** {@link #gwObjective(GromovProduct, double[])} for EJML matrices. */
    public static double gwObjective(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj plan) {
        GromovProduct product = dense(a, b);
        requirePlanShape(plan, product.leftSize(), product.rightSize());
        return gwObjective(product, plan.data);
    }

    /** Row sums {@code P1} of a row-major {@code n × m} matrix. */
    public static double[] rowSums(double[] plan, int n, int m) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            double t = 0;
            int off = i * m;
            for (int k = 0; k < m; k++) {
                t += plan[off + k];
            }
            s[i] = t;
        }
        return s;
    }

    /** Column sums {@code Pᵀ1} of a row-major {@code n × m} matrix. */
    public static double[] columnSums(double[] plan, int n, int m) {
        double[] s = new double[m];
        for (int i = 0; i < n; i++) {
            int off = i * m;
            for (int k = 0; k < m; k++) {
                s[k] += plan[off + k];
            }
        }
        return s;
    }

    /** {@code Σ x_t y_t}. */
    /** Checks the two factors of a rank-one plan of an {@code n × m} product. */
    static void requireRankOne(double[] u, double[] v, int n, int m) {
        if (u.length != n || v.length != m) {
            throw new IllegalArgumentException("a rank-one plan u v^T of a " + n + "x" + m
                    + " product needs u with " + n + " and v with " + m + " entries, got " + u.length + " and "
                    + v.length);
        }
    }

    /** {@code out = u vᵀ}, row-major ({@code u.length × v.length}). */
    static void outer(double[] u, double[] v, double[] out) {
        int m = v.length;
        for (int i = 0; i < u.length; i++) {
            double ui = u[i];
            int off = i * m;
            for (int k = 0; k < m; k++) {
                out[off + k] = ui * v[k];
            }
        }
    }

    static double dot(double[] x, double[] y) {
        double s = 0;
        for (int t = 0; t < x.length; t++) {
            s += x[t] * y[t];
        }
        return s;
    }

    /** {@code apb ← left 1ᵀ + 1 rightᵀ − 2 apb} in place. */
    static void assemble(double[] left, double[] right, double[] apb, int n, int m) {
        for (int i = 0; i < n; i++) {
            int off = i * m;
            double li = left[i];
            for (int k = 0; k < m; k++) {
                apb[off + k] = li + right[k] - 2 * apb[off + k];
            }
        }
    }

    static double[] requirePlan(double[] plan, int n, int m, String name) {
        Require.nonNull(plan, name);
        if (plan.length != (long) n * m) {
            throw new IllegalArgumentException(name + " has " + plan.length + " entries, expected " + n + "x" + m
                    + " = " + ((long) n * m));
        }
        return plan;
    }

    private static void requirePlanShape(DMatrixRMaj plan, int n, int m) {
        Require.nonNull(plan, "plan");
        if (plan.numRows != n || plan.numCols != m) {
            throw new IllegalArgumentException("plan is " + plan.numRows + "x" + plan.numCols + " but A is " + n
                    + "x" + n + " and B is " + m + "x" + m + " (expected " + n + "x" + m + ")");
        }
    }

    private static void requireSquareShape(DMatrixRMaj x, String name) {
        if (x.numRows != x.numCols || x.numRows < 1) {
            throw new IllegalArgumentException(name + " must be square and non-empty, got " + x.numRows + "x"
                    + x.numCols);
        }
    }

    static void requireSquare(double[] x, int n, String name) {
        Require.nonNull(x, name);
        if (x.length != (long) n * n) {
            throw new IllegalArgumentException(name + " has " + x.length + " entries, expected " + n + "x" + n
                    + " = " + ((long) n * n));
        }
        for (int t = 0; t < x.length; t++) {
            if (!Double.isFinite(x[t])) {
                throw new IllegalArgumentException(name + "[" + (t / n) + "," + (t % n) + "] must be finite, got "
                        + x[t]);
            }
        }
    }

    private static double[] transpose(double[] x, int n) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[j * n + i] = x[i * n + j];
            }
        }
        return t;
    }

    /** Dense {@code A P Bᵀ} by two GEMMs: {@code X = P Bᵀ}, then {@code A X}. */
    private static final class DenseProduct implements GromovProduct {
        private final double[] a;
        private final double[] bt; // Bᵀ, row-major
        private final int n;
        private final int m;
        private double[] scratch;

        DenseProduct(double[] a, int n, double[] bt, int m) {
            this.a = a;
            this.bt = bt;
            this.n = n;
            this.m = m;
        }

        @Override
        public int leftSize() {
            return n;
        }

        @Override
        public int rightSize() {
            return m;
        }

        @Override
        public void squaredLeft(double[] p, double[] out) {
            squaredTimes(a, n, p, out, 1);
        }

        @Override
        public void squaredRight(double[] q, double[] out) {
            // (B∘B) q from Bᵀ: out_k = Σ_k' B_kk'² q_k' = Σ_k' Bᵀ_k'k² q_k'
            java.util.Arrays.fill(out, 0.0);
            for (int kk = 0; kk < m; kk++) {
                double qk = q[kk];
                int off = kk * m;
                for (int k = 0; k < m; k++) {
                    double v = bt[off + k];
                    out[k] += v * v * qk;
                }
            }
        }


        private double[] scratch() {
            if (scratch == null) {
                scratch = new double[n * m];
            }
            return scratch;
        }

        @Override
        public void multiply(double[] plan, double[] out) {
            requirePlan(plan, n, m, "plan");
            requirePlan(out, n, m, "out");
            double[] x = scratch();
            DenseBlas.gemm(n, m, m, 1.0, plan, bt, 0.0, x);
            DenseBlas.gemm(n, m, n, 1.0, a, x, 0.0, out);
        }

        @Override
        public void multiplyRankOne(double[] u, double[] v, double[] out) {
            requireRankOne(u, v, n, m);
            requirePlan(out, n, m, "out");
            double[] au = new double[n];
            double[] bv = new double[m];
            DenseBlas.gemv(false, n, n, a, u, au);
            DenseBlas.gemv(true, m, m, bt, v, bv); // B v = (Bᵀ)ᵀ v
            outer(au, bv, out);
        }

        @Override
        public void multiplySparse(int count, int[] rows, int[] cols, double[] values, double[] out) {
            requirePlan(out, n, m, "out");
            double[] x = scratch();
            java.util.Arrays.fill(x, 0.0);
            for (int t = 0; t < count; t++) {
                double v = values[t];
                int xo = rows[t] * m;
                int bo = cols[t] * m; // row cols[t] of Bᵀ
                for (int k = 0; k < m; k++) {
                    x[xo + k] += v * bt[bo + k];
                }
            }
            DenseBlas.gemm(n, m, n, 1.0, a, x, 0.0, out);
        }
    }

    /**
     * {@code out = (D ∘ D) w} for a row-major {@code n × n} matrix {@code D}: the marginal term of the square-loss
     * GW cost (METHOD.md §3). Rows in parallel on {@code threads} workers.
     */
    public static void squaredTimes(double[] d, int n, double[] w, double[] out, int threads) {
        if (d.length < (long) n * n || w.length < n || out.length < n) {
            throw new IllegalArgumentException("squaredTimes: D must hold " + n + "x" + n + " entries and w, out " + n
                    + ", got " + d.length + ", " + w.length + ", " + out.length);
        }
        Parallel.forRange(n, threads, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                double s = 0;
                int off = i * n;
                for (int j = 0; j < n; j++) {
                    double v = d[off + j];
                    s += v * v * w[j];
                }
                out[i] = s;
            }
        });
    }
}
