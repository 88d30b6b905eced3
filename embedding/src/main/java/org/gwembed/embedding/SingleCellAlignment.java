package org.gwembed.embedding;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
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
        SCOT,
        /**
         * SCOT's neighbours with correlation edge lengths, self excluded (JMDS's scGEM graph: l2-normalised rows,
         * correlation metric, distance weights).
         */
        SCOT_DISTANCE;

        /** The graph's name in labels and reports ({@code euclidean}, {@code scot}, {@code scot-distance}). */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** This variant's k-NN graph settings with {@code k} neighbours. */
        public KnnGraph.Options options(int k) {
            return switch (this) {
                case EUCLIDEAN -> KnnGraph.Options.euclidean(k);
                case SCOT -> KnnGraph.Options.scot(k);
                case SCOT_DISTANCE -> KnnGraph.Options.scot(k).withWeighting(KnnGraph.Weighting.DISTANCE)
                        .withIncludeSelf(false);
            };
        }
    }

    /** How a run's alignment is read out into paired coordinates for FOSCTTM and label transfer. */
    public enum Readout {
        /** The barycentric projections onto the embedding space (the paper's; {@code n × 2} on the plane). */
        GRID,
        /**
         * The cell coupling {@code T = P₁ diag(1/ζ₁) Π diag(1/ζ₂) P₂} (cell to cell through the grid) read out in both
         * modalities' l2-normalised features, as SCOT projects: a cell of modality 1 is {@code [x̃_i, Σ_j T_ij ỹ_j /
         * Σ_j T_ij]}, one of modality 2 {@code [Σ_i T_ij x̃_i / Σ_i T_ij, ỹ_j]} ({@link #featureReadout}).
         */
        FEATURES;

        /** {@code grid} or {@code features}. */
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
     * The protocol's settings: {@link #defaults()} is the study's protocol (docs/single-cell-study.md),
     * {@link #paper()} the paper's.
     *
     * @param method             which methods run
     * @param graphs             the graph variants among the candidates (and JMDS's choices)
     * @param ks                 the neighbour counts of the k-NN graphs among the candidates (each capped at a
     *                           quarter of the cells)
     * @param lambdas            the candidate λ of EW_λ
     * @param grid               side of the plane grid
     * @param epsilon            relative ε (reference cost scaling)
     * @param outerIterations    outer iterations per EW_λ run
     * @param precision          precision of the dense kernels and products
     * @param warmStart          warm inner starts ({@link JointEmbedding.Options#withWarmInnerStarts()})
     * @param overRelaxation     over-relaxed inner solves ({@link JointEmbedding.Options#withOverRelaxedInnerSolves()})
     * @param starts             starts per (graph, k, λ): start 0 from the uniform ζ, start s ≥ 1 from a perturbed
     *                           one (relative amplitude {@code perturbation}, seed {@code seed + s}); each start is
     *                           its own candidate
     * @param perturbation       relative amplitude of the perturbed starts
     * @param readouts           the read-outs among the candidates (each run is read out every way; free)
     * @param validationFraction fraction of the cells that choose the hyper-parameters, in (0, 1)
     * @param split              how the validation cells are chosen
     * @param seed               seed of the random split, the perturbed starts and JMDS
     * @param jmdsIterations     JMDS outer iterations (its authors: 100 for SNAREseq, 500 for scGEM)
     * @param threads            worker threads (runs go in parallel, each on {@code threads / parallel runs})
     * @param listener           progress (calls are serialised)
     */
    public record Protocol(Method method, List<Graph> graphs, List<Integer> ks, List<Double> lambdas, int grid,
            double epsilon, int outerIterations, Precision precision, boolean warmStart, boolean overRelaxation,
            int starts, double perturbation, List<Readout> readouts, double validationFraction, SplitKind split,
            long seed, int jmdsIterations, int threads, ProgressListener listener) {

        public Protocol {
            Require.nonNull(method, "method");
            Require.nonNull(graphs, "graphs");
            if (graphs.isEmpty()) {
                throw new IllegalArgumentException("graphs needs at least one variant");
            }
            graphs = List.copyOf(graphs);
            Require.nonNull(ks, "ks");
            if (ks.isEmpty()) {
                throw new IllegalArgumentException("ks needs at least one neighbour count");
            }
            for (int k : ks) {
                Require.atLeast(k, 1, "k");
            }
            ks = List.copyOf(ks);
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
            Require.atLeast(starts, 1, "starts");
            Require.nonNegative(perturbation, "perturbation");
            if (starts > 1 && !(perturbation > 0)) {
                throw new IllegalArgumentException("perturbation must be > 0 with " + starts + " starts, got "
                        + perturbation);
            }
            Require.nonNull(readouts, "readouts");
            if (readouts.isEmpty()) {
                throw new IllegalArgumentException("readouts needs at least one read-out");
            }
            readouts = List.copyOf(readouts);
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("validationFraction must be in (0, 1), got " + validationFraction);
            }
            Require.nonNull(split, "split");
            Require.atLeast(jmdsIterations, 1, "jmdsIterations");
            Require.atLeast(threads, 1, "threads");
            Require.nonNull(listener, "listener");
        }

        /**
         * The study's protocol (docs/single-cell-study.md), the same for every dataset: SCOT's graph with
         * k ∈ {10, 35} (capped at a quarter of the cells), λ ∈ {0.1, 1, 10}, two starts each (uniform, and perturbed by 0.5), a 20×20 plane, ε = 1e-3 relative, 50 outer iterations, warm
         * over-relaxed inner solves in double precision, both read-outs; the candidate with the lowest symmetric
         * FOSCTTM on a random 10 % of the cells (seed 0) wins. 100 JMDS iterations, all processors, no progress.
         */
        public static Protocol defaults() {
            return new Protocol(Method.EWL, List.of(Graph.SCOT), List.of(10, 35),
                    List.of(0.1, 1.0, 10.0), 20, 1e-3, 50, Precision.DOUBLE, true, true, 2, 0.5,
                    List.of(Readout.GRID, Readout.FEATURES), 0.1, SplitKind.RANDOM, 0, 100,
                    Parallel.defaultThreads(), ProgressListener.NONE);
        }

        /**
         * The paper's protocol: EW_λ only, the Euclidean and SCOT graphs, 10-NN, λ ∈ {0.01, 0.1, 1, 10, 100}, a
         * 20×20 grid, ε = 1e-3 relative, 50 outer iterations, double precision and the reference's cold inner solves
         * (over-relaxed), one start, the grid read-out, a random 10 % validation split (seed 0), 100 JMDS iterations,
         * all processors, no progress.
         */
        public static Protocol paper() {
            return new Protocol(Method.EWL, List.of(Graph.EUCLIDEAN, Graph.SCOT), List.of(10), List.of(0.01, 0.1, 1.0,
                    10.0, 100.0), 20, 1e-3, 50, Precision.DOUBLE, false, true, 1, 0, List.of(Readout.GRID), 0.1,
                    SplitKind.RANDOM, 0, 100, Parallel.defaultThreads(), ProgressListener.NONE);
        }

        public Protocol withMethod(Method m) {
            return with(b -> b.method = m);
        }

        public Protocol withGraphs(List<Graph> g) {
            return with(b -> b.graphs = g);
        }

        /** One neighbour count. */
        public Protocol withK(int neighbours) {
            return with(b -> b.ks = List.of(neighbours));
        }

        public Protocol withKs(List<Integer> neighbours) {
            return with(b -> b.ks = neighbours);
        }

        public Protocol withLambdas(List<Double> l) {
            return with(b -> b.lambdas = l);
        }

        public Protocol withGrid(int side) {
            return with(b -> b.grid = side);
        }

        public Protocol withEpsilon(double e) {
            return with(b -> b.epsilon = e);
        }

        public Protocol withOuterIterations(int r) {
            return with(b -> b.outerIterations = r);
        }

        /**
         * The speed settings of the EW_λ runs (see {@link JointEmbedding.Options}); {@code (DOUBLE, false, false)}
         * gives the authors' iterates.
         */
        public Protocol withSpeed(Precision p, boolean warm, boolean overRelaxed) {
            return with(b -> {
                b.precision = p;
                b.warmStart = warm;
                b.overRelaxation = overRelaxed;
            });
        }

        /** {@code count} starts per (graph, k, λ), the perturbed ones with this relative amplitude. */
        public Protocol withStarts(int count, double amplitude) {
            return with(b -> {
                b.starts = count;
                b.perturbation = amplitude;
            });
        }

        public Protocol withReadouts(List<Readout> r) {
            return with(b -> b.readouts = r);
        }

        public Protocol withValidation(double fraction, SplitKind kind, long s) {
            return with(b -> {
                b.validationFraction = fraction;
                b.split = kind;
                b.seed = s;
            });
        }

        public Protocol withJmdsIterations(int r) {
            return with(b -> b.jmdsIterations = r);
        }

        public Protocol withThreads(int t) {
            return with(b -> b.threads = t);
        }

        public Protocol withListener(ProgressListener l) {
            return with(b -> b.listener = l);
        }

        private Protocol with(Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        /** The settings as mutable fields: the one place the copies call the constructor. */
        private static final class Builder {
            Method method;
            List<Graph> graphs;
            List<Integer> ks;
            List<Double> lambdas;
            int grid;
            double epsilon;
            int outerIterations;
            Precision precision;
            boolean warmStart;
            boolean overRelaxation;
            int starts;
            double perturbation;
            List<Readout> readouts;
            double validationFraction;
            SplitKind split;
            long seed;
            int jmdsIterations;
            int threads;
            ProgressListener listener;

            Builder(Protocol p) {
                method = p.method;
                graphs = p.graphs;
                ks = p.ks;
                lambdas = p.lambdas;
                grid = p.grid;
                epsilon = p.epsilon;
                outerIterations = p.outerIterations;
                precision = p.precision;
                warmStart = p.warmStart;
                overRelaxation = p.overRelaxation;
                starts = p.starts;
                perturbation = p.perturbation;
                readouts = p.readouts;
                validationFraction = p.validationFraction;
                split = p.split;
                seed = p.seed;
                jmdsIterations = p.jmdsIterations;
                threads = p.threads;
                listener = p.listener;
            }

            Protocol build() {
                return new Protocol(method, graphs, ks, lambdas, grid, epsilon, outerIterations, precision, warmStart,
                        overRelaxation, starts, perturbation, readouts, validationFraction, split, seed,
                        jmdsIterations, threads, listener);
            }
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

        /** The EW_λ settings of one run: {@link #embeddingOptions}, its start, Π kept for the feature read-out. */
        JointEmbedding.Options runOptions(Run r, int runThreads, ProgressListener l) {
            JointEmbedding.Options o = embeddingOptions(r.lambda()).withThreads(runThreads).withListener(l)
                    .withKeepMiddlePlan(readouts.contains(Readout.FEATURES));
            return r.start() == 0 ? o : o.withRestarts(1, perturbation, seed + r.start());
        }

        /** The embedding space: the {@code grid × grid} plane scaled to {@link #MAX_LENGTH}. */
        public MetricSpace space() {
            return EmbeddingSpaces.parse("plane:" + grid, MAX_LENGTH);
        }

        /** The JMDS settings: its authors' single-cell preset with this protocol's iterations and seed. */
        public JointMds.Options jmdsOptions() {
            return JointMds.Options.singleCell(jmdsIterations).withSeed(seed);
        }

        /** The graphs: every variant with every k (capped at a quarter of {@code cells}, duplicates dropped). */
        public List<GraphChoice> graphChoices(int cells) {
            List<GraphChoice> c = new ArrayList<>();
            for (Graph g : graphs) {
                for (int k : ks) {
                    GraphChoice gc = new GraphChoice(g, Math.max(1, Math.min(k, cells / 4)));
                    if (!c.contains(gc)) {
                        c.add(gc);
                    }
                }
            }
            return c;
        }

        /** The EW_λ runs for {@code cells} cells: graph-major, then λ, then start. */
        public List<Run> runs(int cells) {
            List<Run> r = new ArrayList<>();
            for (GraphChoice g : graphChoices(cells)) {
                for (double l : lambdas) {
                    for (int s = 0; s < starts; s++) {
                        r.add(new Run(g, l, s));
                    }
                }
            }
            return r;
        }

        /** The candidates of the grid search for {@code cells} cells: each run with each read-out, run-major. */
        public List<Candidate> candidates(int cells) {
            List<Candidate> c = new ArrayList<>();
            for (Run r : runs(cells)) {
                for (Readout o : readouts) {
                    c.add(new Candidate(r, o));
                }
            }
            return c;
        }
    }

    /** A graph variant with its neighbour count. */
    public record GraphChoice(Graph graph, int k) {
        /** {@code "scot k=10"}. */
        public String label() {
            return graph.label() + " k=" + k;
        }
    }

    /** One EW_λ run: a graph, a λ and a start. */
    public record Run(GraphChoice graph, double lambda, int start) {
        /** {@code "scot k=10 lambda=0.1 start=1"}. */
        public String label() {
            return graph.label() + " lambda=" + Decimals.shortForm(lambda) + " start=" + start;
        }
    }

    /** One candidate of the EW_λ grid search: a run and how it is read out. */
    public record Candidate(Run run, Readout readout) {
        /** {@code "scot k=10 lambda=0.1 start=1 features"}. */
        public String label() {
            return run.label() + " " + readout.label();
        }

        /** The run's graph variant. */
        public Graph graph() {
            return run.graph().graph();
        }

        /** The run's λ. */
        public double lambda() {
            return run.lambda();
        }
    }

    /**
     * One graph's geodesics.
     *
     * @param graph        the variant and k
     * @param x            modality 1's geodesics, scaled to max 1, uniform weights
     * @param y            modality 2's
     * @param xDescription how modality 1's graph geodesics were built (before the scaling)
     * @param yDescription how modality 2's were
     * @param xComponents  connected components of modality 1's graph (unreachable pairs get the largest finite value)
     * @param yComponents  connected components of modality 2's graph
     * @param seconds      time to build both
     */
    public record Geodesics(GraphChoice graph, MetricMeasureSpace x, MetricMeasureSpace y, String xDescription,
            String yDescription, int xComponents, int yComponents, double seconds) {
    }

    /**
     * EW_λ's part of the report.
     *
     * @param candidates the candidates, run-major (each run once per read-out)
     * @param results    each candidate's embedding, in that order (a run's result repeats for each read-out)
     * @param projections each candidate's paired coordinates (its read-out), in that order
     * @param selection  the grid search: every candidate's validation and test metrics, the best
     * @param z1         the best candidate's paired coordinates of modality 1 (its read-out)
     * @param z2         of modality 2
     * @param grid1      the best run's barycentric projections of modality 1 onto the grid (cells × 2, for plots)
     * @param grid2      of modality 2
     * @param allCells   FOSCTTM of the best candidate on all cells
     * @param allCellsTransfer label transfer on all cells (null without classes)
     * @param seconds    wall time of the grid search
     */
    public record EwlOutcome(List<Candidate> candidates, List<EmbeddingResult> results,
            List<ModelSelection.Projections> projections, ModelSelection.Selection selection, DMatrixRMaj z1, DMatrixRMaj z2, DMatrixRMaj grid1, DMatrixRMaj grid2,
            AlignmentMetrics.Foscttm allCells, AlignmentMetrics.LabelTransfer allCellsTransfer, double seconds) {

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
     * @param graphs    the graphs it ran on, in order
     * @param selection the choice among them on the validation split
     * @param result    the chosen graph's JMDS result (its embeddings {@code z1}, {@code z2})
     * @param seconds   wall time of all JMDS runs
     */
    public record JmdsOutcome(List<GraphChoice> graphs, ModelSelection.Selection selection, JointMds.Result result,
            double seconds) {

        /** The chosen graph. */
        public GraphChoice best() {
            return graphs.get(selection.bestIndex());
        }
    }

    /**
     * What one alignment found.
     *
     * @param protocol     the settings
     * @param split        the validation and test cells
     * @param geodesics    each graph's geodesics, in {@link Protocol#graphChoices} order
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
        int k = 0;
        for (GraphChoice g : protocol.graphChoices(n)) {
            k = Math.max(k, g.k());
        }
        if (n < 2 * k + 2) {
            throw new IllegalArgumentException("only " + n + " cells; need more than 2k+1 = " + (2 * k + 1)
                    + " for a " + k + "-NN graph and a validation split");
        }
        ModelSelection.Split split = protocol.split() == SplitKind.FIRST
                ? ModelSelection.Split.first(n, protocol.validationFraction())
                : ModelSelection.Split.random(n, protocol.validationFraction(), protocol.seed());
        Protocol serialised = protocol.withListener(synchronised(protocol.listener()));
        long t0 = System.nanoTime();
        Map<GraphChoice, Geodesics> geodesics = new LinkedHashMap<>();
        for (GraphChoice g : protocol.graphChoices(n)) {
            geodesics.put(g, geodesics(data, g, protocol));
        }
        double graphSeconds = (System.nanoTime() - t0) / 1e9;
        EwlOutcome ewl = protocol.method() == Method.JMDS ? null : ewl(data, serialised, split, geodesics);
        JmdsOutcome jmds = protocol.method() == Method.EWL ? null : jmds(data, serialised, split, geodesics);
        return new Report(protocol, split, List.copyOf(geodesics.values()), graphSeconds, ewl, jmds,
                (System.nanoTime() - t0) / 1e9);
    }

    /** A listener whose calls hold one lock, for runs on several threads. */
    static ProgressListener synchronised(ProgressListener l) {
        if (l == ProgressListener.NONE) {
            return l;
        }
        return new ProgressListener() {
            @Override
            public synchronized void outerIteration(JointEmbedding.Step step) {
                l.outerIteration(step);
            }

            @Override
            public synchronized void stage(String description) {
                l.stage(description);
            }

            @Override
            public synchronized boolean cancelled() {
                return l.cancelled();
            }
        };
    }

    private static Geodesics geodesics(Data data, GraphChoice g, Protocol protocol) {
        long g0 = System.nanoTime();
        KnnGraph.Options o = g.graph().options(g.k()).withUnreachable(KnnGraph.Unreachable.LARGEST_FINITE)
                .withThreads(protocol.threads());
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

    /** What one EW_λ run gives: its result, its read-outs and its time. */
    private record RunOutcome(EmbeddingResult result, Map<Readout, ModelSelection.Projections> readouts,
            double seconds) {
    }

    private static EwlOutcome ewl(Data data, Protocol protocol, ModelSelection.Split split,
            Map<GraphChoice, Geodesics> geodesics) {
        MetricSpace space = protocol.space();
        Coordinates coords = space.coordinates().orElseThrow();
        int n = data.cells();
        List<Run> runs = protocol.runs(n);
        long e0 = System.nanoTime();
        int parallel = Math.min(protocol.threads(), runs.size());
        int runThreads = Math.max(1, protocol.threads() / parallel);
        DMatrixRMaj fx = rowNormalised(data.x().toDense());
        DMatrixRMaj fy = rowNormalised(data.y().toDense());
        RunOutcome[] outcomes = new RunOutcome[runs.size()];
        int[] started = {0};
        Parallel.forEach(runs.size(), parallel, r -> {
            Run run = runs.get(r);
            synchronized (started) {
                started[0]++;
                protocol.listener().stage("run " + started[0] + "/" + runs.size() + " (" + run.label() + ")");
            }
            long r0 = System.nanoTime();
            Geodesics s = geodesics.get(run.graph());
            EmbeddingResult res = JointEmbedding.embed(s.x(), s.y(), space,
                    protocol.runOptions(run, runThreads, protocol.listener()));
            Map<Readout, ModelSelection.Projections> readouts = new EnumMap<>(Readout.class);
            for (Readout o : protocol.readouts()) {
                readouts.put(o, o == Readout.GRID ? new ModelSelection.Projections(
                        BarycentricProjection.project(res.p1(), true, coords),
                        BarycentricProjection.project(res.p2(), false, coords), false)
                        : featureReadout(cellCoupling(res), fx, fy));
            }
            outcomes[r] = new RunOutcome(res, readouts, (System.nanoTime() - r0) / 1e9);
        });
        List<Candidate> candidates = protocol.candidates(n);
        List<String> labels = new ArrayList<>();
        List<ModelSelection.Projections> projections = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        List<EmbeddingResult> results = new ArrayList<>();
        Map<Run, Integer> index = new HashMap<>();
        for (int r = 0; r < runs.size(); r++) {
            index.put(runs.get(r), r);
        }
        for (Candidate c : candidates) {
            RunOutcome o = outcomes[index.get(c.run())];
            labels.add(c.label());
            projections.add(o.readouts().get(c.readout()));
            seconds.add(o.seconds());
            results.add(o.result());
        }
        ModelSelection.Selection sel = ModelSelection.evaluate(labels, projections, seconds, split, data.classesX(),
                data.classesY(), TRANSFER_NEIGHBOURS);
        double total = (System.nanoTime() - e0) / 1e9;
        ModelSelection.Projections best = projections.get(sel.bestIndex());
        RunOutcome bestRun = outcomes[index.get(candidates.get(sel.bestIndex()).run())];
        DMatrixRMaj grid1 = BarycentricProjection.project(bestRun.result().p1(), true, coords);
        DMatrixRMaj grid2 = BarycentricProjection.project(bestRun.result().p2(), false, coords);
        AlignmentMetrics.Foscttm allF = AlignmentMetrics.foscttm(best.z1(), best.z2());
        AlignmentMetrics.LabelTransfer allK = data.classesX() == null ? null
                : AlignmentMetrics.labelTransfer(best.z1(), data.classesX(), best.z2(), data.classesY(),
                        TRANSFER_NEIGHBOURS);
        return new EwlOutcome(candidates, List.copyOf(results), List.copyOf(projections), sel, best.z1(), best.z2(), grid1, grid2, allF, allK, total);
    }

    /**
     * The cell coupling of an EW_λ result, {@code T = P₁ diag(1/ζ₁) Π diag(1/ζ₂) P₂} ({@code n₁ × n₂}; ζ₁ = P₁ᵀ1 and
     * ζ₂ = Π ᵀ1 its grid marginals, grid points without mass skipped): cell i goes to grid point a with P₁'s
     * conditional law, a to b with Π's, b to cell j with P₂'s. Needs the middle plan
     * ({@link JointEmbedding.Options#withKeepMiddlePlan}).
     */
    public static DMatrixRMaj cellCoupling(EmbeddingResult r) {
        Require.nonNull(r, "r");
        if (r.middlePlan() == null) {
            throw new IllegalArgumentException("the result has no middle plan; run with withKeepMiddlePlan(true)");
        }
        DMatrixRMaj p1 = r.p1().copy();
        DMatrixRMaj pi = r.middlePlan().copy();
        int big = p1.numCols;
        double[] z1 = new double[big];
        double[] z2 = new double[big];
        for (int i = 0; i < p1.numRows; i++) {
            for (int a = 0; a < big; a++) {
                z1[a] += p1.unsafe_get(i, a);
            }
        }
        for (int a = 0; a < big; a++) {
            for (int b = 0; b < big; b++) {
                z2[b] += pi.unsafe_get(a, b);
            }
        }
        for (int i = 0; i < p1.numRows; i++) {
            for (int a = 0; a < big; a++) {
                p1.unsafe_set(i, a, z1[a] > 0 ? p1.unsafe_get(i, a) / z1[a] : 0);
            }
        }
        for (int a = 0; a < big; a++) {
            for (int b = 0; b < big; b++) {
                pi.unsafe_set(a, b, z2[b] > 0 ? pi.unsafe_get(a, b) / z2[b] : 0);
            }
        }
        DMatrixRMaj through = new DMatrixRMaj(p1.numRows, big);
        CommonOps_DDRM.mult(p1, pi, through);
        DMatrixRMaj t = new DMatrixRMaj(p1.numRows, r.p2().numCols);
        CommonOps_DDRM.mult(through, r.p2(), t);
        return t;
    }

    /**
     * {@link Readout#FEATURES}: modality 1's cell i as {@code [fx_i, Σ_j T_ij fy_j / Σ_j T_ij]}, modality 2's cell j
     * as {@code [Σ_i T_ij fx_i / Σ_i T_ij, fy_j]}.
     *
     * @param coupling {@code n₁ × n₂}, every row and column with positive mass
     * @param fx       modality 1's features ({@code n₁} rows), as they should be compared (e.g. {@link #rowNormalised})
     * @param fy       modality 2's ({@code n₂} rows)
     */
    public static ModelSelection.Projections featureReadout(DMatrixRMaj coupling, DMatrixRMaj fx, DMatrixRMaj fy) {
        Require.nonNull(coupling, "coupling");
        Require.nonNull(fx, "fx");
        Require.nonNull(fy, "fy");
        if (coupling.numRows != fx.numRows || coupling.numCols != fy.numRows) {
            throw new IllegalArgumentException("coupling is " + coupling.numRows + "x" + coupling.numCols + " but fx has "
                    + fx.numRows + " rows and fy " + fy.numRows + "; expected n1 x n2, n1 and n2");
        }
        DMatrixRMaj yOnX = barycentres(coupling, false, fx);
        DMatrixRMaj xOnY = barycentres(coupling, true, fy);
        return new ModelSelection.Projections(concat(fx, xOnY), concat(yOnX, fy), false);
    }

    /** The rows of {@code f} scaled to unit Euclidean norm (zero rows stay zero), as SCOT prepares features. */
    public static DMatrixRMaj rowNormalised(DMatrixRMaj f) {
        DMatrixRMaj o = f.copy();
        for (int i = 0; i < o.numRows; i++) {
            double s = 0;
            for (int c = 0; c < o.numCols; c++) {
                s += o.unsafe_get(i, c) * o.unsafe_get(i, c);
            }
            s = Math.sqrt(s);
            for (int c = 0; c < o.numCols; c++) {
                o.unsafe_set(i, c, s > 0 ? o.unsafe_get(i, c) / s : 0);
            }
        }
        return o;
    }

    /** The weighted means of {@code f}'s rows with the rows of {@code t} ({@code onRows}) or its columns as weights. */
    static DMatrixRMaj barycentres(DMatrixRMaj t, boolean onRows, DMatrixRMaj f) {
        int n = onRows ? t.numRows : t.numCols;
        int m = onRows ? t.numCols : t.numRows;
        DMatrixRMaj o = new DMatrixRMaj(n, f.numCols);
        for (int i = 0; i < n; i++) {
            double total = 0;
            for (int j = 0; j < m; j++) {
                double w = onRows ? t.unsafe_get(i, j) : t.unsafe_get(j, i);
                total += w;
                for (int c = 0; c < f.numCols; c++) {
                    o.add(i, c, w * f.unsafe_get(j, c));
                }
            }
            if (!(total > 0)) {
                throw new IllegalArgumentException("cell " + i + " has no mass in the coupling");
            }
            for (int c = 0; c < f.numCols; c++) {
                o.unsafe_set(i, c, o.unsafe_get(i, c) / total);
            }
        }
        return o;
    }

    private static DMatrixRMaj concat(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj o = new DMatrixRMaj(a.numRows, a.numCols + b.numCols);
        CommonOps_DDRM.insert(a, o, 0, 0);
        CommonOps_DDRM.insert(b, o, 0, a.numCols);
        return o;
    }

    private static JmdsOutcome jmds(Data data, Protocol protocol, ModelSelection.Split split,
            Map<GraphChoice, Geodesics> geodesics) {
        List<GraphChoice> graphs = List.copyOf(geodesics.keySet());
        Map<GraphChoice, JointMds.Result> results = new LinkedHashMap<>();
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
