package org.gwembed.solvers;

import org.gwembed.core.Require;
import org.gwembed.metricspaces.GridStructure;
import org.gwembed.metricspaces.MetricSpace;

/**
 * The Gromov–Wasserstein products of EW_λ's two sides over one embedding space X (METHOD.md §3–§5), as two
 * {@link GromovProduct}s: {@link #left()} with {@code A = D₁}, {@code B = D_X} and plans {@code P₁}
 * ({@code n₁ × N}), so that {@code A P Bᵀ = D₁ P₁ D_X}; {@link #right()} with {@code A = D_X}, {@code B = D₂} and
 * plans {@code P₂} ({@code N × n₂}): {@code D_X P₂ D₂}. They also give {@code (D∘D) w} and {@code wᵀ (D∘D) w} of
 * either factor, the objective's G terms and the linearised costs' marginal terms ({@link GromovLinearisation}).
 *
 * <p><b>How fast, chosen here once.</b> A product runs in two halves. The data side {@code D₁ P₁} (or
 * {@code P₂ D₂}) exploits the plan's numerical sparsity ({@link PlanProducts}: a GEMM over the active grid points,
 * chunked GEMMs or sparse row updates, by a cost model). The space side, the product with D_X, is the structured one
 * its {@link MetricSpace} hints allow ({@link DistanceProducts}: Fourier ring products, FFT, or dense), or, when few
 * grid points carry mass, a GEMM with the dense D_X restricted to those points ({@link Tuning#restrictedFraction}).
 * In {@link Precision#SINGLE} the data matrices and D_X get float copies and the products' operands are floats; the
 * outputs and everything derived from them stay double. The work blocks of the products are kept from one outer
 * iteration to the next. Not for concurrent use.
 */
public final class EmbeddingProducts {

    /**
     * What chooses the implementations.
     *
     * @param products  {@link DistanceProducts.Choice#AUTO} (from the space's hints) or {@code DENSE} (always the
     *                  dense D_X; other choices are for the Gibbs kernel and are treated as AUTO here)
     * @param precision the products' operands' format
     * @param threads   worker threads
     */
    public record Hints(DistanceProducts.Choice products, Precision precision, int threads) {
        public Hints {
            Require.nonNull(products, "products");
            Require.nonNull(precision, "precision");
            Require.atLeast(threads, 1, "threads");
        }

        private DistanceProducts.Choice spaceChoice() {
            return products == DistanceProducts.Choice.DENSE ? DistanceProducts.Choice.DENSE
                    : DistanceProducts.Choice.AUTO;
        }

        /** Whether a dense copy of D_X is kept for the GEMMs restricted to the grid points carrying mass. */
        private boolean restrictedProducts(MetricSpace x) {
            return DenseBlas.isNative() && x.size() <= Tuning.DENSE_ACTIVE_MAX
                    && (products == DistanceProducts.Choice.AUTO || products == DistanceProducts.Choice.DENSE);
        }
    }

    private final int big;
    private final int threads;
    private final DistanceProduct dx;        // P · D_X
    private final DistanceProduct dx2;       // P · D_X²
    private final SymmetricOperand dxDense;  // D_X for the restricted GEMMs, or null
    private final double restrictedLimit;    // largest active count for which the restricted GEMM is used
    private final int[] locality;            // PlanChunks.localityRank(x)
    private final Side left;
    private final Side right;
    private Real compactWork; // the block of the last product on active grid points, re-used by the next

    private EmbeddingProducts(MetricSpace x, double[] d1, int n1, double[] d2, int n2, Hints hints) {
        this.big = x.size();
        this.threads = hints.threads();
        Precision precision = hints.precision();
        DistanceProducts.Choice first = DistanceProducts.resolve(x, 1, hints.spaceChoice());
        this.dx = DistanceProducts.of(x, 1, first, threads, precision);
        this.dx2 = DistanceProducts.of(x, 2, hints.spaceChoice(), threads);
        this.dxDense = hints.restrictedProducts(x)
                ? new SymmetricOperand(x.distanceMatrix().data, big, precision) : null;
        if (first == DistanceProducts.Choice.DENSE) {
            restrictedLimit = Double.POSITIVE_INFINITY; // a GEMM over fewer points always beats the full one
        } else {
            // single-precision GEMMs run twice as fast; so do the Fourier products on rings, but where those stay in
            // double precision (points off the rings) the GEMM pays longer
            double gain = precision == Precision.SINGLE && dx.precision() == Precision.DOUBLE
                    ? Tuning.SINGLE_GEMM_GAIN : 1.0;
            restrictedLimit = Tuning.restrictedFraction(big) * gain * big;
        }
        this.locality = PlanChunks.localityRank(x);
        this.left = new Side(new SymmetricOperand(d1, n1, precision), true);
        this.right = new Side(new SymmetricOperand(d2, n2, precision), false);
    }

    /**
     * The products for data distances {@code d1} ({@code n1 × n1}) and {@code d2} ({@code n2 × n2}), row-major,
     * symmetric (used as they are, not copied), over the space {@code x}.
     */
    public static EmbeddingProducts of(MetricSpace x, double[] d1, int n1, double[] d2, int n2, Hints hints) {
        Require.nonNull(x, "x");
        Require.nonNull(d1, "d1");
        Require.nonNull(d2, "d2");
        Require.nonNull(hints, "hints");
        return new EmbeddingProducts(x, d1, n1, d2, n2, hints);
    }

    /**
     * Bytes that {@link #of} and its products keep, roughly: the data matrices and their float copies, the dense
     * D_X and D_X² where X has no structure to use, the copies of D_X for the restricted GEMMs, and the products'
     * work blocks (a full {@code D·P}, the chunked products' block and the compact block, per side).
     */
    public static long bytes(MetricSpace x, int n1, int n2, Hints hints) {
        long big = x.size();
        Precision p = hints.precision();
        long total = 8L * n1 * n1 + 8L * n2 * n2 + SymmetricOperand.bytes(n1, x.size(), p)
                + SymmetricOperand.bytes(n2, x.size(), p);
        boolean structured = x.hint(GridStructure.class).isPresent()
                && hints.products() != DistanceProducts.Choice.DENSE;
        if (!structured) {
            total += 16L * big * big; // dense D_X and D_X²
        }
        long work = (long) p.bytes() * (n1 + n2) * big; // the full D·P of each side
        if (hints.restrictedProducts(x)) {
            // D_X (a double copy, its working copy, the gathered rows) and the compact blocks
            total += 8L * big * big + SymmetricOperand.bytes((int) big, 0, p) + (long) p.bytes() * big * big;
            work += (long) p.bytes() * Math.max(n1, n2) * big;
        }
        return total + work;
    }

    /** {@code A = D₁}, {@code B = D_X}: {@code multiply} gives {@code D₁ P₁ D_X} for data-major plans {@code n₁ × N}. */
    public GromovProduct left() {
        return left;
    }

    /** {@code A = D_X}, {@code B = D₂}: {@code multiply} gives {@code D_X P₂ D₂} for grid-major plans {@code N × n₂}. */
    public GromovProduct right() {
        return right;
    }

    /** The distance products in use, for diagnostics: {@code "products: <D_X>, <D_X²>"}. */
    public String kind() {
        return "products: " + dx.kind() + ", " + dx2.kind();
    }

    /** Whether the product with D_X for {@code active} grid points carrying mass runs as the restricted GEMM. */
    private boolean restricted(int active) {
        return dxDense != null && active < big && active <= restrictedLimit;
    }

    /** {@code (D_X∘D_X) w} into {@code out}. */
    private void squaredSpace(double[] w, double[] out) {
        dx2.multiplyRight(w, 1, out);
    }

    /** {@code wᵀ (D_X∘D_X) w}. */
    private double squaredFormSpace(double[] w) {
        double[] t = new double[big];
        squaredSpace(w, t);
        return GromovCost.dot(t, w);
    }

    /**
     * {@code out = Q · D} for symmetric {@code D} ({@code N × N}) and {@code Q} ({@code rows × N}) given by its active
     * columns ({@link PlanProducts#multiplyOnActive}): one GEMM over those columns and the same rows of D.
     */
    static void compactTimesSymmetric(PlanProducts.Compact q, int rows, SymmetricOperand d, double[] out) {
        int[] map = q.grid();
        d.gemmInto(false, false, rows, d.n, map.length, q.values(), d.rows(map), out);
    }

    /**
     * {@code out = D · Q} for symmetric {@code D} ({@code N × N}) and {@code Q} ({@code N × cols}) given by its active
     * rows: {@code D(·, A) = D(A, ·)ᵀ}, one GEMM over those rows.
     */
    static void symmetricTimesCompact(SymmetricOperand d, PlanProducts.Compact q, int cols, double[] out) {
        int[] map = q.grid();
        d.gemmInto(true, false, d.n, cols, map.length, d.rows(map), q.values(), out);
    }

    /** One side: the data matrix on the left ({@code D₁ P₁ D_X}) or on the right ({@code D_X P₂ D₂}). */
    private final class Side implements GromovProduct {
        private final SymmetricOperand data;
        private final boolean dataLeft;
        private final int n;
        private Real full; // D·P over every grid point (for a structured product with D_X), allocated when needed

        Side(SymmetricOperand data, boolean dataLeft) {
            this.data = data;
            this.dataLeft = dataLeft;
            this.n = data.n;
        }

        @Override
        public int leftSize() {
            return dataLeft ? n : big;
        }

        @Override
        public int rightSize() {
            return dataLeft ? big : n;
        }

        @Override
        public void squaredLeft(double[] p, double[] out) {
            if (dataLeft) {
                GromovCost.squaredTimes(data.d, n, p, out, threads);
            } else {
                squaredSpace(p, out);
            }
        }

        @Override
        public void squaredRight(double[] q, double[] out) {
            if (dataLeft) {
                squaredSpace(q, out);
            } else {
                GromovCost.squaredTimes(data.d, n, q, out, threads);
            }
        }

        @Override
        public double squaredFormLeft(double[] p) {
            return dataLeft ? data.squaredForm(p, threads) : squaredFormSpace(p);
        }

        @Override
        public double squaredFormRight(double[] q) {
            return dataLeft ? squaredFormSpace(q) : data.squaredForm(q, threads);
        }

        @Override
        public void multiply(double[] plan, double[] out) {
            multiply(plan, Double.NaN, out);
        }

        /**
         * The data-side product first, where the plan's numerical sparsity pays, then the product with D_X:
         * structured, or a GEMM over the grid points that carry mass when that is cheaper.
         */
        @Override
        public void multiply(double[] plan, double largest, double[] out) {
            PlanSupport support = new PlanSupport(plan, n, big, dataLeft, threads, largest);
            if (restricted(support.activeCount)) {
                PlanProducts.Compact q = PlanProducts.multiplyOnActive(data, support, locality, null, threads,
                        compactWork);
                compactWork = q.values(); // consumed by the next line, then free for the next product
                if (dataLeft) {
                    compactTimesSymmetric(q, n, dxDense, out);
                } else {
                    symmetricTimesCompact(dxDense, q, n, out);
                }
            } else {
                if (full == null) {
                    full = Real.zeros(data.precision(), n * big);
                }
                PlanProducts.multiply(data, support, full, locality, null, threads);
                if (dataLeft) {
                    dx.multiplyRight(full, n, out);
                } else {
                    dx.multiplyLeft(full, n, out);
                }
            }
        }

        /** {@code (A u)(B v)ᵀ}: one product of the data matrix and one of D_X with a vector. */
        @Override
        public void multiplyRankOne(double[] u, double[] v, double[] out) {
            int rows = leftSize();
            int cols = rightSize();
            GromovCost.requireRankOne(u, v, rows, cols);
            double[] au = new double[rows];
            double[] bv = new double[cols];
            if (dataLeft) {
                DenseBlas.gemv(false, n, n, data.d, u, au);
                dx.multiplyRight(v, 1, bv); // vᵀ D_X = (D_X v)ᵀ, D_X symmetric
            } else {
                dx.multiplyRight(u, 1, au);
                DenseBlas.gemv(false, n, n, data.d, v, bv);
            }
            GromovCost.outer(au, bv, out);
        }

        @Override
        public String kind() {
            return EmbeddingProducts.this.kind();
        }
    }
}
