package org.gwembed.embedding;

import java.util.Arrays;

import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.core.Parallel;
import org.gwembed.solvers.DenseBlas;
import org.gwembed.solvers.Precision;
import org.gwembed.solvers.Real;

/**
 * Products of a dense symmetric matrix with a transport plan that is numerically sparse. At small ε the plans
 * P₁, P₂ of EW_λ carry almost all their mass on a few grid points per data point: on the paper's rolls (2000
 * vertices, distances scaled to max 1, 30×30 grid, λ 50, ε 6e-4 relative) 6–7 % of the entries are above 1e-15 of
 * the largest after 40 outer iterations, and 40 % of the grid points hold no such entry at all. Entries below
 * {@link #DROP} times the plan's largest entry change {@code D₁ P₁} by less than {@code n · DROP} relative, far
 * below what any stopping rule resolves.
 *
 * <p>Savings, all exact to that level: grid points whose whole plan column (row for P₂) is below the drop
 * threshold are left out (their output is zero, and {@link Product} reports them so that the following product
 * with D_X can skip them too), and when few entries remain the product runs on the kept entries only, in one of
 * two ways chosen by a cost model ({@link #DENSE_SPEED}):
 * <ul>
 *   <li>chunked GEMMs: the data points are ordered by where their plan rows put their mass
 *       ({@link #localityRank}) and cut into chunks of {@link #CHUNK}; each chunk's rows of {@code D} multiply
 *       its plan block restricted to the union of its supports, one GEMM per chunk. Nearby data points have
 *       nearby supports, so this does 2–3 times the kept entries' work at GEMM speed;</li>
 *   <li>sparse row updates, blocked over the output's columns so that the slab of {@code D} read stays in
 *       cache: for the pure-Java BLAS, and for supports too scattered to chunk.</li>
 * </ul>
 * Both hand-written because no library we use has a sparse × dense product (EJML's sparse matrices multiply
 * sparse by sparse).
 *
 * <p>In {@link Precision#SINGLE} the GEMM paths gather their operands into float arrays and call single-precision
 * BLAS (twice the speed, {@link #SINGLE_GEMM_GAIN}); the output is double either way.
 */
final class SparseProducts {

    /** Relative size below which a plan entry is skipped. */
    static final double DROP = 1e-15;

    /** How a product was computed (diagnostics and tests). */
    enum Path {
        /** One GEMM over the active grid points. */
        DENSE,
        /** Row updates over the kept entries ({@link #blocked}). */
        SPARSE,
        /** GEMMs over chunks of data points with nearby supports ({@link #chunked}). */
        CHUNKED
    }

    /**
     * The outcome of a product: which grid points may be non-zero in the output (the others are exactly zero),
     * how many, and the path taken.
     */
    record Product(boolean[] active, int activeCount, Path path) {
    }

    /**
     * Speeds of the three paths relative to native GEMM at its peak, per multiply–add actually performed (the
     * cost model that picks the path). Measured on 2 cores, 2000 × 2000 distances, with plans of the paper's
     * rolls (30 × 30 and 50 × 50 grids, λ 50, ε 6e-4): GEMM over the active columns runs at ~0.9 of peak; the
     * blocked sparse loop at ~0.12 (at 7 % fill with 57 % of a 30 × 30 grid active it takes 167 ms against 230 ms
     * for that GEMM); the chunked GEMMs at ~0.4, doing 2–3 times the kept entries' work (at iteration 40 on
     * 50 × 50: 350 ms against 670 ms for the sparse loop). With the pure-Java BLAS (~2.5 GFLOPS) the sparse
     * loop beats both GEMM paths outright, so it is the only one used there.
     */
    static final double DENSE_SPEED = 0.9;
    static final double SPARSE_SPEED = 0.12;
    static final double CHUNKED_SPEED = 0.4;

    /**
     * How much faster the GEMM paths run in single precision. Measured on 2 cores with native OpenBLAS:
     * 2000 × 537 × 900 takes 55 ms as {@code dgemm} and 27 ms as {@code sgemm}.
     */
    static final double SINGLE_GEMM_GAIN = 2.0;

    /**
     * Data points per chunk. On 2 cores with 2000 × 2000 distances: 64 gives GEMMs too thin for OpenBLAS
     * (30 × 30, iteration 40: 200 ms for both products), 128 166 ms, 256 about the same on 50 × 50 but larger
     * supports on 30 × 30.
     */
    static final int CHUNK = 128;

    /**
     * Columns of {@code D} per block, packed contiguously (2000 rows × 128 doubles = 2 MiB, in L3). Measured on
     * 2 cores for 2000 × 900 plans at 7 % fill: 48 (in L2) 185 ms, 128 167 ms, 256 200 ms; unrolling by eight
     * entries instead of four was slower (240 ms).
     */
    private static final int BLOCK = 128;

    private SparseProducts() {
    }

    /** The compressed non-negligible entries of a plan, grouped by grid point. */
    private record Compressed(int[] start, int[] index, double[] value) {
    }

    /**
     * A plan seen as data points × grid points, stored data-major ({@code P₁}, {@code data × grid}) or grid-major
     * ({@code P₂}, {@code grid × data}), with what one pass over it tells: the drop threshold, each data point's
     * largest entry's grid point and kept-entry count, and the active grid points.
     */
    static final class Plan {
        final double[] p;
        final int data;
        final int grid;
        final boolean dataMajor;
        final double drop;
        final int[] argmax;
        final int[] kept;
        final boolean[] active;
        final int activeCount;
        final int[] activeGrid; // the active grid points, in order
        final long entries;

        Plan(double[] p, int data, int grid, boolean dataMajor) {
            this(p, data, grid, dataMajor, 1);
        }

        /** As above, the two passes over the plan split over {@code threads}, by data points. */
        Plan(double[] p, int data, int grid, boolean dataMajor, int threads) {
            this(p, data, grid, dataMajor, threads, Double.NaN);
        }

        /**
         * As above, given the largest {@code |entry|} of the plan ({@code known}, NaN if not known): one pass over
         * the plan instead of two. JointEmbedding has it from the plans' change.
         */
        Plan(double[] p, int data, int grid, boolean dataMajor, int threads, double known) {
            this.p = p;
            this.data = data;
            this.grid = grid;
            this.dataMajor = dataMajor;
            int inner = dataMajor ? grid : data;
            double max = Double.isNaN(known) ? largest(p, dataMajor ? data : grid, inner, threads) : known;
            double threshold = DROP * max;
            drop = threshold;
            argmax = new int[data];
            kept = new int[data];
            active = new boolean[grid];
            double[] best = new double[data];
            Arrays.fill(best, -1);
            // each task owns a range of data points (its kept, best, argmax); active is only ever set to true
            Parallel.forRange(data, threads, grid, (from, to) -> {
                for (int a = dataMajor ? from : 0; a < (dataMajor ? to : grid); a++) {
                    int off = a * inner;
                    for (int b = dataMajor ? 0 : from; b < (dataMajor ? grid : to); b++) {
                        double v = Math.abs(p[off + b]);
                        if (v > threshold) {
                            int i = dataMajor ? a : b;
                            int k = dataMajor ? b : a;
                            kept[i]++;
                            active[k] = true;
                            if (v > best[i]) {
                                best[i] = v;
                                argmax[i] = k;
                            }
                        }
                    }
                }
            });
            long e = 0;
            for (int c : kept) {
                e += c;
            }
            entries = e;
            int count = 0;
            for (boolean f : active) {
                count += f ? 1 : 0;
            }
            activeCount = count;
            activeGrid = indices(active, count);
        }

        /** max |p| over the {@code outer × inner} entries. */
        private static double largest(double[] p, int outer, int inner, int threads) {
            double[] rowMax = new double[outer];
            Parallel.forRange(outer, threads, inner, (from, to) -> {
                for (int a = from; a < to; a++) {
                    double m = 0;
                    for (int b = 0; b < inner; b++) {
                        m = Math.max(m, Math.abs(p[a * inner + b]));
                    }
                    rowMax[a] = m;
                }
            });
            double max = 0;
            for (double m : rowMax) {
                max = Math.max(max, m);
            }
            return max;
        }

        double get(int i, int k) {
            return p[dataMajor ? i * grid + k : k * data + i];
        }
    }

    /**
     * Data points in chunks of {@link #CHUNK}, ordered so that a chunk's supports overlap: by the locality rank
     * of the grid point holding each data point's largest entry. Data points without kept entries are left out.
     * {@code support[c]} lists the grid points where some member of chunk {@code c} has a kept entry.
     */
    private record Chunks(int[][] members, int[][] support, long work) {

        static Chunks of(Plan plan, int[] rank) {
            long[] keys = new long[plan.data];
            int used = 0;
            for (int i = 0; i < plan.data; i++) {
                if (plan.kept[i] > 0) {
                    int r = rank == null ? plan.argmax[i] : rank[plan.argmax[i]];
                    keys[used++] = ((long) r << 32) | i;
                }
            }
            Arrays.sort(keys, 0, used);
            int count = (used + CHUNK - 1) / CHUNK;
            int[][] members = new int[count][];
            int[] chunkOf = new int[plan.data];
            for (int c = 0; c < count; c++) {
                int from = c * CHUNK;
                members[c] = new int[Math.min(CHUNK, used - from)];
                for (int t = 0; t < members[c].length; t++) {
                    int i = (int) keys[from + t];
                    members[c][t] = i;
                    chunkOf[i] = c;
                }
            }
            boolean[] has = new boolean[count * plan.grid];
            double[] p = plan.p;
            for (int a = 0; a < (plan.dataMajor ? plan.data : plan.grid); a++) {
                int off = a * (plan.dataMajor ? plan.grid : plan.data);
                for (int b = 0; b < (plan.dataMajor ? plan.grid : plan.data); b++) {
                    if (Math.abs(p[off + b]) > plan.drop) {
                        int i = plan.dataMajor ? a : b;
                        int k = plan.dataMajor ? b : a;
                        has[chunkOf[i] * plan.grid + k] = true;
                    }
                }
            }
            int[][] support = new int[count][];
            long work = 0;
            for (int c = 0; c < count; c++) {
                int s = 0;
                for (int k = 0; k < plan.grid; k++) {
                    s += has[c * plan.grid + k] ? 1 : 0;
                }
                support[c] = new int[s];
                s = 0;
                for (int k = 0; k < plan.grid; k++) {
                    if (has[c * plan.grid + k]) {
                        support[c][s++] = k;
                    }
                }
                work += (long) s * members[c].length;
            }
            return new Chunks(members, support, work);
        }
    }

    /**
     * {@code out = D · P} (data-major plan, {@code n × grid}) or {@code out = P · D} (grid-major, {@code grid × n})
     * for symmetric {@code D} ({@code n × n}), all row-major, over every grid point (inactive ones get zeros).
     *
     * @param rank  locality rank of each grid point ({@link #localityRank}), or null for index order
     * @param force the path, or null to let the cost model choose (tests force it)
     */
    static Product multiply(Symmetric d, Plan plan, double[] out, int[] rank, Path force, int threads) {
        return multiply(d, plan, Real.of(out, false), rank, force, threads);
    }

    /**
     * As above, into {@code out} of either precision (single only for a single-precision {@code D}): a float
     * output halves the traffic of the chunked products' additions and feeds single-precision D_X products as is.
     */
    static Product multiply(Symmetric d, Plan plan, Real out, int[] rank, Path force, int threads) {
        if (out.single() && !d.single()) {
            throw new IllegalArgumentException("a single-precision output needs a single-precision matrix");
        }
        if (out.length() < (long) plan.data * plan.grid) {
            throw new IllegalArgumentException("the output has " + out.length() + " entries, needs "
                    + plan.data + "x" + plan.grid);
        }
        Path path = run(d, plan, Target.full(out, plan.grid), rank, force, threads);
        return new Product(plan.active, plan.activeCount, path);
    }

    /**
     * {@code D P} (data-major plan) or {@code P D} (grid-major) on the plan's active grid points only: the
     * {@code data × count} (or {@code count × data}) block of the output's non-zero columns (rows), in the
     * matrix's precision, ready for the product with D_X restricted to those points
     * ({@link #compactTimesSymmetric}, {@link #symmetricTimesCompact}). Saves the full output's zeroing, its
     * scattered writes and the gathering of the active part again: on the rolls at 30 × 30 (533 of 900 points
     * active) a third of a side's data-side product.
     *
     * @param force the path, or null to let the cost model choose (tests force it)
     */
    static Compact multiplyOnActive(Symmetric d, Plan plan, int[] rank, Path force, int threads) {
        return multiplyOnActive(d, plan, rank, force, threads, null);
    }

    /**
     * As above, the block computed in {@code work} (cleared first) when it has the matrix's precision and room
     * for it, in a fresh block otherwise: a caller that is done with the last product's block passes it back
     * (4–5 MB per product on the rolls at 30 × 30, in every outer iteration).
     */
    static Compact multiplyOnActive(Symmetric d, Plan plan, int[] rank, Path force, int threads, Real work) {
        Target target = Target.compact(d.single(), plan, work);
        Path path = run(d, plan, target, rank, force, threads);
        return new Compact(target.values(), plan.activeGrid, path);
    }

    /**
     * A product over the active grid points: {@code values} holds, for data-major plans, {@code data × grid.length}
     * entries (column a is grid point {@code grid[a]}); for grid-major ones {@code grid.length × data}.
     */
    record Compact(Real values, int[] grid, Path path) {
    }

    /**
     * Where a product's output goes: {@code values} with {@code width} positions per data point (data-major) or
     * per grid point's row of {@code data} entries (grid-major), grid point k at position {@code position[k]}
     * (−1: inactive, only in compact targets). The full target is the caller's double array over every grid
     * point; the compact one a zeroed block over the active points in the matrix's precision.
     */
    private record Target(Real values, int[] position, int width, boolean full) {

        static Target full(Real out, int grid) {
            int[] position = new int[grid];
            for (int k = 0; k < grid; k++) {
                position[k] = k;
            }
            return new Target(out, position, grid, true);
        }

        static Target compact(boolean single, Plan plan, Real work) {
            int[] position = new int[plan.grid];
            int a = 0;
            for (int k = 0; k < plan.grid; k++) {
                position[k] = plan.active[k] ? a++ : -1;
            }
            int size = Math.multiplyExact(plan.data, a);
            Real values;
            if (work != null && work.single() == single && work.length() >= size) {
                work.clear(size);
                values = work;
            } else {
                values = Real.zeros(single, size);
            }
            return new Target(values, position, a, false);
        }

        /**
         * Where a product over the plan's active grid points ({@code size} entries, precision {@code single}) is
         * computed: this target's own values when they are that block (compact, or full with every grid point
         * active, in the same precision), a fresh block otherwise.
         */
        Real compactOrWork(Plan plan, boolean single, int size) {
            boolean direct = !full || (plan.activeCount == plan.grid && values.single() == single);
            return direct ? values : Real.zeros(single, size);
        }

        /**
         * Puts a product over the active grid points ({@code data × count} for data-major plans, {@code count ×
         * data} otherwise), computed by {@link #compactOrWork}, into this target: nothing to do when it was
         * computed in place, else the full output is cleared and the active columns (rows) set.
         */
        void putCompact(Real product, Plan plan) {
            if (product == values) {
                return;
            }
            int n = plan.data;
            int[] map = plan.activeGrid;
            int count = map.length;
            values.clear(n * plan.grid);
            // row by row of both layouts: a column-by-column walk of a data-major block touches a new cache line
            // at every entry (~50 ms for 2000 × 764 floats against ~3 ms)
            if (plan.dataMajor) {
                for (int i = 0; i < n; i++) {
                    int from = i * count;
                    int to = i * plan.grid;
                    for (int a = 0; a < count; a++) {
                        values.set(to + map[a], product.get(from + a));
                    }
                }
            } else {
                for (int a = 0; a < count; a++) {
                    int from = a * n;
                    int to = map[a] * n;
                    for (int i = 0; i < n; i++) {
                        values.set(to + i, product.get(from + i));
                    }
                }
            }
        }

        /** The positions of the grid points {@code points}. */
        int[] positions(int[] points) {
            int[] at = new int[points.length];
            for (int r = 0; r < points.length; r++) {
                at[r] = position[points[r]];
            }
            return at;
        }
    }

    /** Chooses the path (unless forced) and computes the product into {@code target}; returns the path taken. */
    private static Path run(Symmetric d, Plan plan, Target target, int[] rank, Path force, int threads) {
        int n = plan.data;
        if (n != d.n) {
            throw new IllegalArgumentException("the plan has " + n + " data points, the matrix " + d.n);
        }
        boolean single = d.single();
        Path path = force;
        Chunks chunks = null;
        if (path == null) {
            boolean nativeBlas = DenseBlas.isNative();
            // the chunks cost a pass over the plan and a sort: formed only where they may win
            if (cheapest(n, plan.activeCount, plan.entries, plan.entries, nativeBlas, single) == Path.CHUNKED) {
                chunks = Chunks.of(plan, rank);
            }
            path = cheapest(n, plan.activeCount, plan.entries, chunks == null ? -1 : chunks.work(), nativeBlas,
                    single);
        }
        switch (path) {
            case DENSE -> {
                if (plan.dataMajor) {
                    denseOnActiveColumns(d, plan, target);
                } else {
                    denseOnActiveRows(plan, d, target);
                }
            }
            case SPARSE -> {
                Compressed c = compress(plan);
                // the sparse loop writes a full double output; other targets take it (or its active part) from there
                boolean direct = target.full() && !target.values().single();
                double[] out = direct ? target.values().doubles() : new double[n * plan.grid];
                if (plan.dataMajor) {
                    // (D P)(j, k) = Σ_i P(i, k) D(i, j)  (D symmetric): output column k, written with stride cols
                    blocked(d.d, n, c, plan.grid, out, 1, plan.grid, threads);
                } else {
                    // (P D)(r, j) = Σ_i P(r, i) D(i, j): output row r, contiguous
                    blocked(d.d, n, c, plan.grid, out, n, 1, threads);
                }
                if (!target.full()) {
                    gatherActive(out, plan, target);
                } else if (!direct) {
                    target.values().copyFrom(out, 0, 0, n * plan.grid);
                }
            }
            case CHUNKED -> chunked(d, plan, chunks != null ? chunks : Chunks.of(plan, rank), target, threads);
            default -> throw new AssertionError(path);
        }
        return path;
    }

    /** The active columns (data-major) or rows (grid-major) of the full {@code out} into the compact target. */
    private static void gatherActive(double[] out, Plan plan, Target target) {
        int n = plan.data;
        int[] map = plan.activeGrid;
        Real values = target.values();
        if (plan.dataMajor) {
            // row by row (see putCompact)
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < map.length; a++) {
                    values.set(i * map.length + a, out[i * plan.grid + map[a]]);
                }
            }
        } else {
            for (int a = 0; a < map.length; a++) {
                values.copyFrom(out, map[a] * n, a * n, n);
            }
        }
    }

    /**
     * The path the cost model expects to be fastest for a product over {@code data} data points with
     * {@code activeCount} active grid points, {@code entries} kept plan entries and chunks doing
     * {@code chunkedWork} multiply–adds per data-point coordinate ({@code < 0}: not formed). Work is counted per
     * output coordinate and divided by the path's speed ({@link #DENSE_SPEED}; the GEMM paths gain
     * {@link #SINGLE_GEMM_GAIN} in single precision).
     */
    static Path cheapest(int data, int activeCount, long entries, long chunkedWork, boolean nativeBlas,
            boolean single) {
        if (!nativeBlas) {
            return Path.SPARSE;
        }
        double gain = single ? SINGLE_GEMM_GAIN : 1.0;
        double dense = (double) data * activeCount / (DENSE_SPEED * gain);
        double sparse = entries / SPARSE_SPEED;
        double best = Math.min(dense, sparse);
        if (chunkedWork >= 0 && chunkedWork / (CHUNKED_SPEED * gain) < best) {
            return Path.CHUNKED;
        }
        return sparse < dense ? Path.SPARSE : Path.DENSE;
    }

    /**
     * Keeps the entries above the drop threshold, grouped by grid point: group k's entries are
     * {@code index/value[start[k] .. start[k+1])}, with {@code index} the data point.
     */
    private static Compressed compress(Plan plan) {
        int groups = plan.grid;
        int[] start = new int[groups + 1];
        double[] p = plan.p;
        int outer = plan.dataMajor ? plan.data : plan.grid;
        int inner = plan.dataMajor ? plan.grid : plan.data;
        for (int a = 0; a < outer; a++) {
            int off = a * inner;
            for (int b = 0; b < inner; b++) {
                if (Math.abs(p[off + b]) > plan.drop) {
                    start[(plan.dataMajor ? b : a) + 1]++;
                }
            }
        }
        for (int g = 0; g < groups; g++) {
            start[g + 1] += start[g];
        }
        int[] fill = Arrays.copyOf(start, groups);
        int[] index = new int[start[groups]];
        double[] value = new double[start[groups]];
        for (int a = 0; a < outer; a++) {
            int off = a * inner;
            for (int b = 0; b < inner; b++) {
                double v = p[off + b];
                if (Math.abs(v) > plan.drop) {
                    int at = fill[plan.dataMajor ? b : a]++;
                    index[at] = plan.dataMajor ? a : b;
                    value[at] = v;
                }
            }
        }
        return new Compressed(start, index, value);
    }

    /**
     * The product as one GEMM per chunk of data points: with {@code A} the chunk's rows of {@code D} (= its
     * columns, {@code D} being symmetric) and {@code S} the chunk's support, {@code D P} gains
     * {@code Aᵀ P[chunk, S]} on the columns {@code S}, and {@code P D} gains {@code P[S, chunk] A} on the rows
     * {@code S}. The chunks partition the data points, so this is the full sum over the kept entries.
     */
    private static void chunked(Symmetric d, Plan plan, Chunks chunks, Target target, int threads) {
        int n = plan.data;
        if (target.full()) {
            target.values().clear(n * plan.grid);
        }
        int widest = 0;
        for (int[] s : chunks.support()) {
            widest = Math.max(widest, s.length);
        }
        Real rowsOfD = d.gathered(CHUNK * n);
        Real block = Real.zeros(d.single(), CHUNK * widest);
        if (plan.dataMajor) {
            chunkedDataMajor(d, plan, chunks, target, threads, rowsOfD, block, widest);
            return;
        }
        Real out = target.values();
        Real temp = d.scratch(n * widest);
        for (int c = 0; c < chunks.members().length; c++) {
            int[] m = chunks.members()[c];
            int[] s = chunks.support()[c];
            int w = m.length;
            int sw = s.length;
            d.copyRows(m, rowsOfD);
            for (int r = 0; r < sw; r++) {
                for (int t = 0; t < w; t++) {
                    block.set(r * w + t, plan.get(m[t], s[r]));
                }
            }
            // temp (sw × n) = P[S, chunk] · A, added to the rows S of out
            Real.gemm(false, false, sw, n, w, block, rowsOfD, temp);
            Parallel.forRange(sw, threads, n, (from, to) -> {
                for (int r = from; r < to; r++) {
                    addRow(temp, r * n, out, target.position()[s[r]] * n, n);
                }
            });
        }
    }

    /**
     * The chunked product {@code D P} for a data-major plan: each chunk's {@code Aᵀ · P[chunk, S]} ({@code n × |S|})
     * is added to the columns S of every output row. Added chunk by chunk, that is a pass over the whole output
     * per chunk (16 passes over 14 MB on the rolls at 30 × 30, 18–27 ms); instead the chunks' products are kept
     * side by side, up to {@code n · grid} entries at a time, and added in one pass over the output rows, each row
     * staying in cache while every chunk adds to it.
     */
    private static void chunkedDataMajor(Symmetric d, Plan plan, Chunks chunks, Target target, int threads,
            Real rowsOfD, Real block, int widest) {
        int n = plan.data;
        int grid = plan.grid;
        int count = chunks.members().length;
        Real out = target.values();
        int width = target.width();
        int[][] at = new int[count][];
        for (int c = 0; c < count; c++) {
            at[c] = target.positions(chunks.support()[c]);
        }
        long budget = (long) n * Math.max(grid, widest);
        Real temp = d.scratch((int) budget);
        int[] base = new int[count];
        int first = 0;
        while (first < count) {
            // the chunks [first, last) whose products fit the buffer together
            int last = first;
            long used = 0;
            while (last < count && used + (long) n * chunks.support()[last].length <= budget) {
                base[last] = (int) used;
                used += (long) n * chunks.support()[last].length;
                last++;
            }
            for (int c = first; c < last; c++) {
                int[] m = chunks.members()[c];
                int[] s = chunks.support()[c];
                int w = m.length;
                int sw = s.length;
                d.copyRows(m, rowsOfD);
                for (int t = 0; t < w; t++) {
                    for (int r = 0; r < sw; r++) {
                        block.set(t * sw + r, plan.get(m[t], s[r]));
                    }
                }
                // temp[base] (n × sw) = Aᵀ · P[chunk, S]
                Real.gemm(true, false, n, sw, w, 1.0, rowsOfD, 0, n, block, 0, sw, 0.0, temp, base[c], sw);
            }
            int from0 = first;
            int to0 = last;
            Parallel.forRange(n, threads, used / n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    for (int c = from0; c < to0; c++) {
                        addColumns(temp, base[c] + i * at[c].length, out, i * width, at[c]);
                    }
                }
            });
            first = last;
        }
    }

    /**
     * A rank of the points of X such that points of nearby rank are near each other, for ordering data points
     * by where their plans put their mass: the points are grouped around ⌈N/16⌉ centres chosen by farthest-point
     * sampling (each point joins its nearest centre), the groups are chained from the first centre to the nearest
     * unvisited one, and ranked in that order (by index within a group). Deterministic; O(N²/16) distances.
     */
    static int[] localityRank(MetricSpace x) {
        int big = x.size();
        int groups = Math.max(1, (big + 15) / 16);
        int[] centres = new int[groups];
        double[] nearest = new double[big];
        int[] owner = new int[big];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        int next = 0;
        for (int g = 0; g < groups; g++) {
            centres[g] = next;
            int far = next;
            double farthest = -1;
            for (int k = 0; k < big; k++) {
                double dk = x.distance(centres[g], k);
                if (dk < nearest[k]) {
                    nearest[k] = dk;
                    owner[k] = g;
                }
                if (nearest[k] > farthest) {
                    farthest = nearest[k];
                    far = k;
                }
            }
            next = far;
        }
        // chain the groups: from the first centre always to the nearest unvisited one
        int[] position = new int[groups];
        boolean[] visited = new boolean[groups];
        int current = 0;
        for (int step = 0; step < groups; step++) {
            visited[current] = true;
            position[current] = step;
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int g = 0; g < groups; g++) {
                if (!visited[g]) {
                    double dg = x.distance(centres[current], centres[g]);
                    if (dg < bestDistance) {
                        bestDistance = dg;
                        best = g;
                    }
                }
            }
            current = best;
            if (best < 0) {
                break;
            }
        }
        long[] keys = new long[big];
        for (int k = 0; k < big; k++) {
            keys[k] = ((long) position[owner[k]] << 32) | k;
        }
        Arrays.sort(keys);
        int[] rank = new int[big];
        for (int r = 0; r < big; r++) {
            rank[(int) keys[r]] = r;
        }
        return rank;
    }

    /**
     * For every group g and output position j: {@code out[g · groupStride + j · posStride] = Σ_t value_t D(index_t,
     * j)} over g's entries. Parallel over blocks of {@link #BLOCK} positions; within a block each group's sums are
     * accumulated in a small array (vectorised by the JIT) from rows of the block's slab of {@code D}.
     */
    private static void blocked(double[] d, int n, Compressed c, int groups, double[] out, int groupStride,
            int posStride, int threads) {
        int blocks = (n + BLOCK - 1) / BLOCK;
        long perBlock = Math.max(1, (long) c.index.length * BLOCK / Math.max(1, blocks));
        int[] start = c.start;
        int[] index = c.index;
        double[] value = c.value;
        Parallel.forRange(blocks, threads, perBlock, (from, to) -> {
            double[] acc = new double[BLOCK];
            double[] slab = new double[n * BLOCK];
            for (int b = from; b < to; b++) {
                int j0 = b * BLOCK;
                int width = Math.min(BLOCK, n - j0);
                // pack D(·, j0 .. j0+width) contiguously: rows of D are 8n bytes apart, a page or more each, and
                // reading them in place thrashes the TLB
                for (int i = 0; i < n; i++) {
                    System.arraycopy(d, i * n + j0, slab, i * width, width);
                }
                for (int g = 0; g < groups; g++) {
                    Arrays.fill(acc, 0, width, 0.0);
                    int t = start[g];
                    int end = start[g + 1];
                    // four entries per pass: one load and store of acc per four multiply-adds
                    for (; t + 3 < end; t += 4) {
                        double v0 = value[t];
                        double v1 = value[t + 1];
                        double v2 = value[t + 2];
                        double v3 = value[t + 3];
                        int r0 = index[t] * width;
                        int r1 = index[t + 1] * width;
                        int r2 = index[t + 2] * width;
                        int r3 = index[t + 3] * width;
                        for (int jj = 0; jj < width; jj++) {
                            acc[jj] += v0 * slab[r0 + jj] + v1 * slab[r1 + jj] + v2 * slab[r2 + jj]
                                    + v3 * slab[r3 + jj];
                        }
                    }
                    for (; t < end; t++) {
                        double v = value[t];
                        int row = index[t] * width;
                        for (int jj = 0; jj < width; jj++) {
                            acc[jj] += v * slab[row + jj];
                        }
                    }
                    int base = g * groupStride + j0 * posStride;
                    for (int jj = 0; jj < width; jj++) {
                        out[base + jj * posStride] = acc[jj];
                    }
                }
            }
        });
    }

    /** D · P through BLAS on the active columns of P. */
    private static void denseOnActiveColumns(Symmetric d, Plan plan, Target target) {
        int n = d.n;
        int[] map = plan.activeGrid;
        int count = map.length;
        Real compact = Real.zeros(d.single(), n * count);
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < count; a++) {
                compact.set(i * count + a, plan.p[i * plan.grid + map[a]]);
            }
        }
        Real product = target.compactOrWork(plan, d.single(), n * count);
        Real.gemm(false, false, n, count, n, d.block(), compact, product);
        target.putCompact(product, plan);
    }

    /** P · D through BLAS on the active rows of P. */
    private static void denseOnActiveRows(Plan plan, Symmetric d, Target target) {
        int n = d.n;
        int[] map = plan.activeGrid;
        int count = map.length;
        Real compact = Real.zeros(d.single(), count * n);
        for (int a = 0; a < count; a++) {
            compact.copyFrom(plan.p, map[a] * n, a * n, n);
        }
        Real product = target.compactOrWork(plan, d.single(), count * n);
        Real.gemm(false, false, count, n, n, compact, d.block(), product);
        target.putCompact(product, plan);
    }

    /**
     * {@code out = Q · D} for symmetric {@code D} ({@code N × N}) and {@code Q} ({@code rows × N}) given by its
     * active columns ({@link #multiplyOnActive}): one GEMM over those columns and the same rows of D.
     */
    static void compactTimesSymmetric(Compact q, int rows, Symmetric d, double[] out) {
        int[] map = q.grid();
        Real.gemm(false, false, rows, d.n, map.length, q.values(), d.rows(map), out, d.product(rows * d.n));
    }

    /**
     * {@code out = D · Q} for symmetric {@code D} ({@code N × N}) and {@code Q} ({@code N × cols}) given by its
     * active rows ({@link #multiplyOnActive}): {@code D(·, A) = D(A, ·)ᵀ}, one GEMM over those rows.
     */
    static void symmetricTimesCompact(Symmetric d, Compact q, int cols, double[] out) {
        int[] map = q.grid();
        Real.gemm(true, false, d.n, cols, map.length, d.rows(map), q.values(), out, d.product(d.n * cols));
    }

    /**
     * A dense symmetric {@code n × n} matrix (D₁, D₂ or D_X) as the left or right factor of the products here,
     * with, in single precision, a float copy made once: these matrices are multiplied in every outer iteration.
     * Not for concurrent products (it keeps a work block).
     */
    static final class Symmetric {
        final double[] d;
        final int n;
        private final float[] f;
        private Real scratch;
        private Real rowsBlock;
        private Real productBlock;

        Symmetric(double[] d, int n, Precision precision) {
            if (d.length != n * n) {
                throw new IllegalArgumentException("a symmetric " + n + "x" + n + " matrix needs " + n * n
                        + " entries, got " + d.length);
            }
            this.d = d;
            this.n = n;
            if (precision == Precision.SINGLE) {
                f = new float[n * n];
                for (int t = 0; t < f.length; t++) {
                    f[t] = (float) d[t];
                }
            } else {
                f = null;
            }
        }

        boolean single() {
            return f != null;
        }

        /**
         * A work block of at least {@code size} entries in this matrix's precision, kept for the next product (the
         * products of one run share it; not for concurrent use). Its contents are not cleared.
         */
        Real scratch(int size) {
            scratch = atLeast(scratch, size);
            return scratch;
        }

        Real block() {
            return f != null ? Real.of(f) : Real.of(d, false);
        }

        /**
         * {@code wᵀ (D∘D) w} (the objective's G terms), in parallel over rows, from the float copy in single
         * precision: the pass is memory-bound (2000 × 2000 doubles: ~5 ms on 2 cores, the float copy half that)
         * and the float entries' rounding (6e-8 relative) is below what single precision resolves anyway. Four
         * running sums per row, so the loop does not wait on each addition; sums are in double precision.
         */
        double squaredForm(double[] w, int threads) {
            if (w.length != n) {
                throw new IllegalArgumentException("squaredForm: w has " + w.length + " entries, expected " + n);
            }
            double[] rows = new double[n];
            Parallel.forRange(n, threads, n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int off = i * n;
                    double s0 = 0;
                    double s1 = 0;
                    double s2 = 0;
                    double s3 = 0;
                    int j = 0;
                    for (; j + 3 < n; j += 4) {
                        double v0 = entry(off + j);
                        double v1 = entry(off + j + 1);
                        double v2 = entry(off + j + 2);
                        double v3 = entry(off + j + 3);
                        s0 += v0 * v0 * w[j];
                        s1 += v1 * v1 * w[j + 1];
                        s2 += v2 * v2 * w[j + 2];
                        s3 += v3 * v3 * w[j + 3];
                    }
                    for (; j < n; j++) {
                        double v = entry(off + j);
                        s0 += v * v * w[j];
                    }
                    rows[i] = w[i] * ((s0 + s1) + (s2 + s3));
                }
            });
            double total = 0;
            for (double r : rows) {
                total += r;
            }
            return total;
        }

        /** Entry {@code t} from the float copy if there is one. */
        private double entry(int t) {
            return f != null ? f[t] : d[t];
        }

        /** Row {@code i} (length n) copied to {@code to[at ..]} of a block of this precision. */
        void copyRow(int i, Real to, int at) {
            if (f != null) {
                System.arraycopy(f, i * n, to.floats(), at, n);
            } else {
                System.arraycopy(d, i * n, to.doubles(), at, n);
            }
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

        /**
         * A work block of at least {@code size} floats for the single-precision output of a product with this
         * matrix, kept for the next call (the rows × N products with D_X, 7 MB per call on the rolls at 30 × 30);
         * null in double precision, where products go straight into their double output.
         */
        Real product(int size) {
            if (!single()) {
                return null;
            }
            productBlock = atLeast(productBlock, size);
            return productBlock;
        }

        /** {@code block} if it holds {@code size} entries in this matrix's precision, else a new one. */
        private Real atLeast(Real block, int size) {
            return block != null && block.length() >= size ? block : Real.zeros(single(), size);
        }

        /** The rows {@code map}, one after the other, into the first {@code map.length · n} entries of {@code to}. */
        void copyRows(int[] map, Real to) {
            for (int a = 0; a < map.length; a++) {
                copyRow(map[a], to, a * n);
            }
        }
    }

    /**
     * {@code out[off + cols[r]] += t[toff + r]} for every r; {@code out} in the precision of {@code t} or in double
     * precision.
     */
    private static void addColumns(Real t, int toff, Real out, int off, int[] cols) {
        float[] tf = t.floats();
        double[] od = out.doubles();
        if (tf != null && od != null) {
            for (int r = 0; r < cols.length; r++) {
                od[off + cols[r]] += tf[toff + r];
            }
        } else if (tf != null) {
            float[] of = out.floats();
            for (int r = 0; r < cols.length; r++) {
                of[off + cols[r]] += tf[toff + r];
            }
        } else {
            double[] td = t.doubles();
            for (int r = 0; r < cols.length; r++) {
                od[off + cols[r]] += td[toff + r];
            }
        }
    }

    /** {@code out[off .. off + length) += t[toff .. toff + length)}; precisions as for addColumns. */
    private static void addRow(Real t, int toff, Real out, int off, int length) {
        float[] tf = t.floats();
        double[] od = out.doubles();
        if (tf != null && od != null) {
            for (int j = 0; j < length; j++) {
                od[off + j] += tf[toff + j];
            }
        } else if (tf != null) {
            float[] of = out.floats();
            for (int j = 0; j < length; j++) {
                of[off + j] += tf[toff + j];
            }
        } else {
            double[] td = t.doubles();
            for (int j = 0; j < length; j++) {
                od[off + j] += td[toff + j];
            }
        }
    }

    /** The positions of the true flags, in order. */
    static int[] indices(boolean[] flags, int count) {
        int[] map = new int[count];
        int a = 0;
        for (int k = 0; k < flags.length; k++) {
            if (flags[k]) {
                map[a++] = k;
            }
        }
        return map;
    }
}
