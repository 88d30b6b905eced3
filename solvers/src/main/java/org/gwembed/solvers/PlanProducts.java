package org.gwembed.solvers;

import java.util.Arrays;

import org.gwembed.core.Parallel;

/**
 * Products {@code D · P} (data-major plan, {@code n × grid}) and {@code P · D} (grid-major, {@code grid × n}) of a
 * dense symmetric matrix D with a numerically sparse transport plan ({@link PlanSupport}): the data-side half of
 * EW_λ's {@code D₁ P₁ D_X} and {@code D_X P₂ D₂}. Grid points whose whole plan column (row for P₂) is below the drop
 * threshold are left out (their output is zero, and {@link Product} reports them so that the following product with
 * D_X can skip them too), and when few entries remain the product runs on the kept entries only. Three exact paths,
 * chosen by a cost model ({@link #cheapest}, speeds in {@link Tuning}):
 * <ul>
 *   <li>{@link Path#DENSE}: one GEMM over the active grid points;</li>
 *   <li>{@link Path#CHUNKED}: the data points ordered by where their plan rows put their mass and cut into chunks
 *       ({@link PlanChunks}); each chunk's rows of {@code D} multiply its plan block restricted to the union of its
 *       supports, one GEMM per chunk. Nearby data points have nearby supports, so this does 2–3 times the kept
 *       entries' work at GEMM speed;</li>
 *   <li>{@link Path#SPARSE}: row updates over the kept entries, blocked over the output's columns so that the slab
 *       of {@code D} read stays in cache: for the pure-Java BLAS, and for supports too scattered to chunk.</li>
 * </ul>
 * Hand-written because no library we use has a sparse × dense product (EJML's sparse matrices multiply sparse by
 * sparse). The GEMM paths run in the matrix's {@link Precision} (twice the speed in single, {@link
 * Tuning#SINGLE_GEMM_GAIN}); outputs are in the target's precision.
 */
final class PlanProducts {

    /** How a product was computed (diagnostics and tests). */
    enum Path {
        /** One GEMM over the active grid points. */
        DENSE,
        /** Row updates over the kept entries. */
        SPARSE,
        /** GEMMs over chunks of data points with nearby supports. */
        CHUNKED
    }

    /**
     * The outcome of a product: which grid points may be non-zero in the output (the others are exactly zero), how
     * many, and the path taken.
     */
    record Product(boolean[] active, int activeCount, Path path) {
    }

    /**
     * A product over the active grid points: {@code values} holds, for data-major plans, {@code data × grid.length}
     * entries (column a is grid point {@code grid[a]}); for grid-major ones {@code grid.length × data}.
     */
    record Compact(Real values, int[] grid, Path path) {
    }

    /** The compressed non-negligible entries of a plan, grouped by grid point. */
    private record Compressed(int[] start, int[] index, double[] value) {
    }

    private PlanProducts() {
    }

    /**
     * {@code out = D · P} (data-major plan) or {@code out = P · D} (grid-major) for symmetric {@code D}, all
     * row-major, over every grid point (inactive ones get zeros).
     *
     * @param rank  locality rank of each grid point ({@link PlanChunks#localityRank}), or null for index order
     * @param force the path, or null to let the cost model choose (tests force it)
     */
    static Product multiply(SymmetricOperand d, PlanSupport plan, double[] out, int[] rank, Path force, int threads) {
        return multiply(d, plan, Real.of(out), rank, force, threads);
    }

    /**
     * As above, into {@code out} of either precision (single only for a single-precision {@code D}): a float output
     * halves the traffic of the chunked products' additions and feeds single-precision D_X products as is.
     */
    static Product multiply(SymmetricOperand d, PlanSupport plan, Real out, int[] rank, Path force, int threads) {
        if (out.single() && !d.single()) {
            throw new IllegalArgumentException("a single-precision output needs a single-precision matrix");
        }
        if (out.length() < (long) plan.data * plan.grid) {
            throw new IllegalArgumentException("the output has " + out.length() + " entries, needs "
                    + plan.data + "x" + plan.grid);
        }
        Path path = run(d, plan, ProductTarget.full(out, plan.grid), rank, force, threads);
        return new Product(plan.active, plan.activeCount, path);
    }

    /**
     * {@code D P} (data-major plan) or {@code P D} (grid-major) on the plan's active grid points only: the
     * {@code data × count} (or {@code count × data}) block of the output's non-zero columns (rows), in the matrix's
     * precision, ready for the product with D_X restricted to those points. Saves the full output's zeroing, its
     * scattered writes and the gathering of the active part again: on the rolls at 30 × 30 (533 of 900 points
     * active) a third of a side's data-side product.
     *
     * @param force the path, or null to let the cost model choose (tests force it)
     */
    static Compact multiplyOnActive(SymmetricOperand d, PlanSupport plan, int[] rank, Path force, int threads) {
        return multiplyOnActive(d, plan, rank, force, threads, null);
    }

    /**
     * As above, the block computed in {@code work} (cleared first) when it has the matrix's precision and room for
     * it, in a fresh block otherwise: a caller that is done with the last product's block passes it back (4–5 MB per
     * product on the rolls at 30 × 30, in every outer iteration).
     */
    static Compact multiplyOnActive(SymmetricOperand d, PlanSupport plan, int[] rank, Path force, int threads,
            Real work) {
        ProductTarget target = ProductTarget.compact(d.precision(), plan, work);
        Path path = run(d, plan, target, rank, force, threads);
        return new Compact(target.values(), plan.activeGrid, path);
    }

    /** Chooses the path (unless forced) and computes the product into {@code target}; returns the path taken. */
    private static Path run(SymmetricOperand d, PlanSupport plan, ProductTarget target, int[] rank, Path force,
            int threads) {
        int n = plan.data;
        if (n != d.n) {
            throw new IllegalArgumentException("the plan has " + n + " data points, the matrix " + d.n);
        }
        boolean single = d.single();
        Path path = force;
        PlanChunks chunks = null;
        if (path == null) {
            boolean nativeBlas = DenseBlas.isNative();
            // the chunks cost a pass over the plan and a sort: formed only where they may win
            if (cheapest(n, plan.activeCount, plan.entries, plan.entries, nativeBlas, single) == Path.CHUNKED) {
                chunks = PlanChunks.of(plan, rank);
            }
            path = cheapest(n, plan.activeCount, plan.entries, chunks == null ? -1 : chunks.work(), nativeBlas,
                    single);
        }
        switch (path) {
            case DENSE -> {
                if (plan.dataMajor) {
                    denseOnActiveColumns(d, plan, target, threads);
                } else {
                    denseOnActiveRows(plan, d, target, threads);
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
                    target.gatherActive(out, plan);
                } else if (!direct) {
                    target.values().copyFrom(out, 0, 0, n * plan.grid);
                }
            }
            case CHUNKED -> chunked(d, plan, chunks != null ? chunks : PlanChunks.of(plan, rank), target, threads);
            default -> throw new AssertionError(path);
        }
        return path;
    }

    /**
     * The path the cost model expects to be fastest for a product over {@code data} data points with
     * {@code activeCount} active grid points, {@code entries} kept plan entries and chunks doing {@code chunkedWork}
     * multiply–adds per data-point coordinate ({@code < 0}: not formed). Work is counted per output coordinate and
     * divided by the path's speed ({@link Tuning#DENSE_SPEED}; the GEMM paths gain {@link Tuning#SINGLE_GEMM_GAIN}
     * in single precision). Without native BLAS the sparse loop is always cheapest.
     */
    static Path cheapest(int data, int activeCount, long entries, long chunkedWork, boolean nativeBlas,
            boolean single) {
        if (!nativeBlas) {
            return Path.SPARSE;
        }
        double gain = single ? Tuning.SINGLE_GEMM_GAIN : 1.0;
        double dense = (double) data * activeCount / (Tuning.DENSE_SPEED * gain);
        double sparse = entries / Tuning.SPARSE_SPEED;
        double best = Math.min(dense, sparse);
        if (chunkedWork >= 0 && chunkedWork / (Tuning.CHUNKED_SPEED * gain) < best) {
            return Path.CHUNKED;
        }
        return sparse < dense ? Path.SPARSE : Path.DENSE;
    }

    /**
     * Keeps the entries above the drop threshold, grouped by grid point: group k's entries are
     * {@code index/value[start[k] .. start[k+1])}, with {@code index} the data point.
     */
    private static Compressed compress(PlanSupport plan) {
        int groups = plan.grid;
        int[] start = new int[groups + 1];
        double[] p = plan.p;
        int outer = plan.dataMajor ? plan.data : plan.grid;
        int inner = plan.dataMajor ? plan.grid : plan.data;
        for (int a = 0; a < outer; a++) {
            int off = a * inner;
            for (int b = 0; b < inner; b++) {
                if (plan.keeps(off + b)) {
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
                if (plan.keeps(off + b)) {
                    int at = fill[plan.dataMajor ? b : a]++;
                    index[at] = plan.dataMajor ? a : b;
                    value[at] = v;
                }
            }
        }
        return new Compressed(start, index, value);
    }

    /**
     * For every group g and output position j: {@code out[g · groupStride + j · posStride] = Σ_t value_t D(index_t,
     * j)} over g's entries. Parallel over blocks of {@link Tuning#SPARSE_BLOCK} positions; within a block each
     * group's sums are accumulated in a small array (vectorised by the JIT) from rows of the block's slab of
     * {@code D}.
     */
    private static void blocked(double[] d, int n, Compressed c, int groups, double[] out, int groupStride,
            int posStride, int threads) {
        final int block = Tuning.SPARSE_BLOCK;
        int blocks = (n + block - 1) / block;
        long perBlock = Math.max(1, (long) c.index.length * block / Math.max(1, blocks));
        int[] start = c.start;
        int[] index = c.index;
        double[] value = c.value;
        Parallel.forRange(blocks, threads, perBlock, (from, to) -> {
            double[] acc = new double[block];
            double[] slab = new double[n * block];
            for (int b = from; b < to; b++) {
                int j0 = b * block;
                int width = Math.min(block, n - j0);
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

    /**
     * D · P through BLAS on the active columns of P. The gathered columns go to the matrix's scratch block (fully
     * overwritten, so neither allocated nor zeroed per product: 12 MB on the rolls at 30 × 30), rows in parallel.
     */
    private static void denseOnActiveColumns(SymmetricOperand d, PlanSupport plan, ProductTarget target,
            int threads) {
        int n = d.n;
        int[] map = plan.activeGrid;
        int count = map.length;
        Real compact = d.scratch(n * count);
        Parallel.forRange(n, threads, count, (from, to) -> {
            for (int i = from; i < to; i++) {
                compact.gatherFrom(plan.p, i * plan.grid, map, i * count);
            }
        });
        Real product = target.compactOrWork(plan, d.precision(), n * count);
        Real.gemm(false, false, n, count, n, d.block(), compact, product);
        target.putCompact(product, plan);
    }

    /** P · D through BLAS on the active rows of P (gathered as in {@link #denseOnActiveColumns}). */
    private static void denseOnActiveRows(PlanSupport plan, SymmetricOperand d, ProductTarget target, int threads) {
        int n = d.n;
        int[] map = plan.activeGrid;
        int count = map.length;
        Real compact = d.scratch(count * n);
        Parallel.forRange(count, threads, n, (from, to) -> {
            for (int a = from; a < to; a++) {
                compact.copyFrom(plan.p, map[a] * n, a * n, n);
            }
        });
        Real product = target.compactOrWork(plan, d.precision(), count * n);
        Real.gemm(false, false, count, n, n, compact, d.block(), product);
        target.putCompact(product, plan);
    }

    /**
     * The product as one GEMM per chunk of data points: with {@code A} the chunk's rows of {@code D} (= its columns,
     * {@code D} being symmetric) and {@code S} the chunk's support, {@code D P} gains {@code Aᵀ P[chunk, S]} on the
     * columns {@code S}, and {@code P D} gains {@code P[S, chunk] A} on the rows {@code S}. The chunks partition the
     * data points, so this is the full sum over the kept entries.
     */
    private static void chunked(SymmetricOperand d, PlanSupport plan, PlanChunks chunks, ProductTarget target,
            int threads) {
        int n = plan.data;
        target.values().clear(n * target.width()); // the chunks add into it (a compact target is not cleared)
        int widest = chunks.widest();
        Real rowsOfD = d.gathered(Tuning.CHUNK * n);
        Real block = Real.zeros(d.precision(), Tuning.CHUNK * widest);
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
                    temp.addTo(r * n, out, target.position()[s[r]] * n, n);
                }
            });
        }
    }

    /**
     * The chunked product {@code D P} for a data-major plan: each chunk's {@code Aᵀ · P[chunk, S]} ({@code n × |S|})
     * is added to the columns S of every output row. Added chunk by chunk, that is a pass over the whole output per
     * chunk (16 passes over 14 MB on the rolls at 30 × 30, 18–27 ms); instead the chunks' products are kept side by
     * side, up to {@code n · grid} entries at a time, and added in one pass over the output rows, each row staying in
     * cache while every chunk adds to it.
     */
    private static void chunkedDataMajor(SymmetricOperand d, PlanSupport plan, PlanChunks chunks,
            ProductTarget target, int threads, Real rowsOfD, Real block, int widest) {
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
                        temp.addScatteredTo(base[c] + i * at[c].length, out, i * width, at[c]);
                    }
                }
            });
            first = last;
        }
    }
}
