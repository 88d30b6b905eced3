package org.gwembed.embedding;

import java.util.Arrays;

import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.metricspaces.Parallel;
import org.gwembed.solvers.DenseBlas;

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
        final long entries;

        Plan(double[] p, int data, int grid, boolean dataMajor) {
            this.p = p;
            this.data = data;
            this.grid = grid;
            this.dataMajor = dataMajor;
            double max = 0;
            for (double v : p) {
                max = Math.max(max, Math.abs(v));
            }
            drop = DROP * max;
            argmax = new int[data];
            kept = new int[data];
            active = new boolean[grid];
            double[] best = new double[data];
            Arrays.fill(best, -1);
            for (int a = 0; a < (dataMajor ? data : grid); a++) {
                int off = a * (dataMajor ? grid : data);
                for (int b = 0; b < (dataMajor ? grid : data); b++) {
                    double v = Math.abs(p[off + b]);
                    if (v > drop) {
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
     * {@code out = D · P} for symmetric {@code D} ({@code n × n}) and {@code P} ({@code n × cols}), all row-major.
     *
     * @param rank locality rank of each grid point ({@link #localityRank}), or null for index order
     */
    static Product symmetricTimesPlan(double[] d, int n, double[] p, int cols, double[] out, int[] rank,
            int threads) {
        return multiply(d, new Plan(p, n, cols, true), out, rank, null, threads);
    }

    /**
     * {@code out = P · D} for {@code P} ({@code rows × n}) and symmetric {@code D} ({@code n × n}).
     *
     * @param rank locality rank of each grid point ({@link #localityRank}), or null for index order
     */
    static Product planTimesSymmetric(double[] p, int rows, double[] d, int n, double[] out, int[] rank,
            int threads) {
        return multiply(d, new Plan(p, n, rows, false), out, rank, null, threads);
    }

    /** As the two public forms, with the path forced when {@code force} is not null (tests). */
    static Product multiply(double[] d, Plan plan, double[] out, int[] rank, Path force, int threads) {
        int n = plan.data;
        Path path = force;
        Chunks chunks = null;
        if (path == null) {
            boolean nativeBlas = DenseBlas.isNative();
            // the chunks cost a pass over the plan and a sort: formed only where they may win
            if (cheapest(n, plan.activeCount, plan.entries, plan.entries, nativeBlas) == Path.CHUNKED) {
                chunks = Chunks.of(plan, rank);
            }
            path = cheapest(n, plan.activeCount, plan.entries, chunks == null ? -1 : chunks.work(), nativeBlas);
        }
        switch (path) {
            case DENSE -> {
                if (plan.dataMajor) {
                    denseOnActiveColumns(d, n, plan.p, plan.grid, out, plan.active, plan.activeCount);
                } else {
                    denseOnActiveRows(plan.p, plan.grid, d, n, out, plan.active, plan.activeCount);
                }
            }
            case SPARSE -> {
                Compressed c = compress(plan);
                if (plan.dataMajor) {
                    // (D P)(j, k) = Σ_i P(i, k) D(i, j)  (D symmetric): output column k, written with stride cols
                    blocked(d, n, c, plan.grid, out, 1, plan.grid, threads);
                } else {
                    // (P D)(r, j) = Σ_i P(r, i) D(i, j): output row r, contiguous
                    blocked(d, n, c, plan.grid, out, n, 1, threads);
                }
            }
            case CHUNKED -> chunked(d, plan, chunks != null ? chunks : Chunks.of(plan, rank), out, threads);
            default -> throw new AssertionError(path);
        }
        return new Product(plan.active, plan.activeCount, path);
    }

    /**
     * The path the cost model expects to be fastest for a product over {@code data} data points with
     * {@code activeCount} active grid points, {@code entries} kept plan entries and chunks doing
     * {@code chunkedWork} multiply–adds per data-point coordinate ({@code < 0}: not formed). Work is counted per
     * output coordinate and divided by the path's speed ({@link #DENSE_SPEED}).
     */
    static Path cheapest(int data, int activeCount, long entries, long chunkedWork, boolean nativeBlas) {
        if (!nativeBlas) {
            return Path.SPARSE;
        }
        double dense = (double) data * activeCount / DENSE_SPEED;
        double sparse = entries / SPARSE_SPEED;
        double best = Math.min(dense, sparse);
        if (chunkedWork >= 0 && chunkedWork / CHUNKED_SPEED < best) {
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
    private static void chunked(double[] d, Plan plan, Chunks chunks, double[] out, int threads) {
        int n = plan.data;
        int grid = plan.grid;
        Arrays.fill(out, 0, n * grid, 0.0);
        int widest = 0;
        for (int[] s : chunks.support()) {
            widest = Math.max(widest, s.length);
        }
        double[] rowsOfD = new double[CHUNK * n];
        double[] block = new double[CHUNK * widest];
        double[] temp = new double[n * widest];
        for (int c = 0; c < chunks.members().length; c++) {
            int[] m = chunks.members()[c];
            int[] s = chunks.support()[c];
            int w = m.length;
            int sw = s.length;
            for (int t = 0; t < w; t++) {
                System.arraycopy(d, m[t] * n, rowsOfD, t * n, n);
            }
            if (plan.dataMajor) {
                for (int t = 0; t < w; t++) {
                    for (int r = 0; r < sw; r++) {
                        block[t * sw + r] = plan.get(m[t], s[r]);
                    }
                }
                // temp (n × sw) = Aᵀ · P[chunk, S], added to the columns S of out
                DenseBlas.gemm(true, false, n, sw, w, 1.0, rowsOfD, block, 0.0, temp);
                Parallel.forRange(n, threads, sw, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        int off = i * grid;
                        int toff = i * sw;
                        for (int r = 0; r < sw; r++) {
                            out[off + s[r]] += temp[toff + r];
                        }
                    }
                });
            } else {
                for (int r = 0; r < sw; r++) {
                    for (int t = 0; t < w; t++) {
                        block[r * w + t] = plan.get(m[t], s[r]);
                    }
                }
                // temp (sw × n) = P[S, chunk] · A, added to the rows S of out
                DenseBlas.gemm(sw, n, w, 1.0, block, rowsOfD, 0.0, temp);
                Parallel.forRange(sw, threads, n, (from, to) -> {
                    for (int r = from; r < to; r++) {
                        int off = s[r] * n;
                        int toff = r * n;
                        for (int j = 0; j < n; j++) {
                            out[off + j] += temp[toff + j];
                        }
                    }
                });
            }
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
    private static void denseOnActiveColumns(double[] d, int n, double[] p, int cols, double[] out, boolean[] active,
            int count) {
        if (count == cols) {
            DenseBlas.gemm(n, cols, n, 1.0, d, p, 0.0, out);
            return;
        }
        int[] map = indices(active, count);
        double[] compact = new double[n * count];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < count; a++) {
                compact[i * count + a] = p[i * cols + map[a]];
            }
        }
        double[] product = new double[n * count];
        DenseBlas.gemm(n, count, n, 1.0, d, compact, 0.0, product);
        Arrays.fill(out, 0, n * cols, 0.0);
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < count; a++) {
                out[i * cols + map[a]] = product[i * count + a];
            }
        }
    }

    /** P · D through BLAS on the active rows of P. */
    private static void denseOnActiveRows(double[] p, int rows, double[] d, int n, double[] out, boolean[] active,
            int count) {
        if (count == rows) {
            DenseBlas.gemm(rows, n, n, 1.0, p, d, 0.0, out);
            return;
        }
        int[] map = indices(active, count);
        double[] compact = new double[count * n];
        for (int a = 0; a < count; a++) {
            System.arraycopy(p, map[a] * n, compact, a * n, n);
        }
        double[] product = new double[count * n];
        DenseBlas.gemm(count, n, n, 1.0, compact, d, 0.0, product);
        Arrays.fill(out, 0, rows * n, 0.0);
        for (int a = 0; a < count; a++) {
            System.arraycopy(product, a * n, out, map[a] * n, n);
        }
    }

    /**
     * {@code out = Q · D} for {@code Q} ({@code rows × N}) whose columns outside {@code active} are zero and
     * symmetric {@code D} ({@code N × N}): one GEMM over the {@code count} active columns of Q and rows of D.
     */
    static void activeTimesSymmetric(double[] q, int rows, double[] d, int big, boolean[] active, int count,
            double[] out) {
        int[] map = indices(active, count);
        double[] qa = new double[rows * count];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < count; a++) {
                qa[i * count + a] = q[i * big + map[a]];
            }
        }
        double[] da = new double[count * big];
        for (int a = 0; a < count; a++) {
            System.arraycopy(d, map[a] * big, da, a * big, big);
        }
        DenseBlas.gemm(rows, big, count, 1.0, qa, da, 0.0, out);
    }

    /**
     * {@code out = D · Q} for symmetric {@code D} ({@code N × N}) and {@code Q} ({@code N × cols}) whose rows
     * outside {@code active} are zero: {@code D(·, A) = D(A, ·)ᵀ}, one GEMM over the {@code count} active rows.
     */
    static void symmetricTimesActive(double[] d, int big, double[] q, int cols, boolean[] active, int count,
            double[] out) {
        int[] map = indices(active, count);
        double[] da = new double[count * big];
        double[] qa = new double[count * cols];
        for (int a = 0; a < count; a++) {
            System.arraycopy(d, map[a] * big, da, a * big, big);
            System.arraycopy(q, map[a] * cols, qa, a * cols, cols);
        }
        DenseBlas.gemm(true, false, big, cols, count, 1.0, da, qa, 0.0, out);
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
