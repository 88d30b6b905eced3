package org.gwembed.solvers;

import java.util.function.Consumer;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * Exact discrete optimal transport by the primal network simplex (the exact sub-solver of METHOD.md §2 and §8,
 * the counterpart of POT's {@code ot.emd} / {@code ot.emd2}).
 *
 * <p>Solves the transportation problem
 * <pre>
 *   min  Σ_ij C_ij P_ij   over  P ≥ 0,  Σ_j P_ij = a_i,  Σ_i P_ij = b_j
 * </pre>
 * and its dual {@code max Σ a_i u_i + Σ b_j v_j} subject to {@code u_i + v_j ≤ C_ij}, for a dense cost
 * {@code C} (row-major, {@code n × m}, any sign) and marginals {@code a, b ≥ 0} of equal total mass (within a
 * relative tolerance; {@code b} is rescaled to the mass of {@code a} before solving, as POT does). Rows and
 * columns of zero mass are removed before solving and re-inserted afterwards with duals
 * {@code v_j = min_i (C_ij − u_i)} (zero-mass columns, over the rows of positive mass) and
 * {@code u_i = min_j (C_ij − v_j)} (zero-mass rows, over all columns), so the returned duals are feasible on the
 * whole {@code n × m} grid.
 *
 * <p><b>Algorithm.</b> The primal network simplex on the complete bipartite network with an artificial root
 * (Kelly and O'Neill 1991; Király and Kovács 2012, the LEMON design that POT uses): the basis is a spanning
 * tree held as parent / predecessor-arc / preorder-thread / subtree-size arrays, node potentials are updated on
 * the re-hung subtree only, the entering arc is chosen by block search (the most negative reduced cost in the
 * first block of {@code ≈ √(nm)} arcs that has one, continuing cyclically), and the leaving arc by Cunningham's
 * rule, which keeps the tree strongly feasible so degenerate pivots cannot cycle. The artificial arcs
 * {@code i → root} (cost 0) and {@code root → j} (cost {@code max C + max|C|}) start a feasible basis; they
 * carry no flow at the optimum. A reduced cost counts as negative only below
 * {@code −pivotTolerance · max|C|}; at the end the potentials are recomputed exactly from the tree and
 * optimality is checked once more on every arc. Memory beyond the cost and the plan is {@code O(n + m)}.
 *
 * <p>References: J. B. Orlin, "A polynomial time primal network simplex algorithm for minimum cost flows",
 * Math. Programming 78 (1997); W. H. Cunningham, "A network simplex method", Math. Programming 11 (1976);
 * P. Kovács, "Minimum-cost flow algorithms: an experimental evaluation", Optim. Methods Softw. 30 (2015);
 * N. Bonneel, M. van de Panne, S. Paris, W. Heidrich, "Displacement interpolation using Lagrangian mass
 * transport", SIGGRAPH Asia 2011 (the code behind POT's {@code emd}).
 */
public final class ExactTransport {

    private ExactTransport() {
    }

    /** How a run ended. */
    public enum Status {
        /** No arc has a negative reduced cost: the plan is optimal and the duals feasible. */
        OPTIMAL,
        /**
         * The pivot budget {@link Options#maxIterations()} ran out: the plan is the last basic solution (it may
         * still route mass through the artificial root, which {@link Result#marginalError()} shows) and the
         * duals are not feasible in general.
         */
        MAX_ITERATIONS
    }

    /**
     * Settings of the network simplex.
     *
     * @param maxIterations  the pivot budget, {@code >= 1} (POT's {@code numItermax}; default 100 000 000)
     * @param massTolerance  the largest accepted relative difference of the total masses,
     *                       {@code |Σa − Σb| ≤ massTolerance · max(Σa, Σb)}, in {@code [0, 1)} (default 1e-9)
     * @param pivotTolerance relative threshold for a negative reduced cost: an arc may enter the basis only if
     *                       {@code C_ij − u_i − v_j < −pivotTolerance · max|C|}, in {@code (0, 1e-6]}
     *                       (default 1e-14)
     */
    public record Options(int maxIterations, double massTolerance, double pivotTolerance) {

        /** Validates every field. */
        public Options {
            Require.atLeast(maxIterations, 1, "maxIterations");
            if (!(massTolerance >= 0 && massTolerance < 1)) {
                throw new IllegalArgumentException("massTolerance must be in [0, 1), got " + massTolerance);
            }
            if (!(pivotTolerance > 0 && pivotTolerance <= 1e-6)) {
                throw new IllegalArgumentException("pivotTolerance must be in (0, 1e-6], got " + pivotTolerance);
            }
        }

        /** The defaults: 100 000 000 pivots, mass tolerance 1e-9, pivot tolerance 1e-14. */
        public static Options defaults() {
            return new Builder().build();
        }

        /** A copy with another pivot budget. */
        public Options withMaxIterations(int value) {
            return with(b -> b.maxIterations = value);
        }

        /** A copy with another relative mass tolerance. */
        public Options withMassTolerance(double value) {
            return with(b -> b.massTolerance = value);
        }

        /** A copy with another relative pivot tolerance. */
        public Options withPivotTolerance(double value) {
            return with(b -> b.pivotTolerance = value);
        }

        private Options with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /** The settings as mutable fields, initialised to {@link #defaults}: the one caller of the constructor. */
        private static final class Builder {
            int maxIterations = 100_000_000;
            double massTolerance = 1e-9;
            double pivotTolerance = 1e-14;

            Builder() {
            }

            Builder(Options o) {
                maxIterations = o.maxIterations;
                massTolerance = o.massTolerance;
                pivotTolerance = o.pivotTolerance;
            }

            Options build() {
                return new Options(maxIterations, massTolerance, pivotTolerance);
            }
        }
    }

    /**
     * The outcome of a run.
     *
     * @param plan          the transport plan, dense row-major {@code n × m} (at most {@code n + m − 1} non-zero
     *                      entries: a basic solution)
     * @param cost          {@code Σ_ij C_ij P_ij}
     * @param u             row duals ({@code n} entries)
     * @param v             column duals ({@code m} entries); at {@link Status#OPTIMAL},
     *                      {@code u_i + v_j ≤ C_ij} for all pairs (up to the pivot tolerance), with equality where
     *                      {@code P_ij > 0}, and {@code Σ a u + Σ b v = cost}
     * @param iterations    the number of pivots
     * @param status        how the run ended
     * @param marginalError {@code ‖P 1 − a‖₁ + ‖Pᵀ 1 − b‖₁} against the marginals as given
     */
    public record Result(double[] plan, double cost, double[] u, double[] v, int iterations, Status status,
                         double marginalError) {

        /** The number of rows {@code n}. */
        public int rows() {
            return u.length;
        }

        /** The number of columns {@code m}. */
        public int cols() {
            return v.length;
        }

        /** The plan entry {@code P_ij}. */
        public double plan(int i, int j) {
            return plan[i * v.length + j];
        }

        /** A copy of the plan as an {@code n × m} matrix. */
        public DMatrixRMaj planMatrix() {
            return new DMatrixRMaj(u.length, v.length, true, plan);
        }

        /** Whether the run ended at a proven optimum. */
        public boolean isOptimal() {
            return status == Status.OPTIMAL;
        }
    }

    /** {@link #solve(double[], double[], double[], int, int, Options)} with the default options. */
    public static Result solve(double[] a, double[] b, DMatrixRMaj cost) {
        return solve(a, b, cost, Options.defaults());
    }

    /**
     * Solves the transportation problem for the cost matrix {@code cost} ({@code a.length × b.length}). Nothing
     * is modified.
     *
     * @throws IllegalArgumentException if the shapes disagree, a weight is negative or not finite, a cost entry
     *                                  is not finite, or the total masses differ
     */
    public static Result solve(double[] a, double[] b, DMatrixRMaj cost, Options options) {
        Require.nonNull(cost, "cost");
        Require.nonNull(a, "a");
        Require.nonNull(b, "b");
        if (cost.numRows != a.length || cost.numCols != b.length) {
            throw new IllegalArgumentException("cost is " + cost.numRows + "x" + cost.numCols
                    + " but marginals have " + a.length + " and " + b.length + " entries");
        }
        return solve(a, b, cost.data, cost.numRows, cost.numCols, options);
    }

    /**
     * Solves the transportation problem for the row-major {@code n × m} cost {@code cost}
     * ({@code cost[i * m + j] = C_ij}; entries past {@code n · m} are ignored). Nothing is modified.
     *
     * @param a       row marginal, {@code n} finite entries {@code >= 0}
     * @param b       column marginal, {@code m} finite entries {@code >= 0}, same total mass as {@code a}
     * @param cost    the cost matrix, finite, any sign
     * @param n       the number of rows, {@code >= 1}
     * @param m       the number of columns, {@code >= 1}
     * @param options the settings
     * @throws IllegalArgumentException if the shapes disagree, a weight is negative or not finite, a cost entry
     *                                  is not finite, or the total masses differ
     */
    public static Result solve(double[] a, double[] b, double[] cost, int n, int m, Options options) {
        Require.nonNull(options, "options");
        double[] bScaled = validate(a, b, cost, n, m, options);

        int[] rows = positiveEntries(a);
        int[] cols = positiveEntries(bScaled);
        int nS = rows.length;
        int nD = cols.length;
        double[] plan = new double[n * m];
        double[] u = new double[n];
        double[] v = new double[m];
        if (nS == 0 || nD == 0) {
            // zero total mass: the empty plan is optimal; v = 0 and u_i = min_j C_ij are feasible duals
            fillDuals(cost, n, m, u, v, new boolean[n], new boolean[m]);
            return new Result(plan, 0, u, v, 0, Status.OPTIMAL, marginalError(plan, a, b, n, m));
        }

        double[] compact = compactCost(cost, n, m, rows, cols);
        double[] supply = new double[nS];
        for (int r = 0; r < nS; r++) {
            supply[r] = a[rows[r]];
        }
        double[] demand = new double[nD];
        for (int c = 0; c < nD; c++) {
            demand[c] = bScaled[cols[c]];
        }
        NetworkSimplex simplex = new NetworkSimplex(compact, supply, demand, options.pivotTolerance());
        Status status = simplex.run(options.maxIterations());

        boolean[] rowActive = new boolean[n];
        boolean[] colActive = new boolean[m];
        for (int r = 0; r < nS; r++) {
            rowActive[rows[r]] = true;
            u[rows[r]] = -simplex.pi[r];
        }
        for (int c = 0; c < nD; c++) {
            colActive[cols[c]] = true;
            v[cols[c]] = simplex.pi[nS + c];
        }
        fillDuals(cost, n, m, u, v, rowActive, colActive);

        double total = 0;
        for (int node = 0; node < nS + nD; node++) {
            int arc = simplex.pred[node];
            if (arc < simplex.arcCount) {
                int r = arc / nD;
                int c = arc - r * nD;
                int index = rows[r] * m + cols[c];
                plan[index] += simplex.flow[node];
                total += cost[index] * simplex.flow[node];
            }
        }
        return new Result(plan, total, u, v, simplex.iterations, status, marginalError(plan, a, b, n, m));
    }

    /** The optimal cost {@code min Σ C_ij P_ij} with the default options (see {@link #solve}). */
    public static double cost(double[] a, double[] b, DMatrixRMaj cost) {
        return solve(a, b, cost, Options.defaults()).cost();
    }

    /** The optimal cost {@code min Σ C_ij P_ij} for a row-major {@code n × m} cost, with the default options. */
    public static double cost(double[] a, double[] b, double[] cost, int n, int m) {
        return solve(a, b, cost, n, m, Options.defaults()).cost();
    }

    /** Checks every argument; returns {@code b} rescaled to the total mass of {@code a}. */
    private static double[] validate(double[] a, double[] b, double[] cost, int n, int m, Options options) {
        Require.nonNull(a, "a");
        Require.nonNull(b, "b");
        Require.nonNull(cost, "cost");
        Require.atLeast(n, 1, "rows n");
        Require.atLeast(m, 1, "columns m");
        if ((long) n * m > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cost is " + n + "x" + m + ", more than 2^31 entries");
        }
        if (a.length != n || b.length != m) {
            throw new IllegalArgumentException("cost is " + n + "x" + m + " but marginals have " + a.length
                    + " and " + b.length + " entries");
        }
        if (cost.length < n * m) {
            throw new IllegalArgumentException("cost has " + cost.length + " entries, expected " + n + "x" + m
                    + " = " + n * m);
        }
        double sumA = checkWeights(a, "a");
        double sumB = checkWeights(b, "b");
        for (int i = 0; i < n; i++) {
            for (int j = 0, k = i * m; j < m; j++, k++) {
                if (!Double.isFinite(cost[k])) {
                    throw new IllegalArgumentException("cost[" + i + "][" + j + "] must be finite, got " + cost[k]);
                }
            }
        }
        if (Math.abs(sumA - sumB) > options.massTolerance() * Math.max(sumA, sumB)) {
            throw new IllegalArgumentException("a and b must have the same total mass (within relative "
                    + options.massTolerance() + "), but a sums to " + sumA + " and b sums to " + sumB);
        }
        if (sumA == sumB || sumB == 0) {
            return b;
        }
        double scale = sumA / sumB;
        double[] scaled = new double[m];
        for (int j = 0; j < m; j++) {
            scaled[j] = b[j] * scale;
        }
        return scaled;
    }

    private static double checkWeights(double[] w, String name) {
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            if (!(w[i] >= 0) || !Double.isFinite(w[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be >= 0 and finite, got " + w[i]);
            }
            sum += w[i];
        }
        if (!Double.isFinite(sum)) {
            throw new IllegalArgumentException(name + " must have a finite total mass, got " + sum);
        }
        return sum;
    }

    private static int[] positiveEntries(double[] w) {
        int count = 0;
        for (double x : w) {
            if (x > 0) {
                count++;
            }
        }
        int[] idx = new int[count];
        for (int i = 0, k = 0; i < w.length; i++) {
            if (w[i] > 0) {
                idx[k++] = i;
            }
        }
        return idx;
    }

    /** The cost restricted to the given rows and columns; the input itself when nothing is dropped. */
    private static double[] compactCost(double[] cost, int n, int m, int[] rows, int[] cols) {
        if (rows.length == n && cols.length == m) {
            return cost;
        }
        double[] out = new double[rows.length * cols.length];
        for (int r = 0, k = 0; r < rows.length; r++) {
            int base = rows[r] * m;
            for (int c = 0; c < cols.length; c++) {
                out[k++] = cost[base + cols[c]];
            }
        }
        return out;
    }

    /**
     * Completes the duals of inactive (zero-mass) rows and columns: first every inactive column
     * {@code v_j = min over active i of (C_ij − u_i)} (0 if no row is active), then every inactive row
     * {@code u_i = min over all j of (C_ij − v_j)}. Both keep {@code u_i + v_j ≤ C_ij}.
     */
    private static void fillDuals(double[] cost, int n, int m, double[] u, double[] v, boolean[] rowActive,
                                  boolean[] colActive) {
        for (int j = 0; j < m; j++) {
            if (colActive[j]) {
                continue;
            }
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (rowActive[i]) {
                    best = Math.min(best, cost[i * m + j] - u[i]);
                }
            }
            v[j] = best == Double.POSITIVE_INFINITY ? 0 : best;
        }
        for (int i = 0; i < n; i++) {
            if (rowActive[i]) {
                continue;
            }
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0, k = i * m; j < m; j++, k++) {
                best = Math.min(best, cost[k] - v[j]);
            }
            u[i] = best;
        }
    }

    private static double marginalError(double[] plan, double[] a, double[] b, int n, int m) {
        double[] colSums = new double[m];
        double error = 0;
        for (int i = 0; i < n; i++) {
            double rowSum = 0;
            for (int j = 0, k = i * m; j < m; j++, k++) {
                rowSum += plan[k];
                colSums[j] += plan[k];
            }
            error += Math.abs(rowSum - a[i]);
        }
        for (int j = 0; j < m; j++) {
            error += Math.abs(colSums[j] - b[j]);
        }
        return error;
    }

    /**
     * The primal network simplex on the complete bipartite network of {@code nS} supply and {@code nD} demand
     * nodes (all masses {@code > 0}) plus an artificial root.
     *
     * <p>Nodes: supply {@code 0 .. nS−1}, demand {@code nS .. nS+nD−1}, root {@code nS+nD}. Arcs: the real arc
     * {@code e = r · nD + c} runs from supply {@code r} to demand {@code nS + c} with cost {@code cost[e]}; the
     * artificial arc {@code arcCount + x} joins node {@code x} and the root ({@code x → root} with cost 0 for
     * supply nodes, {@code root → x} with cost {@code artificialCost} for demand nodes).
     *
     * <p>The basis is a spanning tree rooted at the root. Every non-root node {@code x} stores its parent, the
     * tree arc to it ({@code pred}), whether that arc points up ({@code x → parent}), and its flow. The
     * preorder is a cyclic thread ({@code thread}, {@code revThread}) through all nodes, the root included, and
     * {@code subtreeSize} counts each node's subtree. Potentials {@code pi} make every tree arc tight:
     * {@code cost + pi[source] − pi[target] = 0} (so {@code u = −pi} on supply and {@code v = pi} on demand
     * nodes). Non-tree arcs carry no flow (the network is uncapacitated). The tree is kept strongly feasible:
     * every zero-flow tree arc points towards the root.
     */
    private static final class NetworkSimplex {

        final int nS;
        final int nD;
        final int root;
        final int arcCount;
        final double[] cost;
        final double artificialCost;
        final double epsilon;
        final int blockSize;

        final int[] parent;
        final int[] pred;
        final boolean[] up;
        final double[] flow;
        final int[] thread;
        final int[] revThread;
        final int[] subtreeSize;
        final double[] pi;

        // scratch for the tree update
        final int[] order;
        final int[] stem;
        final int[] stemPosition;
        final int[] stemMark;

        int nextArc;
        int iterations;

        NetworkSimplex(double[] cost, double[] supply, double[] demand, double pivotTolerance) {
            this.nS = supply.length;
            this.nD = demand.length;
            int nodes = nS + nD;
            this.root = nodes;
            this.arcCount = nS * nD;
            this.cost = cost;
            double max = Double.NEGATIVE_INFINITY;
            double maxAbs = 0;
            for (int e = 0; e < arcCount; e++) {
                max = Math.max(max, cost[e]);
                maxAbs = Math.max(maxAbs, Math.abs(cost[e]));
            }
            double scale = maxAbs > 0 ? maxAbs : 1;
            // any artificial cost above max C makes routing through the root strictly worse than a real arc
            this.artificialCost = max + scale;
            this.epsilon = pivotTolerance * scale;
            this.blockSize = Math.max(10, (int) Math.ceil(Math.sqrt(arcCount)));

            parent = new int[nodes + 1];
            pred = new int[nodes + 1];
            up = new boolean[nodes + 1];
            flow = new double[nodes + 1];
            thread = new int[nodes + 1];
            revThread = new int[nodes + 1];
            subtreeSize = new int[nodes + 1];
            pi = new double[nodes + 1];
            order = new int[nodes + 1];
            stem = new int[nodes + 1];
            stemPosition = new int[nodes + 1];
            stemMark = new int[nodes + 1];
            java.util.Arrays.fill(stemMark, -1);

            // initial strongly feasible basis: every node hangs from the root by its artificial arc; the
            // demand arcs root → j point away from the root but carry b_j > 0
            for (int x = 0; x < nodes; x++) {
                parent[x] = root;
                pred[x] = arcCount + x;
                subtreeSize[x] = 1;
                if (x < nS) {
                    up[x] = true;
                    flow[x] = supply[x];
                    pi[x] = 0;
                } else {
                    up[x] = false;
                    flow[x] = demand[x - nS];
                    pi[x] = artificialCost;
                }
            }
            parent[root] = -1;
            pred[root] = -1;
            subtreeSize[root] = nodes + 1;
            for (int x = 0; x < nodes; x++) {
                link(x, x + 1);
            }
            link(root, 0);
        }

        Status run(int maxIterations) {
            while (true) {
                int entering = findEnteringArc();
                if (entering < 0) {
                    // confirm on exact potentials before declaring optimality
                    recomputePotentials();
                    entering = findEnteringArc();
                    if (entering < 0) {
                        return Status.OPTIMAL;
                    }
                }
                if (iterations >= maxIterations) {
                    recomputePotentials();
                    return Status.MAX_ITERATIONS;
                }
                pivot(entering);
                iterations++;
            }
        }

        private void link(int from, int to) {
            thread[from] = to;
            revThread[to] = from;
        }

        private double arcCost(int e) {
            if (e < arcCount) {
                return cost[e];
            }
            return e - arcCount < nS ? 0 : artificialCost;
        }

        /**
         * Block search: scans the real arcs cyclically from {@code nextArc} in blocks of {@code blockSize} and
         * returns the arc with the most negative reduced cost in the first block that has one below
         * {@code −epsilon}, or −1 after a full cycle without any.
         */
        private int findEnteringArc() {
            final double[] c = cost;
            final double[] p = pi;
            final int[] pred = this.pred;
            final int offset = nS;
            double min = -epsilon;
            int best = -1;
            int left = blockSize;
            int r = nextArc / nD;
            int col = nextArc - r * nD;
            for (int scanned = 0; scanned < arcCount; ) {
                int len = Math.min(nD - col, Math.min(left, arcCount - scanned));
                int base = r * nD;
                double pr = p[r];
                for (int k = col, end = col + len; k < end; k++) {
                    double reduced = c[base + k] + pr - p[offset + k];
                    // a basic arc has reduced cost 0 up to round-off; never let it enter
                    if (reduced < min && pred[r] != base + k && pred[offset + k] != base + k) {
                        min = reduced;
                        best = base + k;
                    }
                }
                scanned += len;
                left -= len;
                col += len;
                if (col == nD) {
                    col = 0;
                    r = r + 1 == nS ? 0 : r + 1;
                }
                if (left == 0) {
                    if (best >= 0) {
                        break;
                    }
                    left = blockSize;
                }
            }
            nextArc = r * nD + col;
            return best;
        }

        /** One simplex pivot on the entering real arc {@code e} (reduced cost < 0). */
        private void pivot(int e) {
            int s = e / nD;
            int t = nS + (e - s * nD);
            double reduced = cost[e] + pi[s] - pi[t];

            // apex of the cycle: climb from the endpoint with the smaller subtree
            int x = s;
            int y = t;
            while (x != y) {
                if (subtreeSize[x] < subtreeSize[y]) {
                    x = parent[x];
                } else {
                    y = parent[y];
                }
            }
            int join = x;

            // Flow is pushed along s → t, up from t to the apex and down from the apex to s. Only arcs against
            // that direction can block; Cunningham's rule takes the last blocking arc met when walking the cycle
            // in the flow direction from the apex (strict < on the s side, <= on the t side).
            double delta = Double.POSITIVE_INFINITY;
            int leaving = -1;
            boolean onSourceSide = false;
            for (int z = s; z != join; z = parent[z]) {
                if (up[z] && flow[z] < delta) {
                    delta = flow[z];
                    leaving = z;
                    onSourceSide = true;
                }
            }
            for (int z = t; z != join; z = parent[z]) {
                if (!up[z] && flow[z] <= delta) {
                    delta = flow[z];
                    leaving = z;
                    onSourceSide = false;
                }
            }
            if (leaving < 0) {
                // impossible: the bipartite network has no directed cycle, so every cycle has a blocking arc
                throw new IllegalStateException("network simplex found an unbounded cycle");
            }
            if (delta > 0) {
                for (int z = s; z != join; z = parent[z]) {
                    flow[z] += up[z] ? -delta : delta;
                }
                for (int z = t; z != join; z = parent[z]) {
                    flow[z] += up[z] ? delta : -delta;
                }
            }
            if (onSourceSide) {
                // the subtree cut off contains s: it is re-hung under t by the arc s → t (pointing up)
                rehang(s, t, e, true, delta, leaving, join, -reduced);
            } else {
                rehang(t, s, e, false, delta, leaving, join, reduced);
            }
        }

        /**
         * Removes the tree arc above {@code out}, re-roots the cut-off subtree at {@code in} (reversing the stem
         * path {@code in → … → out}) and hangs it under {@code attach} by the entering arc; shifts the subtree's
         * potentials by {@code sigma}.
         */
        private void rehang(int in, int attach, int enteringArc, boolean enteringUp, double enteringFlow, int out,
                            int join, double sigma) {
            int size = subtreeSize[out];
            int oldParent = parent[out];

            int k = 0;
            stem[0] = in;
            for (int z = in; z != out; ) {
                z = parent[z];
                stem[++k] = z;
            }
            for (int q = 0; q <= k; q++) {
                stemMark[stem[q]] = q;
            }

            // the cut-off subtree in its old preorder; shift its potentials on the way
            int z = out;
            for (int idx = 0; idx < size; idx++) {
                order[idx] = z;
                pi[z] += sigma;
                int mark = stemMark[z];
                if (mark >= 0) {
                    stemPosition[mark] = idx;
                    stemMark[z] = -1;
                }
                z = thread[z];
            }
            int after = z;
            link(revThread[out], after);

            // New preorder of the re-rooted subtree: in's old subtree, then for each next stem node s_q the part
            // of its old subtree before s_(q-1)'s subtree (starting with s_q itself) and the part after it.
            // Each piece is contiguous in the old preorder, so only the joints need relinking.
            int prevStart = stemPosition[0];
            int prevEnd = prevStart + subtreeSize[in];
            int last = order[prevEnd - 1];
            for (int q = 1; q <= k; q++) {
                int start = stemPosition[q];
                int end = start + subtreeSize[stem[q]];
                link(last, order[start]);
                last = order[prevStart - 1];
                if (prevEnd < end) {
                    link(last, order[prevEnd]);
                    last = order[end - 1];
                }
                prevStart = start;
                prevEnd = end;
            }
            int next = thread[attach];
            link(attach, in);
            link(last, next);

            // subtree sizes above the change (paths below the apex only: above it they cancel)
            for (int w = oldParent; w != join; w = parent[w]) {
                subtreeSize[w] -= size;
            }
            for (int w = attach; w != join; w = parent[w]) {
                subtreeSize[w] += size;
            }

            // reverse the stem: s_q now hangs from s_(q-1) by the arc that joined them
            for (int q = k; q >= 1; q--) {
                int node = stem[q];
                int child = stem[q - 1];
                parent[node] = child;
                pred[node] = pred[child];
                up[node] = !up[child];
                flow[node] = flow[child];
                subtreeSize[node] = size - subtreeSize[child];
            }
            parent[in] = attach;
            pred[in] = enteringArc;
            up[in] = enteringUp;
            flow[in] = enteringFlow;
            subtreeSize[in] = size;
        }

        /** Recomputes every potential from the tree (root at 0), removing the drift of incremental updates. */
        private void recomputePotentials() {
            pi[root] = 0;
            for (int x = thread[root]; x != root; x = thread[x]) {
                double c = arcCost(pred[x]);
                pi[x] = up[x] ? pi[parent[x]] - c : pi[parent[x]] + c;
            }
        }
    }
}
