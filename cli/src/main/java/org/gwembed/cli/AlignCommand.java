package org.gwembed.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.gwembed.core.Parallel;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.embedding.SingleCellAlignment;
import org.gwembed.examples.SingleCellDatasets;
import org.gwembed.metricspaces.FeatureMatrices;
import org.gwembed.metricspaces.InputFormatException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gwembed align}: the single-cell workflow of the paper (§6.2, METHOD.md §6): two feature tables of the same
 * cells → k-NN graph geodesics (scaled to max 1) → EW_λ on a 20×20 plane grid → barycentric projections → FOSCTTM
 * and label-transfer accuracy, with λ and the graph variant chosen on a validation split. The protocol is
 * {@link SingleCellAlignment}'s; this command parses, and {@link AlignReport} writes and prints.
 */
@Command(name = "align", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Single-cell alignment: k-NN geodesics, EW_lambda, FOSCTTM and label transfer.",
        description = {"Align two measurement modalities of the same cells (row i of --x and of --y is one cell).",
            "Protocol (default, docs/single-cell-study.md): SCOT's k-NN graph (l2-normalised rows, correlation "
                + "metric, connectivity weights), k in {10, 35}; geodesics scaled to max 1; 20x20 "
                + "plane grid; EW_lambda with epsilon 1e-3 (reference scaling), 50 outer iterations, lambda in "
                + "{0.1, 1, 10}, two starts each (uniform and perturbed); every run read out two ways (grid: "
                + "barycentric projections onto the grid; features: the cell-to-cell coupling through the grid "
                + "projected into both modalities' l2-normalised features); the candidate with the lowest symmetric "
                + "FOSCTTM on a seeded random 10%% of the cells wins; metrics on the other 90%% and on all cells.",
            "--protocol paper: the paper's settings (Euclidean and SCOT 10-NN graphs, lambda in {0.01, 0.1, 1, 10, "
                + "100}, one start, grid read-out, cold inner starts). Options given explicitly override either.",
            "Writes report.json, projections.png, projection_x.csv, projection_y.csv; prints a comparison table."},
        footer = {"", "FOSCTTM: for each cell, the fraction of the other modality's cells closer than its true match "
                + "(ties count 1/2); one_directional = from --x's side (the EW_lambda reference), symmetric = mean of "
                + "both sides (SCOT, JMDS). knn: 5-NN label transfer on the projections, x_from_y = trained on y's "
                + "labels, predicts x (SCOT's direction).",
            "", "Examples:", "  gwembed align --dataset snareseq --out out/snareseq",
            "  gwembed align --x a.csv --y b.csv --labels-x la.txt --labels-y lb.txt --method ewl --out out/mine"})
final class AlignCommand implements Callable<Integer> {

    /** Graph variants: one of the library's, or the protocol's. */
    enum Graph {
        EUCLIDEAN, SCOT, SCOT_DISTANCE, AUTO
    }

    /** The protocols. */
    enum ProtocolName {
        DEFAULT, PAPER
    }

    /** Read-outs: one of the library's, or the protocol's. */
    enum Readout {
        GRID, FEATURES, AUTO
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--x", paramLabel = "FILE", description = "Features of modality 1 (cells x features; CSV/TSV/NPY, "
            + "AnnData .h5ad, or a 10x Matrix Market folder of matrix.mtx, barcodes.tsv, features.tsv).")
    Path x;

    @Option(names = "--y", paramLabel = "FILE", description = "Features of modality 2 (same cells, same order).")
    Path y;

    @Option(names = "--x-key", paramLabel = "KEY",
            description = "The matrix of an .h5ad --x: X (default), obsm/X_pca, layers/NAME, ...")
    String xKey;

    @Option(names = "--y-key", paramLabel = "KEY", description = "The matrix of an .h5ad --y, as --x-key.")
    String yKey;

    @Option(names = "--labels-x", paramLabel = "FILE|obs:COLUMN",
            description = "Cell labels of --x: a file, one per line, or obs:COLUMN of an .h5ad --x.")
    String labelsX;

    @Option(names = "--labels-y", paramLabel = "FILE|obs:COLUMN", description = "Cell labels of --y, as --labels-x.")
    String labelsY;

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
    SingleCellAlignment.Method method;

    @Option(names = "--jmds-iterations", paramLabel = "R", defaultValue = "100",
            description = "JMDS outer iterations (its authors: 100 for SNAREseq, 500 for scGEM). "
                    + "Default: ${DEFAULT-VALUE}.")
    int jmdsIterations;

    @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "default",
            description = "default (the study's protocol) or paper (the paper's settings). Default: ${DEFAULT-VALUE}.")
    ProtocolName protocolName;

    @Option(names = "--graph", paramLabel = "VARIANT", defaultValue = "auto",
            description = "k-NN graph: euclidean (the paper's), scot (SCOT's correlation/connectivity graph on "
                    + "l2-normalised rows), scot_distance (the same neighbours, correlation edge lengths) or auto "
                    + "(the protocol's: scot by default, euclidean and scot, chosen on the validation split, with "
                    + "--protocol paper). Default: ${DEFAULT-VALUE}.")
    Graph graph;

    @Option(names = "--k", paramLabel = "K", split = ",",
            description = "Neighbours of the k-NN graph; several: chosen on the validation split. Needs more than "
                    + "2k+1 cells; the defaults are capped at a quarter of the cells instead. Default: 10,35 "
                    + "(paper: 10).")
    List<Integer> ks;

    @Option(names = "--lambda", paramLabel = "L", split = ",",
            description = "Candidate lambdas (one value: no choice). Default: 0.1,1,10 (paper: 0.01,0.1,1,10,100).")
    List<Double> lambdas;

    @Option(names = "--starts", paramLabel = "S",
            description = "Starts per graph and lambda (start 0 uniform, the others perturbed by 0.5 relative, each "
                    + "its own candidate). Default: 2 (paper: 1).")
    Integer starts;

    @Option(names = "--readout", paramLabel = "KIND", defaultValue = "auto",
            description = "grid (barycentric projections onto the grid), features (the cell coupling projected into "
                    + "both modalities' features) or auto (the protocol's: both by default, grid for the paper). "
                    + "Default: ${DEFAULT-VALUE}.")
    Readout readout;

    @Option(names = "--grid", paramLabel = "N", description = "Plane grid side. Default: 20.")
    Integer grid;

    @Option(names = "--epsilon", paramLabel = "E", description = "Relative epsilon (reference scaling). Default: 1e-3.")
    Double epsilon;

    @Option(names = "--outer-iterations", paramLabel = "R", description = "Outer iterations per run. Default: 50.")
    Integer outerIterations;

    @Mixin
    SpeedOptions speed;

    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0.1",
            description = "The first F of the cells choose the hyper-parameters. Default: ${DEFAULT-VALUE}.")
    double validationFraction;

    @Option(names = "--split", paramLabel = "KIND", defaultValue = "random",
            description = "Which cells validate: random (a seeded random F of the cells) or first (the first F, as "
                    + "the reference code does; degenerate when the rows are sorted by cell type, as scGEM's are). "
                    + "Default: ${DEFAULT-VALUE}.")
    SingleCellAlignment.SplitKind splitKind;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the random split, of the perturbed starts (seed + start) and of JMDS. "
                    + "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads. Default: all processors.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/align",
            description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Mixin
    ProgressOption progressOption = new ProgressOption();

    @Option(names = "--svg", description = "Also write the pictures as SVG (projections.svg, jmds_projections.svg).")
    boolean svg;

    /** The report of the last completed run (what report.json holds). */
    Map<String, Object> lastReport;

    @Override
    public Integer call() {
        validate();
        if (jmdsIterations < 1) {
            throw new IllegalArgumentException("--jmds-iterations must be >= 1, got " + jmdsIterations);
        }
        int t = threads == null ? Parallel.defaultThreads() : threads;
        SingleCellDatasets.Dataset data = loadData();
        SingleCellAlignment.Protocol protocol = protocol(t);
        int n = data.data().cells();
        if (ks != null) {
            // an explicit k is taken as given, not capped as the protocol's defaults are
            for (int k : ks) {
                if (n < 2 * k + 2) {
                    throw new IllegalArgumentException("--k " + k + ": only " + n + " cells; need more than 2k+1 = "
                            + (2 * k + 1) + " for a " + k + "-NN graph and a validation split");
                }
            }
        }
        EmbeddingRun.createDirectories(out);
        lastReport = run(dataset, data, protocol, out, progressOption.enabled(quiet), spec.commandLine().getOut(),
                spec.commandLine().getErr(), svg);
        return 0;
    }

    /** The protocol named by {@code --protocol} with every option given explicitly applied. */
    SingleCellAlignment.Protocol protocol(int t) {
        SingleCellAlignment.Protocol p = protocolName == ProtocolName.PAPER ? SingleCellAlignment.Protocol.paper()
                : SingleCellAlignment.Protocol.defaults();
        p = p.withMethod(method).withValidation(validationFraction, splitKind, seed)
                .withJmdsIterations(jmdsIterations).withThreads(t)
                .withSpeed(speed.precision(), !speed.exactReference && (p.warmStart() || speed.warmStart),
                        speed.overRelaxed());
        if (graph != Graph.AUTO) {
            p = p.withGraphs(List.of(SingleCellAlignment.Graph.valueOf(graph.name())));
        }
        if (readout != Readout.AUTO) {
            p = p.withReadouts(List.of(SingleCellAlignment.Readout.valueOf(readout.name())));
        }
        if (ks != null) {
            p = p.withKs(ks);
        }
        if (lambdas != null) {
            p = p.withLambdas(lambdas);
        }
        if (starts != null) {
            p = p.withStarts(starts, starts > 1 && p.perturbation() == 0 ? 0.5 : p.perturbation());
        }
        if (grid != null) {
            p = p.withGrid(grid);
        }
        if (epsilon != null) {
            p = p.withEpsilon(epsilon);
        }
        if (outerIterations != null) {
            p = p.withOuterIterations(outerIterations);
        }
        return p;
    }

    /**
     * Aligns {@code data} by {@code protocol} with a progress bar, writes the outputs into {@code dir} (the pictures
     * also as SVG with {@code svg}) and prints the table; returns what report.json holds.
     */
    static Map<String, Object> run(String dataset, SingleCellDatasets.Dataset data,
            SingleCellAlignment.Protocol protocol, Path dir, boolean draw, PrintWriter out, PrintWriter err,
            boolean svg) {
        Progress progress = new Progress(err, draw, progressSteps(protocol, data.data().cells()));
        SingleCellAlignment.Report report;
        try {
            report = SingleCellAlignment.align(data.data(), protocol.withListener(progress));
        } finally {
            progress.finish();
        }
        return AlignReport.write(dir, dataset, data, report, out, svg);
    }

    /**
     * The steps of {@code protocol} for a progress bar: every EW_λ outer iteration, one per JMDS run (for enough
     * cells that no k is capped).
     */
    static int progressSteps(SingleCellAlignment.Protocol protocol) {
        return progressSteps(protocol, Integer.MAX_VALUE);
    }

    /** As {@link #progressSteps(SingleCellAlignment.Protocol)} for {@code cells} cells (which cap k). */
    static int progressSteps(SingleCellAlignment.Protocol protocol, int cells) {
        return (protocol.method() == SingleCellAlignment.Method.JMDS ? 0
                : protocol.runs(cells).size() * protocol.outerIterations())
                + (protocol.method() == SingleCellAlignment.Method.EWL ? 0 : protocol.graphChoices(cells).size());
    }

    private void validate() {
        boolean files = x != null || y != null;
        if (dataset != null && (files || xKey != null || yKey != null)) {
            throw new ParameterException(spec.commandLine(), "give either --dataset or --x/--y, not both");
        }
        if (dataset == null && (x == null || y == null)) {
            throw new ParameterException(spec.commandLine(), "give --x and --y (and --labels-x, --labels-y), or "
                    + "--dataset snareseq|scgem");
        }
        if ((labelsX == null) != (labelsY == null)) {
            throw new ParameterException(spec.commandLine(), "give both --labels-x and --labels-y, or neither");
        }
        if (ks != null) {
            for (int k : ks) {
                if (k < 1) {
                    throw new IllegalArgumentException("--k must be >= 1, got " + k);
                }
            }
        }
        if (grid != null && grid < 2) {
            throw new IllegalArgumentException("--grid must be >= 2, got " + grid);
        }
        if (starts != null && starts < 1) {
            throw new IllegalArgumentException("--starts must be >= 1, got " + starts);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("--validation-fraction must be in (0, 1), got " + validationFraction);
        }
        // validates epsilon, lambdas, iterations, threads
        EmbedCommand.options(lambdas == null ? List.of(1.0) : lambdas, epsilon == null ? 1e-3 : epsilon,
                outerIterations == null ? 50 : outerIterations, JointEmbedding.CostScaling.REFERENCE,
                threads == null ? 1 : threads);
    }

    private SingleCellDatasets.Dataset loadData() {
        SingleCellDatasets.Files files;
        if (dataset != null) {
            Path dir = dataDir != null ? dataDir : defaultDataDir();
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("data directory " + dir + " not found; pass --data-dir DIR (it "
                        + "must hold snareseq/ and scgem/)");
            }
            if (!SingleCellDatasets.NAMES.contains(dataset.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("unknown --dataset '" + dataset + "'; expected snareseq or scgem");
            }
            files = SingleCellDatasets.files(dataset, dir);
        } else {
            files = new SingleCellDatasets.Files(x, y, labelFile(labelsX), labelFile(labelsY), xKey, yKey,
                    obsColumn("--labels-x", labelsX, x), obsColumn("--labels-y", labelsY, y));
        }
        try {
            return SingleCellDatasets.load(files);
        } catch (InputFormatException e) {
            // the library names the file: say which option gave it
            Path where = Path.of(e.file());
            boolean obs = e.getMessage().contains("'obs/") || e.getMessage().contains("obs column");
            String option = where.startsWith(files.x()) ? (obs && files.labelsXColumn() != null ? "--labels-x"
                    : "--x" + (xKey == null ? "" : " --x-key " + xKey))
                    : where.startsWith(files.y()) ? (obs && files.labelsYColumn() != null ? "--labels-y"
                    : "--y" + (yKey == null ? "" : " --y-key " + yKey))
                    : files.labelsX() != null && where.equals(files.labelsX()) ? "--labels-x"
                    : files.labelsY() != null && where.equals(files.labelsY()) ? "--labels-y" : null;
            if (option == null) {
                throw e;
            }
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    private static Path labelFile(String spec) {
        return spec == null || spec.startsWith("obs:") ? null : Path.of(spec);
    }

    private String obsColumn(String option, String spec, Path features) {
        if (spec == null || !spec.startsWith("obs:")) {
            return null;
        }
        if (features == null || !FeatureMatrices.isAnnData(features)) {
            throw new IllegalArgumentException(option + " " + spec + ": obs:COLUMN takes labels from an AnnData "
                    + ".h5ad input, but its features are " + features);
        }
        return spec.substring(4);
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
}
