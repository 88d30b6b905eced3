package org.gwembed.cli;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.AlignmentMetrics;
import org.gwembed.embedding.BarycentricProjection;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.embedding.JointMds;
import org.gwembed.embedding.ModelSelection;
import org.gwembed.metricspaces.Coordinates;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.gwembed.metricspaces.InputFormatException;
import org.gwembed.metricspaces.KnnGraph;
import org.gwembed.metricspaces.Labels;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.core.Parallel;
import org.gwembed.metricspaces.Tables;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gwembed align}: the single-cell workflow of the paper (§6.2, METHOD.md §6): two feature tables of the same
 * cells → k-NN graph geodesics (scaled to max 1) → EW_λ on a 20×20 plane grid → barycentric projections → FOSCTTM
 * and label-transfer accuracy, with λ and the graph variant chosen on a validation split.
 */
@Command(name = "align", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Single-cell alignment: k-NN geodesics, EW_lambda, FOSCTTM and label transfer.",
        description = {"Align two measurement modalities of the same cells (row i of --x and of --y is one cell).",
            "Protocol (defaults): 10-NN graph geodesics scaled to max 1; 20x20 plane grid; EW_lambda with epsilon "
                + "1e-3 (reference scaling) and 50 outer iterations; lambda in {0.01, 0.1, 1, 10, 100} and the graph "
                + "variant (Euclidean 10-NN, or SCOT's l2-normalised correlation/connectivity 10-NN) chosen by the "
                + "lowest symmetric FOSCTTM on a seeded random 10%% of the cells (--split first: the first 10%%, as "
                + "the reference code); metrics reported on the other 90%% and on all cells.",
            "Writes report.json, projections.png, projection_x.csv, projection_y.csv; prints a comparison table."},
        footer = {"", "FOSCTTM: for each cell, the fraction of the other modality's cells closer than its true match "
                + "(ties count 1/2); one_directional = from --x's side (the EW_lambda reference), symmetric = mean of "
                + "both sides (SCOT, JMDS). knn: 5-NN label transfer on the projections, x_from_y = trained on y's "
                + "labels, predicts x (SCOT's direction).",
            "", "Examples:", "  gwembed align --dataset snareseq --out out/snareseq",
            "  gwembed align --x a.csv --y b.csv --labels-x la.txt --labels-y lb.txt --method ewl --out out/mine"})
final class AlignCommand implements Callable<Integer> {

    /** Alignment methods. JMDS is wired through {@link #runJmds} once its implementation lands. */
    enum Method {
        EWL, JMDS, BOTH
    }

    /** How the validation cells are chosen. */
    enum SplitKind {
        RANDOM, FIRST
    }

    /** Graph variants. */
    enum Graph {
        EUCLIDEAN, SCOT, AUTO
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--x", paramLabel = "FILE", description = "Features of modality 1 (cells x features; CSV/TSV/NPY).")
    Path x;

    @Option(names = "--y", paramLabel = "FILE", description = "Features of modality 2 (same cells, same order).")
    Path y;

    @Option(names = "--labels-x", paramLabel = "FILE", description = "Cell labels of --x, one per line.")
    Path labelsX;

    @Option(names = "--labels-y", paramLabel = "FILE", description = "Cell labels of --y, one per line.")
    Path labelsY;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "snareseq or scgem from --data-dir, instead of --x/--y/--labels-*.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding snareseq/ and scgem/ (default: ../shared/data next to the gwembed "
                    + "checkout, or $GWEMBED_DATA_DIR).")
    Path dataDir;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "ewl",
            description = "ewl (EW_lambda), jmds (Joint MDS) or both. Default: ${DEFAULT-VALUE}. JMDS runs with its "
                    + "authors' single-cell settings (alpha 0.3, eps 0.1, no annealing) on the same k-NN geodesics "
                    + "divided by their mean, the graph variant chosen on the same validation split.")
    Method method;

    @Option(names = "--jmds-iterations", paramLabel = "R", defaultValue = "100",
            description = "JMDS outer iterations (its authors: 100 for SNAREseq, 500 for scGEM). "
                    + "Default: ${DEFAULT-VALUE}.")
    int jmdsIterations;

    @Option(names = "--graph", paramLabel = "VARIANT", defaultValue = "auto",
            description = "k-NN graph: euclidean (the paper's), scot (SCOT's correlation/connectivity graph on "
                    + "l2-normalised rows) or auto (both, chosen on the validation split). Default: ${DEFAULT-VALUE}.")
    Graph graph;

    @Option(names = "--k", paramLabel = "K", defaultValue = "10",
            description = "Neighbours of the k-NN graph. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--lambda", paramLabel = "L", split = ",", defaultValue = "0.01,0.1,1,10,100",
            description = "Candidate lambdas (one value: no choice). Default: ${DEFAULT-VALUE}.")
    List<Double> lambdas;

    @Option(names = "--grid", paramLabel = "N", defaultValue = "20",
            description = "Plane grid side. Default: ${DEFAULT-VALUE}.")
    int grid;

    @Option(names = "--epsilon", paramLabel = "E", defaultValue = "1e-3",
            description = "Relative epsilon (reference scaling). Default: ${DEFAULT-VALUE}.")
    double epsilon;

    @Option(names = "--outer-iterations", paramLabel = "R", defaultValue = "50",
            description = "Outer iterations per run. Default: ${DEFAULT-VALUE}.")
    int outerIterations;

    @Mixin
    SpeedOptions speed;

    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0.1",
            description = "The first F of the cells choose the hyper-parameters. Default: ${DEFAULT-VALUE}.")
    double validationFraction;

    @Option(names = "--split", paramLabel = "KIND", defaultValue = "random",
            description = "Which cells validate: random (a seeded random F of the cells) or first (the first F, as "
                    + "the reference code does; degenerate when the rows are sorted by cell type, as scGEM's are). "
                    + "Default: ${DEFAULT-VALUE}.")
    SplitKind splitKind;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the random split. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads. Default: all processors.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/align",
            description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    /** The report of the last completed run (what report.json holds), for the {@code examples} command. */
    Map<String, Object> lastReport;

    /** One candidate of the grid search. */
    record Candidate(Graph graph, double lambda) {
        String label() {
            return graph.name().toLowerCase(Locale.ROOT) + " lambda=" + fmt(lambda);
        }
    }

    /** What a candidate's run produced, besides its projections. */
    record RunInfo(ModelSelection.Projections projections, EmbeddingResult result) {
    }

    @Override
    public Integer call() {
        validate();
        if (jmdsIterations < 1) {
            throw new IllegalArgumentException("--jmds-iterations must be >= 1, got " + jmdsIterations);
        }
        int t = threads == null ? Parallel.defaultThreads() : threads;
        Data data = loadData();
        int n = data.x.numRows;
        ModelSelection.Split split = splitKind == SplitKind.FIRST ? ModelSelection.Split.first(n, validationFraction)
                : ModelSelection.Split.random(n, validationFraction, seed);
        EmbeddingRun.createDirectories(out);
        PrintWriter w = spec.commandLine().getOut();

        List<Graph> graphs = graph == Graph.AUTO ? List.of(Graph.EUCLIDEAN, Graph.SCOT) : List.of(graph);
        Map<Graph, Map<String, Object>> graphInfo = new LinkedHashMap<>();
        Map<Graph, MetricMeasureSpace[]> spaces = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        for (Graph g : graphs) {
            long g0 = System.nanoTime();
            KnnGraph.Options o = (g == Graph.SCOT ? KnnGraph.Options.scot(k) : KnnGraph.Options.euclidean(k))
                    .withUnreachable(KnnGraph.Unreachable.LARGEST_FINITE).withThreads(t);
            KnnGraph.Result r1 = KnnGraph.compute(data.x, o);
            KnnGraph.Result r2 = KnnGraph.compute(data.y, o);
            spaces.put(g, new MetricMeasureSpace[] {
                MetricMeasureSpace.uniform(r1.distances()).normalizedToMax(1),
                MetricMeasureSpace.uniform(r2.distances()).normalizedToMax(1)});
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("x", r1.distances().description());
            info.put("y", r2.distances().description());
            info.put("x_components", r1.components().size());
            info.put("y_components", r2.components().size());
            info.put("scaling", "geodesics divided by their maximum");
            info.put("seconds", (System.nanoTime() - g0) / 1e9);
            graphInfo.put(g, info);
        }
        double graphSeconds = (System.nanoTime() - t0) / 1e9;
        if (method == Method.JMDS) {
            JmdsOutcome jmds = runJmds(graphs, spaces, split, data, t);
            Map<String, Object> report = commonReport(data, split, graphs, graphInfo);
            report.put("foscttm", jmds.report().get("foscttm"));
            report.put("knn_accuracy", jmds.report().get("knn_accuracy"));
            report.put("methods", Map.of("jmds", jmds.report()));
            Map<String, Object> times = new LinkedHashMap<>();
            times.put("graphs_seconds", graphSeconds);
            times.put("jmds_seconds", jmds.report().get("seconds"));
            times.put("total_seconds", (System.nanoTime() - t0) / 1e9 + data.seconds);
            times.put("load_seconds", data.seconds);
            report.put("times", times);
            report.put("files", List.of("report.json", "jmds_projections.png"));
            Json.write(out.resolve("report.json"), report);
            lastReport = report;
            ModelSelection.Evaluation je = jmds.selection().best();
            w.printf(Locale.ROOT, "%-8s %-22s %12s %12s %10s %10s%n", "method", "chosen", "FOSCTTM-1d", "FOSCTTM-sym",
                    "knn x<-y", "knn y<-x");
            w.printf(Locale.ROOT, "%-8s %-22s %12.3f %12.3f %10s %10s   (test cells)%n", "JMDS", je.label(),
                    je.test().oneDirectional(), je.test().symmetric(),
                    je.transfer() == null ? "-" : String.format(Locale.ROOT, "%.3f", je.transfer().oneFromTwo()),
                    je.transfer() == null ? "-" : String.format(Locale.ROOT, "%.3f", je.transfer().twoFromOne()));
            w.printf(Locale.ROOT, "time: graphs %.1f s, JMDS %.1f s; wrote %s: report.json, jmds_projections.png%n",
                    graphSeconds, (double) jmds.report().get("seconds"), out);
            w.flush();
            return 0;
        }

        MetricSpace space = EmbeddingSpaces.parse("plane:" + grid, 1.3);
        Coordinates coords = space.coordinates().orElseThrow();
        List<Candidate> candidates = new ArrayList<>();
        for (Graph g : graphs) {
            for (double l : lambdas) {
                candidates.add(new Candidate(g, l));
            }
        }
        Progress progress = new Progress(spec.commandLine().getErr(), Progress.enabled(quiet),
                candidates.size() * outerIterations);
        Map<Candidate, RunInfo> runs = new LinkedHashMap<>();
        ModelSelection.Selection sel;
        long e0 = System.nanoTime();
        try {
            int[] counter = {0};
            sel = ModelSelection.gridSearch(candidates, Candidate::label, c -> {
                counter[0]++;
                progress.stage("candidate " + counter[0] + "/" + candidates.size() + " (" + c.label() + ")");
                MetricMeasureSpace[] s = spaces.get(c.graph());
                JointEmbedding.Options o = speed.apply(JointEmbedding.Options.defaults(c.lambda(), epsilon)
                        .withOuterIterations(outerIterations).withThreads(t).withListener(progress));
                EmbeddingResult res = JointEmbedding.embed(s[0], s[1], space, o);
                DMatrixRMaj z1 = BarycentricProjection.project(res.p1(), true, coords);
                DMatrixRMaj z2 = BarycentricProjection.project(res.p2(), false, coords);
                ModelSelection.Projections p = new ModelSelection.Projections(z1, z2, false);
                runs.put(c, new RunInfo(p, res));
                return p;
            }, split, data.classes1, data.classes2, 5);
        } finally {
            progress.finish();
        }
        double embedSeconds = (System.nanoTime() - e0) / 1e9;

        Candidate best = candidates.get(sel.bestIndex());
        RunInfo bestRun = runs.get(best);
        DMatrixRMaj z1 = bestRun.projections().z1();
        DMatrixRMaj z2 = bestRun.projections().z2();
        AlignmentMetrics.Foscttm allF = AlignmentMetrics.foscttm(z1, z2);
        AlignmentMetrics.LabelTransfer allK = data.classes1 == null ? null
                : AlignmentMetrics.labelTransfer(z1, data.classes1, z2, data.classes2, 5);

        // projections.png: both modalities coloured by label (or by validation/test without labels)
        int[] colour = data.classes1 != null ? data.classes1 : new int[n];
        int[] colour2 = data.classes2 != null ? data.classes2 : new int[n];
        List<String> names = data.names != null ? data.names : List.of("cell");
        BufferedImage a = Plots.labelPlot("EW_lambda projection of x (" + data.xName + ")", z1, colour, names, "x", "y",
                520, 560);
        BufferedImage b = Plots.labelPlot("EW_lambda projection of y (" + data.yName + ")", z2, colour2, names, "x",
                "y", 520, 560);
        Plots.write(Plots.sideBySide(a, b), out.resolve("projections.png"));
        Tables.writeCsv(out.resolve("projection_x.csv"), z1, List.of("x", "y"));
        Tables.writeCsv(out.resolve("projection_y.csv"), z2, List.of("x", "y"));

        // report.json
        ModelSelection.Evaluation be = sel.best();
        Map<String, Object> ewl = new LinkedHashMap<>();
        Map<String, Object> chosen = new LinkedHashMap<>();
        chosen.put("graph", best.graph().name().toLowerCase(Locale.ROOT));
        chosen.put("k", k);
        chosen.put("lambda", best.lambda());
        chosen.put("label", best.label());
        chosen.put("chosen_by", "lowest symmetric FOSCTTM on the validation split");
        ewl.put("chosen", chosen);
        ewl.put("evaluated_on", "test split: the " + split.test().size() + " cells not used for validation");
        ewl.put("foscttm", foscttm(be.test()));
        ewl.put("knn_accuracy", be.transfer() == null ? null : knn(be.transfer()));
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("cells", n);
        all.put("foscttm", foscttm(allF));
        all.put("knn_accuracy", allK == null ? null : knn(allK));
        ewl.put("all_cells", all);
        ewl.put("objective", EmbeddingRun.objective(bestRun.result().objective()));
        List<Object> cands = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            ModelSelection.Evaluation ev = sel.all().get(c);
            EmbeddingResult res = runs.get(candidates.get(c)).result();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", ev.label());
            m.put("graph", candidates.get(c).graph().name().toLowerCase(Locale.ROOT));
            m.put("lambda", candidates.get(c).lambda());
            m.put("validation_foscttm", foscttm(ev.validation()));
            m.put("test_foscttm", foscttm(ev.test()));
            m.put("test_knn_accuracy", ev.transfer() == null ? null : knn(ev.transfer()));
            m.put("J", res.objective().total());
            m.put("stop_reason", res.stopReason());
            m.put("inner_not_converged", res.innerNotConverged());
            m.put("marginal_error", res.marginalError());
            m.put("seconds", ev.seconds());
            cands.add(m);
        }
        ewl.put("candidates", cands);
        ewl.put("seconds", embedSeconds);

        Map<String, Object> report = commonReport(data, split, graphs, graphInfo);
        Map<String, Object> methods = new LinkedHashMap<>();
        methods.put("ewl", ewl);
        JmdsOutcome jmds = null;
        if (method == Method.BOTH) {
            jmds = runJmds(graphs, spaces, split, data, t);
            methods.put("jmds", jmds.report());
        }
        // the first method's headline numbers at the top level, then per method
        report.put("foscttm", ewl.get("foscttm"));
        report.put("knn_accuracy", ewl.get("knn_accuracy"));
        report.put("methods", methods);
        Map<String, Object> times = new LinkedHashMap<>();
        times.put("graphs_seconds", graphSeconds);
        times.put("embedding_seconds", embedSeconds);
        times.put("total_seconds", (System.nanoTime() - t0) / 1e9 + data.seconds);
        times.put("load_seconds", data.seconds);
        report.put("times", times);
        report.put("files", jmds == null ? List.of("report.json", "projections.png", "projection_x.csv",
                "projection_y.csv") : List.of("report.json", "projections.png", "projection_x.csv", "projection_y.csv",
                "jmds_projections.png"));
        Json.write(out.resolve("report.json"), report);
        lastReport = report;

        printTable(w, data, split, sel, candidates, best, be, allF, allK, embedSeconds, graphSeconds, jmds);
        return 0;
    }

    private void printTable(PrintWriter w, Data data, ModelSelection.Split split, ModelSelection.Selection sel,
            List<Candidate> candidates, Candidate best, ModelSelection.Evaluation be, AlignmentMetrics.Foscttm allF,
            AlignmentMetrics.LabelTransfer allK, double embedSeconds, double graphSeconds, JmdsOutcome jmds) {
        w.printf(Locale.ROOT, "align: %s vs %s, %d cells; validation = %s %d cells, test = the other %d%n",
                data.xName, data.yName, data.x.numRows, splitKind == SplitKind.FIRST ? "the first" : "a random",
                split.validation().size(), split.test().size());
        w.println("candidates (FOSCTTM symmetric; knn = 5-NN accuracy x_from_y / y_from_x on the test cells):");
        w.printf(Locale.ROOT, "  %-24s %10s %10s %17s %8s%n", "candidate", "val", "test", "test knn", "seconds");
        for (int c = 0; c < candidates.size(); c++) {
            ModelSelection.Evaluation ev = sel.all().get(c);
            String knn = ev.transfer() == null ? "-" : String.format(Locale.ROOT, "%.3f / %.3f",
                    ev.transfer().oneFromTwo(), ev.transfer().twoFromOne());
            w.printf(Locale.ROOT, "%s %-24s %10.3f %10.3f %17s %8.1f%n", c == sel.bestIndex() ? "*" : " ",
                    ev.label(), ev.validation().symmetric(), ev.test().symmetric(), knn, ev.seconds());
        }
        w.println();
        w.printf(Locale.ROOT, "%-8s %-22s %12s %12s %10s %10s%n", "method", "chosen", "FOSCTTM-1d", "FOSCTTM-sym",
                "knn x<-y", "knn y<-x");
        w.printf(Locale.ROOT, "%-8s %-22s %12.3f %12.3f %10s %10s   (test cells)%n", "EW_l", best.label(),
                be.test().oneDirectional(), be.test().symmetric(),
                be.transfer() == null ? "-" : String.format(Locale.ROOT, "%.3f", be.transfer().oneFromTwo()),
                be.transfer() == null ? "-" : String.format(Locale.ROOT, "%.3f", be.transfer().twoFromOne()));
        w.printf(Locale.ROOT, "%-8s %-22s %12.3f %12.3f %10s %10s   (all cells)%n", "EW_l", best.label(),
                allF.oneDirectional(), allF.symmetric(),
                allK == null ? "-" : String.format(Locale.ROOT, "%.3f", allK.oneFromTwo()),
                allK == null ? "-" : String.format(Locale.ROOT, "%.3f", allK.twoFromOne()));
        if (jmds != null) {
            ModelSelection.Evaluation je = jmds.selection().best();
            w.printf(Locale.ROOT, "%-8s %-22s %12.3f %12.3f %10s %10s   (test cells)%n", "JMDS", je.label(),
                    je.test().oneDirectional(), je.test().symmetric(),
                    je.transfer() == null ? "-" : String.format(Locale.ROOT, "%.3f", je.transfer().oneFromTwo()),
                    je.transfer() == null ? "-" : String.format(Locale.ROOT, "%.3f", je.transfer().twoFromOne()));
        }
        w.printf(Locale.ROOT, "time: graphs %.1f s, embeddings %.1f s; wrote %s: report.json, projections.png, "
                + "projection_x.csv, projection_y.csv%n", graphSeconds, embedSeconds, out);
        w.flush();
    }

    /** The parts of report.json every method shares: inputs, protocol, graphs. */
    private Map<String, Object> commonReport(Data data, ModelSelection.Split split, List<Graph> graphs,
            Map<Graph, Map<String, Object>> graphInfo) {
        MetricSpace space = EmbeddingSpaces.parse("plane:" + grid, 1.3);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("command", "align");
        report.put("dataset", dataset);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("x", data.xName);
        inputs.put("y", data.yName);
        inputs.put("labels_x", data.labelsXName);
        inputs.put("labels_y", data.labelsYName);
        inputs.put("cells", data.x.numRows);
        inputs.put("x_features", data.x.numCols);
        inputs.put("y_features", data.y.numCols);
        report.put("inputs", inputs);
        Map<String, Object> protocol = new LinkedHashMap<>();
        protocol.put("space", space.description());
        protocol.put("epsilon", epsilon);
        protocol.put("cost_scaling", "reference (epsilon relative)");
        protocol.put("outer_iterations", outerIterations);
        JointEmbedding.Options settings = speed.apply(JointEmbedding.Options.defaults(1, epsilon));
        protocol.put("precision", settings.precision().name().toLowerCase(Locale.ROOT));
        protocol.put("warm_start", settings.warmStart());
        protocol.put("inner_relaxation", EmbeddingRun.innerRelaxation(settings));
        protocol.put("lambdas", lambdas);
        protocol.put("graphs", graphs.stream().map(g -> g.name().toLowerCase(Locale.ROOT)).toList());
        protocol.put("k", k);
        protocol.put("validation", (splitKind == SplitKind.FIRST ? "the first " : "a random (seed " + seed + ") ")
                + split.validation().size() + " cells (fraction " + validationFraction + ")");
        protocol.put("validation_cells", split.validation());
        protocol.put("knn_classifier", "5 nearest neighbours, Euclidean, on the 2D projections");
        protocol.put("foscttm_ties", "a tie with the true match counts 1/2");
        report.put("protocol", protocol);
        report.put("graphs", graphInfo.entrySet().stream().collect(LinkedHashMap::new,
                (m, e) -> m.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue()), Map::putAll));
        return report;
    }

    /** JMDS's grid search and its report section. */
    record JmdsOutcome(ModelSelection.Selection selection, Map<String, Object> report) {
    }

    /**
     * JMDS on each graph variant's geodesics divided by their mean (its authors' preparation), with their
     * single-cell settings; the graph is chosen on the same validation split as EW_λ and metrics are reported on
     * the same test cells. Writes {@code jmds_projections.png}.
     */
    private JmdsOutcome runJmds(List<Graph> graphs, Map<Graph, MetricMeasureSpace[]> spaces,
            ModelSelection.Split split, Data data, int threads) {
        Progress progress = new Progress(spec.commandLine().getErr(), Progress.enabled(quiet), graphs.size());
        Map<Graph, JointMds.Result> results = new LinkedHashMap<>();
        ModelSelection.Selection sel;
        long t0 = System.nanoTime();
        try {
            sel = ModelSelection.gridSearch(graphs, g -> "jmds " + g.name().toLowerCase(Locale.ROOT), g -> {
                progress.stage("JMDS on the " + g.name().toLowerCase(Locale.ROOT) + " graph");
                MetricMeasureSpace[] s = spaces.get(g);
                MetricMeasureSpace a = MetricMeasureSpace.of(DistanceMatrices.normalizedToMean(s[0].space(), 1.0),
                        s[0].weights());
                MetricMeasureSpace b = MetricMeasureSpace.of(DistanceMatrices.normalizedToMean(s[1].space(), 1.0),
                        s[1].weights());
                JointMds.Result r = JointMds.fit(a, b, JointMds.Options.singleCell(jmdsIterations).withSeed(seed));
                results.put(g, r);
                return new ModelSelection.Projections(r.z1(), r.z2(), false);
            }, split, data.classes1, data.classes2, 5);
        } finally {
            progress.finish();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Graph best = graphs.get(sel.bestIndex());
        JointMds.Result r = results.get(best);
        int[] colour = data.classes1 != null ? data.classes1 : new int[r.z1().numRows];
        int[] colour2 = data.classes2 != null ? data.classes2 : new int[r.z2().numRows];
        List<String> names = data.names != null ? data.names : List.of("cell");
        Plots.write(Plots.sideBySide(
                Plots.labelPlot("JMDS embedding of x (" + data.xName + ")", r.z1(), colour, names, "z1", "z2", 520, 560),
                Plots.labelPlot("JMDS embedding of y (" + data.yName + ")", r.z2(), colour2, names, "z1", "z2", 520,
                        560)), out.resolve("jmds_projections.png"));
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> chosen = new LinkedHashMap<>();
        chosen.put("graph", best.name().toLowerCase(Locale.ROOT));
        chosen.put("k", k);
        chosen.put("scaling", "geodesics divided by their mean");
        chosen.put("alpha", 0.3);
        chosen.put("epsilon", 0.1);
        chosen.put("iterations", jmdsIterations);
        chosen.put("seed", seed);
        chosen.put("chosen_by", "lowest symmetric FOSCTTM on the validation split");
        m.put("chosen", chosen);
        m.put("evaluated_on", "test split: the " + split.test().size() + " cells not used for validation");
        m.put("foscttm", foscttm(sel.best().test()));
        m.put("knn_accuracy", sel.best().transfer() == null ? null : knn(sel.best().transfer()));
        m.put("stop_reason", String.valueOf(r.stopReason()));
        m.put("iterations", r.iterations());
        List<Object> cands = new ArrayList<>();
        for (int c = 0; c < graphs.size(); c++) {
            ModelSelection.Evaluation ev = sel.all().get(c);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("label", ev.label());
            e.put("validation_foscttm", foscttm(ev.validation()));
            e.put("test_foscttm", foscttm(ev.test()));
            e.put("test_knn_accuracy", ev.transfer() == null ? null : knn(ev.transfer()));
            e.put("seconds", ev.seconds());
            cands.add(e);
        }
        m.put("candidates", cands);
        m.put("seconds", seconds);
        return new JmdsOutcome(sel, m);
    }

    private static Map<String, Object> foscttm(AlignmentMetrics.Foscttm f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("one_directional", f.oneDirectional());
        m.put("reverse", f.reverse());
        m.put("symmetric", f.symmetric());
        m.put("ties", f.ties());
        return m;
    }

    private static Map<String, Object> knn(AlignmentMetrics.LabelTransfer t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x_from_y", t.oneFromTwo());
        m.put("y_from_x", t.twoFromOne());
        m.put("mean", t.mean());
        return m;
    }

    private void validate() {
        boolean files = x != null || y != null;
        if (dataset != null && files) {
            throw new ParameterException(spec.commandLine(), "give either --dataset or --x/--y, not both");
        }
        if (dataset == null && (x == null || y == null)) {
            throw new ParameterException(spec.commandLine(), "give --x and --y (and --labels-x, --labels-y), or "
                    + "--dataset snareseq|scgem");
        }
        if ((labelsX == null) != (labelsY == null)) {
            throw new ParameterException(spec.commandLine(), "give both --labels-x and --labels-y, or neither");
        }
        if (k < 1) {
            throw new IllegalArgumentException("--k must be >= 1, got " + k);
        }
        if (grid < 2) {
            throw new IllegalArgumentException("--grid must be >= 2, got " + grid);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("--validation-fraction must be in (0, 1), got " + validationFraction);
        }
        // validates epsilon, lambdas, iterations, threads
        EmbedCommand.options(lambdas, epsilon, outerIterations, JointEmbedding.CostScaling.REFERENCE,
                threads == null ? 1 : threads);
    }

    /** The features and labels of both modalities. */
    private static final class Data {
        DMatrixRMaj x;
        DMatrixRMaj y;
        int[] classes1;
        int[] classes2;
        List<String> names;
        String xName;
        String yName;
        String labelsXName;
        String labelsYName;
        double seconds;
    }

    private Data loadData() {
        long t0 = System.nanoTime();
        Path fx = x;
        Path fy = y;
        Path lx = labelsX;
        Path ly = labelsY;
        if (dataset != null) {
            Path dir = dataDir != null ? dataDir : defaultDataDir();
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("data directory " + dir + " not found; pass --data-dir DIR (it "
                        + "must hold snareseq/ and scgem/)");
            }
            switch (dataset.toLowerCase(Locale.ROOT)) {
                case "snareseq" -> {
                    Path d = dir.resolve("snareseq");
                    fx = d.resolve("SNAREseq_atac_feat.npy");
                    fy = d.resolve("SNAREseq_rna_feat.npy");
                    lx = d.resolve("SNAREseq_atac_types.txt");
                    ly = d.resolve("SNAREseq_rna_types.txt");
                }
                case "scgem" -> {
                    Path d = dir.resolve("scgem");
                    fx = d.resolve("scGEM_expression.csv");
                    fy = d.resolve("scGEM_methylation.csv");
                    lx = d.resolve("scGEM_typeExpression.txt");
                    ly = d.resolve("scGEM_typeMethylation.txt");
                }
                default -> throw new IllegalArgumentException("unknown --dataset '" + dataset
                        + "'; expected snareseq or scgem");
            }
        }
        Data d = new Data();
        d.x = Tables.read(fx).values();
        d.y = Tables.read(fy).values();
        d.xName = fx.getFileName().toString();
        d.yName = fy.getFileName().toString();
        if (d.x.numRows != d.y.numRows) {
            throw new InputFormatException(fy, "has " + d.y.numRows + " rows but " + fx + " has " + d.x.numRows
                    + "; the two modalities must list the same cells in the same order");
        }
        if (d.x.numRows < 2 * k + 2) {
            throw new IllegalArgumentException("only " + d.x.numRows + " cells; need more than 2k+1 = " + (2 * k + 1)
                    + " for a " + k + "-NN graph and a validation split");
        }
        if (lx != null) {
            List<String> l1 = Labels.read(lx);
            List<String> l2 = Labels.read(ly);
            if (l1.size() != d.x.numRows) {
                throw new InputFormatException(lx, "has " + l1.size() + " labels but " + fx.getFileName() + " has "
                        + d.x.numRows + " cells");
            }
            if (l2.size() != d.y.numRows) {
                throw new InputFormatException(ly, "has " + l2.size() + " labels but " + fy.getFileName() + " has "
                        + d.y.numRows + " cells");
            }
            List<String> both = new ArrayList<>(l1);
            both.addAll(l2);
            Labels.Classes classes = Labels.toClasses(both);
            int n = d.x.numRows;
            d.classes1 = java.util.Arrays.copyOfRange(classes.indices(), 0, n);
            d.classes2 = java.util.Arrays.copyOfRange(classes.indices(), n, 2 * n);
            d.names = classes.names();
            d.labelsXName = lx.getFileName().toString();
            d.labelsYName = ly.getFileName().toString();
        }
        d.seconds = (System.nanoTime() - t0) / 1e9;
        return d;
    }

    /**
     * {@code $GWEMBED_DATA_DIR}; else {@code $GWEMBED_HOME/../shared/data} (the launcher sets GWEMBED_HOME to the
     * checkout); else the test set-up's {@code gwembed.shared.dir}/data; else {@code ../shared/data}.
     */
    static Path defaultDataDir() {
        String env = System.getenv("GWEMBED_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String home = System.getenv("GWEMBED_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home).resolve("../shared/data").normalize();
        }
        String shared = System.getProperty("gwembed.shared.dir");
        if (shared != null && !shared.isBlank()) {
            return Path.of(shared).resolve("data").normalize();
        }
        return Path.of("../shared/data");
    }

    /** A short decimal form: 4 significant digits, no trailing zeros ({@code 50}, {@code 0.0006}, {@code 0.01}). */
    static String fmt(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }
}
