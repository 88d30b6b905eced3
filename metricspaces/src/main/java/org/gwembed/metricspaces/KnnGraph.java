package org.gwembed.metricspaces;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;

/**
 * Shortest-path (geodesic) distances in the k-nearest-neighbour graph of a point set (METHOD.md §1, "point
 * clouds"): the input metric of the paper (10-NN graph distances) and of SCOT and JointMDS.
 *
 * <p><b>Graph.</b> Each point {@code i} is joined to its {@code k} nearest other points under
 * {@link Options#metric()} — or to its {@code k − 1} nearest other points when {@link Options#includeSelf()} is
 * set, because the point then counts as its own first neighbour (scikit-learn's
 * {@code kneighbors_graph(X, k, include_self=True)}). The graph is undirected: {@code {i, j}} is an edge when
 * {@code j} is among {@code i}'s neighbours <em>or</em> {@code i} among {@code j}'s, which is what SciPy's
 * {@code dijkstra(G, directed=False)} makes of scikit-learn's directed graph (it uses the smaller of the two
 * directed weights; here both are equal because the distance matrix is exactly symmetric). An edge is as long
 * as the distance between its ends ({@link Weighting#DISTANCE}) or 1 ({@link Weighting#CONNECTIVITY}, hop counts).
 * <b>Ties</b> between candidates at equal distance are broken by the lower point index (scikit-learn's order is
 * unspecified for ties).
 *
 * <p><b>Geodesics.</b> Dijkstra from every point ({@link GraphGeodesics#allPairs}). If the graph is disconnected
 * some pairs have no path: {@link Unreachable#ERROR} rejects the input with the component count and sizes,
 * {@link Unreachable#LARGEST_FINITE} replaces every infinite distance by the largest finite one (SCOT's rule:
 * {@code D[D > max(D[D != inf])] = max(...)}).
 *
 * <p><b>SCOT's variant</b> ({@link Options#scot(int)}), as in SCOT's {@code utils.get_graph_distance_matrix} with
 * its default {@code mode="connectivity", metric="correlation"} on data first passed through
 * {@code normalize(X, norm="l2")}: l2-normalised rows, correlation distance, connectivity weights (so the
 * geodesic is a hop count), self included (so only {@code k − 1} other neighbours), unreachable pairs set to the
 * largest finite distance. SCOT then divides by the maximum ({@link DenseMetricSpace#normalizedToMax(double)}
 * with 1); JointMDS divides by the mean ({@link DistanceMatrices#normalizedToMean(MetricSpace, double)} with 1).
 * The paper's "10-NN graph distances" are {@link Options#euclidean(int)} with {@code k = 10}: Euclidean edge
 * lengths, self excluded, disconnection an error. This class does not normalise.
 */
public final class KnnGraph {

    private KnnGraph() {
    }

    /** The dissimilarity that decides who is whose neighbour (and the edge lengths with {@link Weighting#DISTANCE}). */
    public enum Metric {
        /** {@link PointClouds#euclideanDistances(DMatrixRMaj, int)}. */
        EUCLIDEAN,
        /** {@link PointClouds#correlationDistances(DMatrixRMaj, int)}: 1 − Pearson correlation of the rows. */
        CORRELATION,
        /** 1 − the cosine of the angle between the rows (SciPy's {@code 'cosine'}); a zero row is refused. */
        COSINE;

        /** The same metric for {@link KnnSearch}. */
        KnnSearch.Metric search() {
            return switch (this) {
                case EUCLIDEAN -> KnnSearch.Metric.EUCLIDEAN;
                case CORRELATION -> KnnSearch.Metric.CORRELATION;
                case COSINE -> KnnSearch.Metric.COSINE;
            };
        }
    }

    /** Edge lengths. */
    public enum Weighting {
        /** An edge is as long as the metric distance between its ends (scikit-learn's {@code mode="distance"}). */
        DISTANCE,
        /** Every edge has length 1, geodesics count hops (scikit-learn's {@code mode="connectivity"}). */
        CONNECTIVITY
    }

    /** What to do with pairs of points in different connected components. */
    public enum Unreachable {
        /** Reject the input: an {@link IllegalArgumentException} names the component count and sizes. */
        ERROR,
        /** Replace every infinite geodesic by the largest finite one (SCOT, JointMDS). */
        LARGEST_FINITE
    }

    /**
     * Graph settings.
     *
     * @param k               neighbours per point, {@code >= 1} (counting the point itself when {@code includeSelf})
     * @param metric          the neighbour metric
     * @param weighting       the edge lengths
     * @param includeSelf     whether a point counts as one of its own {@code k} neighbours
     * @param l2NormalizeRows whether rows are scaled to unit l2 norm before distances are taken
     * @param unreachable     the rule for pairs without a path
     * @param threads         worker threads for distances and Dijkstra, {@code >= 1}
     */
    public record Options(int k, Metric metric, Weighting weighting, boolean includeSelf, boolean l2NormalizeRows,
            Unreachable unreachable, int threads) {

        /** Validates the settings. */
        public Options {
            Require.atLeast(k, 1, "k");
            Require.nonNull(metric, "metric");
            Require.nonNull(weighting, "weighting");
            Require.nonNull(unreachable, "unreachable");
            Require.atLeast(threads, 1, "threads");
        }

        /** The paper's 10-NN graph distances: {@link #euclidean(int) euclidean(10)}. */
        public static Options defaults() {
            return euclidean(10);
        }

        /**
         * The paper's k-NN graph distances: Euclidean metric and edge lengths, self excluded, raw rows,
         * disconnection an error, all available processors.
         */
        public static Options euclidean(int k) {
            Builder b = new Builder();
            b.k = k;
            return b.build();
        }

        /**
         * SCOT's graph (see the class comment): l2-normalised rows, correlation metric, connectivity weights, self
         * included, unreachable pairs set to the largest finite distance, all available processors. SCOT used
         * {@code k = 110} for SNAREseq and {@code k = 35} for scGEM.
         */
        public static Options scot(int k) {
            Builder b = new Builder();
            b.k = k;
            b.metric = Metric.CORRELATION;
            b.weighting = Weighting.CONNECTIVITY;
            b.includeSelf = true;
            b.l2NormalizeRows = true;
            b.unreachable = Unreachable.LARGEST_FINITE;
            return b.build();
        }

        /** A copy with another {@code k}. */
        public Options withK(int newK) {
            return with(b -> b.k = newK);
        }

        /** A copy with another metric. */
        public Options withMetric(Metric newMetric) {
            return with(b -> b.metric = newMetric);
        }

        /** A copy with another weighting. */
        public Options withWeighting(Weighting newWeighting) {
            return with(b -> b.weighting = newWeighting);
        }

        /** A copy with another self-inclusion setting. */
        public Options withIncludeSelf(boolean newIncludeSelf) {
            return with(b -> b.includeSelf = newIncludeSelf);
        }

        /** A copy with another row-normalisation setting. */
        public Options withL2NormalizeRows(boolean newL2NormalizeRows) {
            return with(b -> b.l2NormalizeRows = newL2NormalizeRows);
        }

        /** A copy with another rule for unreachable pairs. */
        public Options withUnreachable(Unreachable newUnreachable) {
            return with(b -> b.unreachable = newUnreachable);
        }

        /** A copy with another thread count. */
        public Options withThreads(int newThreads) {
            return with(b -> b.threads = newThreads);
        }

        private Options with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /**
         * The settings as mutable fields, initialised to {@link #euclidean}'s (k = 10): the one caller of the
         * constructor.
         */
        private static final class Builder {
            int k = 10;
            Metric metric = Metric.EUCLIDEAN;
            Weighting weighting = Weighting.DISTANCE;
            boolean includeSelf;
            boolean l2NormalizeRows;
            Unreachable unreachable = Unreachable.ERROR;
            int threads = GraphGeodesics.defaultThreads();

            Builder() {
            }

            Builder(Options o) {
                k = o.k;
                metric = o.metric;
                weighting = o.weighting;
                includeSelf = o.includeSelf;
                l2NormalizeRows = o.l2NormalizeRows;
                unreachable = o.unreachable;
                threads = o.threads;
            }

            Options build() {
                return new Options(k, metric, weighting, includeSelf, l2NormalizeRows, unreachable, threads);
            }
        }

        /** E.g. {@code "10-NN graph (EUCLIDEAN, DISTANCE, self excluded)"}. */
        String describe() {
            return k + "-NN graph (" + (l2NormalizeRows ? "l2-normalised rows, " : "") + metric + ", " + weighting
                    + ", self " + (includeSelf ? "included" : "excluded") + ")";
        }
    }

    /**
     * The geodesic distances with what was learned on the way.
     *
     * @param distances     the geodesic distances (after the {@link Unreachable} rule), not normalised
     * @param graph         the undirected k-NN graph
     * @param components    its connected components, largest first, each sorted increasingly
     * @param replacedPairs the number of ordered pairs {@code (i, j)} whose infinite distance was replaced
     */
    public record Result(DenseMetricSpace distances, WeightedGraph graph, List<int[]> components, long replacedPairs) {

        /** Copies the component list. */
        public Result {
            Require.nonNull(distances, "distances");
            Require.nonNull(graph, "graph");
            components = List.copyOf(Require.nonNull(components, "components"));
        }
    }

    /**
     * The geodesic distances of the k-NN graph (see the class comment).
     *
     * @param points  {@code n × d} feature matrix, one point per row, finite (not modified)
     * @param options the graph settings
     * @throws IllegalArgumentException if the points are not finite, {@code k} is too large for {@code n}, a row is
     *                                  constant under the correlation metric, or the graph is disconnected under
     *                                  {@link Unreachable#ERROR}
     */
    public static DenseMetricSpace geodesics(DMatrixRMaj points, Options options) {
        return compute(points, options).distances();
    }

    /** As {@link #geodesics(DMatrixRMaj, Options)}, with the graph, its components and the replacement count. */
    public static Result compute(DMatrixRMaj points, Options options) {
        return geodesicsOf(graph(points, options), options);
    }

    /**
     * As {@link #compute(DMatrixRMaj, Options)} for sparse rows (10x counts, CSR AnnData): the neighbours by
     * {@link KnnSearch}'s exact search over sparse dot products, so the rows are never densified and no {@code n × n}
     * distance matrix is formed before the geodesics. The graph is the dense path's (same neighbours, up to ties
     * closer than rounding; Euclidean edge lengths computed exactly).
     *
     * @throws IllegalArgumentException as for {@link #geodesics(DMatrixRMaj, Options)}
     */
    public static Result compute(SparseRows points, Options options) {
        return geodesicsOf(graph(points, options), options);
    }

    /** The k-NN graph of sparse rows (see {@link #compute(SparseRows, Options)}). */
    public static WeightedGraph graph(SparseRows points, Options options) {
        Require.nonNull(points, "points");
        Require.nonNull(options, "options");
        int n = points.rows();
        requireK(n, options);
        SparseRows x = options.l2NormalizeRows() ? l2Normalized(points) : points;
        int m = options.includeSelf() ? options.k() - 1 : options.k();
        KnnSearch.Neighbours nn = KnnSearch.search(x, m, options.metric().search(), options.threads());
        WeightedGraph.Builder b = WeightedGraph.builder(n);
        boolean hops = options.weighting() == Weighting.CONNECTIVITY;
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < nn.index()[i].length; t++) {
                b.addEdge(i, nn.index()[i][t], hops ? 1.0 : nn.distance()[i][t]);
            }
        }
        return b.build();
    }

    /** Requires {@code k} neighbours to exist among {@code n} points. */
    private static void requireK(int n, Options options) {
        int maxK = options.includeSelf() ? n : n - 1;
        if (options.k() > maxK) {
            throw new IllegalArgumentException("k = " + options.k() + " is too large for " + n
                    + " points: k must be <= " + maxK + (options.includeSelf() ? " (n, self included)"
                            : " (n - 1, self excluded)"));
        }
    }

    /** Rows scaled to unit l2 norm (zero rows stay zero), as {@link PointClouds#l2NormalizedRows}. */
    private static SparseRows l2Normalized(SparseRows x) {
        double[] v = x.values().clone();
        for (int i = 0; i < x.rows(); i++) {
            double ss = 0;
            for (int p = x.rowStart()[i]; p < x.rowStart()[i + 1]; p++) {
                ss += v[p] * v[p];
            }
            double norm = Math.sqrt(ss);
            if (norm > 0) {
                for (int p = x.rowStart()[i]; p < x.rowStart()[i + 1]; p++) {
                    v[p] /= norm;
                }
            }
        }
        return new SparseRows(x.rows(), x.cols(), x.rowStart(), x.columns(), v);
    }

    private static Result geodesicsOf(WeightedGraph graph, Options options) {
        int n = graph.vertexCount();
        List<int[]> components = graph.connectedComponents();
        if (components.size() > 1 && options.unreachable() == Unreachable.ERROR) {
            int shown = Math.min(components.size(), 10);
            int[] sizes = new int[shown];
            for (int c = 0; c < shown; c++) {
                sizes[c] = components.get(c).length;
            }
            throw new IllegalArgumentException("the " + options.describe() + " of " + n + " points is disconnected: "
                    + components.size() + " connected components of sizes " + Arrays.toString(sizes)
                    + (shown < components.size() ? " (largest " + shown + " shown)" : "")
                    + "; increase k, or use Unreachable.LARGEST_FINITE (SCOT's rule)");
        }
        DMatrixRMaj d = GraphGeodesics.allPairs(graph, options.threads());
        long replaced = 0;
        if (components.size() > 1) {
            double largest = 0;
            for (double v : d.data) {
                if (v != Double.POSITIVE_INFINITY && v > largest) {
                    largest = v;
                }
            }
            for (int t = 0; t < d.data.length; t++) {
                if (d.data[t] == Double.POSITIVE_INFINITY) {
                    d.data[t] = largest;
                    replaced++;
                }
            }
        }
        String description = options.describe() + " geodesics of " + n + " points"
                + (replaced > 0 ? " (" + components.size() + " components, " + replaced
                        + " unreachable pairs set to the largest finite distance)" : "");
        return new Result(DenseMetricSpace.adopt(d, null, List.of(), description), graph, components, replaced);
    }

    /**
     * The undirected k-NN graph itself (see the class comment).
     *
     * @throws IllegalArgumentException as for {@link #geodesics(DMatrixRMaj, Options)}, except for disconnection
     */
    public static WeightedGraph graph(DMatrixRMaj points, Options options) {
        Require.nonNull(options, "options");
        DMatrixRMaj d = neighbourDistances(points, options);
        int n = d.numRows;
        int[][] nn = neighbours(d, options);
        WeightedGraph.Builder b = WeightedGraph.builder(n);
        boolean hops = options.weighting() == Weighting.CONNECTIVITY;
        for (int i = 0; i < n; i++) {
            for (int j : nn[i]) {
                b.addEdge(i, j, hops ? 1.0 : d.data[i * n + j]);
            }
        }
        return b.build();
    }

    /** The {@code n × n} metric distances between the (optionally normalised) rows, after checking k against n. */
    static DMatrixRMaj neighbourDistances(DMatrixRMaj points, Options options) {
        PointClouds.requirePoints(points, "points");
        int n = points.numRows;
        requireK(n, options);
        DMatrixRMaj x = options.l2NormalizeRows() ? PointClouds.l2NormalizedRows(points) : points;
        return switch (options.metric()) {
            case EUCLIDEAN -> PointClouds.euclideanDistances(x, options.threads());
            case CORRELATION -> PointClouds.correlationDistances(x, options.threads());
            case COSINE -> cosineDistances(x, options.threads());
        };
    }

    /** {@code 1 − cos} between the rows, clipped to [0, 2], zero diagonal. */
    private static DMatrixRMaj cosineDistances(DMatrixRMaj points, int threads) {
        int n = points.numRows;
        int d = points.numCols;
        DMatrixRMaj u = PointClouds.l2NormalizedRows(points);
        for (int i = 0; i < n; i++) {
            double ss = 0;
            for (int k = 0; k < d; k++) {
                ss += u.data[i * d + k] * u.data[i * d + k];
            }
            if (!(ss > 0)) {
                throw new IllegalArgumentException("points row " + i + " is zero, so its cosine distance to other "
                        + "rows is undefined");
            }
        }
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        Parallel.forEach(n, threads, i -> {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += u.data[i * d + k] * u.data[j * d + k];
                }
                out.data[i * n + j] = i == j ? 0 : Math.min(2.0, Math.max(0.0, 1 - s));
            }
        });
        return out;
    }

    /**
     * Each point's neighbours other than itself ({@code k}, or {@code k − 1} when self is included), nearest first,
     * ties by lower index.
     */
    static int[][] neighbours(DMatrixRMaj distances, Options options) {
        int n = distances.numRows;
        int m = options.includeSelf() ? options.k() - 1 : options.k();
        int[][] out = new int[n][];
        double[] d = distances.data;
        Parallel.forEach(n, options.threads(), i -> out[i] = nearest(d, i * n, n, i, m));
        return out;
    }

    /**
     * The {@code m} points {@code j != i} with the smallest {@code (d(i, j), j)}, in that order, where
     * {@code d(i, j) = d[row + j]}.
     */
    static int[] nearest(double[] d, int row, int n, int i, int m) {
        if (m == 0) {
            return new int[0];
        }
        // Bounded max-heap on (distance, index): the root is the worst of the best m seen so far.
        double[] hd = new double[m];
        int[] hi = new int[m];
        int size = 0;
        for (int j = 0; j < n; j++) {
            if (j == i) {
                continue;
            }
            double v = d[row + j];
            if (size < m) {
                int c = size++;
                while (c > 0) {
                    int p = (c - 1) >>> 1;
                    if (!worse(v, j, hd[p], hi[p])) {
                        break;
                    }
                    hd[c] = hd[p];
                    hi[c] = hi[p];
                    c = p;
                }
                hd[c] = v;
                hi[c] = j;
            } else if (worse(hd[0], hi[0], v, j)) {
                int c = 0;
                while (true) {
                    int l = 2 * c + 1;
                    if (l >= m) {
                        break;
                    }
                    int r = l + 1;
                    int w = r < m && worse(hd[r], hi[r], hd[l], hi[l]) ? r : l;
                    if (!worse(hd[w], hi[w], v, j)) {
                        break;
                    }
                    hd[c] = hd[w];
                    hi[c] = hi[w];
                    c = w;
                }
                hd[c] = v;
                hi[c] = j;
            }
        }
        Integer[] order = new Integer[size];
        for (int t = 0; t < size; t++) {
            order[t] = t;
        }
        Arrays.sort(order, (a, b) -> worse(hd[a], hi[a], hd[b], hi[b]) ? 1
                : worse(hd[b], hi[b], hd[a], hi[a]) ? -1 : 0);
        int[] result = new int[size];
        for (int t = 0; t < size; t++) {
            result[t] = hi[order[t]];
        }
        return result;
    }

    /** Whether {@code (da, ia)} comes after {@code (db, ib)} in (distance, index) order. */
    private static boolean worse(double da, int ia, double db, int ib) {
        return da > db || (da == db && ia > ib);
    }
}
