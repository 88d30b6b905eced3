package org.gwembed.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;

import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.core.Parallel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gwembed embed}: EW_λ between two inputs in a chosen space. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        header = "EW_lambda joint embedding of two inputs into a plane, sphere, torus, ... grid.",
        description = {"Embed two metric-measure spaces jointly into a fixed space by EW_lambda and write "
                + "result.json, zeta1/zeta2 and the projections as CSV and NPY (--output-format), grid.npy, "
                + "embeddings.png (and the plans, a result.npz bundle on request).",
            "Each input is a generator spec, a mesh (.obj/.off/.ply), a feature table (.csv/.tsv/.npy), or a "
                + "precomputed square distance matrix (--source-distances/--target-distances, CSV or NPY). "
                + "Input distances are divided by their maximum; weights are uniform unless --source-weights/"
                + "--target-weights give them."},
        footer = {"", "Example:",
            "  gwembed embed --source gen:s-curve:500 --target gen:swiss-roll-hole:500 --space plane:30 \\",
            "      --lambda 50 --epsilon 6e-4 --outer-iterations 40 --cost-scaling reference --out out/rolls"})
final class EmbedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--source", paramLabel = "SPEC",
            description = "First input: " + Inputs.GENERATORS + ", a mesh file or a feature table.")
    String source;

    @Option(names = "--source-distances", paramLabel = "FILE",
            description = "First input as a square distance matrix (CSV/TSV/NPY); instead of --source.")
    Path sourceDistances;

    @Option(names = "--source-metric", paramLabel = "METRIC", defaultValue = "knn:10",
            description = "Metric of a feature-table (or point-cloud) --source: euclidean, knn:K (Euclidean K-NN graph "
                    + "geodesics), knn:K:cosine or knn:K:correlation (neighbours and edge lengths under that metric) "
                    + "or scot:K (SCOT's correlation/connectivity graph). Sparse inputs (10x, CSR .h5ad) stay sparse "
                    + "up to the K-NN graph. Default: ${DEFAULT-VALUE}.")
    String sourceMetric;

    @Option(names = "--source-weights", paramLabel = "FILE",
            description = "Weights of the first input's points: one number per line or a 1-D .npy, finite, > 0, "
                    + "divided by their sum. Default: uniform.")
    Path sourceWeights;

    @Option(names = "--target", paramLabel = "SPEC", description = "Second input, as --source.")
    String target;

    @Option(names = "--target-distances", paramLabel = "FILE",
            description = "Second input as a square distance matrix; instead of --target.")
    Path targetDistances;

    @Option(names = "--target-metric", paramLabel = "METRIC", defaultValue = "knn:10",
            description = "Metric of a feature-table --target. Default: ${DEFAULT-VALUE}.")
    String targetMetric;

    @Option(names = "--target-weights", paramLabel = "FILE",
            description = "Weights of the second input's points, as --source-weights. Default: uniform.")
    Path targetWeights;

    @Option(names = "--space", paramLabel = "SPEC", defaultValue = "plane:30",
            description = "Embedding space: " + EmbeddingSpaces.SPEC_HELP + ", or a distance-matrix file. "
                    + "Default: ${DEFAULT-VALUE}.")
    String space;

    @Option(names = "--max-length", paramLabel = "M", defaultValue = "1.3",
            description = "The space is scaled to this maximum distance (the reference uses 1.3). "
                    + "Default: ${DEFAULT-VALUE}.")
    double maxLength;

    @Option(names = "--lambda", paramLabel = "L", split = ",", defaultValue = "50",
            description = "Weight of the GW penalties; a comma-separated increasing list runs as a continuation "
                    + "that carries the plans over. Default: ${DEFAULT-VALUE} (the paper's rolls).")
    List<Double> lambdas;

    @Option(names = "--epsilon", paramLabel = "E", defaultValue = "6e-4",
            description = "Entropic regularisation: relative to the scaled costs with reference scaling, in the "
                    + "objective's units with plain scaling. Default: ${DEFAULT-VALUE}.")
    double epsilon;

    @Option(names = "--outer-iterations", paramLabel = "R", defaultValue = "40",
            description = "Outer iterations of Algorithm 1 per lambda (the paper: 40-50). Default: ${DEFAULT-VALUE}.")
    int outerIterations;

    @Option(names = "--cost-scaling", paramLabel = "MODE", defaultValue = "reference",
            description = "reference: the authors' per-iteration cost normalisation, epsilon relative (the "
                    + "paper's lambda and epsilon transfer); plain: raw costs, epsilon absolute. "
                    + "Default: ${DEFAULT-VALUE}.")
    JointEmbedding.CostScaling costScaling;

    @Mixin
    SpeedOptions speed;

    @Option(names = "--restarts", paramLabel = "K", defaultValue = "1",
            description = "Independent runs from slightly perturbed starts; the lowest J is kept. "
                    + "Default: ${DEFAULT-VALUE}.")
    int restarts;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the perturbed starts (with --restarts > 1). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--save-plans", description = "Also write the plans P1 (n1 x N) and P2 (N x n2) as p1.npy, p2.npy.")
    boolean savePlans;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads. Default: all processors.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/embed",
            description = "Output directory (created). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Mixin
    ProgressOption progressOption = new ProgressOption();

    @Mixin
    OutputOptions files = new OutputOptions();

    @Override
    public Integer call() {
        if ((source == null) == (sourceDistances == null)) {
            throw new ParameterException(spec.commandLine(), "give exactly one of --source and --source-distances");
        }
        if ((target == null) == (targetDistances == null)) {
            throw new ParameterException(spec.commandLine(), "give exactly one of --target and --target-distances");
        }
        if (restarts < 1) {
            throw new IllegalArgumentException("--restarts must be >= 1, got " + restarts);
        }
        int t = threads == null ? Parallel.defaultThreads() : threads;
        JointEmbedding.Options options = speed.apply(options(continuation(lambdas), epsilon, outerIterations,
                costScaling, t));
        if (restarts > 1) {
            options = options.withRestarts(restarts, 1e-3, seed);
        }
        MetricSpace x = space(space, maxLength);
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, progressOption.enabled(quiet),
                2 + options.outerIterations() * options.lambdas().size() * options.restarts());
        Inputs.Input[] inputs;
        try {
            inputs = Inputs.timed(progress, List.of(
                    () -> Inputs.withWeights("--source-weights", source != null
                            ? Inputs.load("--source", source, sourceMetric, t)
                            : Inputs.distances("--source-distances", sourceDistances), sourceWeights, true),
                    () -> Inputs.withWeights("--target-weights", target != null
                            ? Inputs.load("--target", target, targetMetric, t)
                            : Inputs.distances("--target-distances", targetDistances), targetWeights, true)));
        } catch (RuntimeException e) {
            progress.finish();
            throw e;
        }
        EmbeddingRun.run(new EmbeddingRun.Request("embed", inputs[0], inputs[1], space, x, maxLength, options, out,
                savePlans, quiet, new LinkedHashMap<>()).withFiles(files), spec.commandLine().getOut(), progress);
        return 0;
    }

    /**
     * Largest λ and ε accepted: the inputs and the space are scaled to distances of about 1, so beyond 1e12 the
     * penalty swamps W in J's sixteen digits, or the kernel exp(-C/ε) is 1 to double precision, and a larger value
     * only risks an overflow to ∞ in J.
     */
    static final double MAX_PARAMETER = 1e12;

    /** The solver settings for the command-line parameters (validated by the record). */
    static JointEmbedding.Options options(List<Double> lambdas, double epsilon, int outer,
            JointEmbedding.CostScaling scaling, int threads) {
        if (lambdas == null || lambdas.isEmpty()) {
            throw new IllegalArgumentException("--lambda needs at least one value");
        }
        if (!(epsilon > 0) || !(epsilon <= MAX_PARAMETER)) {
            throw new IllegalArgumentException("--epsilon must be > 0 and <= " + MAX_PARAMETER + ", got " + epsilon);
        }
        for (double l : lambdas) {
            if (!(l > 0) || !(l <= MAX_PARAMETER)) {
                throw new IllegalArgumentException("--lambda values must be > 0 and <= " + MAX_PARAMETER + ", got "
                        + l);
            }
        }
        if (outer < 1) {
            throw new IllegalArgumentException("--outer-iterations must be >= 1, got " + outer);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        JointEmbedding.Options base = scaling == JointEmbedding.CostScaling.PLAIN
                ? JointEmbedding.Options.plain(lambdas.get(0), epsilon)
                : JointEmbedding.Options.defaults(lambdas.get(0), epsilon);
        return base.withLambdas(lambdas).withOuterIterations(outer).withThreads(threads);
    }

    /** Requires a {@code --lambda} list that runs as a continuation to be increasing. */
    static List<Double> continuation(List<Double> lambdas) {
        for (int i = 1; i < lambdas.size(); i++) {
            if (!(lambdas.get(i) > lambdas.get(i - 1))) {
                throw new IllegalArgumentException("--lambda values run as a continuation and must be increasing, "
                        + "got " + lambdas);
            }
        }
        return lambdas;
    }

    /** A space spec, or a distance-matrix file, scaled to {@code maxLength}. */
    static MetricSpace space(String spec, double maxLength) {
        if (!(maxLength > 0) || Double.isInfinite(maxLength)) {
            throw new IllegalArgumentException("--max-length must be > 0 and finite, got " + maxLength);
        }
        Path p = Path.of(spec);
        if (!spec.contains(":") && Files.exists(p)) {
            return DistanceMatrices.read(p).normalizedToMax(maxLength);
        }
        try {
            return EmbeddingSpaces.parse(spec, maxLength);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--space: " + e.getMessage(), e);
        }
    }
}
