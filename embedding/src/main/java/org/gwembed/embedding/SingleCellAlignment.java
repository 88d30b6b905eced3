package org.gwembed.embedding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Decimals;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;
import org.gwembed.metricspaces.Coordinates;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.FeatureMatrices;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.gwembed.metricspaces.KnnGraph;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.solvers.Precision;

/**
 * The single-cell alignment protocol of the paper (§6.2, METHOD.md §6): two feature tables of the same cells →
 * k-NN graph geodesics (scaled to max 1) → EW_λ on a plane grid for every candidate (graph variant × λ) →
 * barycentric projections → the candidate with the lowest symmetric FOSCTTM on a validation split, FOSCTTM and
 * label transfer on the other cells; and JMDS (Chen et al. 2023, its authors' single-cell settings) on the same
 * geodesics divided by their mean, its graph chosen on the same split.
 *
 * <pre>
 * SingleCellAlignment.Report r = SingleCellAlignment.align(new Data(x, y, labelsX, labelsY),
 *         Protocol.defaults().withMethod(Method.BOTH));
 * r.ewl().selection().best().test().symmetric();
 * </pre>
 *
 * <p>Progress goes to the protocol's {@link ProgressListener}: a {@link ProgressListener#stage stage} per candidate
 * and per JMDS run, each outer iteration of EW_λ.
 */
public final class SingleCellAlignment {

    /** The embedding space is scaled to this largest distance, as the reference does. */
    public static final double MAX_LENGTH = 1.3;
    /** Neighbours of the k-NN label-transfer classifier on the projections. */
    public static final int TRANSFER_NEIGHBOURS = 5;

    private SingleCellAlignment() {
    }

    /** Which methods run. */
    public enum Method {
        /** EW_λ only. */
        EWL,
        /** JMDS only. */
        JMDS,
        /** EW_λ, then JMDS. */
        BOTH
    }

    /** How the validation cells are chosen. */
    public enum SplitKind {
        /** A seeded random fraction of the cells. */
        RANDOM,
        /** The first cells, as the reference code (degenerate when the rows are sorted by cell type). */
        FIRST
    }

    /** The k-NN graph variants. */
    public enum Graph {
        /** The paper's graph: Euclidean edge lengths, self excluded ({@link KnnGraph.Options#euclidean}). */
        EUCLIDEAN,
        /** SCOT's graph: l2-normalised rows, correlation metric, connectivity weights ({@link KnnGraph.Options#scot}). */
        SCOT;

        /** The graph's name in labels and reports ({@code euclidean}, {@code scot}). */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The features and (optionally) the labels of both modalities; row i of {@code x} and of {@code y} is one cell.
     *
     * @param x        cells × features of modality 1, dense or sparse (sparse rows stay sparse: the k-NN graphs are
     *                 built by {@link KnnGraph#compute(org.gwembed.metricspaces.SparseRows, KnnGraph.Options)})
     * @param y        cells × features of modality 2 (the same cells, in the same order)
     * @param classesX class index per cell of {@code x}, or null
     * @param classesY class index per cell of {@code y}, or null (both or neither)
     */
    public record Data(FeatureMatrices.Rows x, FeatureMatrices.Rows y, int[] classesX, int[] classesY) {
        public Data {
            Require.nonNull(x, "x");
            Require.nonNull(y, "y");
            if (x.rows() != y.rows()) {
                throw new IllegalArgumentException("x has " + x.rows() + " rows but y has " + y.rows()
                        + "; the two modalities must list the same cells in the same order");
            }
            if ((classesX == null) != (classesY == null)) {
                throw new IllegalArgumentException("give the classes of both modalities, or of neither");
            }
            if (classesX != null && (classesX.length != x.rows() || classesY.length != y.rows())) {
                throw new IllegalArgumentException("classes have " + classesX.length + " and " + classesY.length
                        + " entries but there are " + x.rows() + " cells");
            }
        }

        /** Dense modalities. */
        public Data(DMatrixRMaj x, DMatrixRMaj y, int[] classesX, int[] classesY) {
            this(FeatureMatrices.Rows.of(Require.nonNull(x, "x")), FeatureMatrices.Rows.of(Require.nonNull(y, "y")),
                    classesX, classesY);
        }

        /** The number of cells. */
        public int cells() {
            return x.rows();
        }
    }

    /**
     * The protocol's settings (the paper's by {@link #defaults()}).
     *
     * @param method             which methods run
     * @param graphs             the graph variants among the candidates (and JMDS's choices)
     * @param k                  neighbours of the k-NN graphs
     * @param lambdas            the candidate λ of EW_λ
     * @param grid               side of the plane grid
     * @param epsilon            relative ε (reference cost scaling)
     * @param outerIterations    outer iterations per EW_λ run
     * @param precision          precision of the dense kernels and products
     * @param warmStart          warm inner starts ({@link JointEmbedding.Options#withWarmInnerStarts()})
     * @param overRelaxation     over-relaxed inner solves ({@link JointEmbedding.Options#withOverRelaxedInnerSolves()}; on by
     *                           default, off for the authors' iterates)
     * @param validationFraction fraction of the cells that choose the hyper-parameters, in (0, 1)
     * @param split              how the validation cells are chosen
     * @param seed               seed of the random split and of JMDS
     * @param jmdsIterations     JMDS outer iterations (its authors: 100 for SNAREseq, 500 for scGEM)
     * @param threads            worker threads
     * @param listener           progress
     */
    public record Protocol(Method method, List<Graph> graphs, int k, List<Double> lambdas, int grid, double epsilon,
            int outerIterations, Precision precision, boolean warmStart, boolean overRelaxation,
            double validationFraction, SplitKind split, long seed, int jmdsIterations, int threads,
            ProgressListener listener) {

        public Protocol {
            Require.nonNull(method, "method");
            Require.nonNull(graphs, "graphs");
            if (graphs.isEmpty()) {
                throw new IllegalArgumentException("graphs needs at least one variant");
            }
            graphs = List.copyOf(graphs);
            Require.atLeast(k, 1, "k");
            Require.nonNull(lambdas, "lambdas");
            if (lambdas.isEmpty()) {
                throw new IllegalArgumentException("lambdas needs at least one value");
            }
            for (double l : lambdas) {
                Require.positive(l, "lambda");
            }
            lambdas = List.copyOf(lambdas);
            Require.atLeast(grid, 2, "grid");
            Require.positive(epsilon, "epsilon");
            Require.atLeast(outerIterations, 1, "outerIterations");
            Require.nonNull(precision, "precision");
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("validationFraction must be in (0, 1), got " + validationFraction);
            }
            Require.nonNull(split, "split");
            Require.atLeast(jmdsIterations, 1, "jmdsIterations");
            Require.atLeast(threads, 1, "threads");
            Require.nonNull(listener, "listener");
        }

        /**
         * The paper's protocol: EW_λ only, both graph variants, 10-NN, λ ∈ {0.01, 0.1, 1, 10, 100}, a 20×20 grid,
         * ε = 1e-3 relative, 50 outer iterations, double precision and the reference's plain inner solves, a random
         * 10 % validation split (seed 0), 100 JMDS iterations, all processors, no progress.
         */
        public static Protocol defaults() {
            return new Protocol(Method.EWL, List.of(Graph.EUCLIDEAN, Graph.SCOT), 10, List.of(0.01, 0.1, 1.0, 10.0,
                    100.0), 20, 1e-3, 50, Precision.DOUBLE, false, true, 0.1, SplitKind.RANDOM, 0, 100,
                    Parallel.defaultThreads(), ProgressListener.NONE);
        }

        public Protocol withMethod(Method m) {
            return new Protocol(m, graphs, k, lambdas, grid, epsilon, outerIterations, precision, warmStart,
                    overRelaxation, validationFraction, split, seed, jmdsIterations, threads, listener);
        }

        public Protocol withGraphs(List<Graph> g) {
            return new Protocol(method, g, k, lambdas, grid, epsilon, outerIterations, precision, warmStart,
                    overRelaxation, validationFraction, split, seed, jmdsIterations, threads, listener);
        }

        public Protocol withK(int neighbours) {
            return new Protocol(method, graphs, neighbours, lambdas, grid, epsilon, outerIterations, precision,
                    warmStart, overRelaxation, validationFraction, split, seed, jmdsIterations, threads, listener);
        }

        public Protocol withLambdas(List<Double> l) {
            return new Protocol(method, graphs, k, l, grid, epsilon, outerIterations, precision, warmStart,
                    overRelaxation, validationFraction, split, seed, jmdsIterations, threads, listener);
        }

        public Protocol withGrid(int side) {
            return new Protocol(method, graphs, k, lambdas, side, epsilon, outerIterations, precision, warmStart,
                    overRelaxation, validationFraction, split, seed, jmdsIterations, threads, listener);
        }

        public Protocol withEpsilon(double e) {
            return new Protocol(method, graphs, k, lambdas, grid, e, outerIterations, precision, warmStart,
                    overRelaxation, validationFraction, split, seed, jmdsIterations, threads, listener);
        }

        public Protocol withOuterIterations(int r) {
            return new Protocol(method, graphs, k, lambdas, grid, epsilon, r, precision, warmStart, overRelaxation,
                    validationFraction, split, seed, jmdsIterations, threads, listener);
        }

        /**
         * The speed settings of the EW_λ runs (see {@link JointEmbedding.Options}); the defaults over-relax the inner
         * solves as {@link JointEmbedding.Options#defaults} does, {@code (DOUBLE, false, false)} gives the authors' iterates.
         */
        public Protocol withSpeed(Precision p, boolean warm, boolean overRelaxed) {
            return new Protocol(method, graphs, k, lambdas, grid, epsilon, outerIterations, p, warm, overRelaxed,
                    validationFraction, split, seed, jmdsIterations, threads, listener);
        }

        public Protocol withValidation(double fraction, SplitKind kind, long s) {
            return new Protocol(method, graphs, k, lambdas, grid, epsilon, outerIterations, precision, warmStart,
                    overRelaxation, fraction, kind, s, jmdsIterations, threads, listener);
        }

        public Protocol withJmdsIterations(int r) {
            return new Protocol(method, graphs, k, lambdas, grid, epsilon, outerIterations, precision, warmStart,
                    overRelaxation, validationFraction, split, seed, r, threads, listener);
        }

        public Protocol withThreads(int t) {
            return new Protocol(method, graphs, k, lambdas, grid, epsilon, outerIterations, precision, warmStart,
                    overRelaxation, validationFraction, split, seed, jmdsIterations, t, listener);
        }

        public Protocol withListener(ProgressListener l) {
            return new Protocol(method, graphs, k, lambdas, grid, epsilon, outerIterations, precision, warmStart,
                    overRelaxation, validationFraction, split, seed, jmdsIterations, threads, l);
        }

        /** The EW_λ settings of the candidate with this λ (reference cost scaling, this protocol's speed settings). */
        public JointEmbedding.Options embeddingOptions(double lambda) {
            JointEmbedding.Options o = JointEmbedding.Options.reference(lambda, epsilon)
                    .withOuterIterations(outerIterations).withThreads(threads).withListener(listener)
                    .withPrecision(precision);
            if (warmStart) {
                o = o.withWarmInnerStarts();
            }
            if (overRelaxation) {
                o = o.withOverRelaxedInnerSolves();
            }
            return o;
        }

        /** The embedding space: the {@code grid × grid} plane scaled to {@link #MAX_LENGTH}. */
        public MetricSpace space() {
            return EmbeddingSpaces.parse("plane:" + grid, MAX_LENGTH);
        }

        /** The JMDS settings: its authors' single-cell preset with this protocol's iterations and seed. */
        public JointMds.Options jmdsOptions() {
            return JointMds.Options.singleCell(jmdsIterations).withSeed(seed);
        }

        /** The candidates of the EW_λ grid search, graph-major. */
        public List<Candidate> candidates() {
            List<Candidate> c = new ArrayList<>();
            for (Graph g : graphs) {
                for (double l : lambdas) {
                    c.add(new Candidate(g, l));
                }
            }
            return c;
        }
    }

    /** One candidate of the EW_λ grid search. */
    public record Candidate(Graph graph, double lambda) {
        /** {@code "euclidean lambda=0.1"}. */
        public String label() {
            return graph.label() + " lambda=" + Decimals.shortForm(lambda);
        }
    }

    /**
     * One graph variant's geodesics.
     *
     * @param graph        the variant
     * @param x            modality 1's geodesics, scaled to max 1, uniform weights
     * @param y            modality 2's
     * @param xDescription how modality 1's graph geodesics were built (before the scaling)
     * @param yDescription how modality 2's were
     * @param xComponents  connected components of modality 1's graph (unreachable pairs get the largest finite value)
     * @param yComponents  connected components of modality 2's graph
     * @param seconds      time to build both
     */
    public record Geodesics(Graph graph, MetricMeasureSpace x, MetricMeasureSpace y, String xDescription,
            String yDescription, int xComponents, int yComponents, double seconds) {
    }

    /**
     * EW_λ's part of the report.
     *
     * @param candidates the candidates in the order they ran
     * @param results    each candidate's embedding, in that order
     * @param selection  the grid search: every candidate's validation and test metrics, the best
     * @param z1         the best candidate's barycentric projections of modality 1 (cells × 2)
     * @param z2         of modality 2
     * @param allCells   FOSCTTM of the best candidate on all cells
     * @param allCellsTransfer label transfer on all cells (null without classes)
     * @param seconds    wall time of the grid search
     */
    public record EwlOutcome(List<Candidate> candidates, List<EmbeddingResult> results,
            ModelSelection.Selection selection, DMatrixRMaj z1, DMatrixRMaj z2, AlignmentMetrics.Foscttm allCells,
            AlignmentMetrics.LabelTransfer allCellsTransfer, double seconds) {

        /** The chosen candidate. */
        public Candidate best() {
            return candidates.get(selection.bestIndex());
        }

        /** The chosen candidate's embedding. */
        public EmbeddingResult bestResult() {
            return results.get(selection.bestIndex());
        }
    }

    /**
     * JMDS's part of the report.
     *
     * @param graphs    the graph variants it ran on, in order
     * @param selection the choice among them on the validation split
     * @param result    the chosen variant's JMDS result (its embeddings {@code z1}, {@code z2})
     * @param seconds   wall time of all JMDS runs
     */
    public record JmdsOutcome(List<Graph> graphs, ModelSelection.Selection selection, JointMds.Result result,
            double seconds) {

        /** The chosen graph variant. */
        public Graph best() {
            return graphs.get(selection.bestIndex());
        }
    }

    /**
     * What one alignment found.
     *
     * @param protocol     the settings
     * @param split        the validation and test cells
     * @param geodesics    each graph variant's geodesics, in the protocol's order
     * @param graphSeconds time to build all graphs
     * @param ewl          EW_λ's outcome, null when the method is JMDS only
     * @param jmds         JMDS's outcome, null when the method is EW_λ only
     * @param seconds      wall time from the first graph to the end
     */
    public record Report(Protocol protocol, ModelSelection.Split split, List<Geodesics> geodesics, double graphSeconds,
            EwlOutcome ewl, JmdsOutcome jmds, double seconds) {
    }

    /**
     * Runs the protocol on the data.
     *
     * @throws IllegalArgumentException when there are too few cells for a k-NN graph and a validation split
     */
    public static Report align(Data data, Protocol protocol) {
        Require.nonNull(data, "data");
        Require.nonNull(protocol, "protocol");
        int n = data.cells();
        int k = protocol.k();
        if (n < 2 * k + 2) {
            throw new IllegalArgumentException("only " + n + " cells; need more than 2k+1 = " + (2 * k + 1)
                    + " for a " + k + "-NN graph and a validation split");
        }
        ModelSelection.Split split = protocol.split() == SplitKind.FIRST
                ? ModelSelection.Split.first(n, protocol.validationFraction())
                : ModelSelection.Split.random(n, protocol.validationFraction(), protocol.seed());
        long t0 = System.nanoTime();
        Map<Graph, Geodesics> geodesics = new LinkedHashMap<>();
        for (Graph g : protocol.graphs()) {
            geodesics.put(g, geodesics(data, g, protocol));
        }
        double graphSeconds = (System.nanoTime() - t0) / 1e9;
        EwlOutcome ewl = protocol.method() == Method.JMDS ? null : ewl(data, protocol, split, geodesics);
        JmdsOutcome jmds = protocol.method() == Method.EWL ? null : jmds(data, protocol, split, geodesics);
        return new Report(protocol, split, List.copyOf(geodesics.values()), graphSeconds, ewl, jmds,
                (System.nanoTime() - t0) / 1e9);
    }

    private static Geodesics geodesics(Data data, Graph g, Protocol protocol) {
        long g0 = System.nanoTime();
        KnnGraph.Options o = (g == Graph.SCOT ? KnnGraph.Options.scot(protocol.k())
                : KnnGraph.Options.euclidean(protocol.k()))
                .withUnreachable(KnnGraph.Unreachable.LARGEST_FINITE).withThreads(protocol.threads());
        KnnGraph.Result r1 = graph(data.x(), o);
        KnnGraph.Result r2 = graph(data.y(), o);
        return new Geodesics(g, MetricMeasureSpace.uniform(r1.distances()).normalizedToMax(1),
                MetricMeasureSpace.uniform(r2.distances()).normalizedToMax(1), r1.distances().description(),
                r2.distances().description(), r1.components().size(),
                r2.components().size(), (System.nanoTime() - g0) / 1e9);
    }

    /** The k-NN graph geodesics of one modality, from its sparse rows when it is held sparse. */
    private static KnnGraph.Result graph(FeatureMatrices.Rows rows, KnnGraph.Options o) {
        return rows.isSparse() ? KnnGraph.compute(rows.sparse(), o) : KnnGraph.compute(rows.dense(), o);
    }

    private static EwlOutcome ewl(Data data, Protocol protocol, ModelSelection.Split split,
            Map<Graph, Geodesics> geodesics) {
        MetricSpace space = protocol.space();
        Coordinates coords = space.coordinates().orElseThrow();
        List<Candidate> candidates = protocol.candidates();
        Map<Candidate, EmbeddingResult> results = new LinkedHashMap<>();
        Map<Candidate, ModelSelection.Projections> projections = new LinkedHashMap<>();
        long e0 = System.nanoTime();
        int[] counter = {0};
        ModelSelection.Selection sel = ModelSelection.gridSearch(candidates, Candidate::label, c -> {
            counter[0]++;
            protocol.listener().stage("candidate " + counter[0] + "/" + candidates.size() + " (" + c.label() + ")");
            Geodesics s = geodesics.get(c.graph());
            EmbeddingResult res = JointEmbedding.embed(s.x(), s.y(), space, protocol.embeddingOptions(c.lambda()));
            DMatrixRMaj z1 = BarycentricProjection.project(res.p1(), true, coords);
            DMatrixRMaj z2 = BarycentricProjection.project(res.p2(), false, coords);
            ModelSelection.Projections p = new ModelSelection.Projections(z1, z2, false);
            results.put(c, res);
            projections.put(c, p);
            return p;
        }, split, data.classesX(), data.classesY(), TRANSFER_NEIGHBOURS);
        double seconds = (System.nanoTime() - e0) / 1e9;
        ModelSelection.Projections best = projections.get(candidates.get(sel.bestIndex()));
        AlignmentMetrics.Foscttm allF = AlignmentMetrics.foscttm(best.z1(), best.z2());
        AlignmentMetrics.LabelTransfer allK = data.classesX() == null ? null
                : AlignmentMetrics.labelTransfer(best.z1(), data.classesX(), best.z2(), data.classesY(),
                        TRANSFER_NEIGHBOURS);
        List<EmbeddingResult> ordered = new ArrayList<>();
        for (Candidate c : candidates) {
            ordered.add(results.get(c));
        }
        return new EwlOutcome(candidates, ordered, sel, best.z1(), best.z2(), allF, allK, seconds);
    }

    private static JmdsOutcome jmds(Data data, Protocol protocol, ModelSelection.Split split,
            Map<Graph, Geodesics> geodesics) {
        List<Graph> graphs = protocol.graphs();
        Map<Graph, JointMds.Result> results = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        ModelSelection.Selection sel = ModelSelection.gridSearch(graphs, g -> "jmds " + g.label(), g -> {
            protocol.listener().stage("JMDS on the " + g.label() + " graph");
            Geodesics s = geodesics.get(g);
            MetricMeasureSpace a = MetricMeasureSpace.of(DistanceMatrices.normalizedToMean(s.x().space(), 1.0),
                    s.x().weights());
            MetricMeasureSpace b = MetricMeasureSpace.of(DistanceMatrices.normalizedToMean(s.y().space(), 1.0),
                    s.y().weights());
            JointMds.Result r = JointMds.fit(a, b, protocol.jmdsOptions());
            results.put(g, r);
            return new ModelSelection.Projections(r.z1(), r.z2(), false);
        }, split, data.classesX(), data.classesY(), TRANSFER_NEIGHBOURS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new JmdsOutcome(graphs, sel, results.get(graphs.get(sel.bestIndex())), seconds);
    }
}
