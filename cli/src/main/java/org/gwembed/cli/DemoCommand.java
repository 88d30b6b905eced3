package org.gwembed.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.core.Parallel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gwembed demo}: the paper's roll experiment (§6.1) at a size that runs in under a minute — a generated
 * S-curve and a Swiss roll with a hole embedded jointly into a 50×50 plane grid with λ = 50, ε = 6e-4 and the
 * reference cost scaling.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        header = "The paper's roll example (S-curve vs Swiss roll with a hole, 50x50 grid); < 1 min.",
        description = {"The paper's roll example: an S-curve and a Swiss roll with a hole, embedded jointly into a "
                + "50x50 plane grid (lambda 50, epsilon 6e-4, reference scaling). Writes embeddings.png (both relaxed "
                + "embeddings side by side), projections.png, result.json, zeta1.csv, zeta2.csv under --out.",
            "The paper uses about 2000 vertices per surface and 40 outer iterations; the default vertex count is "
                + "smaller so that the demo finishes in under a minute (see the note in result.json)."})
final class DemoCommand implements Callable<Integer> {

    /** Default vertices per surface (the paper: about 2000). */
    static final int DEFAULT_VERTICES = 500;
    /** Default outer iterations (the paper: 40). */
    static final int DEFAULT_OUTER = 40;

    @Spec
    CommandSpec spec;

    @Option(names = "--vertices", paramLabel = "N", defaultValue = "" + DEFAULT_VERTICES,
            description = "Approximate vertices per surface (the paper: ~2000). Default: ${DEFAULT-VALUE}.")
    int vertices;

    @Option(names = "--grid", paramLabel = "N", defaultValue = "50",
            description = "Plane grid side (N x N points). Default: ${DEFAULT-VALUE}.")
    int grid;

    @Option(names = "--outer-iterations", paramLabel = "R", defaultValue = "" + DEFAULT_OUTER,
            description = "Outer iterations (the paper: 40). Default: ${DEFAULT-VALUE}.")
    int outerIterations;

    @Option(names = "--lambda", paramLabel = "L", defaultValue = "50", description = "Default: ${DEFAULT-VALUE}.")
    double lambda;

    @Option(names = "--epsilon", paramLabel = "E", defaultValue = "6e-4",
            description = "Relative epsilon (reference scaling). Default: ${DEFAULT-VALUE}.")
    double epsilon;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads. Default: all processors.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/demo",
            description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @picocli.CommandLine.Mixin
    ProgressOption progressOption = new ProgressOption();

    @picocli.CommandLine.Mixin
    OutputOptions files = new OutputOptions();

    @Override
    public Integer call() {
        int t = threads == null ? Parallel.defaultThreads() : threads;
        if (grid < 2) {
            throw new IllegalArgumentException("--grid must be >= 2, got " + grid);
        }
        JointEmbedding.Options options = EmbedCommand.options(List.of(lambda), epsilon, outerIterations,
                JointEmbedding.CostScaling.REFERENCE, t);
        String spaceSpec = "plane:" + grid;
        MetricSpace x = EmbedCommand.space(spaceSpec, 1.3);
        Inputs.Input y1 = Inputs.load("--vertices", "gen:s-curve:" + vertices, "euclidean", t);
        Inputs.Input y2 = Inputs.load("--vertices", "gen:swiss-roll-hole:" + vertices, "euclidean", t);
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("paper", "Beier et al. 2025, section 6.1: ~2000 vertices per surface, lambda 50, epsilon 6e-4, "
                + "reference scaling, 40 outer iterations");
        notes.put("demo_size", vertices + " vertices per surface and " + outerIterations + " outer iterations on a "
                + grid + "x" + grid + " grid" + (vertices == DEFAULT_VERTICES && outerIterations == DEFAULT_OUTER
                        ? " (defaults chosen so that the demo runs in under a minute on a 2-core machine; use "
                                + "--vertices 2000 for the paper's size)" : ""));
        EmbeddingRun.run(new EmbeddingRun.Request("demo", y1, y2, spaceSpec, x, 1.3, options, out, false, quiet,
                notes).withFiles(files), spec.commandLine().getOut(), spec.commandLine().getErr(),
                progressOption.enabled(quiet));
        return 0;
    }
}
