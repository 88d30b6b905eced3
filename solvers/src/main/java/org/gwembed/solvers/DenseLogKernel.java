package org.gwembed.solvers;

import java.util.ArrayDeque;
import java.util.Arrays;

import org.gwembed.core.Parallel;
import org.gwembed.core.Require;

/**
 * A {@link LogKernel} for a dense cost matrix, stabilised by lazy absorption (in the spirit of Schmitzer 2019):
 * for each direction it keeps a reference input {@code W}, the exact log output {@code B} for it, and the
 * normalised kernel {@code K̃_ij = exp(−C_ij/ε + W_j − B_i)} (every row sums to 1, so nothing over- or
 * underflows that matters). An application with input {@code w} then costs one BLAS matrix–vector product:
 * <pre>
 *   out_i = B_i + log Σ_j K̃_ij exp(w_j − W_j),
 * </pre>
 * valid while {@code |w − W| <= }{@link #DRIFT_LIMIT}; beyond that, or when ε changes, the reference is moved to
 * {@code w} and {@code K̃} recomputed ({@code rows · cols} exponentials, in parallel). Near a Sinkhorn fixed point
 * inputs drift slowly, so most applications are plain products: the speed of the scaling domain with the range
 * of the log domain.
 *
 * <p>The two directions are the same matrix up to diagonal scalings, so a direction without a kernel of its own
 * is first applied through the other's (exact while its sums stay far from underflow, checked on every call),
 * and plans are formed from the cached kernel by two products per entry: in a Sinkhorn loop one set of
 * exponentials per refresh serves both directions and the plan.
 *
 * <p>In {@link Precision#SINGLE} the normalised kernels are stored as floats and applied by single-precision BLAS:
 * half the memory and traffic of the inner loop. The exponentials, sums and logarithms stay in double precision; the
 * reuse, derived-direction and plan limits are tightened so that entries lost below the smallest normal float
 * ({@code Float.MIN_NORMAL}, to which smaller entries are flushed to avoid slow subnormal arithmetic) stay
 * negligible: see {@link #SINGLE_DRIFT_LIMIT}.
 *
 * <p>Memory: the cost plus one normalised kernel per direction used, {@code 3 · rows · cols} doubles at most
 * ({@code 2 · rows · cols} in single precision).
 */
public final class DenseLogKernel implements LogKernel {

    /**
     * Largest {@code |w_j − W_j|} for which the cached kernel is reused. The factors {@code exp(w − W)} then lie
     * in [e^−100, e^100] ≈ [4e-44, 3e43], and so does each output, a convex combination of them (every row of
     * {@code K̃} sums to 1): far from overflow and underflow, so every application keeps the relative accuracy of
     * a sum of positive terms.
     * Was 30; on SNAREseq (1047 cells, 20 × 20 grid, ε 1e-3) the potentials drifted past it once per inner solve,
     * a third refresh of the kernel (~10 ms of ~120 per outer iteration).
     */
    public static final double DRIFT_LIMIT = 100.0;

    /**
     * {@link #DRIFT_LIMIT} for single-precision kernels. Kernel entries below {@code Float.MIN_NORMAL} ≈ 1.2e-38
     * are stored as 0; with factors in [e^−25, e^25] the mass so lost in one output is below
     * {@code cols · 1.2e-38 · e^25} against an output of at least {@code e^−25}, ~1e-11 relative at 10⁵ columns,
     * while floats stay far from overflow.
     */
    public static final double SINGLE_DRIFT_LIMIT = 25.0;

    /**
     * In single precision the smallest accepted derived sum is this times the number of terms: each term loses at
     * most ~3 · {@code Float.MIN_NORMAL} (a kernel entry or input flushed to 0, or a product underflowing), so
     * the loss stays below 1e-7 of the sum, the precision of the float sum itself.
     */
    static final double SINGLE_DERIVED_FLOOR_PER_TERM = 3 * Float.MIN_NORMAL * 1e7;

    /**
     * Largest product of the row and column plan factors for which a single-precision cached kernel forms the
     * plan: a kernel entry flushed to 0 then stands for a plan entry below {@code 1.2e-38 · 1e13 ≈ 1e-25}.
     */
    static final double SINGLE_PLAN_FACTOR_LIMIT = 1e13;

    /**
     * log of {@code Float.MIN_NORMAL}: a normalised single-precision kernel entry {@code exp(x) / s} with
     * {@code s >= 1} is stored as 0 when {@code x} is below this, so its exponential is not computed. In the
     * kernels of EW_λ at small ε most entries are that small.
     */
    static final double FLOAT_UNDERFLOW = Math.log(Float.MIN_NORMAL);

    /**
     * Exponent below which a double-precision kernel entry (relative to its row's or column's largest, 1) is stored
     * as 0, instead of {@link LogOps#EXP_UNDERFLOW}: below e^−590 ≈ 2e-257 an entry times an input factor
     * ({@code exp(w − W)} ≥ e^−{@value #DRIFT_LIMIT}) could be subnormal, and arithmetic on subnormal numbers runs
     * 20–40 times slower on x86 (a 2000 × 900 matrix–vector product with a fifth of its entries subnormal: 4.4 ms
     * against 0.23). The entries so dropped weigh at most {@code cols · e^(−590 + 2 · 100)} ≈ 1e-166 · cols of an
     * output, far below its rounding.
     */
    static final double DOUBLE_KERNEL_FLOOR = -590.0;

    /**
     * Plan entries below this are stored as 0 ({@link #plan}, {@link #replacePlan}): a subnormal entry makes every
     * later product with the plan slow (a 2000 × 2000 by 900 GEMM with 5 % of the plan's entries subnormal ran at
     * 4.9 GFLOPS against 178), and mass below 1e-290 changes no marginal, cost or product that the solvers use
     * (all of them sums far above it).
     */
    static final double PLAN_FLOOR = 1e-290;

    /** log of {@link #PLAN_FLOOR}: exponents below it give plan entries stored as 0 without an exponential. */
    static final double PLAN_FLOOR_EXPONENT = Math.log(PLAN_FLOOR);

    /** Smallest sum accepted when one direction is applied through the other's kernel (see throughOther). */
    static final double DERIVED_FLOOR = 1e-280;

    /** Largest scaling exponent for which a plan is formed from the cached kernel (see planFromCache). */
    static final double PLAN_SCALING_LIMIT = 200.0;

    private final int n;
    private final int m;
    private final double[] c;
    private final int threads;
    private final Precision precision;
    private final Limits limits;
    private final Cache forward = new Cache();   // apply: rows out, cols in
    private final Cache backward = new Cache();  // applyTranspose: cols out, rows in
    private long refreshes;
    private long cachedPlans;
    // normalised-kernel storage taken over from a kernel its owner no longer uses (see adopt), used by allocate
    private final ArrayDeque<Real> spare = new ArrayDeque<>();

    /**
     * The limits that keep the cached kernels accurate, chosen once for the kernels' precision: the reuse drift, the
     * smallest accepted sum of a derived direction ({@code floorPerTerm} times the number of terms, at least
     * {@code floor}), the exponent below which a kernel entry is stored as 0, and the largest product of plan
     * factors for which the cache forms a plan.
     */
    private record Limits(double drift, double floor, double floorPerTerm, double underflow, double planFactor) {
        static final Limits DOUBLE = new Limits(DRIFT_LIMIT, DERIVED_FLOOR, 0, DOUBLE_KERNEL_FLOOR,
                Double.POSITIVE_INFINITY);
        static final Limits SINGLE = new Limits(SINGLE_DRIFT_LIMIT, 0, SINGLE_DERIVED_FLOOR_PER_TERM, FLOAT_UNDERFLOW,
                SINGLE_PLAN_FACTOR_LIMIT);

        static Limits of(Precision precision) {
            return precision == Precision.SINGLE ? SINGLE : DOUBLE;
        }

        double derivedFloor(int terms) {
            return Math.max(floor, floorPerTerm * terms);
        }
    }

    private static final class Cache {
        double eps = Double.NaN;
        double[] reference; // W: input at the last refresh
        double[] base;      // B: subtracted in K̃ (row refresh: the log output at the reference; columns: their max)
        double[] first;     // the exact log output at the reference (the same array as base after a row refresh)
        Real kernel;        // K̃, rows x cols row-major in both directions, in the kernel's precision
        double[] x;         // scratch: exp(w - W)
        double[] y;         // scratch: product
        double[] derivedX;  // scratch when this direction is applied through the other's kernel
        double[] derivedY;
        Real xWork;         // the products' passage in single precision (null in double, see Real.gemv)
        Real yWork;
        Real derivedXWork;
        Real derivedYWork;

        boolean ready(double eps) {
            return present() && this.eps == eps;
        }

        /** Forgets the kernel: the next use builds one. */
        void clear() {
            kernel = null;
            eps = Double.NaN;
        }

        boolean present() {
            return kernel != null;
        }
    }

    /**
     * A kernel over the row-major cost {@code cost} ({@code rows × cols}, finite entries), which is copied.
     *
     * @param threads worker threads for the exponentials (BLAS uses its own)
     */
    public DenseLogKernel(double[] cost, int rows, int cols, int threads) {
        this(rows, cols, checked(cost, rows, cols).clone(), threads, Precision.DOUBLE);
    }

    /**
     * As {@link #DenseLogKernel(double[], int, int, int)}, with the normalised kernels stored in the given
     * precision.
     */
    public DenseLogKernel(double[] cost, int rows, int cols, int threads, Precision precision) {
        this(rows, cols, checked(cost, rows, cols).clone(), threads, precision);
    }

    /** Over a validated cost array, which is used as is. */
    private DenseLogKernel(int rows, int cols, double[] cost, int threads, Precision precision) {
        this.n = rows;
        this.m = cols;
        this.c = cost;
        this.threads = Require.atLeast(threads, 1, "threads");
        this.precision = Require.nonNull(precision, "precision");
        this.limits = Limits.of(precision);
    }

    /**
     * A kernel over {@code cost} without copying it: for callers that build a fresh cost matrix per solve (the
     * EW_λ outer loop builds two of {@code n × N} doubles per iteration) and hand it over. The caller must not
     * change the array afterwards. Validated as in the constructor.
     */
    public static DenseLogKernel adopt(double[] cost, int rows, int cols, int threads) {
        return adopt(cost, rows, cols, threads, Precision.DOUBLE);
    }

    /** As {@link #adopt(double[], int, int, int)}, with the normalised kernels stored in the given precision. */
    public static DenseLogKernel adopt(double[] cost, int rows, int cols, int threads, Precision precision) {
        return adopt(cost, rows, cols, threads, precision, null);
    }

    /**
     * As {@link #adopt(double[], int, int, int, Precision)}, taking over the normalised kernels' storage of
     * {@code recycled} (null: none), a kernel that its owner will not use again; what does not fit (another shape
     * or precision) is left alone. {@link KernelWorkspace} hands them over from one outer iteration to the next.
     * Every refresh overwrites the whole array, so nothing of the old kernel survives. {@code recycled} then has no
     * kernels: used again, it would build new ones.
     */
    static DenseLogKernel adopt(double[] cost, int rows, int cols, int threads, Precision precision,
            DenseLogKernel recycled) {
        DenseLogKernel k = new DenseLogKernel(rows, cols, checked(cost, rows, cols), threads, precision);
        if (recycled != null) {
            for (Cache cache : new Cache[] {recycled.forward, recycled.backward}) {
                if (cache.kernel != null && cache.kernel.length() == rows * cols
                        && cache.kernel.precision() == precision) {
                    k.spare.add(cache.kernel);
                }
                cache.clear();
            }
        }
        return k;
    }

    private static double[] checked(double[] cost, int rows, int cols) {
        Require.atLeast(rows, 1, "rows");
        Require.atLeast(cols, 1, "cols");
        Require.nonNull(cost, "cost");
        if (cost.length != (long) rows * cols) {
            throw new IllegalArgumentException("cost has " + cost.length + " entries, expected " + rows + "x" + cols);
        }
        for (int k = 0; k < cost.length; k++) {
            if (!Double.isFinite(cost[k])) {
                throw new IllegalArgumentException("cost[" + (k / cols) + "," + (k % cols) + "] must be finite, got "
                        + cost[k]);
            }
        }
        return cost;
    }

    /** As {@link #DenseLogKernel(double[], int, int, int)} with the default thread count. */
    public DenseLogKernel(double[] cost, int rows, int cols) {
        this(cost, rows, cols, Parallel.defaultThreads());
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public int cols() {
        return m;
    }

    @Override
    public double cost(int i, int j) {
        return c[i * m + j];
    }

    /** How many plans were formed from a cached kernel rather than from exponentials (diagnostics, tests). */
    long cachedPlans() {
        return cachedPlans;
    }

    /** How many times a normalised kernel was recomputed (diagnostics). */
    public long refreshes() {
        return refreshes;
    }

    @Override
    public String kind() {
        return precision == Precision.SINGLE ? "dense (single precision)" : "dense";
    }

    /** The precision of the normalised kernels. */
    public Precision precision() {
        return precision;
    }

    @Override
    public void apply(double epsilon, double[] in, double[] out) {
        check(in, m, out, n);
        if (reuse(forward, epsilon, in)) {
            product(forward, false, forward.x, forward.y, forward.xWork, forward.yWork);
            if (finish(forward, out)) {
                return;
            }
        } else if (!forward.present() && throughOther(forward, backward, false, epsilon, in, out)) {
            return;
        }
        refreshRows(epsilon, in);
        System.arraycopy(forward.first, 0, out, 0, n);
    }

    @Override
    public void applyTranspose(double epsilon, double[] in, double[] out) {
        check(in, n, out, m);
        if (reuse(backward, epsilon, in)) {
            product(backward, true, backward.x, backward.y, backward.xWork, backward.yWork);
            if (finish(backward, out)) {
                return;
            }
        } else if (!backward.present() && throughOther(backward, forward, true, epsilon, in, out)) {
            return;
        }
        refreshColumns(epsilon, in);
        System.arraycopy(backward.first, 0, out, 0, m);
    }

    /**
     * In double precision the kernel cached for {@link #apply}, built for {@code w} unless the cached one serves
     * (same ε, {@code w} within the drift limit of its reference): its rows are normalised, {@code base} is the log
     * output at the reference. Null in single precision (the log domain then).
     */
    @Override
    public Scaling scaling(double epsilon, double[] w) {
        if (precision == Precision.SINGLE) {
            return null; // float kernels lose the small sums that scaling iterations would divide by
        }
        if (w.length != m) {
            throw new IllegalArgumentException("kernel input has " + w.length + " entries (expected " + m + ")");
        }
        if (!reuse(forward, epsilon, w)) {
            refreshRows(epsilon, w);
        }
        Real k = forward.kernel;
        return new Scaling(forward.reference, forward.base, (transposed, x, y) -> k.gemv(transposed, n, m, x, y, null,
                null));
    }

    /**
     * Builds the kernel of {@link #applyTranspose} now, for the row input {@code w} (log domain), so that
     * {@link #apply} goes through it ({@code throughOther}) instead of building one of its own. Worth it where the
     * rows always carry mass but some columns may not: in single precision the sums of a massless column,
     * derived through the row-normalised kernel, fall below the smallest float and that direction needs a kernel
     * of its own anyway, while the rows' sums derived through the column kernel (each column scaled to largest
     * entry 1) stay well scaled. On EW_λ's K₁₂ (data points × grid) that saves one of the three kernel refreshes of
     * every outer iteration.
     * {@code w} should be close to the inputs {@link #applyTranspose} will get (the last solve's potentials):
     * the kernel is reused while they stay within the drift limit of it, and rebuilt otherwise.
     *
     * @param w one finite or −∞ entry per row
     */
    public void prepareTranspose(double epsilon, double[] w) {
        prepareTranspose(epsilon, w, null);
    }

    /**
     * As {@link #prepareTranspose(double, double[])}, given each column's largest exponent
     * {@code columnMax[j] = max_i (w_i − C_ij · (1/ε))}, evaluated in that order (a caller writing the cost can
     * take them in the same pass): the kernel is then built in one pass over the cost instead of two. They are
     * checked against the kernel's own evaluation; on any mismatch the maxima are recomputed.
     *
     * @param columnMax one entry per column, or null to compute them here
     */
    public void prepareTranspose(double epsilon, double[] w, double[] columnMax) {
        Require.positive(epsilon, "epsilon");
        Require.nonNull(w, "w");
        if (w.length != n) {
            throw new IllegalArgumentException("row input has " + w.length + " entries (expected " + n + ")");
        }
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(w[i]) || w[i] == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("w[" + i + "] must be finite or -Infinity, got " + w[i]);
            }
        }
        if (columnMax != null && columnMax.length != m) {
            throw new IllegalArgumentException("columnMax has " + columnMax.length + " entries (expected " + m
                    + ")");
        }
        if (columnMax == null || !refreshColumns(epsilon, w, columnMax)) {
            refreshColumns(epsilon, w, null);
        }
    }

    /**
     * y = K̃ x (or K̃ᵀ x) with the kernel cached in {@code k}; in single precision through the float vectors
     * {@code xWork}, {@code yWork} (inputs below {@code Float.MIN_NORMAL} flushed to 0).
     */
    private void product(Cache k, boolean transposed, double[] x, double[] y, Real xWork, Real yWork) {
        k.kernel.gemv(transposed, n, m, x, y, xWork, yWork);
    }

    /**
     * Applies the kernel in one direction through the normalised kernel cached for the other, which is the same
     * matrix up to diagonal scalings: with {@code K̃_ij = exp(−C_ij/ε + W_j − B_i)} cached for {@link #apply},
     * <pre>
     *   log Σ_i exp(−C_ij/ε + v_i) = −W_j + s + log Σ_i K̃_ij exp(v_i + B_i − s),   s = max_i (v_i + B_i),
     * </pre>
     * one matrix–vector product instead of {@code rows · cols} exponentials for a kernel of its own. Near a
     * Sinkhorn fixed point {@code v_i + B_i} is about the log of the row's marginal, so the sum is well scaled.
     * The result is accepted only when every output sum is at least {@link #DERIVED_FLOOR}: terms lost to
     * underflow (in {@code K̃} or in the exponentials) are then below 1e-30 of the sum (in single precision
     * {@link #SINGLE_DERIVED_FLOOR_PER_TERM} per term: below 1e-7). Otherwise (a column
     * holding no mass at the cached reference) it returns false and the caller builds the direction's own kernel.
     *
     * @param own        the cache of the direction applied (only its scratch is used)
     * @param transposed true to apply {@code Kᵀ} through the forward cache, false to apply {@code K} through the
     *                   backward cache
     */
    private boolean throughOther(Cache own, Cache other, boolean transposed, double eps, double[] in,
            double[] out) {
        if (!other.ready(eps)) {
            return false;
        }
        double[] base = other.base;
        double shift = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < in.length; i++) {
            shift = Math.max(shift, in[i] + base[i]);
        }
        if (!(shift > Double.NEGATIVE_INFINITY && shift < Double.POSITIVE_INFINITY)) {
            return false;
        }
        if (own.derivedX == null) {
            own.derivedX = new double[in.length];
            own.derivedY = new double[out.length];
            own.derivedXWork = other.kernel.vectorWork(in.length);
            own.derivedYWork = other.kernel.vectorWork(out.length);
        }
        double[] x = own.derivedX;
        for (int i = 0; i < in.length; i++) {
            double t = in[i] + base[i] - shift; // NaN only for +∞ − ∞, excluded by the finite shift
            x[i] = t < LogOps.EXP_UNDERFLOW ? 0.0 : Math.exp(t);
        }
        double[] y = own.derivedY;
        product(other, transposed, x, y, own.derivedXWork, own.derivedYWork);
        double[] ref = other.reference;
        double floor = limits.derivedFloor(in.length);
        for (int j = 0; j < out.length; j++) {
            if (!(y[j] >= floor && y[j] < Double.POSITIVE_INFINITY) || ref[j] == Double.NEGATIVE_INFINITY) {
                return false;
            }
        }
        for (int j = 0; j < out.length; j++) {
            out[j] = shift - ref[j] + Math.log(y[j]);
        }
        return true;
    }

    private static void check(double[] in, int inLength, double[] out, int outLength) {
        if (in.length != inLength || out.length != outLength) {
            throw new IllegalArgumentException("kernel input has " + in.length + " entries (expected " + inLength
                    + "), output " + out.length + " (expected " + outLength + ")");
        }
    }

    /** Fills cache.x with exp(w − W) when the cached kernel can be reused; false when a refresh is needed. */
    private boolean reuse(Cache cache, double eps, double[] w) {
        if (!cache.ready(eps)) {
            return false;
        }
        double limit = limits.drift();
        double[] ref = cache.reference;
        double[] x = cache.x;
        for (int j = 0; j < w.length; j++) {
            double wj = w[j];
            double rj = ref[j];
            if (wj == Double.NEGATIVE_INFINITY) {
                x[j] = 0;
            } else {
                double d = wj - rj; // +∞ when the reference was −∞: refresh
                if (!(Math.abs(d) <= limit)) {
                    return false;
                }
                x[j] = Math.exp(d);
            }
        }
        return true;
    }

    /** out = B + log y; false when some output lost all its mass and needs a refresh. */
    private static boolean finish(Cache cache, double[] out) {
        double[] y = cache.y;
        double[] b = cache.base;
        for (int i = 0; i < out.length; i++) {
            double yi = y[i];
            if (b[i] == Double.NEGATIVE_INFINITY) {
                out[i] = Double.NEGATIVE_INFINITY;
            } else if (yi > 0 && yi < Double.POSITIVE_INFINITY) {
                out[i] = b[i] + Math.log(yi);
            } else {
                return false;
            }
        }
        return true;
    }

    private void allocate(Cache cache, int inLength, int outLength) {
        if (!cache.present()) {
            cache.kernel = spare.isEmpty() ? Real.zeros(precision, n * m) : spare.poll();
            cache.xWork = cache.kernel.vectorWork(inLength);
            cache.yWork = cache.kernel.vectorWork(outLength);
            cache.reference = new double[inLength];
            cache.base = new double[outLength];
            cache.first = cache.base;
            cache.x = new double[inLength];
            cache.y = new double[outLength];
        }
    }

    /** K̃_ij = exp(−C_ij/ε + W_j − B_i), B_i = log Σ_j exp(−C_ij/ε + W_j). */
    private void refreshRows(double eps, double[] w) {
        refreshes++;
        Cache cache = forward;
        allocate(cache, m, n);
        cache.eps = eps;
        System.arraycopy(w, 0, cache.reference, 0, m);
        Real k = cache.kernel;
        double[] base = cache.base;
        double inv = 1.0 / eps;
        double underflow = limits.underflow();
        Parallel.forRange(n, threads, m, (from, to) -> {
            double[] row = new double[m]; // one row at a time, in cache, then stored normalised
            for (int i = from; i < to; i++) {
                int off = i * m;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    double t = w[j] - c[off + j] * inv;
                    row[j] = t;
                    if (t > max) {
                        max = t;
                    }
                }
                if (max == Double.NEGATIVE_INFINITY) {
                    Arrays.fill(row, 0.0);
                    k.putScaled(off, row, 1.0);
                    base[i] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                double s = 0;
                for (int j = 0; j < m; j++) {
                    double x = row[j] - max;
                    double e = x < underflow ? 0.0 : Math.exp(x);
                    row[j] = e;
                    s += e;
                }
                k.putScaled(off, row, 1.0 / s);
                base[i] = max + Math.log(s);
            }
        });
    }

    /**
     * K̃_ij = exp(−C_ij/ε + W_i − B_j) with B_j = max_i (−C_ij/ε + W_i), stored rows x cols, and the log outputs at
     * the reference, B_j + log Σ_i K̃_ij. Unlike the rows' kernel it is not normalised: every column's largest entry
     * is 1 and its sum in [1, rows], so the limits derived for normalised kernels hold with the same margins (an
     * output is still at least its largest term times e^−drift), and a third pass over the kernel is saved.
     * Two passes over the cost: the column maxima, then the exponentials.
     */
    private void refreshColumns(double eps, double[] w) {
        refreshColumns(eps, w, null);
    }

    /**
     * The column refresh, with the column maxima given ({@code known}, one pass) or computed (null, two passes).
     * With given maxima, returns false (kernel not valid) when some column's largest exponent differs from its
     * given maximum.
     */
    private boolean refreshColumns(double eps, double[] w, double[] known) {
        refreshes++;
        Cache cache = backward;
        allocate(cache, n, m);
        if (cache.first == cache.base) {
            cache.first = new double[m];
        }
        cache.eps = eps;
        System.arraycopy(w, 0, cache.reference, 0, n);
        Real k = cache.kernel;
        double[] base = cache.base;
        double[] first = cache.first;
        double inv = 1.0 / eps;
        double underflow = limits.underflow();
        boolean[] mismatch = new boolean[1];
        Parallel.forRange(m, threads, n, (from, to) -> {
            int width = to - from;
            double[] max = new double[width];
            double[] sum = new double[width];
            double[] seen = known == null ? null : new double[width];
            if (known != null) {
                System.arraycopy(known, from, max, 0, width);
                Arrays.fill(seen, Double.NEGATIVE_INFINITY);
            } else {
                Arrays.fill(max, Double.NEGATIVE_INFINITY);
                for (int i = 0; i < n; i++) {
                    int off = i * m;
                    double wi = w[i];
                    for (int j = from; j < to; j++) {
                        double t = wi - c[off + j] * inv;
                        if (t > max[j - from]) {
                            max[j - from] = t;
                        }
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                int off = i * m;
                double wi = w[i];
                for (int j = from; j < to; j++) {
                    double mj = max[j - from];
                    double t = wi - c[off + j] * inv;
                    if (seen != null && t > seen[j - from]) {
                        seen[j - from] = t;
                    }
                    double x = t - mj;
                    // in [0, 1]; below the underflow limit (and for an all −∞ column) exactly the 0 stored
                    double e = (mj == Double.NEGATIVE_INFINITY || x < underflow) ? 0 : Math.exp(x);
                    k.putNonNegative(off + j, e);
                    sum[j - from] += e;
                }
            }
            for (int j = from; j < to; j++) {
                double mj = max[j - from];
                if (seen != null && Double.compare(seen[j - from], mj) != 0) {
                    mismatch[0] = true; // benign race: only ever set to true
                }
                base[j] = mj;
                first[j] = mj == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : mj + Math.log(sum[j - from]);
            }
        });
        if (mismatch[0]) {
            cache.eps = Double.NaN; // not a valid kernel
            return false;
        }
        return true;
    }

    @Override
    public void plan(double epsilon, double[] left, double[] right, double[] p) {
        fillPlan(epsilon, left, right, p, null);
    }

    /** As the interface's, in the same pass as the plan (one pass over the old and new plan instead of three). */
    @Override
    public double[] replacePlan(double epsilon, double[] left, double[] right, double[] plan) {
        double[] change = new double[2];
        fillPlan(epsilon, left, right, plan, change);
        return change;
    }

    /** The plan into p; with {@code change} non-null, also {max |new − old|, max |new|} against p's old entries. */
    private void fillPlan(double epsilon, double[] left, double[] right, double[] p, double[] change) {
        if (p.length < (long) n * m) {
            throw new IllegalArgumentException("plan output has " + p.length + " entries, needs " + n + "x" + m);
        }
        if (planFromCache(epsilon, left, right, p, change)) {
            cachedPlans++;
            return;
        }
        double inv = 1.0 / epsilon;
        Parallel.forRange(n, threads, m, (from, to) -> {
            double diff = 0;
            double max = 0;
            for (int i = from; i < to; i++) {
                int off = i * m;
                double li = left[i];
                for (int j = 0; j < m; j++) {
                    double x = li - c[off + j] * inv + right[j];
                    double v = x < PLAN_FLOOR_EXPONENT ? 0.0 : Math.exp(x);
                    v = v < PLAN_FLOOR ? 0.0 : v;
                    if (change != null) {
                        diff = Math.max(diff, Math.abs(v - p[off + j]));
                        max = Math.max(max, v);
                    }
                    p[off + j] = v;
                }
            }
            merge(change, diff, max);
        });
    }

    /** Folds one range's {max change, max entry} into {@code change} (null: not tracked). */
    private static void merge(double[] change, double diff, double max) {
        if (change != null) {
            synchronized (change) {
                change[0] = Math.max(change[0], diff);
                change[1] = Math.max(change[1], max);
            }
        }
    }

    /**
     * The plan {@code exp(l_i − C_ij/ε + r_j)} from a cached kernel, two products per entry instead of an
     * exponential: {@code K̃_ij · exp(l_i + B_i) · exp(r_j − W_j)} with the forward kernel
     * {@code K̃ = exp(−C/ε + W_j − B_i)}, or {@code K̃_ij · exp(l_i − V_i) · exp(r_j + A_j)} with the backward one
     * {@code K̃ = exp(−C/ε + V_i − A_j)}. Used when no scaling exponent exceeds {@link #PLAN_SCALING_LIMIT}, so
     * nothing overflows and an entry {@code K̃} stores as 0 (below e^{@value #DOUBLE_KERNEL_FLOOR}) is below
     * e^(−590 + 2·200) ≈ 3e-83 in the plan, a plan of mass 1 whose products keep entries above 1e-15 of its largest. Exponents far below are fine: their factors are tiny (or 0 below e^−745, where the exact plan entries
     * are below e^(−745 + 200) as well). They are common: on the rolls at 50 × 50 the grid points without mass
     * have row exponents below −200, which used to send the whole plan to n·N exponentials (~45 ms). In single
     * precision also the product of the largest row and column factors must be at most
     * {@link #SINGLE_PLAN_FACTOR_LIMIT}. False (and {@code p} untouched) otherwise.
     */
    private boolean planFromCache(double eps, double[] left, double[] right, double[] p, double[] change) {
        boolean useForward = forward.ready(eps);
        Cache cache = useForward ? forward : backward;
        if (!cache.ready(eps)) {
            return false;
        }
        double[] rowFactor = new double[n];
        double[] colFactor = new double[m];
        boolean ok = useForward
                ? scalingFactors(left, cache.base, 1, rowFactor) && scalingFactors(right, cache.reference, -1, colFactor)
                : scalingFactors(left, cache.reference, -1, rowFactor) && scalingFactors(right, cache.base, 1, colFactor);
        if (!ok || max(rowFactor) * max(colFactor) > limits.planFactor()) {
            return false;
        }
        Real k = cache.kernel;
        Parallel.forRange(n, threads, m, (from, to) -> {
            double[] local = change == null ? null : new double[2];
            for (int i = from; i < to; i++) {
                k.scaleRowInto(i * m, rowFactor[i], colFactor, p, i * m, local, PLAN_FLOOR);
            }
            if (local != null) {
                merge(change, local[0], local[1]);
            }
        });
        return true;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    /** factor = exp(v + sign · ref), 0 where v = −∞; false when some exponent is above the limit or undefined. */
    private static boolean scalingFactors(double[] v, double[] ref, int sign, double[] factor) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] == Double.NEGATIVE_INFINITY) {
                factor[i] = 0;
                continue;
            }
            double t = v[i] + sign * ref[i];
            if (!(t <= PLAN_SCALING_LIMIT)) {
                return false; // too large, or undefined (+∞ − ∞ cannot occur: v is finite here)
            }
            factor[i] = t < LogOps.EXP_UNDERFLOW ? 0.0 : Math.exp(t);
        }
        return true;
    }
}
